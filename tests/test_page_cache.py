"""The full-page cache: anonymous visitors are served from it, and any change empties it at once."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from partnership.models import FooterSettings, StandardPage

from .utils import LoadedSiteMixin, drop_pending_cache_hooks, page_at, soup


class PageCacheTests(LoadedSiteMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staff = get_user_model().objects.create_superuser("staff", "staff@example.org", "a-long-test-password-1")

    def setUp(self):
        from partnership.cache import invalidate_all

        invalidate_all()  # each test starts cold

    def get(self, path):
        self.client.logout()
        return self.client.get(path)

    def assert_hit(self, response, hit=True):
        self.assertEqual(response.get("X-Page-Cache"), "hit" if hit else "miss")

    def test_the_second_anonymous_visit_is_served_from_the_cache(self):
        first = self.get("/framework/")
        self.assert_hit(first, hit=False)
        second = self.get("/framework/")
        self.assert_hit(second)
        self.assertEqual(second.content, first.content)
        cache_control = second["Cache-Control"]
        for directive in ("public", "max-age=0", "s-maxage=600", "stale-while-revalidate=60"):
            self.assertIn(directive, cache_control)

    def test_a_browser_that_has_the_page_gets_304_until_it_changes(self):
        first = self.get("/framework/")
        etag = first["ETag"]
        self.assert_hit(self.get("/framework/"))
        for _ in range(2):
            again = self.client.get("/framework/", HTTP_IF_NONE_MATCH=etag)
            self.assertEqual(again.status_code, 304)
            self.assertEqual(again.content, b"")
            self.assertIn("s-maxage=600", again["Cache-Control"])
        page = page_at("/framework/")
        page.summary = "A summary published after the first visit."
        page.save_revision().publish()
        changed = self.client.get("/framework/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(changed.status_code, 200)
        self.assertContains(changed, "A summary published after the first visit.")
        self.assertNotEqual(changed["ETag"], etag)

    def test_page_cache_off_renders_every_visit_and_still_tells_a_cdn(self):
        with self.settings(PAGE_CACHE_ENABLED=False):
            for _ in range(2):
                response = self.get("/framework/")
                self.assertEqual(response["X-Page-Cache"], "off")
                self.assertIn("s-maxage=600", response["Cache-Control"])
        self.assert_hit(self.get("/framework/"), hit=False)
        self.assert_hit(self.get("/framework/"))

    def test_the_cache_is_emptied_again_once_a_publish_is_committed(self):
        """A visitor's request while the admin's transaction is still open reads the old page and
        could store it under the new generation: the commit must empty the cache once more."""
        from partnership.cache import GENERATION_KEY, page_cache

        page = page_at("/framework/")
        page.title = "Committed title"
        drop_pending_cache_hooks()
        with self.captureOnCommitCallbacks() as callbacks:
            page.save_revision().publish()
            self.get("/framework/")  # rendered and stored before the commit
            self.assert_hit(self.get("/framework/"))
        self.assertEqual(len(callbacks), 1)  # once per transaction, however many signals fired
        before = page_cache().get(GENERATION_KEY)
        callbacks[0]()
        self.assertGreater(page_cache().get(GENERATION_KEY), before)
        self.assert_hit(self.get("/framework/"), hit=False)

    def test_publishing_a_page_shows_at_once(self):
        self.get("/framework/")
        page = page_at("/framework/")
        page.summary = "A summary published a moment ago."
        page.save_revision().publish()
        response = self.get("/framework/")
        self.assert_hit(response, hit=False)
        self.assertContains(response, "A summary published a moment ago.")

    def test_publishing_updates_the_listings_that_show_the_page(self):
        for path in ("/", "/thematic-areas/", "/directorates-general/home/"):
            self.get(path)
        area = page_at("/thematic-areas/return-and-reintegration/")
        area.title = "Return and reintegration of migrants"
        area.save_revision().publish()
        for path in ("/", "/thematic-areas/", "/directorates-general/home/"):
            with self.subTest(path):
                self.assertContains(self.get(path), "Return and reintegration of migrants")

    def test_unpublishing_removes_the_page_and_its_teasers(self):
        self.get("/thematic-areas/protection/")
        self.get("/thematic-areas/")
        page_at("/thematic-areas/protection/").unpublish()
        self.assertEqual(self.get("/thematic-areas/protection/").status_code, 404)
        self.assertNotIn(
            "/thematic-areas/protection/",
            [a["href"] for a in soup(self.get("/thematic-areas/")).find_all("a", href=True)],
        )

    def test_moving_a_page_updates_both_places(self):
        self.get("/who-we-are/")
        self.get("/our-work/")
        page_at("/who-we-are/about/").move(page_at("/our-work/"), pos="last-child")
        self.assertNotIn("/who-we-are/about/", self.get("/who-we-are/").content.decode())
        self.assertIn("/our-work/about/", self.get("/our-work/").content.decode())

    def test_deleting_a_page_removes_it(self):
        self.get("/our-work/")
        page_at("/our-work/take-action/").delete()
        self.assertNotIn("/our-work/take-action/", self.get("/our-work/").content.decode())

    def test_saving_the_footer_updates_every_page(self):
        self.get("/")
        self.get("/framework/")
        footer = FooterSettings.objects.get()
        footer.email = "press@example.org"
        footer.save()
        for path in ("/", "/framework/"):
            self.assertContains(self.get(path), "press@example.org")

    def test_editing_an_image_updates_the_pages_that_show_it(self):
        self.get("/")
        overview = page_at("/")
        image = next(block.value["image"] for block in overview.body if block.block_type == "image")
        image.description = "A new description of the picture, as its alt text."
        image.save()
        self.assertContains(self.get("/"), 'alt="A new description of the picture, as its alt text."')

    def test_editing_a_document_updates_the_pages_that_link_to_it(self):
        document = get_document_model().objects.create(
            title="Framework summary", file=ContentFile(b"%PDF-1.4 a test file", name="framework-summary.pdf")
        )
        page = page_at("/who-we-are/about/")
        page.body.append(("document", {"document": document, "title": ""}))
        page.save_revision().publish()
        self.get("/who-we-are/about/")
        self.assert_hit(self.get("/who-we-are/about/"))

        document.title = "Framework summary, revised"
        document.file = ContentFile(b"%PDF-1.4 a longer test file, revised", name="framework-summary-revised.pdf")
        document.save()
        html = soup(self.get("/who-we-are/about/"))
        link = html.select_one(".document-link a")
        self.assertIn("Framework summary, revised", link.get_text())
        self.assertEqual(link["href"], document.url)

    def test_navigation_changes_reach_every_page(self):
        self.get("/framework/")
        page = page_at("/our-work/")
        page.show_in_menus = False
        page.save_revision().publish()
        nav = soup(self.get("/framework/")).find("nav", attrs={"aria-label": "Main"})
        self.assertNotIn("/our-work/", [a["href"] for a in nav.find_all("a")])

    def test_logged_in_staff_never_read_or_fill_the_cache(self):
        self.client.force_login(self.staff)
        staff_view = self.client.get("/framework/")
        self.assertNotIn("X-Page-Cache", staff_view)
        self.assertContains(staff_view, "w-userbar")
        self.assert_hit(self.get("/framework/"), hit=False)  # staff did not fill it
        self.client.force_login(self.staff)
        again = self.client.get("/framework/")
        self.assertNotIn("X-Page-Cache", again)  # nor read what visitors filled
        self.assertContains(again, "w-userbar")

    def test_admin_and_previews_are_private_and_never_stored(self):
        self.client.force_login(self.staff)
        page = page_at("/framework/")
        for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[page.pk])):
            with self.subTest(url):
                cache_control = self.client.get(url)["Cache-Control"]
                self.assertIn("private", cache_control)
                self.assertIn("no-store", cache_control)

    def test_private_pages_are_never_cached(self):
        page = page_at("/our-work/take-action/")
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="p" * 12)
        for _ in range(2):
            response = self.get(page.url)
            self.assertNotIn("X-Page-Cache", response)
            self.assertNotContains(response, page.summary)

    def test_posts_search_and_query_strings_bypass_the_cache(self):
        self.assertNotIn("X-Page-Cache", self.get("/search/?q=ECHO"))
        self.get("/framework/")
        self.assertNotIn("X-Page-Cache", self.get("/framework/?utm_source=x"))
        self.client.logout()
        self.assertNotIn("X-Page-Cache", self.client.post("/framework/"))

    def test_a_draft_does_not_empty_the_cache_nor_show(self):
        self.get("/framework/")
        page = page_at("/framework/")
        page.summary = "Only a draft."
        page.save_revision()
        response = self.get("/framework/")
        self.assert_hit(response)
        self.assertNotContains(response, "Only a draft.")

    def test_a_new_page_appears_in_its_parents_listing(self):
        self.get("/our-work/")
        parent = page_at("/our-work/")
        new = StandardPage(title="Newsroom", slug="newsroom", summary="News from the partnership.")
        parent.add_child(instance=new)
        new.save_revision().publish()
        self.assertIn("/our-work/newsroom/", self.get("/our-work/").content.decode())
