"""Images: responsive pictures with modern formats, every rendition made before visitors ask, and
uploads that say what is wrong with them."""

import io

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site, UploadedFile

from partnership.models import PartnershipImage, PartnershipRendition
from partnership.renditions import PICTURE_SPECS, SOCIAL_SPECS, images_on_pages

from .factories import StandardPageFactory, site_tree
from .utils import live_pages, page_at, run_command, soup


class RenditionsMadeByLoadContentTests(TestCase):
    def test_load_content_makes_every_rendition_the_pages_use(self):
        output = run_command("load_content")
        images = list(images_on_pages())
        self.assertEqual(len(images), PartnershipImage.objects.count())
        self.assertGreaterEqual(len(images), 1)
        made = PartnershipRendition.objects.count()
        self.assertEqual(made, len(images) * len(PICTURE_SPECS + SOCIAL_SPECS))
        self.assertIn(f"Image renditions: {made} made", output)

        # Visitors then read every page: if a template asked for a size or format that was not
        # made ahead, Wagtail would make it now, in the visitor's request.
        for page in live_pages():
            with self.subTest(page.url):
                self.assertEqual(self.client.get(page.url).status_code, 200)
        self.assertEqual(PartnershipRendition.objects.count(), made)

        self.assertIn("Image renditions: 0 made", run_command("load_content"))

    def test_a_social_image_chosen_in_the_admin_is_made_by_the_next_load(self):
        run_command("load_content")
        page = page_at("/thematic-areas/protection/")
        page.social_image = PartnershipImage.objects.first()
        page.save_revision().publish()
        before = PartnershipRendition.objects.count()
        run_command("load_content")
        self.assertEqual(PartnershipRendition.objects.count(), before)  # the image already had its sizes
        response = self.client.get("/thematic-areas/protection/")
        self.assertIn("fill-1200x630", soup(response).find("meta", property="og:image")["content"])
        self.assertEqual(PartnershipRendition.objects.count(), before)

    def test_pictures_added_in_the_admin_are_made_by_the_next_load(self):
        """The fixtures' pages show no picture (their one image is a social-media picture), so a
        body image and a thematic area's image are added here, as staff would."""
        run_command("load_content")
        image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file(size=(1600, 900))
        )
        page = page_at("/thematic-areas/protection/")
        page.image = image
        page.body.append(("image", {"image": image, "caption": "Dawn."}))
        page.save_revision().publish()
        self.assertIn(f"Image renditions: {len(PICTURE_SPECS + SOCIAL_SPECS)} made", run_command("load_content"))
        made = PartnershipRendition.objects.count()
        main = soup(self.client.get("/thematic-areas/protection/")).main
        self.assertEqual(len(main.find_all("picture")), 2)
        self.assertEqual(PartnershipRendition.objects.count(), made)

    def test_a_dry_run_makes_no_rendition(self):
        run_command("load_content", "--dry-run")
        self.assertEqual(PartnershipRendition.objects.count(), 0)


class PictureMarkupTests(TestCase):
    """A body image, on a page built here: the site's own pages draw their diagrams from their data
    and use the fixtures' one image as a social-media picture only."""

    @classmethod
    def setUpTestData(cls):
        tree = site_tree()
        Site.objects.filter(is_default_site=True).update(root_page=tree["overview"])
        cls.image = PartnershipImage.objects.create(
            title="Border post", description="A border post at dawn.", file=get_test_image_file(size=(1600, 900))
        )
        cls.page = StandardPageFactory(
            parent=tree["overview"], title="With a picture", body=[("image", {"image": cls.image, "caption": "Dawn."})]
        )

    def test_body_images_are_pictures_with_avif_webp_srcset_size_and_lazy_loading(self):
        picture = soup(self.client.get(self.page.url)).main.find("picture")
        self.assertIsNotNone(picture)
        types = [source["type"] for source in picture.find_all("source")]
        self.assertEqual(types, ["image/avif", "image/webp"])
        for source in picture.find_all("source"):
            self.assertEqual(len(source["srcset"].split(",")), 3)
            self.assertIn("sizes", source.attrs)
        img = picture.find("img")
        self.assertTrue(int(img["width"]) > 0 and int(img["height"]) > 0)
        self.assertEqual(len(img["srcset"].split(",")), 3)
        self.assertEqual(img["loading"], "lazy")
        self.assertEqual(img["alt"], "A border post at dawn.")
        self.assertTrue(img["src"].endswith(".jpg"))

    def test_the_media_route_serves_images_and_nothing_else(self):
        """Tests, `make run` and the screenshots serve uploads through Django (SERVE_MEDIA or DEBUG);
        production serves them from the web server or the bucket."""
        img = soup(self.client.get(self.page.url)).main.find("picture").find("img")
        response = self.client.get(img["src"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"\xff\xd8"))
        original = self.image.file.url
        self.assertEqual(self.client.get(original).status_code, 200)
        self.assertIn(self.client.get("/media/original_images/../../../etc/passwd").status_code, (400, 404))
        for path in ("/media/original_images/no-such-file.png", "/media/documents/anything.pdf"):
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)


def image_bytes(width=64, height=48, kind="PNG"):
    data = io.BytesIO()
    Image.new("RGB", (width, height), "#0033a0").save(data, kind)
    return data.getvalue()


class MultipleUploadTests(TestCase):
    """Admin → Images → Add images, as its page's script posts each file. The browser's side (what
    the editor reads beside each file) is tests/browser/test_staff_journeys.py."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def upload(self, name, content):
        response = self.client.post(
            reverse("wagtailimages:add_multiple"),
            {"title": name.rsplit(".", 1)[0], "files[]": SimpleUploadedFile(name, content)},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_a_refused_file_is_refused_for_its_real_reason(self):
        with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000):
            too_big = self.upload("harbour.png", image_bytes(400, 300))
        refusals = {
            "This file is too big": too_big,
            "Not a supported image format": self.upload("animation.gif", image_bytes(kind="GIF")),
            "Upload a valid image": self.upload("notes.txt", b"Not a picture."),
        }
        for cause, answer in refusals.items():
            with self.subTest(cause):
                self.assertFalse(answer["success"])
                self.assertTrue(answer["error_message"].startswith(cause), answer["error_message"])
                self.assertNotIn("description", answer["error_message"].lower())
        self.assertFalse(UploadedFile.objects.exists())
        self.assertFalse(PartnershipImage.objects.exists())

    def test_an_uploaded_file_becomes_an_image_once_it_has_a_description(self):
        answer = self.upload("harbour.png", image_bytes())
        self.assertTrue(answer["success"])
        self.assertFalse(PartnershipImage.objects.exists())  # held until it has its description
        form = BeautifulSoup(answer["form"], "html.parser").form
        self.assertTrue(
            form.find("input", attrs={"name": lambda name: name.endswith("-description")}).has_attr("required")
        )
        prefix = f"uploaded-image-{answer['uploaded_file_id']}"

        def update(description):
            return self.client.post(
                form["action"], {f"{prefix}-title": "Harbour", f"{prefix}-description": description}
            ).json()

        answer = update("")
        self.assertFalse(answer["success"])
        self.assertIn("This field is required.", answer["form"])
        self.assertFalse(PartnershipImage.objects.exists())

        description = "A harbour at dawn, with fishing boats moored along the quay."
        self.assertTrue(update(description)["success"])
        image = PartnershipImage.objects.get()
        self.assertEqual((image.title, image.description, image.width, image.height), ("Harbour", description, 64, 48))
        self.assertFalse(UploadedFile.objects.exists())

    def test_the_page_asks_for_a_description_only_beside_a_file_that_uploaded(self):
        """The request is Wagtail's, on every file listed; our stylesheet shows it only there."""
        response = self.client.get(reverse("wagtailimages:add_multiple"))
        self.assertContains(response, "css/admin-image-uploads.css")
