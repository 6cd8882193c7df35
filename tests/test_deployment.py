"""Beyond one machine: media on object storage and a CDN purged on publish, both chosen by environment
variables under the production settings; the load balancer's health check over plain HTTP.

Nothing here leaves this machine: the settings are only loaded (no storage or CDN call is made), and
the purge goes to a small HTTP server of the test's own on 127.0.0.1."""

import tempfile

from django.test import SimpleTestCase

from .production import production_facts, under_production_settings

# boto3 would look for credentials on the network (the EC2 metadata address) if it found none:
# give it some, and forbid that look-up anyway. Port 9 (discard) on this machine: nothing answers.
OFFLINE_AWS = {
    "AWS_ACCESS_KEY_ID": "test-key-id",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
}


STORAGE_FACTS = """
from django.core.files.storage import default_storage
facts["class"] = f"{default_storage.__class__.__module__}.{default_storage.__class__.__qualname__}"
facts["url"] = default_storage.url("images/the framework.jpg")  # computed here: no request is made
facts["overwrite"] = getattr(default_storage, "file_overwrite", None)
"""

FRONTEND_CACHE_FACTS = """
from wagtail.contrib.frontend_cache.utils import get_backends
facts["backends"] = {name: f"{type(b).__module__}.{type(b).__qualname__}" for name, b in get_backends().items()}
facts["hostnames"] = {name: b.hostnames for name, b in get_backends().items()}
"""


class MediaStorageSettingsTests(SimpleTestCase):
    def test_a_bucket_puts_uploads_on_object_storage(self):
        # As docs/deployment.md sets it up: the CDN sends /media/* to the bucket, so images come from
        # the site's own origin (the public pages' Content-Security-Policy allows no other).
        env = {
            **OFFLINE_AWS,
            "AWS_STORAGE_BUCKET_NAME": "iomeu-media",
            "AWS_S3_CUSTOM_DOMAIN": "partnership.example.org",
            "AWS_LOCATION": "media",
        }
        facts = production_facts(env, STORAGE_FACTS)
        self.assertEqual(facts["class"], "storages.backends.s3.S3Storage")
        # Plain URLs, the same at every render, so the page cache and the CDN keep the images.
        self.assertEqual(facts["url"], "https://partnership.example.org/media/images/the%20framework.jpg")
        self.assertIs(facts["overwrite"], False)

    def test_without_a_custom_domain_urls_point_at_the_bucket_unsigned(self):
        facts = production_facts({**OFFLINE_AWS, "AWS_STORAGE_BUCKET_NAME": "iomeu-media"}, STORAGE_FACTS)
        self.assertEqual(facts["class"], "storages.backends.s3.S3Storage")
        self.assertEqual(facts["url"], "http://127.0.0.1:9/iomeu-media/images/the%20framework.jpg")

    def test_without_a_bucket_uploads_stay_on_local_disk(self):
        facts = production_facts({"MEDIA_ROOT": "/srv/iomeu/media"}, STORAGE_FACTS)
        self.assertEqual(facts["class"], "django.core.files.storage.filesystem.FileSystemStorage")
        self.assertEqual(facts["url"], "/media/images/the%20framework.jpg")


class FrontendCacheSettingsTests(SimpleTestCase):
    def test_each_cache_is_picked_by_name(self):
        frontend = "wagtail.contrib.frontend_cache.backends"
        cases = {
            "cloudflare": (
                {"CLOUDFLARE_ZONE_ID": "zone-123", "CLOUDFLARE_API_TOKEN": "token-456"},
                {"cdn": f"{frontend}.cloudflare.CloudflareBackend"},
            ),
            "cloudfront": (
                {**OFFLINE_AWS, "CLOUDFRONT_DISTRIBUTION_ID": "E2EXAMPLE"},
                {"cdn": f"{frontend}.cloudfront.CloudfrontBackend"},
            ),
            "http": (
                {"FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:6081"},
                {"http-0": f"{frontend}.http.HTTPBackend"},
            ),
            # Several Varnish instances: each is sent every purge and ban.
            "varnish": (
                {"FRONTEND_CACHE_PURGE_URL": "http://10.0.0.5:6081, http://10.0.0.6:6081"},
                {"varnish-0": "partnership.cache.VarnishBackend", "varnish-1": "partnership.cache.VarnishBackend"},
            ),
        }
        for name, (env, backends) in cases.items():
            with self.subTest(name):
                env = {"FRONTEND_CACHE_BACKEND": name, "FRONTEND_CACHE_HOSTNAMES": "partnership.example.org", **env}
                facts = production_facts(env, FRONTEND_CACHE_FACTS)
                self.assertEqual(facts["backends"], backends)
                self.assertEqual(set(map(tuple, facts["hostnames"].values())), {("partnership.example.org",)})

    def test_nothing_is_purged_when_no_cache_is_named(self):
        facts = production_facts({}, FRONTEND_CACHE_FACTS)
        self.assertEqual(facts["backends"], {})

    def test_refuses_to_start_half_configured(self):
        cases = {
            "cloudflare": ({"CLOUDFLARE_API_TOKEN": "token-456"}, "Set the CLOUDFLARE_ZONE_ID environment variable"),
            "cloudfront": ({}, "Set the CLOUDFRONT_DISTRIBUTION_ID environment variable"),
            "http": ({}, "Set the FRONTEND_CACHE_PURGE_URL environment variable"),
            "varnish": ({"FRONTEND_CACHE_PURGE_URL": " , "}, "Set the FRONTEND_CACHE_PURGE_URL environment variable"),
            "fastly": ({}, "use varnish, http, cloudflare or cloudfront"),
        }
        for name, (env, message) in cases.items():
            with self.subTest(name):
                env = {"FRONTEND_CACHE_BACKEND": name, **env}
                result = under_production_settings(env, "-c", "import django; django.setup()")
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(message, result.stderr)


class ProductionWithEverythingSetTests(SimpleTestCase):
    def test_the_deployment_check_finds_nothing(self):
        env = {
            **OFFLINE_AWS,
            "AWS_STORAGE_BUCKET_NAME": "iomeu-media",
            "AWS_S3_CUSTOM_DOMAIN": "partnership.example.org",
            "AWS_LOCATION": "media",
            "FRONTEND_CACHE_BACKEND": "cloudflare",
            "CLOUDFLARE_ZONE_ID": "zone-123",
            "CLOUDFLARE_API_TOKEN": "token-456",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "CSRF_TRUSTED_ORIGINS": "https://partnership.example.org",
        }
        result = under_production_settings(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_the_deployment_check_warns_when_images_would_come_from_another_host(self):
        for domain in ("", "media.example.org"):  # the bucket's own address, or a media host of its own
            with self.subTest(domain=domain):
                env = {**OFFLINE_AWS, "AWS_STORAGE_BUCKET_NAME": "iomeu-media", "AWS_S3_CUSTOM_DOMAIN": domain}
                result = under_production_settings(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("partnership.W001", result.stderr)
                self.assertIn("does not allow: visitors would see broken images", result.stderr)

    def test_the_health_check_is_answered_over_plain_http(self):
        # The load balancer asks each app server directly, without TLS: a redirect to https would
        # read as "unhealthy". Every other address still goes to https.
        code = """
from django.test import Client
client = Client(HTTP_HOST="partnership.example.org")
for path in ("/healthz/", "/framework/"):
    response = client.get(path)
    facts[path] = [response.status_code, response.get("Location", "")]
"""
        facts = production_facts({"DATABASE_URL": "sqlite:///:memory:"}, code)
        self.assertEqual(facts["/healthz/"], [200, ""])
        self.assertEqual(facts["/framework/"], [301, "https://partnership.example.org/framework/"])

    def test_static_files_are_served_from_the_build_with_a_year_of_cache(self):
        # collectstatic at build time; every app server then serves the same hashed names.
        code = """
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
url = static("css/site.css")
response = Client(HTTP_HOST="partnership.example.org", HTTP_X_FORWARDED_PROTO="https").get(url)
facts["url"] = url
facts["served"] = [response.status_code, response.get("Cache-Control", "")]
"""
        with tempfile.TemporaryDirectory() as static_root:
            facts = production_facts({"STATIC_ROOT": static_root}, code)
        self.assertRegex(facts["url"], r"^/static/css/site\.[0-9a-f]{12}\.css$")
        self.assertEqual(facts["served"][0], 200)
        self.assertIn("immutable", facts["served"][1])
