"""Lean pages: a page that the HTTP cache in front does not hold costs a fixed, small number of
queries to render, whatever the number of pages on the site."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from partnership.cache import new_content_version
from partnership.models import DirectorateGeneralPage, ThematicAreaPage

from .factories import DirectorateGeneralFactory, ThematicAreaFactory
from .utils import LoadedSiteMixin, live_pages, page_at

# One page of each type; the one under body text also has an image and a call to action.
# Just after a publish, none of the fragments is kept yet (Wagtail's own caches are warm): Wagtail's
# site lookup, routing (BasePage.route: two queries at any depth) and view-restriction check, the
# menu, the footer, and the page's own listings, each one query (without_private_pages).
BUDGET = 15
WARM_BUDGET = 6  # the menu, breadcrumbs, footer and content fragments kept from an earlier render
ONE_OF_EACH_TYPE = [
    "/",
    "/framework/",
    "/directorates-general/",
    "/directorates-general/home/",
    "/thematic-areas/",
    "/thematic-areas/return-and-reintegration/",
    "/who-we-are/about/",
]


class QueryCountTests(LoadedSiteMixin, TestCase):
    def count(self, path, cold=False):
        self.client.get(path)  # warm Django's and Wagtail's own caches (content types, site root paths)
        if cold:
            new_content_version()  # as a publish does: every fragment is worked out afresh
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_every_page_stays_within_the_budget(self):
        paths = [page.url for page in live_pages()]
        self.assertGreaterEqual(len(paths), 30)
        for path in paths:
            with self.subTest(path):
                self.assertLessEqual(self.count(path, cold=True), BUDGET)
                self.assertLessEqual(self.count(path), WARM_BUDGET)

    def test_the_count_does_not_grow_with_the_number_of_pages(self):
        before = {path: (self.count(path, cold=True), self.count(path)) for path in ONE_OF_EACH_TYPE}
        dg_index, area_index = page_at("/directorates-general/"), page_at("/thematic-areas/")
        home_dg = DirectorateGeneralPage.objects.get(acronym="HOME")
        dg_count = DirectorateGeneralPage.objects.count()
        area_count = ThematicAreaPage.objects.count()
        for n in range(dg_count * 2):
            DirectorateGeneralFactory(parent=dg_index, framework_member=n % 2 == 0).save_revision().publish()
        for _ in range(area_count * 2):
            area = ThematicAreaFactory(parent=area_index)
            area.directorates_general = [home_dg]
            area.save_revision().publish()
        self.assertEqual(DirectorateGeneralPage.objects.live().count(), dg_count * 3)
        self.assertEqual(ThematicAreaPage.objects.live().count(), area_count * 3)
        after = {path: (self.count(path, cold=True), self.count(path)) for path in ONE_OF_EACH_TYPE}
        self.assertEqual(after, before)
