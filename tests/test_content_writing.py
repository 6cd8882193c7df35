"""The site's writing: no sentence is written twice.

A sentence repeated across pages is a template someone filled in, not writing: visitors who read two
pages read it twice, and search engines see the pages as copies. The check reads the pages as
visitors get them, so text that templates add counts as much as text from the fixtures.
"""

import re
from collections import defaultdict

from django.test import TestCase

from .utils import live_pages, load_site, soup

MIN_WORDS = 8
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# Elements that hold running text. A leaf among them (one holding no other) is one piece of text.
TEXT_BLOCKS = ["p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "blockquote", "div"]
SENTENCE_END = re.compile(r"(?<=[.!?])[’”)]?\s+(?=[A-Z0-9‘“(])")
# Text that ends like a sentence. A piece without an end stop is a label, not a sentence: an area's
# funding group under its title, a key figure's caption, a table cell, a "Website" term.
ENDS_A_SENTENCE = re.compile(r"[.!?:;][’”)]?$")


def normalised(sentence):
    sentence = sentence.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(sentence.split()).rstrip(".!?:;").lower()


def sentences(text):
    """The sentences of `text` with at least MIN_WORDS words, normalised for comparison."""
    found = []
    for piece in SENTENCE_END.split(" ".join(text.split())):
        if ENDS_A_SENTENCE.search(piece) and len(piece.split()) >= MIN_WORDS:
            found.append(normalised(piece))
    return found


def main_text_and_links(html):
    """The sentences of a page's <main> without its headings, navigation, breadcrumbs and footer,
    and the addresses it links to."""
    main = html.main
    links = {a["href"] for a in main.find_all("a", href=True)}
    for element in main.find_all([*HEADINGS, "nav", "footer"]):
        element.decompose()
    found = []
    for block in main.find_all(TEXT_BLOCKS):
        if block.find(TEXT_BLOCKS) is None:
            found.extend(sentences(block.get_text(" ")))
    return found, links


def repeated_sentences(pages):
    """{sentence: pages} for each sentence written on more than one page.

    A page that lists another page may show that page's summary under its link (an index, the home
    page): that is a quotation, not a second writing, so it does not count. Anything else does."""
    summaries = {page["url"]: set(sentences(page["summary"])) for page in pages}
    written_on = defaultdict(list)
    for page in pages:
        quoted = set().union(*(summaries.get(url, set()) for url in page["links"] if url != page["url"]))
        for sentence in dict.fromkeys(page["sentences"]):
            if sentence not in quoted or sentence in summaries[page["url"]]:
                written_on[sentence].append(page["url"])
    return {sentence: urls for sentence, urls in written_on.items() if len(urls) > 1}


class RepeatedSentenceDetectionTests(TestCase):
    """The check itself, on made-up pages: what it counts as a repeat and what it lets through."""

    def page(self, url, text, summary="", links=()):
        return {"url": url, "summary": summary, "links": set(links), "sentences": sentences(f"{summary} {text}")}

    def test_a_sentence_of_eight_words_on_two_pages_is_a_repeat(self):
        text = "The EU funded this area of IOM’s work for ten years."
        pages = [self.page("/a/", text), self.page("/b/", "Something else entirely. " + text)]
        self.assertEqual(list(repeated_sentences(pages).values()), [["/a/", "/b/"]])

    def test_short_sentences_and_labels_are_not_sentences(self):
        self.assertEqual(sentences("Funded by the EU consistently from 2013 to 2023"), [])
        self.assertEqual(sentences("It is short. So is this one here."), [])
        self.assertEqual(len(sentences("IOM works with several Directorates-General of the Commission:")), 1)

    def test_a_listing_may_quote_the_summary_of_a_page_it_links_to(self):
        summary = "IOM supports relocation between EU member states under migratory pressure."
        pages = [self.page("/area/", "", summary=summary), self.page("/index/", summary, links=["/area/"])]
        self.assertEqual(repeated_sentences(pages), {})

    def test_a_page_that_copies_a_summary_without_linking_to_it_repeats_it(self):
        summary = "IOM supports relocation between EU member states under migratory pressure."
        pages = [self.page("/area/", "", summary=summary), self.page("/other/", summary, links=["/elsewhere/"])]
        self.assertEqual(list(repeated_sentences(pages).values()), [["/area/", "/other/"]])

    def test_two_pages_with_the_same_summary_repeat_it_even_when_listed_together(self):
        summary = "One of the areas of IOM’s work that the EU has also funded."
        pages = [
            self.page("/a/", "", summary=summary),
            self.page("/b/", "", summary=summary),
            self.page("/index/", summary, links=["/a/", "/b/"]),
        ]
        self.assertEqual(list(repeated_sentences(pages).values()), [["/a/", "/b/"]])


class SiteWritingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()

    def test_no_sentence_of_eight_words_or_more_appears_on_two_pages(self):
        pages = []
        for page in live_pages():
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)
            found, links = main_text_and_links(soup(response))
            pages.append({"url": page.url, "summary": page.summary, "links": links, "sentences": found})
        self.assertGreaterEqual(len(pages), 30)
        self.assertGreater(sum(len(page["sentences"]) for page in pages), 200, "the check read the pages' text")

        repeats = repeated_sentences(pages)
        report = "\n".join(f"- “{sentence}”\n    on {', '.join(urls)}" for sentence, urls in sorted(repeats.items()))
        if repeats:
            self.fail(f"{len(repeats)} sentence(s) written on more than one page:\n{report}")
