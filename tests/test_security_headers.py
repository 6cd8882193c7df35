"""Security headers on public pages, and pages that a strict Content-Security-Policy allows."""

from django.test import TestCase

from .utils import LoadedSiteMixin, live_pages, soup


class SecurityHeaderTests(LoadedSiteMixin, TestCase):
    def test_public_pages_send_the_headers(self):
        for path in ("/", "/framework/", "/search/?q=ECHO", "/no-such-page/"):
            with self.subTest(path):
                response = self.client.get(path)
                csp = response["Content-Security-Policy"]
                self.assertIn("default-src 'self'", csp)
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertIn("frame-ancestors 'self'", csp)
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")

    def test_cached_pages_send_them_too(self):
        self.client.get("/framework/")
        cached = self.client.get("/framework/")
        self.assertEqual(cached["X-Page-Cache"], "hit")
        self.assertIn("default-src 'self'", cached["Content-Security-Policy"])

    def test_pages_need_no_inline_script_or_style(self):
        # What the policy forbids must not be there: the page would break for visitors.
        for page in live_pages():
            with self.subTest(page.url):
                html = soup(self.client.get(page.url))
                for script in html.find_all("script"):
                    self.assertTrue(script.get("src") or script.get("type") == "application/json", str(script)[:200])
                self.assertEqual(html.find_all("style"), [])
                self.assertEqual(html.select("[style]"), [])
                for element in html.find_all(True):
                    self.assertFalse([a for a in element.attrs if a.startswith("on")], str(element)[:200])
