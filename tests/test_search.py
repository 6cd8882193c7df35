"""Site search: finds what visitors look for, and survives whatever they type; the admin's page
search says what it found."""

import string

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from partnership.models import DirectorateGeneralPage, ThematicAreaPage

from .utils import LoadedSiteMixin, page_at, soup


class SearchTests(LoadedSiteMixin, TestCase):
    def result_urls(self, **params):
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        return [a["href"] for a in soup(response).select("main .search-results a[href]")]

    def test_finds_a_dg_by_its_acronym(self):
        self.assertEqual(self.result_urls(q="ECHO")[0], DirectorateGeneralPage.objects.get(acronym="ECHO").url)

    def test_finds_a_dg_by_words_of_its_full_name(self):
        self.assertIn(DirectorateGeneralPage.objects.get(acronym="ECHO").url, self.result_urls(q="Civil Protection"))

    def test_finds_a_thematic_area_by_words_in_its_body(self):
        area = page_at("/thematic-areas/resettlement-and-relocation/")
        self.assertIn("Voluntary Solidarity Mechanism", str(area.body))
        self.assertIn(area.url, self.result_urls(q="Voluntary Solidarity Mechanism"))

    def test_unpublished_pages_are_not_found(self):
        page = DirectorateGeneralPage.objects.get(acronym="ECHO")
        page.unpublish()
        self.assertNotIn(page.url, self.result_urls(q="ECHO"))

    def test_results_are_paginated_and_the_query_is_kept(self):
        response = self.client.get("/search/", {"q": "migration"})
        html = soup(response)
        self.assertEqual(len(html.select("main .search-results > li")), 10)
        next_link = html.find("a", attrs={"rel": "next"})
        self.assertIn("q=migration", next_link["href"])
        self.assertIn("page=2", next_link["href"])
        page_two = soup(self.client.get("/search/", {"q": "migration", "page": 2}))
        self.assertTrue(page_two.select("main .search-results > li"))

    def test_search_pages_are_not_indexed(self):
        html = soup(self.client.get("/search/", {"q": "ECHO"}))
        self.assertEqual(html.find("meta", attrs={"name": "robots"})["content"], "noindex")

    def test_bad_input_gets_a_normal_page(self):
        cases = {
            "empty query": {"q": ""},
            "no query": {},
            "10 kB query": {"q": "migration " * 1024},
            "non-ASCII": {"q": "migração 移民 Überstellung"},
            "markup": {"q": "<script>alert(1)</script>"},
            "quotes and operators": {"q": '"ECHO" AND OR NOT -( *'},
            "page=abc": {"q": "migration", "page": "abc"},
            "page=-1": {"q": "migration", "page": "-1"},
            "page=99999": {"q": "migration", "page": "99999"},
            "null byte": {"q": "ECHO\x00"},
        }
        for label, params in cases.items():
            with self.subTest(label):
                response = self.client.get("/search/", params)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(soup(response).find_all("h1")), 1)

    def test_every_punctuation_character_alone_and_in_a_word(self):
        # Full-text engines read some punctuation as syntax; none of it may reach a visitor as a 500.
        for char in string.punctuation:
            for query in (char, f"ECHO{char}", f'{char}"ECHO', f"{char} OR NEAR("):
                with self.subTest(query=query):
                    self.assertEqual(self.client.get("/search/", {"q": query}).status_code, 200)

    def test_what_the_visitor_typed_is_escaped(self):
        response = self.client.get("/search/", {"q": '<script>alert(1)</script>"><img src=x onerror=alert(2)>'})
        content = response.content.decode()
        self.assertNotIn("<script>alert(1)", content)
        self.assertNotIn("<img src=x", content)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", content)

    def test_a_long_query_is_shortened_and_says_so(self):
        response = self.client.get("/search/", {"q": "relocation " * 1000})
        self.assertContains(response, "200 characters")
        self.assertIn(
            page_at("/thematic-areas/resettlement-and-relocation/").url,
            [a["href"] for a in soup(response).select("main .search-results a[href]")],
        )

    def test_a_page_number_past_the_end_shows_the_last_page(self):
        last = soup(self.client.get("/search/", {"q": "migration", "page": "99999"}))
        self.assertTrue(last.select("main .search-results > li"))
        self.assertIsNone(last.find("a", attrs={"rel": "next"}))

    def test_no_results_says_so(self):
        response = self.client.get("/search/", {"q": "zzzyyyxxx"})
        self.assertContains(response, "No pages matched")
        self.assertEqual(ThematicAreaPage.objects.live().count(), 16)


class AdminPageSearchTests(LoadedSiteMixin, TestCase):
    """The sidebar's Search in the admin: the results' heading counts pages, as the page explorer's
    does ("1-8 of 8 pages"), never "1-1 of 1 None"."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = get_user_model().objects.create_user("editor", "editor@example.org", "a-long-test-password-1")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def heading_and_rows(self, url, query):
        response = self.client.get(url, {"q": query})
        self.assertEqual(response.status_code, 200)
        table = soup(response).select_one("table.listing")
        heading = " ".join(table.select_one("th.title").get_text(" ", strip=True).split())
        return heading, len(table.select("tbody tr"))

    def test_the_count_of_results_names_pages(self):
        for url in ("/admin/pages/search/", "/admin/pages/search/results/"):  # the page, then as typed
            with self.subTest(url):
                heading, rows = self.heading_and_rows(url, "Cooperation Framework")
                self.assertEqual(rows, 1)
                self.assertEqual(heading, "Title 1-1 of 1 page")

                heading, rows = self.heading_and_rows(url, "DG")
                self.assertGreater(rows, 1)
                self.assertEqual(heading, f"Title 1-{rows} of {rows} pages")
