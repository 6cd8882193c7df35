"""/healthz/ tells a load balancer whether this server can serve."""

from django.conf import settings
from django.test import TestCase, override_settings

from .utils import load_site

UNREACHABLE_REDIS = {
    alias: {
        # Port 1 on this machine: nothing listens, so every call fails at once.
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    for alias in ("default", "pages")
}


class HealthTests(TestCase):
    def test_ok_when_database_and_cache_answer(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_unavailable_when_the_cache_does_not_answer(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.content, b"unavailable: cache\n")

    def test_pages_are_served_without_the_page_cache_when_it_is_down(self):
        load_site()
        with self.settings(CACHES={**settings.CACHES, "pages": UNREACHABLE_REDIS["pages"]}):
            response = self.client.get("/framework/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("X-Page-Cache", response)
