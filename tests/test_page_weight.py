"""Lean pages: what a visitor downloads for each page stays small, and text travels compressed."""

import gzip
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.test import TestCase

from .utils import LoadedSiteMixin, live_pages, soup

HTML_LIMIT = 50 * 1024
CSS_LIMIT = 30 * 1024
JS_LIMIT = 10 * 1024


def static_file_size(url):
    path = urlsplit(url).path
    prefix = "/static/"
    assert path.startswith(prefix), f"{url} is not one of the site's static files"
    found = finders.find(path[len(prefix) :])
    assert found, f"{url} is not a static file of the site"
    with open(found, "rb") as handle:
        return len(handle.read())


class PageWeightTests(LoadedSiteMixin, TestCase):
    def test_every_page_is_light_html_css_and_deferred_js(self):
        pages = live_pages()
        self.assertGreaterEqual(len(pages), 30)
        for page in [*pages, None]:
            url = page.url if page else "/search/?q=migration"
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertLess(len(response.content), HTML_LIMIT)
                html = soup(response)
                stylesheets = [link["href"] for link in html.find_all("link", rel="stylesheet")]
                self.assertTrue(stylesheets)
                self.assertLess(sum(static_file_size(href) for href in stylesheets), CSS_LIMIT)
                scripts = html.find_all("script", src=True)
                self.assertLess(sum(static_file_size(script["src"]) for script in scripts), JS_LIMIT)
                for script in scripts:
                    self.assertTrue(script.has_attr("defer") or script.get("type") == "module", script)

    def test_pages_are_gzipped_for_clients_that_accept_it(self):
        for url in ("/", "/framework/", "/search/?q=health"):
            with self.subTest(url):
                response = self.client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
                self.assertEqual(response["Content-Encoding"], "gzip")
                self.assertIn("Accept-Encoding", response["Vary"])
                html = gzip.decompress(response.content)
                self.assertIn(b"</html>", html)
                self.assertLess(len(response.content), len(html) / 3)
        # Clients that do not accept gzip get the page plain.
        plain = self.client.get("/framework/")
        self.assertFalse(plain.has_header("Content-Encoding"))
        self.assertIn(b"</html>", plain.content)
        self.assertIn("Accept-Encoding", plain["Vary"])
