"""Uploads on S3-compatible object storage, with the storage settings that base.py makes of the
environment: what an editor uploads lands in the bucket, renditions too, and the site links and
serves them as it should.

The bucket is moto's, inside this process (moto answers boto3's requests itself): no request
leaves the machine. The database is the real test database."""

import os
import runpy
from unittest import mock

import boto3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from moto import mock_aws
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file

from partnership.models import PartnershipImage

BUCKET = "iomeu-media"
REGION = "eu-west-1"
# As docs/deployment.md sets it up: the CDN sends /media/* to the bucket, under the site's own host.
BUCKET_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_REGION_NAME": REGION,
    "AWS_S3_CUSTOM_DOMAIN": "partnership.example.org",
    "AWS_LOCATION": "media",
}
# Credentials for moto, and never a look-up on the network for others.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key-id",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def storage_settings_from_environment(env):
    """STORAGES and the AWS_* settings that base.py makes of `env`, run afresh as at a server's start."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | env
    with mock.patch.dict(os.environ, environment, clear=True):
        made = runpy.run_path(str(settings.BASE_DIR / "iomeu" / "settings" / "base.py"))
    return {name: value for name, value in made.items() if name.startswith("AWS_") or name == "STORAGES"}


class ObjectStorageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-test-password-1")

    def setUp(self):
        credentials = mock.patch.dict(os.environ, FAKE_CREDENTIALS)
        credentials.start()
        self.addCleanup(credentials.stop)
        aws = mock_aws()
        aws.start()
        self.addCleanup(aws.stop)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        storage = override_settings(**storage_settings_from_environment(BUCKET_ENVIRONMENT))
        storage.enable()
        self.addCleanup(storage.disable)

    def keys(self, prefix):
        listing = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def upload_image(self, name, content):
        self.client.force_login(self.editor)
        response = self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": name,
                "description": "A small test image.",
                "file": SimpleUploadedFile(name, content),
                "collection": "1",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        return PartnershipImage.objects.latest("pk")

    def test_an_uploaded_image_and_its_renditions_live_in_the_bucket(self):
        png = get_test_image_file().file.getvalue()
        image = self.upload_image("members.png", png)

        self.assertEqual(self.keys("media/original_images/"), ["media/original_images/members.png"])
        stored = self.s3.get_object(Bucket=BUCKET, Key="media/original_images/members.png")
        self.assertEqual(stored["Body"].read(), png)
        self.assertEqual(stored["CacheControl"], "public, max-age=86400")
        self.assertEqual(image.file.url, "https://partnership.example.org/media/original_images/members.png")
        self.assertEqual((image.width, image.height), (640, 480))

        # What a page's {% picture %} asks for: made from the original in the bucket, stored there.
        rendition = image.get_rendition("width-400|format-webp")
        self.assertEqual(self.keys("media/images/"), [f"media/{rendition.file.name}"])
        self.assertEqual(rendition.url, f"https://partnership.example.org/media/{rendition.file.name}")
        self.assertEqual((rendition.width, rendition.height), (400, 300))

    def test_an_upload_never_replaces_another_file_of_the_same_name(self):
        first = self.upload_image("photo.png", get_test_image_file(colour="red").file.getvalue())
        second = self.upload_image("photo.png", get_test_image_file(colour="blue").file.getvalue())
        self.assertNotEqual(first.file.name, second.file.name)
        self.assertEqual(len(self.keys("media/original_images/photo")), 2)
        first.file.open("rb")
        self.addCleanup(first.file.close)
        self.assertEqual(first.file.read(), get_test_image_file(colour="red").file.getvalue())

    def test_documents_are_served_through_wagtail_from_the_bucket(self):
        document = Document.objects.create(
            title="Annual report", file=ContentFile(b"%PDF-1.7 report", name="report.pdf")
        )
        self.assertEqual(self.keys("media/documents/"), ["media/documents/report.pdf"])
        response = self.client.get(document.url)  # Wagtail's view, never the bucket's address
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.7 report")
