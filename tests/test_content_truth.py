"""What the content states as fact has a source.

The site shows each link between an EU body and a thematic area as fact, on both pages. The sources
support only a few such links; fixtures/sourced-links.yaml lists them, each with what the
cooperation is and where it comes from in the project's facts. The fixtures must show exactly
those links, and both pages of each link must say what the cooperation is.
"""

import re
from html import unescape

import yaml
from django.conf import settings
from django.test import SimpleTestCase, TestCase

from .utils import FIXTURES_DIR, LoadedSiteMixin, fixture_page_files, live_pages

SOURCED_LINKS = FIXTURES_DIR / "sourced-links.yaml"
FIELDS = {"acronym", "area", "cooperation", "named_as", "source"}


def sourced_links():
    return yaml.safe_load(SOURCED_LINKS.read_text())


def page_fixtures():
    """{path relative to the locale folder: parsed YAML} for every page fixture."""
    locale = FIXTURES_DIR / "content" / settings.LANGUAGE_CODE
    return {str(path.relative_to(locale)): yaml.safe_load(path.read_text()) for path in fixture_page_files()}


def thematic_areas():
    """{slug: fixture} for every thematic area page."""
    return {
        path.removeprefix("thematic-areas/").removesuffix(".yaml"): data
        for path, data in page_fixtures().items()
        if data["type"] == "ThematicAreaPage"
    }


def directorates_general():
    """{acronym: fixture} for every Directorate-General page."""
    return {data["acronym"]: data for data in page_fixtures().values() if data["type"] == "DirectorateGeneralPage"}


def shown_links():
    return {(acronym, slug) for slug, data in thematic_areas().items() for acronym in data["directorates_general"]}


def strings(value):
    """Every text value inside a fixture's (nested) value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def plain_text(value):
    """The words of a fixture value, without markup."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", " ".join(strings(value)))).split())


def body_text(data):
    return plain_text(data.get("body", []))


class SourcedLinksFileTests(SimpleTestCase):
    def test_each_entry_is_complete_and_names_a_real_body_and_area(self):
        links = sourced_links()
        self.assertTrue(links)
        bodies, areas = directorates_general(), thematic_areas()
        for entry in links:
            with self.subTest(entry=entry):
                self.assertEqual(set(entry), FIELDS)
                for field in FIELDS:
                    self.assertIsInstance(entry[field], str)
                    self.assertTrue(entry[field].strip(), field)
                self.assertIn(entry["acronym"], bodies)
                self.assertIn(entry["area"], areas)
        pairs = [(entry["acronym"], entry["area"]) for entry in links]
        self.assertEqual(len(pairs), len(set(pairs)), "a pair listed twice")


class ShownLinksTests(SimpleTestCase):
    def test_every_link_between_a_body_and_an_area_is_sourced(self):
        listed = {(entry["acronym"], entry["area"]) for entry in sourced_links()}
        unsourced = sorted(shown_links() - listed)
        self.assertFalse(
            unsourced,
            "Thematic areas name EU bodies with no source in fixtures/sourced-links.yaml: "
            + "; ".join(f"{acronym} on thematic-areas/{slug}.yaml" for acronym, slug in unsourced),
        )

    def test_every_sourced_link_is_shown(self):
        listed = {(entry["acronym"], entry["area"]) for entry in sourced_links()}
        missing = sorted(listed - shown_links())
        self.assertFalse(
            missing,
            "Sourced links missing from the fixtures: "
            + "; ".join(f"add {acronym} to thematic-areas/{slug}.yaml" for acronym, slug in missing),
        )

    def test_both_pages_of_each_link_say_what_the_cooperation_is(self):
        bodies, areas = directorates_general(), thematic_areas()
        for entry in sourced_links():
            name = entry["named_as"].lower()
            for label, page in (
                (f"thematic-areas/{entry['area']}.yaml", areas[entry["area"]]),
                (f"the {entry['acronym']} page", bodies[entry["acronym"]]),
            ):
                with self.subTest(link=(entry["acronym"], entry["area"]), page=label):
                    self.assertIn(name, body_text(page).lower(), f"{label} does not mention {entry['named_as']}")


class StatedFactsTests(SimpleTestCase):
    def text_of_every_page(self):
        return {path: plain_text(data) for path, data in page_fixtures().items()}

    def test_the_cooperation_is_dated_from_its_formalisation_in_1994_not_said_to_begin_then(self):
        # The sources say the cooperation was first formalised in 1994, not that it began then.
        begun = re.compile(r"(worked|working|work|partners?|partnership|cooperat\w*) (together )?since 1994", re.I)
        for path, text in self.text_of_every_page().items():
            with self.subTest(path):
                self.assertIsNone(begun.search(text))

    def test_dg_near_is_described_as_having_handed_its_work_on(self):
        text = body_text(directorates_general()["NEAR"])
        for fact in ("1 February 2025", "DG MENA", "DG ENEST"):
            self.assertIn(fact, text)


class PrivacyNoticeTests(LoadedSiteMixin, TestCase):
    """The privacy page tells readers that reading the site sets no cookie: it must stay true."""

    def test_reading_the_site_sets_no_cookie(self):
        paths = [page.url for page in live_pages()] + ["/search/?q=migration", "/no-such-page/"]
        self.assertIn("/privacy/", paths)
        for path in paths:
            with self.subTest(path):
                self.assertEqual(list(self.client.get(path).cookies), [])
