"""The HTTP cache in front of the site, as the application sees it: pages tell it how long to keep
them, and every change that visitors would see sends it a real PURGE or BAN, over a real socket,
once the change is committed (partnership/cache.py). tests/http_cache/test_varnish.py runs a real Varnish."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, ReferenceIndex

from partnership.models import DirectorateGeneralPage, FooterSettings, PartnershipImage, StandardPage

from ..utils import LoadedSiteMixin, live_pages, page_at

PURGE, BAN = "PURGE", "BAN"


class RecordingCache(BaseHTTPRequestHandler):
    """A stand-in for one Varnish instance: records each PURGE and BAN it is sent, answers 200."""

    def do_PURGE(self):  # the HTTP verb's name
        self.record()

    def do_BAN(self):
        self.record()

    def record(self):
        self.server.received.append((self.command, self.path, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class CacheHeaderTests(LoadedSiteMixin, TestCase):
    def test_visitors_pages_tell_the_http_cache_to_keep_them(self):
        response = self.client.get("/framework/")
        for directive in ("public", "max-age=0", "s-maxage=600", "stale-while-revalidate=60"):
            self.assertIn(directive, response["Cache-Control"])

    def test_a_browser_that_has_the_page_gets_304_until_it_changes(self):
        etag = self.client.get("/framework/")["ETag"]
        again = self.client.get("/framework/", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual((again.status_code, again.content), (304, b""))
        # Compressed, the page keeps its (weak) ETag: it is the page's, not of its padded gzip.
        gzipped = [self.client.get("/framework/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(2)]
        self.assertEqual(gzipped[0]["Content-Encoding"], "gzip")
        self.assertEqual(gzipped[0]["ETag"], gzipped[1]["ETag"])
        self.assertEqual(
            self.client.get(
                "/framework/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=gzipped[0]["ETag"]
            ).status_code,
            304,
        )
        page = page_at("/framework/")
        page.summary = "A summary published after the first visit."
        page.save_revision().publish()
        changed = self.client.get("/framework/", HTTP_IF_NONE_MATCH=etag)
        self.assertContains(changed, "A summary published after the first visit.")
        self.assertNotEqual(changed["ETag"], etag)

    def test_what_is_not_a_public_page_is_never_marked_for_the_http_cache(self):
        self.client.cookies["csrftoken"] = "x"  # a cookie that does not matter changes nothing
        self.assertIn("public", self.client.get("/framework/")["Cache-Control"])
        for response in (
            self.client.get("/search/?q=ECHO"),
            self.client.get("/no-such-page/"),
            self.client.post("/framework/"),
        ):
            with self.subTest(response.request["PATH_INFO"]):
                self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_private_pages_are_never_marked_public(self):
        page = page_at("/our-work/take-action/")
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="p" * 12)
        form = self.client.get(page.url)
        self.assertNotContains(form, page.summary)
        self.assertNotIn("public", form.get("Cache-Control", ""))
        restriction = PageViewRestriction.objects.get(page=page)
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        self.client.post(url, {"password": "p" * 12, "return_url": page.url})
        passed = self.client.get(page.url)  # the visitor's session now holds the password
        self.assertContains(passed, page.summary)
        self.assertNotIn("public", passed.get("Cache-Control", ""))

    def test_admin_and_previews_are_private_and_never_stored(self):
        staff = get_user_model().objects.create_superuser("staff", "staff@example.org", "a-long-test-password-1")
        self.client.force_login(staff)
        page = page_at("/framework/")
        for url in (
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        ):
            with self.subTest(url):
                cache_control = self.client.get(url)["Cache-Control"]
                self.assertIn("private", cache_control)
                self.assertIn("no-store", cache_control)
                self.assertNotIn("public", cache_control)


class PurgeTests(LoadedSiteMixin, TestCase):
    """Two Varnish instances (PURGE and BAN) and a CDN (PURGE only), each a real HTTP server here."""

    def setUp(self):
        self.caches = {}
        config = {}
        for name, backend in (
            ("varnish-0", "partnership.cache.VarnishBackend"),
            ("varnish-1", "partnership.cache.VarnishBackend"),
            ("cdn", "wagtail.contrib.frontend_cache.backends.HTTPBackend"),
        ):
            server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingCache)
            server.received = []
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.addCleanup(thread.join, 5)
            self.addCleanup(server.server_close)
            self.addCleanup(server.shutdown)
            self.caches[name] = server
            config[name] = {"BACKEND": backend, "LOCATION": "http://{}:{}".format(*server.server_address)}
        self.enterContext(override_settings(WAGTAILFRONTENDCACHE=config))
        self.host = self.site.hostname  # the purge names pages by the site's own address

    def received(self, name="varnish-0"):
        return self.caches[name].received

    def purged(self, name="varnish-0"):
        return {path for method, path, host in self.received(name) if method == PURGE and host == self.host}

    def committed(self, change):
        """Run `change` and then its transaction's commit callbacks, as a real commit would."""
        with self.captureOnCommitCallbacks(execute=True):
            change()

    def publish(self, page):
        self.committed(lambda: page.save_revision().publish())

    def assert_everything_forgotten(self):
        for name in ("varnish-0", "varnish-1"):
            self.assertIn((BAN, "/", self.host), self.received(name), name)
        # The CDN takes no BAN: it is sent every live page's URL, and the sitemap's.
        self.assertNotIn(BAN, {method for method, _, _ in self.received("cdn")})
        self.assertLessEqual({page.url for page in live_pages()} | {"/sitemap.xml"}, self.purged("cdn"))

    def test_publishing_an_area_purges_it_and_the_pages_that_show_it(self):
        area = page_at("/thematic-areas/return-and-reintegration/")
        area.title = "Return and reintegration of migrants"
        self.publish(area)
        dgs = {dg.url for dg in DirectorateGeneralPage.objects.live()}
        expected = {area.url, "/thematic-areas/", "/", "/sitemap.xml"} | dgs
        for name in self.caches:
            with self.subTest(name):
                self.assertEqual(self.purged(name), expected)
                self.assertNotIn(BAN, {method for method, _, _ in self.received(name)})

    def test_publishing_a_dg_makes_every_cache_forget_everything(self):
        """Its official website is linked in every page's footer."""
        dg = page_at("/directorates-general/home/")
        dg.website = "https://home-affairs.ec.europa.eu/"
        self.publish(dg)
        self.assert_everything_forgotten()

    def test_publishing_a_page_purges_its_siblings_that_list_it(self):
        page = page_at("/who-we-are/about/")
        page.title = "About the office"
        self.publish(page)
        self.assertLessEqual({"/who-we-are/about/", "/who-we-are/iom-global/", "/who-we-are/"}, self.purged())

    def test_purges_wait_for_the_commit(self):
        """A visitor's request before the commit reads the old page, and the cache would keep it:
        what shows the page is purged once the change is committed."""
        area = page_at("/thematic-areas/protection/")
        area.title = "Protection, renamed"
        with self.captureOnCommitCallbacks() as callbacks:
            area.save_revision().publish()
        self.assertEqual(self.purged(), {area.url})  # Wagtail's own purge, as it publishes
        for callback in callbacks:
            callback()
        self.assertIn("/thematic-areas/", self.purged())
        self.assertEqual({(method, host) for method, _, host in self.received()}, {(PURGE, self.host)})

    def test_unpublishing_and_deleting_purge_the_page_and_its_listing(self):
        self.committed(page_at("/thematic-areas/protection/").unpublish)
        self.assertLessEqual({"/thematic-areas/protection/", "/thematic-areas/", "/"}, self.purged())
        self.received().clear()
        self.committed(page_at("/our-work/take-action/").delete)
        self.assertLessEqual({"/our-work/take-action/", "/our-work/", "/sitemap.xml"}, self.purged())
        self.assertNotIn("/framework/", self.purged())

    def test_a_new_page_purges_its_parents_listing(self):
        parent = page_at("/our-work/")
        new = StandardPage(title="Newsroom", slug="newsroom", summary="News from the partnership.")
        parent.add_child(instance=new)
        self.received().clear()
        self.publish(new)
        self.assertLessEqual({"/our-work/newsroom/", "/our-work/", "/"}, self.purged())

    def test_the_footer_makes_every_cache_forget_everything(self):
        footer = FooterSettings.objects.get()
        footer.email = "press@example.org"
        self.committed(footer.save)
        self.assert_everything_forgotten()

    def test_a_page_in_the_main_menu_makes_every_cache_forget_everything(self):
        page = page_at("/our-work/")
        page.show_in_menus = False
        self.publish(page)
        self.assert_everything_forgotten()

    def test_moving_a_page_makes_every_cache_forget_everything(self):
        self.committed(lambda: page_at("/who-we-are/about/").move(page_at("/our-work/"), pos="last-child"))
        self.assert_everything_forgotten()

    def test_an_image_a_page_shows_makes_every_cache_forget_everything_a_new_upload_nothing(self):
        image = next(
            image for image in PartnershipImage.objects.all() if ReferenceIndex.get_references_to(image).exists()
        )
        unused = PartnershipImage.objects.create(
            title="Unused", description="Not on any page.", file=image.file.name, width=image.width, height=image.height
        )
        self.committed(unused.save)
        self.assertEqual(self.received(), [])
        image.description = "A new description of the picture, as its alt text."
        self.committed(image.save)
        self.assert_everything_forgotten()

    def test_a_document_a_page_links_to_makes_every_cache_forget_everything(self):
        document = get_document_model().objects.create(
            title="Framework summary", file=ContentFile(b"%PDF-1.4 a test file", name="framework-summary.pdf")
        )
        self.assertEqual(self.received(), [])
        page = page_at("/who-we-are/about/")
        page.body.append(("document", {"document": document, "title": ""}))
        self.publish(page)
        for cache in self.caches.values():
            cache.received.clear()
        document.title = "Framework summary, revised"
        self.committed(document.save)
        self.assert_everything_forgotten()

    def test_a_draft_purges_nothing(self):
        page = page_at("/framework/")
        page.summary = "Not published yet."
        self.committed(page.save_revision)
        for name in self.caches:
            self.assertEqual(self.received(name), [], name)

    @override_settings(WAGTAILFRONTENDCACHE={})
    def test_nothing_is_sent_without_a_cache(self):
        self.publish(page_at("/framework/"))
        for name in self.caches:
            self.assertEqual(self.received(name), [], name)
