"""What visitors get: every page of the loaded tree, its listings, and nothing unpublished."""

from itertools import pairwise
from urllib.parse import urlparse

from django.test import TestCase
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from partnership.models import DirectorateGeneralPage, StandardPage, ThematicAreaPage

from .utils import LoadedSiteMixin, edit_form_data, fixture_page_files, live_pages, page_at, soup


class EveryPageTests(LoadedSiteMixin, WagtailPageTestCase):
    def test_the_whole_tree_is_loaded_and_every_page_renders(self):
        pages = live_pages()
        self.assertEqual(len(pages), len(fixture_page_files()))
        for page in pages:
            with self.subTest(page.url):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200)
                html = soup(response)
                headings = html.find_all("h1")
                self.assertEqual(len(headings), 1, "exactly one h1")
                self.assertTrue(html.title.string.strip())
                self.assertEqual(html.html.get("lang"), "en")
                # The page's own summary from the fixtures reaches the visitor.
                self.assertIn(" ".join(page.summary.split()[:6]), " ".join(html.get_text().split()))

    def test_headings_never_skip_a_level(self):
        for page in live_pages():
            with self.subTest(page.url):
                levels = [int(h.name[1]) for h in soup(self.client.get(page.url)).find_all(["h1", "h2", "h3", "h4"])]
                self.assertEqual(levels[0], 1)
                for previous, current in pairwise(levels):
                    self.assertLessEqual(current, previous + 1, f"h{previous} followed by h{current}")

    def test_every_page_is_previewable_in_the_admin(self):
        editor = self.create_superuser("previewer")
        for page in live_pages():
            with self.subTest(page.url):
                self.client.force_login(editor)
                self.assertPageIsPreviewable(page, post_data=edit_form_data(self.client, page), user=editor)

    def test_every_image_has_alt_text_and_dimensions(self):
        for page in live_pages():
            for img in soup(self.client.get(page.url)).find_all("img"):
                with self.subTest(page=page.url, img=img.get("src")):
                    self.assertTrue(img.get("alt"), "alt text")
                    self.assertTrue(img.get("width") and img.get("height"), "width and height")

    def test_nothing_is_loaded_from_another_host(self):
        for page in live_pages():
            html = soup(self.client.get(page.url))
            for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "srcset")):
                for element in html.find_all(tag):
                    value = element.get(attribute)
                    if not value or (tag == "link" and element.get("rel") in (["canonical"], ["alternate"])):
                        continue
                    with self.subTest(page=page.url, tag=tag, value=value):
                        for url in value.split(","):
                            self.assertEqual(urlparse(url.strip().split(" ")[0]).netloc, "", url)

    def test_skip_link_leads_to_main(self):
        html = soup(self.client.get("/"))
        skip = html.find("a")
        self.assertEqual(skip["href"], "#main")
        self.assertIsNotNone(html.find("main", id="main"))


class ListingTests(LoadedSiteMixin, TestCase):
    def links(self, url):
        return {a["href"] for a in soup(self.client.get(url)).select("main a[href]")}

    def test_overview_teases_the_framework_every_dg_and_every_area(self):
        links = self.links("/")
        self.assertIn("/framework/", links)
        for dg in DirectorateGeneralPage.objects.live():
            self.assertIn(dg.url, links)
        for area in ThematicAreaPage.objects.live():
            self.assertIn(area.url, links)

    def test_overview_teasers_follow_the_live_tree(self):
        area = page_at("/thematic-areas/protection/")
        area.unpublish()
        self.assertNotIn("/thematic-areas/protection/", self.links("/"))

    def test_framework_lists_exactly_its_member_dgs(self):
        links = self.links("/framework/")
        for acronym in ("HOME", "INTPA", "ECHO", "NEAR", "EEAS"):
            self.assertIn(DirectorateGeneralPage.objects.get(acronym=acronym).url, links)
        for acronym in ("JUST", "REFORM", "EMPL", "SANTE"):
            self.assertNotIn(DirectorateGeneralPage.objects.get(acronym=acronym).url, links)

    def test_a_dg_marked_as_member_joins_the_framework_list(self):
        sante = DirectorateGeneralPage.objects.get(acronym="SANTE")
        sante.framework_member = True
        sante.save_revision().publish()
        self.assertIn(sante.url, self.links("/framework/"))

    def test_dg_index_lists_framework_members_first(self):
        text = soup(self.client.get("/directorates-general/")).main.get_text()
        self.assertLess(
            text.index("Directorate-General for Migration and Home Affairs"), text.index("Justice and Consumers")
        )
        hrefs = [a["href"] for a in soup(self.client.get("/directorates-general/")).select("main a[href]")]
        positions = {dg.acronym: hrefs.index(dg.url) for dg in DirectorateGeneralPage.objects.all()}
        self.assertLess(
            max(positions[a] for a in ("HOME", "INTPA", "ECHO", "NEAR", "EEAS")),
            min(positions[a] for a in ("JUST", "REFORM", "EMPL", "SANTE")),
        )

    def test_the_relation_shows_on_both_sides(self):
        home_dg = DirectorateGeneralPage.objects.get(acronym="HOME")
        area = page_at("/thematic-areas/return-and-reintegration/")
        self.assertIn(area.url, self.links(home_dg.url))
        self.assertIn(home_dg.url, self.links(area.url))
        # An area that does not name DG HOME is not listed on its page.
        unrelated = page_at("/thematic-areas/migration-and-health/")
        self.assertNotIn(unrelated.url, self.links(home_dg.url))

    def test_thematic_index_groups_areas_by_funding(self):
        html = soup(self.client.get("/thematic-areas/"))
        text = " ".join(html.main.get_text().split())
        for label, _ in [(label, value) for value, label in ThematicAreaPage.GROUP_CHOICES]:
            self.assertIn(str(label), text)  # the label is a lazy translation: str() gives its text
        self.assertLess(text.index("Return and reintegration"), text.index("Disaster risk reduction"))

    def test_standard_page_lists_its_subpages(self):
        links = self.links("/who-we-are/")
        self.assertIn("/who-we-are/about/", links)
        self.assertIn("/who-we-are/iom-global/", links)

    def test_main_navigation_comes_from_the_tree(self):
        nav = soup(self.client.get("/")).find("nav", attrs={"aria-label": "Main"})
        hrefs = [a["href"] for a in nav.find_all("a")]
        for path in ("/framework/", "/directorates-general/", "/thematic-areas/", "/who-we-are/", "/our-work/"):
            self.assertIn(path, hrefs)
        page = page_at("/our-work/")
        page.show_in_menus = False
        page.save_revision().publish()
        nav = soup(self.client.get("/")).find("nav", attrs={"aria-label": "Main"})
        self.assertNotIn("/our-work/", [a["href"] for a in nav.find_all("a")])

    def test_breadcrumbs_lead_back_up_the_tree(self):
        crumbs = soup(self.client.get("/thematic-areas/protection/")).find("nav", attrs={"aria-label": "Breadcrumb"})
        hrefs = [a["href"] for a in crumbs.find_all("a")]
        self.assertEqual(hrefs[:2], ["/", "/thematic-areas/"])
        self.assertEqual(crumbs.find(attrs={"aria-current": "page"}).get_text(strip=True), "Protection")

    def test_footer_comes_from_the_site_setting(self):
        from partnership.models import FooterSettings

        footer = FooterSettings.objects.get()
        footer.email = "brussels-office@example.org"
        footer.save()
        html = soup(self.client.get("/framework/"))
        self.assertIn("brussels-office@example.org", html.footer.get_text())
        self.assertIn("Brussels", html.footer.get_text())


class UnpublishedContentTests(LoadedSiteMixin, TestCase):
    def test_a_draft_page_is_404_for_visitors(self):
        parent = page_at("/our-work/")
        draft = StandardPage(title="Not ready yet", slug="not-ready", summary="Draft.", live=False)
        parent.add_child(instance=draft)
        draft.save_revision()
        self.assertEqual(self.client.get("/our-work/not-ready/").status_code, 404)
        self.assertNotIn(
            "/our-work/not-ready/", {a["href"] for a in soup(self.client.get("/our-work/")).find_all("a", href=True)}
        )

    def test_unpublished_changes_stay_hidden(self):
        page = page_at("/framework/")
        page.summary = "A draft summary nobody approved."
        page.save_revision()
        self.assertNotContains(self.client.get("/framework/"), "A draft summary nobody approved.")

    def test_a_private_page_shows_only_its_login_form(self):
        page = page_at("/our-work/take-action/")
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-enough"
        )
        response = self.client.get(page.url)
        self.assertNotContains(response, page.summary, status_code=200)
        self.assertNotIn(page.url, {a["href"] for a in soup(self.client.get("/our-work/")).find_all("a", href=True)})

    def test_a_private_section_leaves_the_main_menu(self):
        section = page_at("/our-work/")
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
        nav = soup(self.client.get("/")).find("nav", attrs={"aria-label": "Main"})
        hrefs = [a["href"] for a in nav.find_all("a")]
        self.assertNotIn("/our-work/", hrefs)
        self.assertIn("/who-we-are/", hrefs)

    def test_a_restriction_on_a_section_covers_every_page_below_it(self):
        section = page_at("/thematic-areas/")
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
        response = self.client.get("/thematic-areas/return-and-reintegration/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])
        self.assertContains(self.client.get(response["Location"]), 'type="password"')

    def test_an_alias_of_a_private_page_is_private_too(self):
        source = page_at("/our-work/take-action/")
        PageViewRestriction.objects.create(
            page=source, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-enough"
        )
        alias = source.create_alias(parent=page_at("/who-we-are/"), update_slug="take-action-copy")
        response = self.client.get("/who-we-are/take-action-copy/")
        self.assertNotContains(response, source.summary, status_code=200)
        self.assertContains(response, 'type="password"')
        self.assertTrue(alias.alias_of_id)

    def test_view_restrictions_match_wagtails_own_for_every_page(self):
        """BasePage finds a page's restrictions in one query; the set must be Wagtail's."""
        PageViewRestriction.objects.create(page=page_at("/our-work/"), restriction_type=PageViewRestriction.LOGIN)
        source = page_at("/framework/")
        PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
        source.create_alias(parent=page_at("/who-we-are/"), update_slug="framework-copy")
        pages = Page.objects.all().specific()
        self.assertTrue(any(page.alias_of_id for page in pages))
        for page in pages:
            with self.subTest(page.url_path):
                ours = set(page.get_view_restrictions().values_list("pk", flat=True))
                wagtails = set(Page.get_view_restrictions(page).values_list("pk", flat=True))
                self.assertEqual(ours, wagtails)

    def test_the_home_page_leaves_out_a_private_or_unpublished_section(self):
        PageViewRestriction.objects.create(
            page=page_at("/directorates-general/"), restriction_type=PageViewRestriction.LOGIN
        )
        page_at("/framework/").unpublish()
        html = soup(self.client.get("/"))
        # (The body's own links block may still point at them: a visitor following it gets the
        # login form or a 404, as for any link.)
        hrefs = {a["href"] for a in html.main.find_all("a", href=True)}
        self.assertNotIn("/directorates-general/home/", hrefs)
        self.assertIsNone(html.find(id="dg-heading"))
        self.assertIsNone(html.find(id="framework-heading"))
        areas = html.find(id="areas-heading")
        self.assertEqual(areas.get_text(strip=True), page_at("/thematic-areas/").title)
        self.assertIn(page_at("/thematic-areas/").summary, areas.find_parent("section").get_text())

    def test_unknown_address_gets_the_sites_404_page(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        html = soup(response)
        self.assertEqual(len(html.find_all("h1")), 1)
        self.assertIsNotNone(html.find("form", attrs={"action": "/search/"}))
