"""What each process remembers between requests until published content changes
(partnership.cache.remember): the site, the route to a page, the menu, breadcrumb trails, the
footer and listings. Pages not served from the page cache (search results, errors, a logged-in
editor's view, a page not cached yet) use them; they must never show anything out of date."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.cache import GENERATION_KEY, generation, invalidate_all, page_cache
from partnership.models import DirectorateGeneralPage, FooterSettings, StandardPage

from .utils import LoadedSiteMixin, edit_form_data, page_at, soup

AREA = "/thematic-areas/return-and-reintegration/"


class RememberedTests(LoadedSiteMixin, TestCase):
    def render(self, path):
        """The page rendered afresh (the page cache is switched off), and its query count."""
        with self.settings(PAGE_CACHE_ENABLED=False), CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return response, len(queries)

    def test_a_second_render_asks_the_database_less(self):
        for path in ("/", "/framework/", "/directorates-general/home/", AREA, "/who-we-are/about/"):
            with self.subTest(path):
                invalidate_all()  # as after any change: nothing remembered
                first, first_count = self.render(path)
                second, second_count = self.render(path)
                self.assertEqual(second.content, first.content)
                self.assertLessEqual(second_count, first_count - 4)

    def test_a_repeated_search_asks_the_database_only_for_its_results(self):
        invalidate_all()
        self.client.get("/search/?q=migration")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/search/?q=migration")
        self.assertTrue(response.context["results"])
        asked = " ".join(query["sql"] for query in queries.captured_queries)
        for table in ("wagtailcore_site", "partnership_footersettings"):
            self.assertNotIn(f'"{table}"', asked)

    def test_nothing_is_remembered_longer_than_a_cached_page_would_be(self):
        self.render("/framework/")
        with self.settings(PAGE_CACHE_SECONDS=0):
            _, first = self.render("/framework/")
            _, second = self.render("/framework/")
        self.assertEqual(second, first)

    def test_a_published_change_shows_at_once_in_menus_trails_listings_and_footer(self):
        for path in ("/", "/search/?q=health", AREA, "/who-we-are/about/", "/directorates-general/"):
            self.render(path)
        section = page_at("/who-we-are/")
        section.title = "About the partnership"
        section.save_revision().publish()
        new_page = StandardPage(title="A new page", slug="new-page", summary="New.", show_in_menus=True)
        self.home.add_child(instance=new_page)
        new_page.save_revision().publish()
        footer = FooterSettings.for_site(self.site)
        footer.organisation = "A renamed office"
        footer.save()
        dg = DirectorateGeneralPage.objects.get(acronym="HOME")
        dg.full_name = "A renamed Directorate-General"
        dg.save_revision().publish()

        for path in ("/", "/search/?q=health"):
            html = soup(self.render(path)[0])
            menu = html.find("nav", attrs={"aria-label": "Main"})
            self.assertIn("About the partnership", menu.get_text())
            self.assertIn("/new-page/", [a["href"] for a in menu.find_all("a")])
            self.assertIn("A renamed office", html.footer.get_text())
        trail = soup(self.render("/who-we-are/about/")[0]).find("nav", attrs={"aria-label": "Breadcrumb"})
        self.assertIn("About the partnership", trail.get_text())
        self.assertContains(self.render("/directorates-general/")[0], "A renamed Directorate-General")
        self.assertContains(self.render(AREA)[0], "A renamed Directorate-General")
        self.assertEqual(self.render("/new-page/")[0].status_code, 200)

    def test_an_unpublished_page_is_no_longer_routed(self):
        self.render("/who-we-are/about/")
        page_at("/who-we-are/about/").unpublish()
        with self.settings(PAGE_CACHE_ENABLED=False):
            self.assertEqual(self.client.get("/who-we-are/about/").status_code, 404)

    def test_a_preview_shows_the_drafts_own_choices_not_the_remembered_ones(self):
        area = page_at(AREA)
        published = [dg.acronym for dg in area.get_directorates_general()]
        self.assertIn("HOME", published)
        self.render(AREA)  # the published list is now remembered
        editor = get_user_model().objects.create_superuser("previewer", "p@example.org", "a-long-test-password-1")
        self.client.force_login(editor)
        data = edit_form_data(self.client, area)
        only = DirectorateGeneralPage.objects.get(acronym="ECHO")
        data.setlist("directorates_general", [str(only.pk)])
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[area.pk])
        self.assertEqual(self.client.post(preview_url, data).json()["is_valid"], True)
        preview = soup(self.client.get(preview_url))
        listed = preview.find(id="dgs-heading").find_parent("section").get_text()
        self.assertIn(only.full_name, listed)
        self.assertNotIn(DirectorateGeneralPage.objects.get(acronym="HOME").full_name, listed)
        self.client.logout()
        self.assertContains(self.render(AREA)[0], DirectorateGeneralPage.objects.get(acronym="HOME").full_name)

    def test_a_lost_generation_starts_again_above_every_earlier_one(self):
        cache = page_cache()
        before = generation(cache)
        cache.delete(GENERATION_KEY)  # as when Redis restarts and keeps nothing
        self.assertGreater(generation(cache), before)
