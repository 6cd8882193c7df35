"""What search engines and link previews read: sitemap, robots.txt, titles, descriptions, canonicals."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.test import TestCase
from wagtail.models import PageViewRestriction

from partnership.models import StandardPage

from .utils import LoadedSiteMixin, live_pages, page_at, soup

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class SitemapTests(LoadedSiteMixin, TestCase):
    def sitemap_urls(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        tree = ElementTree.fromstring(response.content)
        return {loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)}

    def test_lists_every_live_page(self):
        self.assertEqual(self.sitemap_urls(), {page.full_url for page in live_pages()})

    def test_leaves_out_drafts_and_private_pages(self):
        parent = page_at("/our-work/")
        draft = StandardPage(title="Draft", slug="draft", summary="Not ready.", live=False)
        parent.add_child(instance=draft)
        private = page_at("/our-work/take-action/")
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x" * 12
        )
        urls = self.sitemap_urls()
        self.assertNotIn(draft.full_url, urls)
        self.assertNotIn(private.full_url, urls)
        self.assertIn(page_at("/our-work/where-we-work/").full_url, urls)

    def test_robots_txt_points_to_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)
        self.assertIn("Disallow: /admin/", lines)


class PageMetaTests(LoadedSiteMixin, TestCase):
    def meta(self, html, **attrs):
        tag = html.find("meta", attrs=attrs)
        return tag["content"] if tag else None

    def test_every_page_has_title_description_canonical_and_opengraph(self):
        for page in live_pages():
            with self.subTest(page.url):
                html = soup(self.client.get(page.url))
                self.assertIn(page.title, html.title.string)
                self.assertEqual(self.meta(html, name="description"), page.search_description or page.summary)
                self.assertEqual(html.find("link", rel="canonical")["href"], page.full_url)
                self.assertEqual(self.meta(html, property="og:url"), page.full_url)
                self.assertEqual(self.meta(html, property="og:title"), page.seo_title or page.title)
                self.assertEqual(self.meta(html, property="og:description"), page.search_description or page.summary)

    def test_a_social_image_is_offered_to_link_previews_with_its_description(self):
        page = page_at("/framework/")
        self.assertIsNotNone(page.social_image)  # fixtures/content/en/framework.yaml names one
        html = soup(self.client.get("/framework/"))
        url = self.meta(html, property="og:image")
        self.assertTrue(url.startswith(f"{self.site.root_url}/media/images/"), url)  # absolute, at the site
        self.assertIn(".fill-1200x630.format-jpeg.", url)
        self.assertEqual(
            (self.meta(html, property="og:image:width"), self.meta(html, property="og:image:height")), ("1200", "630")
        )
        self.assertEqual(self.meta(html, property="og:image:alt"), page.social_image.description)
        self.assertEqual(self.meta(html, name="twitter:image:alt"), page.social_image.description)
        self.assertEqual(self.meta(html, name="twitter:card"), "summary_large_image")
        response = self.client.get(urlsplit(url).path)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "image/jpeg"))

    def test_a_page_without_a_social_image_offers_none(self):
        html = soup(self.client.get("/thematic-areas/protection/"))
        for attrs in ({"property": "og:image"}, {"property": "og:image:alt"}, {"name": "twitter:card"}):
            self.assertIsNone(html.find("meta", attrs=attrs), attrs)

    def test_seo_title_and_search_description_override(self):
        page = page_at("/framework/")
        page.seo_title = "The EU–IOM framework"
        page.search_description = "A custom description for search engines."
        page.save_revision().publish()
        html = soup(self.client.get("/framework/"))
        self.assertIn("The EU–IOM framework", html.title.string)
        self.assertEqual(self.meta(html, name="description"), "A custom description for search engines.")

    def test_content_pages_are_indexable(self):
        html = soup(self.client.get("/framework/"))
        robots = self.meta(html, name="robots")
        self.assertTrue(robots is None or "noindex" not in robots)
