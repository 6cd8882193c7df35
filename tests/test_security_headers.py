"""Security headers on public pages, and pages that a strict Content-Security-Policy allows."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from partnership.security import PUBLIC_CONTENT_SECURITY_POLICY

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

    def test_staff_get_the_visitors_policy_and_pages_no_cache_keeps(self):
        """Anything that slipped into content would otherwise run in a session that can publish; and a
        page as staff see it (with the userbar) must not be kept by a browser or a proxy."""
        editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(editor)
        for path in ("/", "/framework/", "/search/?q=ECHO", "/no-such-page/", "/sitemap.xml"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response["Content-Security-Policy"], PUBLIC_CONTENT_SECURITY_POLICY)
                self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertContains(self.client.get("/framework/"), "wagtail-userbar")  # staff's view of the page

    def test_visitors_pages_stay_cacheable(self):
        response = self.client.get("/framework/")
        self.assertIn("public", response["Cache-Control"])
        self.assertNotIn("no-store", response["Cache-Control"])
        self.client.cookies["sessionid"] = "not-a-session"  # a stale cookie is nobody signed in
        self.assertNotIn("private", self.client.get("/framework/").get("Cache-Control", ""))
