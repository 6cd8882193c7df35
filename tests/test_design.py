"""What the site's design promises visitors, in the rendered pages: the home page says each thing
once, the timeline and the framework diagram are drawn from the pages' own data, links to other
sites say so, titles keep hyphenated names whole, and the footer names the office and links the
official sites and the legal pages through the page tree."""

from django.test import SimpleTestCase, TestCase
from wagtail.models import Page

from partnership.models import DirectorateGeneralPage, FooterSettings, ThematicAreaPage
from partnership.templatetags.site_tags import keep_hyphenated

from .factories import StandardPageFactory
from .utils import LoadedSiteMixin, page_at, soup


class FrontPageTests(LoadedSiteMixin, TestCase):
    def main(self):
        return soup(self.client.get("/")).main

    def test_each_body_and_area_is_linked_once_and_members_are_marked(self):
        main = self.main()
        hrefs = [a["href"] for a in main.find_all("a", href=True)]
        for page in [*DirectorateGeneralPage.objects.live(), *ThematicAreaPage.objects.live()]:
            self.assertEqual(hrefs.count(page.url), 1, page.url)
        members = DirectorateGeneralPage.objects.live().filter(framework_member=True)
        marked = [li.a["href"] for li in main.select(".index-list > li") if li.find(class_="tag")]
        self.assertEqual(sorted(marked), sorted(dg.url for dg in members))
        for li in main.select(".index-list > li"):
            if li.find(class_="tag"):
                self.assertEqual(li.find(class_="tag").get_text(strip=True), "Framework member")

    def test_the_timeline_is_drawn_from_the_milestones_and_follows_an_edit(self):
        home = page_at("/")
        timeline = self.main().find("ol", class_="timeline")
        self.assertEqual(len(timeline.find_all("li", recursive=False)), len(home.milestones))
        self.assertIn(home.milestones[0].value["title"], timeline.get_text())

        milestones = home.milestones.raw_data
        milestones[1]["value"]["date"] = "12 December 2012"
        milestones[1]["value"]["title"] = "A milestone an editor just changed"
        home.milestones = milestones
        home.save_revision().publish()

        items = self.main().find("ol", class_="timeline").find_all("li", recursive=False)
        self.assertEqual(len(items), len(milestones))
        self.assertIn("12 December 2012", items[1].get_text())
        self.assertEqual(items[1].find("h3").get_text(strip=True), "A milestone an editor just changed")

    def test_no_timeline_without_milestones(self):
        home = page_at("/")
        home.milestones = []
        home.save_revision().publish()
        main = self.main()
        self.assertIsNone(main.find("ol", class_="timeline"))
        self.assertIsNone(main.find(id="milestones-heading"))


class FrameworkDiagramTests(LoadedSiteMixin, TestCase):
    def diagram_links(self):
        diagram = soup(self.client.get("/framework/")).main.find(class_="framework-diagram")
        return [a["href"] for a in diagram.find_all("a")]

    def test_the_diagram_joins_iom_to_each_member_dg_and_follows_the_dg_pages(self):
        members = DirectorateGeneralPage.objects.live().filter(framework_member=True).order_by("path")
        self.assertEqual(self.diagram_links(), [dg.url for dg in members])
        near = DirectorateGeneralPage.objects.get(acronym="NEAR")
        near.framework_member = False
        near.save_revision().publish()
        self.assertNotIn(near.url, self.diagram_links())
        self.assertEqual(len(self.diagram_links()), members.count() - 1)

    def test_no_raster_copy_of_the_timeline_or_the_diagram(self):
        """Text in a picture shrinks with it (4-5 px at 375 px wide) and screen readers get one alt
        text: the drawn versions replace the pictures; the fixtures keep the diagram for link previews."""
        for path in ("/", "/framework/"):
            with self.subTest(path):
                self.assertEqual(soup(self.client.get(path)).main.find_all(["img", "picture"]), [])


class ExternalLinkTests(LoadedSiteMixin, TestCase):
    def test_a_dg_page_links_its_official_website_marked_as_external(self):
        home_dg = DirectorateGeneralPage.objects.get(acronym="HOME")
        home_dg.website = "https://home-affairs.ec.europa.eu/"
        home_dg.save_revision().publish()
        main = soup(self.client.get(home_dg.url)).main
        link = main.find("a", href="https://home-affairs.ec.europa.eu/")
        self.assertIsNotNone(link)
        self.assertIn("(external site)", link.find_all(class_="visually-hidden")[-1].get_text())
        self.assertEqual(link.find("svg")["aria-hidden"], "true")
        self.assertEqual(link.find("use")["href"], "#icon-external")
        self.assertFalse(link.has_attr("target"), "opens in the same tab")
        self.assertIn("Official website of the Directorate-General for Migration", link.get_text(" ", strip=True))

    def test_no_website_no_link(self):
        justice = DirectorateGeneralPage.objects.get(acronym="JUST")
        justice.website = ""
        justice.save_revision().publish()
        self.assertIsNone(soup(self.client.get(justice.url)).main.find(class_="external-link"))


class FooterTests(LoadedSiteMixin, TestCase):
    def footer(self, path="/framework/"):
        return soup(self.client.get(path)).footer

    def test_the_office_by_its_current_name_and_its_website_and_no_street_address(self):
        footer = self.footer()
        self.assertEqual(footer.find(id="footer-office-heading").get_text(strip=True), "IOM Global Office in Brussels")
        self.assertIsNotNone(footer.find("a", href="https://globalofficebrussels.iom.int/"))
        self.assertIsNone(footer.find("address"))
        self.assertNotIn("Montoyer", footer.get_text())

    def test_official_websites_of_iom_and_of_the_eu_bodies_that_have_one(self):
        echo = DirectorateGeneralPage.objects.get(acronym="ECHO")
        echo.website = "https://civil-protection-humanitarian-aid.ec.europa.eu/"
        echo.save_revision().publish()
        official = self.footer().find(class_="site-footer__official")
        hrefs = [a["href"] for a in official.find_all("a")]
        self.assertEqual(hrefs[0], "https://www.iom.int/")
        self.assertIn("https://civil-protection-humanitarian-aid.ec.europa.eu/", hrefs)
        self.assertEqual(len(hrefs), 1 + DirectorateGeneralPage.objects.live().exclude(website="").count())
        for link in official.find_all("a"):
            self.assertIn("(external site)", link.get_text())
        # A body whose page is unpublished leaves the footer.
        echo.unpublish()
        self.assertNotIn("https://civil-protection-humanitarian-aid.ec.europa.eu/", self.footer().get_text())
        self.assertNotIn(
            "https://civil-protection-humanitarian-aid.ec.europa.eu/",
            [a["href"] for a in self.footer().find_all("a")],
        )

    def test_legal_pages_are_linked_through_the_page_tree_and_only_when_live(self):
        # The fixtures have these pages: start without them, as a site that has not written them yet.
        for page in Page.objects.filter(slug__in=["legal-notice", "privacy", "accessibility"]):
            page.delete()
        self.assertIsNone(self.footer().find(id="footer-about-heading"))
        pages = {
            slug: StandardPageFactory(parent=self.home, title=title, slug=slug, show_in_menus=False)
            for slug, title in (
                ("legal-notice", "Legal notice"),
                ("privacy", "Privacy notice"),
                ("accessibility", "Accessibility statement"),
            )
        }
        for page in pages.values():
            page.save_revision().publish()
        about = self.footer().find(id="footer-about-heading").find_parent("nav")
        links = [(a.get_text(strip=True), a["href"]) for a in about.find_all("a")]
        self.assertEqual(
            links,
            [
                ("Accessibility statement", "/accessibility/"),
                ("Privacy notice", "/privacy/"),
                ("Legal notice", "/legal-notice/"),
            ],
        )
        pages["privacy"].unpublish()
        about = self.footer().find(id="footer-about-heading").find_parent("nav")
        self.assertEqual([a["href"] for a in about.find_all("a")], ["/accessibility/", "/legal-notice/"])
        # Not in the main menu: show_in_menus is off.
        menu = soup(self.client.get("/")).find("nav", attrs={"aria-label": "Main"})
        self.assertNotIn("/accessibility/", [a["href"] for a in menu.find_all("a")])

    def test_the_footer_follows_the_setting(self):
        footer = FooterSettings.objects.get()
        footer.organisation = "A renamed office"
        footer.website = ""
        footer.save()
        html = self.footer()
        self.assertEqual(html.find(id="footer-office-heading").get_text(strip=True), "A renamed office")
        self.assertIsNone(html.find("a", href="https://globalofficebrussels.iom.int/"))


class TablesTests(LoadedSiteMixin, TestCase):
    def test_a_table_scrolls_in_a_labelled_focusable_region_with_a_visible_hint(self):
        main = soup(self.client.get("/our-work/data-and-resources/")).main
        region = main.find(class_="table-scroll")
        self.assertEqual(region["role"], "region")
        self.assertEqual(region["tabindex"], "0")
        self.assertIn("scrolls sideways", region["aria-label"])
        self.assertIsNotNone(region.find("table"))
        hint = region.find_previous_sibling(class_="table-wrap__hint")
        self.assertIn("Scroll the table sideways", hint.get_text())


class HyphenatedTitleTests(SimpleTestCase):
    def test_hyphenated_words_stay_whole_and_text_is_escaped(self):
        self.assertEqual(
            keep_hyphenated("Directorate-General for Health"),
            '<span class="nowrap">Directorate-General</span> for Health',
        )
        self.assertEqual(keep_hyphenated("EU-IOM <b>x</b>"), '<span class="nowrap">EU-IOM</span> &lt;b&gt;x&lt;/b&gt;')
        self.assertEqual(keep_hyphenated("Return - and more"), "Return - and more")  # a dash, not a hyphen


class HyphenatedTitlesOnPagesTests(LoadedSiteMixin, TestCase):
    def test_a_dg_title_does_not_break_at_its_hyphen_and_reads_the_same(self):
        dg = DirectorateGeneralPage.objects.get(acronym="SANTE")
        h1 = soup(self.client.get(dg.url)).h1
        self.assertEqual(h1.find(class_="nowrap").get_text(), "Directorate-General")
        self.assertEqual(h1.get_text(), dg.full_name)
