"""What a render repeats is kept in Django's cache ({% wagtailcache %}: the menu, the breadcrumbs,
the footer), keyed by the content version, so a page the HTTP cache does not hold renders with fewer
queries, and a publish still shows at once."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from partnership.cache import content_version
from partnership.models import FooterSettings

from ..utils import LoadedSiteMixin, page_at, soup


class FragmentCacheTests(LoadedSiteMixin, TestCase):
    def queries(self, path):
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(path).status_code, 200)
        return [query["sql"] for query in captured.captured_queries]

    def menu(self, path):
        nav = soup(self.client.get(path)).find("nav", attrs={"aria-label": "Main"})
        return [a.get_text(strip=True) for a in nav.find_all("a")]

    def test_a_second_render_reads_the_menu_breadcrumbs_and_footer_from_the_cache(self):
        first = self.queries("/thematic-areas/protection/")
        second = self.queries("/thematic-areas/protection/")
        self.assertLess(len(second), len(first))
        self.assertFalse([sql for sql in second if "partnership_footersettings" in sql])
        self.assertTrue([sql for sql in first if "partnership_footersettings" in sql])
        # Another page shares the footer already, and only its own menu and breadcrumbs are new.
        self.assertFalse([sql for sql in self.queries("/thematic-areas/") if "partnership_footersettings" in sql])

    def test_a_publish_shows_in_cached_fragments_at_once(self):
        self.assertIn("Our work", self.menu("/framework/"))
        page = page_at("/our-work/")
        page.title = "What we do"
        page.save_revision().publish()
        self.assertIn("What we do", self.menu("/framework/"))
        self.assertNotIn("Our work", self.menu("/framework/"))

    def test_the_footer_shows_its_change_at_once(self):
        self.client.get("/")
        footer = FooterSettings.objects.get()
        footer.organisation = "A renamed office"
        footer.save()
        self.assertContains(self.client.get("/"), "A renamed office")

    def test_the_version_moves_again_once_the_change_is_committed(self):
        """A render between the change and its commit reads the data from before it and may store
        fragments under the newer number: the commit moves the number on once more."""
        page = page_at("/framework/")
        page.title = "The framework, renamed"
        with self.captureOnCommitCallbacks() as callbacks:
            page.save_revision().publish()
            during = content_version()
        for callback in callbacks:
            callback()
        self.assertGreater(content_version(), during)

    def test_a_draft_changes_no_fragment(self):
        before = content_version()
        page = page_at("/our-work/")
        page.title = "Only a draft"
        page.save_revision()
        self.assertEqual(content_version(), before)
        self.assertNotIn("Only a draft", self.menu("/framework/"))
