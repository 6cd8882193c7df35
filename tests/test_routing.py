"""Routing (BasePage.route) finds the pages on the way in one query and must answer exactly as
Wagtail's Page.route does: the same page for every path, 404 where Wagtail gives one, and a page type
with routing of its own handed the rest of the path. And without_private_pages() leaves out exactly
the pages Wagtail's PageQuerySet.public() leaves out."""

from unittest import mock

from django.db import connection
from django.http import Http404
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from partnership.models import BasePage, DirectorateGeneralIndexPage, StandardPage, without_private_pages

from .factories import StandardPageFactory
from .utils import LoadedSiteMixin, page_at


class RoutingTests(LoadedSiteMixin, TestCase):
    def route(self, path):
        request = RequestFactory().get(path)
        components = [part for part in path.split("/") if part]
        return self.home.route(request, components)

    def test_every_page_of_the_tree_is_found_as_its_own_type(self):
        pages = Page.objects.descendant_of(self.home).live().specific()
        self.assertGreaterEqual(len(pages), 30)
        for page in pages:
            with self.subTest(page.url):
                found = self.route(page.url).page
                self.assertEqual(found.pk, page.pk)
                self.assertIs(type(found), type(page))
                self.assertEqual(found.title, page.title)

    def test_a_deep_page_costs_two_queries_whatever_its_depth(self):
        with CaptureQueriesContext(connection) as queries:
            self.route("/directorates-general/home/")
        self.assertEqual(len(queries), 2)  # the pages on the way, then the one served as its type

    def test_the_page_served_comes_with_its_social_image(self):
        framework = self.route("/framework/").page
        with self.assertNumQueries(0):
            self.assertEqual(framework.social_image.file.name.rsplit("/", 1)[-1][:17], "framework-members")

    def test_unknown_paths_are_404_at_every_level(self):
        for path in ("/nope/", "/directorates-general/nope/", "/directorates-general/home/nope/", "/x/y/z/"):
            with self.subTest(path), self.assertRaises(Http404):
                self.route(path)
        self.assertEqual(self.client.get("/directorates-general/nope/").status_code, 404)

    def test_a_draft_is_404_but_a_live_page_under_a_draft_is_served_as_wagtail_does(self):
        section = page_at("/who-we-are/")
        child = section.get_children().live().first()
        section.unpublish()
        with self.assertRaises(Http404):
            self.route("/who-we-are/")
        self.assertEqual(self.route(child.url_path[len(self.home.url_path) - 1 :]).page.pk, child.pk)

    def test_a_page_with_routing_of_its_own_is_handed_the_rest_of_the_path(self):
        """As a RoutablePageMixin page would be: the pages below it are its business."""
        seen = []

        def own_route(page, request, path_components):
            seen.append((page.pk, list(path_components)))
            return BasePage.route(page, request, path_components)

        index = page_at("/directorates-general/")
        with mock.patch.object(DirectorateGeneralIndexPage, "route", own_route):
            found = self.route("/directorates-general/home/").page
            with self.assertRaises(Http404):
                self.route("/directorates-general/2024/archive/")
        self.assertEqual(found.pk, page_at("/directorates-general/home/").pk)
        self.assertEqual(seen, [(index.pk, ["home"]), (index.pk, ["2024", "archive"])])

    def test_a_renamed_section_routes_by_its_new_slug(self):
        section = page_at("/who-we-are/")
        section.slug = "about-us"
        section.save_revision().publish()
        child = StandardPage.objects.child_of(section).live().first()
        self.assertEqual(self.client.get(f"/about-us/{child.slug}/").status_code, 200)
        self.assertEqual(self.client.get(f"/who-we-are/{child.slug}/").status_code, 404)


class PrivatePagesTests(LoadedSiteMixin, TestCase):
    def assert_same_as_wagtail(self):
        for queryset in (Page.objects.all(), StandardPage.objects.live(), Page.objects.child_of(self.home)):
            ours = set(without_private_pages(queryset).values_list("pk", flat=True))
            wagtails = set(queryset.public().values_list("pk", flat=True))
            self.assertEqual(ours, wagtails)

    def test_the_same_pages_as_wagtails_public_with_restrictions_at_several_depths(self):
        self.assert_same_as_wagtail()
        section = page_at("/who-we-are/")
        leaf = page_at("/directorates-general/home/")
        # A sibling whose slug begins like the restricted section's stays.
        lookalike = StandardPageFactory(parent=self.home, title="Who we were")
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
        PageViewRestriction.objects.create(page=leaf, restriction_type=PageViewRestriction.PASSWORD, password="x")
        self.assert_same_as_wagtail()
        left = set(without_private_pages(Page.objects.all()).values_list("pk", flat=True))
        self.assertNotIn(section.pk, left)
        self.assertTrue(set(section.get_descendants().values_list("pk", flat=True)).isdisjoint(left))
        self.assertNotIn(leaf.pk, left)
        self.assertIn(lookalike.pk, left)
        self.assertIn(page_at("/directorates-general/").pk, left)
        PageViewRestriction.objects.create(page=self.home, restriction_type=PageViewRestriction.LOGIN)
        self.assert_same_as_wagtail()
        self.assertFalse(without_private_pages(Page.objects.descendant_of(self.home, inclusive=True)).exists())
