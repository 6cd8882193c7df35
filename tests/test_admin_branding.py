"""The admin carries the site's name: the login page, every page's title, the sidebar's logo."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import TestCase

from .utils import soup


class AdminBrandingTests(TestCase):
    def test_the_login_page_names_the_site(self):
        html = soup(self.client.get("/admin/login/"))
        self.assertEqual(html.find("h1").get_text(strip=True), f"Sign in to {settings.WAGTAIL_SITE_NAME}")
        self.assertTrue(html.title.get_text(strip=True).endswith(f"- {settings.WAGTAIL_SITE_NAME}"))

    def test_admin_pages_carry_the_sites_name_not_wagtails(self):
        user = get_user_model().objects.create_user("editor", password="a-long-test-password-1", is_staff=True)
        user.is_superuser = True
        user.save()
        self.client.force_login(user)
        html = soup(self.client.get("/admin/pages/"))
        self.assertTrue(html.title.get_text(strip=True).endswith(f"- {settings.WAGTAIL_SITE_NAME}"), html.title)
        logo = html.select_one("template[data-wagtail-sidebar-branding-logo]")
        self.assertIn(settings.WAGTAIL_SITE_NAME, str(logo))
