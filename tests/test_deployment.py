"""Beyond one machine: media on object storage and a CDN purged on publish, both chosen by environment
variables under the production settings; the load balancer's health check over plain HTTP.

Nothing here leaves this machine: the settings are only loaded (no storage or CDN call is made), and
the purge goes to a small HTTP server of the test's own on 127.0.0.1."""

import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings

from .utils import LoadedSiteMixin, drop_pending_cache_hooks, live_pages, page_at

BASE_DIR = settings.BASE_DIR
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "partnership.example.org",
    "DATABASE_URL": "postgres://user@db.invalid/iomeu",
}
# Every variable these settings read, so that the shell running the tests cannot change the outcome.
DEPLOYMENT_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_LOCATION",
    "AWS_QUERYSTRING_AUTH",
    "FRONTEND_CACHE_BACKEND",
    "FRONTEND_CACHE_HOSTNAMES",
    "FRONTEND_CACHE_PURGE_URL",
    "CLOUDFLARE_ZONE_ID",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFRONT_DISTRIBUTION_ID",
    "REDIS_URL",
}
# boto3 would look for credentials on the network (the EC2 metadata address) if it found none:
# give it some, and forbid that look-up anyway. Port 9 (discard) on this machine: nothing answers.
OFFLINE_AWS = {
    "AWS_ACCESS_KEY_ID": "test-key-id",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
}


def under_production_settings(env, *args):
    """Run `python ARGS` in a new process with the production settings and `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in DEPLOYMENT_VARIABLES}
    full_env = {**clean, **PRODUCTION_ENV, **env, "DJANGO_SETTINGS_MODULE": "iomeu.settings.production"}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, check=False
    )


def production_facts(env, code):
    """Set Django up under the production settings, run `code` (which fills `facts`), return `facts`."""
    script = f"import django, json\ndjango.setup()\nfacts = {{}}\n{code}\nprint(json.dumps(facts))"
    result = under_production_settings(env, "-c", script)
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


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
    def test_each_cdn_is_picked_by_name(self):
        cases = {
            "cloudflare": (
                {"CLOUDFLARE_ZONE_ID": "zone-123", "CLOUDFLARE_API_TOKEN": "token-456"},
                "wagtail.contrib.frontend_cache.backends.cloudflare.CloudflareBackend",
            ),
            "cloudfront": (
                {**OFFLINE_AWS, "CLOUDFRONT_DISTRIBUTION_ID": "E2EXAMPLE"},
                "wagtail.contrib.frontend_cache.backends.cloudfront.CloudfrontBackend",
            ),
            "http": (
                {
                    "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:6081",
                    "FRONTEND_CACHE_HOSTNAMES": "partnership.example.org",
                },
                "wagtail.contrib.frontend_cache.backends.http.HTTPBackend",
            ),
        }
        for name, (env, backend_class) in cases.items():
            with self.subTest(name):
                facts = production_facts({"FRONTEND_CACHE_BACKEND": name, **env}, FRONTEND_CACHE_FACTS)
                self.assertEqual(facts["backends"], {"default": backend_class})
                expected_hostnames = ["partnership.example.org"] if name == "http" else ["*"]
                self.assertEqual(facts["hostnames"]["default"], expected_hostnames)

    def test_nothing_is_purged_when_no_cdn_is_named(self):
        facts = production_facts({}, FRONTEND_CACHE_FACTS)
        self.assertEqual(facts["backends"], {})

    def test_refuses_to_start_half_configured(self):
        cases = {
            "cloudflare": ({"CLOUDFLARE_API_TOKEN": "token-456"}, "Set the CLOUDFLARE_ZONE_ID environment variable"),
            "cloudfront": ({}, "Set the CLOUDFRONT_DISTRIBUTION_ID environment variable"),
            "http": ({}, "Set the FRONTEND_CACHE_PURGE_URL environment variable"),
            "fastly": ({}, "use cloudflare, cloudfront or http"),
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
        with tempfile.TemporaryDirectory() as page_cache_dir:
            facts = production_facts({"DATABASE_URL": "sqlite:///:memory:", "PAGE_CACHE_DIR": page_cache_dir}, code)
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


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in for Varnish: records each PURGE it is sent and answers 200."""

    def do_PURGE(self):  # the HTTP verb's name
        self.server.received.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class PurgeOnPublishTests(LoadedSiteMixin, TestCase):
    """A publish sends a real PURGE request, over a real socket, to the purge URL configured."""

    def setUp(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
        self.server.received = []
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 5)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        host, port = self.server.server_address
        self.cdn = {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://{host}:{port}",
            }
        }
        # The purge names the page by the site's own address (Settings → Sites).
        self.site_host = self.site.hostname

    def test_publishing_purges_the_page(self):
        page = page_at("/framework/")
        page.summary = "Published a moment ago."
        with override_settings(WAGTAILFRONTENDCACHE=self.cdn):
            page.save_revision().publish()
        self.assertEqual(self.server.received, [("/framework/", self.site_host)])

    def test_unpublishing_purges_the_page(self):
        with override_settings(WAGTAILFRONTENDCACHE=self.cdn):
            page_at("/thematic-areas/protection/").unpublish()
        self.assertEqual(self.server.received, [("/thematic-areas/protection/", self.site_host)])

    def test_once_committed_every_page_is_purged(self):
        """Listings, teasers and the menu show a page elsewhere: after the commit, every published
        page is purged (Wagtail's own purge of the page itself comes before the commit)."""
        page = page_at("/thematic-areas/protection/")
        page.title = "Protection, renamed"
        drop_pending_cache_hooks()
        with override_settings(WAGTAILFRONTENDCACHE=self.cdn), self.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
        purged = [path for path, host in self.server.received if host == self.site_host]
        self.assertEqual(len(purged), len(self.server.received))
        expected = {p.url for p in live_pages()}
        self.assertEqual(set(purged), expected)
        self.assertEqual(purged.count("/"), 1)
        self.assertEqual(purged.count("/thematic-areas/protection/"), 2)  # Wagtail's, then ours

    def test_a_draft_purges_nothing(self):
        page = page_at("/framework/")
        page.summary = "Not published yet."
        with override_settings(WAGTAILFRONTENDCACHE=self.cdn):
            page.save_revision()
        self.assertEqual(self.server.received, [])

    def test_nothing_is_sent_without_a_cdn(self):
        page = page_at("/framework/")
        page.summary = "Published a moment ago."
        page.save_revision().publish()  # the test settings name no CDN
        self.assertEqual(self.server.received, [])
