"""/healthz/ tells a load balancer whether this server can serve."""

from django.test import TestCase, override_settings

from .utils import load_site

# Port 1 on this machine: nothing listens, so every call fails at once. As production has it
# (iomeu/settings/base.py), django-redis rides out the outage.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
    }
}


class HealthTests(TestCase):
    def test_ok_when_the_database_answers(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_a_cache_outage_is_reported_but_the_server_still_serves(self):
        """The cache only saves work: a server whose Redis is down still serves every page, so the
        HTTP cache in front must keep sending it visitors rather than fall back to stale pages."""
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok (cache unavailable: pages are rendered without it)\n")

    def test_pages_are_served_while_the_cache_is_down(self):
        load_site()
        with self.settings(CACHES=UNREACHABLE_REDIS):
            for path in ("/", "/framework/", "/search/?q=health"):
                with self.subTest(path):
                    self.assertEqual(self.client.get(path).status_code, 200)
