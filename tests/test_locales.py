"""With a second language's tree beside the English one, what a page shows around its content comes
from the visitor's language: the menu, the breadcrumbs, the footer's notices and EU bodies, the
framework's members and search results (docs/translation.md, step 2). English pages are unchanged.

The French tree here is made with Wagtail's own copy_for_translation (what simple_translation does in
the admin); URLs under /fr/ come later (step 3), so the tags and views are asked directly with French
active."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from partnership.templatetags.navigation_tags import breadcrumbs, main_menu
from partnership.templatetags.site_tags import footer_links

from .utils import LoadedSiteMixin, page_at, soup

TWO_LANGUAGES = [("en", "English"), ("fr", "French")]


def translate(page, locale, **changes):
    """A published French copy of `page` (its parents translated first, as the admin requires)."""
    copy = page.copy_for_translation(locale, copy_parents=True).specific
    for field, value in changes.items():
        setattr(copy, field, value)
    copy.save_revision().publish()
    return type(copy).objects.get(pk=copy.pk)  # as published: its url_path follows the new slug


@override_settings(WAGTAIL_I18N_ENABLED=True, LANGUAGES=TWO_LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=TWO_LANGUAGES)
class SecondLanguageTests(LoadedSiteMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fr = Locale.objects.create(language_code="fr")
        cls.fr_home = translate(cls.home, cls.fr, title="L'OIM et l'UE")
        cls.fr_section = translate(page_at("/who-we-are/"), cls.fr, title="Qui nous sommes", slug="qui-nous-sommes")
        cls.fr_about = translate(page_at("/who-we-are/about/"), cls.fr, title="À propos", slug="a-propos")
        cls.fr_privacy = translate(
            page_at("/privacy/"), cls.fr, title="Confidentialité", slug="confidentialite", summary="Zéphyrin."
        )
        cls.fr_framework = translate(page_at("/framework/"), cls.fr, title="Cadre", slug="cadre")

    def context(self, page):
        return {"request": RequestFactory().get("/"), "page": page}

    def test_the_menu_lists_the_pages_of_the_visitors_language(self):
        with translation.override("fr"):
            titles = [item["title"] for item in main_menu(self.context(self.fr_about))["menu_items"]]
        self.assertEqual(titles, ["Qui nous sommes", "Cadre"])  # the French pages shown in menus
        with translation.override("en"):
            english = [item["title"] for item in main_menu(self.context(page_at("/who-we-are/about/")))["menu_items"]]
        self.assertIn(page_at("/who-we-are/").title, english)
        self.assertNotIn("Qui nous sommes", english)
        self.assertGreaterEqual(len(english), 4)

    def test_breadcrumbs_start_at_the_home_page_of_the_pages_language(self):
        with translation.override("fr"):
            crumbs = breadcrumbs(self.context(self.fr_about))["crumbs"]
            self.assertEqual(crumbs[0]["url"], self.fr_home.get_url())
            self.assertEqual(crumbs[1]["url"], self.fr_section.get_url())
            home = translation.gettext("Home")  # the crumb's label is translated (tests/test_template_strings.py)
        self.assertEqual([crumb["title"] for crumb in crumbs], [home, "Qui nous sommes", "À propos"])

    def test_the_footer_links_the_notices_and_bodies_of_the_visitors_language(self):
        with translation.override("fr"):
            french = footer_links(self.context(self.fr_home))
        self.assertEqual([page.pk for page in french["legal_pages"]], [self.fr_privacy.pk])
        self.assertEqual(french["bodies"], [])  # no EU body's page is translated yet
        with translation.override("en"):
            english = footer_links(self.context(self.home))
        self.assertEqual([page.slug for page in english["legal_pages"]], ["accessibility", "privacy", "legal-notice"])
        self.assertGreaterEqual(len(english["bodies"]), 8)
        self.assertTrue(all(body.locale_id == self.home.locale_id for body in english["bodies"]))

    def test_the_frameworks_members_are_those_of_its_language(self):
        self.assertEqual(list(self.fr_framework.get_members()), [])
        self.assertEqual(len(page_at("/framework/").get_members()), 5)

    def test_search_finds_pages_in_the_visitors_language_only(self):
        # The French copy still carries the English body (nobody has translated it yet): a word of
        # it is in both languages' pages, and each language's search finds its own.
        with translation.override("fr"):
            french = [page.pk for page in self.client.get("/search/", {"q": "analytics"}).context["results"]]
        with translation.override("en"):
            english = [page.pk for page in self.client.get("/search/", {"q": "analytics"}).context["results"]]
        self.assertEqual(french, [self.fr_privacy.pk])
        self.assertEqual(english, [page_at("/privacy/").pk])
        with translation.override("fr"):
            self.assertContains(self.client.get("/search/", {"q": "Zéphyrin"}), "Confidentialité")

    def test_fragments_are_kept_per_language(self):
        """The footer fragment is the same on every page of a language: kept once per language, or
        the first language to render it would give its footer to the others."""
        self.assertEqual(Page.objects.filter(locale=self.fr).live().count(), 5)
        with translation.override("fr"):  # Wagtail routes "/" to the French home page (`localized`)
            french = self.client.get("/")
        self.assertContains(french, "Confidentialité")
        with translation.override("en"):
            english = self.client.get("/")
        self.assertContains(english, page_at("/privacy/").title)
        self.assertNotContains(english, "Confidentialité")
        self.assertNotContains(english, "Qui nous sommes")

    def test_an_areas_form_offers_the_dgs_of_its_own_language(self):
        english_home_dg = page_at("/directorates-general/home/")
        french_home_dg = translate(english_home_dg, self.fr, slug="home")
        english_area = page_at("/thematic-areas/return-and-reintegration/")
        french_area = translate(english_area, self.fr, slug="retour-et-reintegration")
        editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(editor)

        def offered(area):
            html = soup(self.client.get(reverse("wagtailadmin_pages:edit", args=[area.pk])))
            return {int(box["value"]) for box in html.select('input[name="directorates_general"]')}

        english = offered(english_area)
        self.assertIn(english_home_dg.pk, english)
        self.assertNotIn(french_home_dg.pk, english)
        self.assertGreaterEqual(len(english), 9)
        self.assertEqual(offered(french_area), {french_home_dg.pk})
