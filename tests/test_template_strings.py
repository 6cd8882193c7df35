"""Every word a visitor reads in our templates goes through Django's translation: a new heading or
label written as plain text fails here, and a French catalogue changes what the pages say.

The check reads the template sources: everything inside {% translate %} / {% blocktranslate %} is
marked; every other template tag and {{ variable }} is removed; what remains is HTML, whose text and
visitor-read attributes (aria-label, title, alt, placeholder) may hold no word of two letters or
more. Literal strings handed to an include (`text="..."`) or to firstof are read too, as they end up
on the page just the same."""

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation

from .utils import LoadedSiteMixin, soup

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What visitors read. templates/logins/, staff/, wagtailadmin/ and wagtailimages/ are staff pages.
VISITOR_TEMPLATES = ("base.html", "404.html", "500.html", "503.html")
VISITOR_FOLDERS = ("includes", "blocks", "partnership", "search", "wagtailcore")

# Text no visitor reads as words, in any language. Keep it short, and say why for each.
ALLOWED_TEXT = {
    "page-overview",  # the home page's {% block body_class %}: a CSS class in base.html's <body class>
}
# Attributes a visitor (or a screen reader) reads.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description", "aria-roledescription"}

WORD = re.compile(r"[^\W\d_]{2,}")
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)
MARKED = re.compile(r"{%\s*blocktranslate\b.*?%}.*?{%\s*endblocktranslate\s*%}|{%\s*translate\b.*?%}", re.DOTALL)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
# The parts of a tag that reach the page as text: `name="literal"` arguments of include/with, and
# the literal arguments of firstof.
TAG_LITERALS = re.compile(r"{%\s*(?:include|with|firstof)\b(.*?)%}", re.DOTALL)
LITERAL = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def visitor_templates():
    files = [TEMPLATES / name for name in VISITOR_TEMPLATES]
    for folder in VISITOR_FOLDERS:
        files += sorted((TEMPLATES / folder).rglob("*.html"))
    return files


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(f"{name}={value!r}")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.found.append(data.strip())


def untranslated_text(source):
    """The visitor-read text of a template source that is not marked for translation."""
    source = COMMENTS.sub("", source)
    source = MARKED.sub("", source)
    found = []
    for arguments in TAG_LITERALS.findall(source):
        for double, single in LITERAL.findall(arguments):
            literal = double or single
            is_template = literal.endswith(".html")
            is_address = literal.startswith(("http://", "https://", "mailto:", "/", "#"))
            if not is_template and not is_address and WORD.search(literal):
                found.append(f"tag argument {literal!r}")
    collector = TextCollector()
    collector.feed(TAG.sub("", source))
    collector.close()
    found += collector.found
    return [text for text in found if WORD.search(text) and text not in ALLOWED_TEXT]


class VisitorTemplatesAreTranslatableTests(SimpleTestCase):
    def test_every_visitor_template_is_checked(self):
        names = {path.relative_to(TEMPLATES).as_posix() for path in visitor_templates()}
        expected = ("base.html", "500.html", "search/search.html", "includes/footer.html", "blocks/table_block.html")
        self.assertLessEqual(set(expected), names)

    def test_no_visitor_template_has_words_outside_translate_tags(self):
        for path in visitor_templates():
            with self.subTest(path.relative_to(TEMPLATES).as_posix()):
                self.assertEqual(untranslated_text(path.read_text(encoding="utf-8")), [])

    def test_the_check_finds_plain_text_attributes_and_literals(self):
        source = (
            '{% load i18n %}<nav aria-label="Pages"><h2>{% translate "Marked" %}</h2><p>Plain words</p>'
            '{% include "includes/external_link.html" with url="https://example.org/" text="Their site" %}'
            "{% blocktranslate trimmed with n=count %}{{ n }} marked{% endblocktranslate %}"
            "{% comment %}Notes for developers{% endcomment %}<p>{{ page.title }} | 2026</p></nav>"
        )
        self.assertEqual(untranslated_text(source), ["tag argument 'Their site'", "aria-label='Pages'", "Plain words"])


# Worded as no other installed catalogue words them (Django's admin already has "Home" → "Accueil"),
# so a pass shows that this catalogue, found through LOCALE_PATHS, did the translating.
FRENCH = {
    "Skip to main content": "Passer au contenu principal du site",
    "Search": "Lancer la recherche",
    "Home": "Accueil du site",
}


def compile_catalogue(msgfmt, folder, strings):
    messages = folder / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    entries = "".join(f'msgid "{english}"\nmsgstr "{french}"\n\n' for english, french in strings.items())
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
    (messages / "django.po").write_text(header + entries, encoding="utf-8")
    subprocess.run([msgfmt, "--check", "-o", str(messages / "django.mo"), str(messages / "django.po")], check=True)


class FrenchCatalogueTests(LoadedSiteMixin, TestCase):
    """The strings marked in the templates and template tags are the ones a catalogue translates."""

    def setUp(self):
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            self.skipTest("msgfmt (GNU gettext) is not installed: cannot compile a test catalogue")
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        compile_catalogue(msgfmt, folder, FRENCH)
        locale_paths = override_settings(LOCALE_PATHS=[folder])
        locale_paths.enable()
        self.addCleanup(locale_paths.disable)

    def test_the_home_page_speaks_french_with_a_french_catalogue(self):
        with translation.override("fr"):
            html = soup(self.client.get("/"))
        self.assertEqual(html.find("a", class_="skip-link").get_text(), "Passer au contenu principal du site")
        self.assertEqual(html.find("form", class_="header-search").button.get_text(), "Lancer la recherche")
        self.assertEqual(html.html.get("lang"), "fr")

    def test_the_breadcrumb_home_is_translated_per_language(self):
        english = soup(self.client.get("/framework/")).find("nav", class_="breadcrumbs")
        self.assertEqual(english.find("a").get_text(), "Home")
        with translation.override("fr"):
            french = soup(self.client.get("/framework/")).find("nav", class_="breadcrumbs")
        self.assertEqual(french.find("a").get_text(), "Accueil du site")

    def test_english_is_unchanged_with_the_catalogue_present(self):
        html = soup(self.client.get("/"))
        self.assertEqual(html.find("a", class_="skip-link").get_text(), "Skip to main content")
        self.assertEqual(html.find("form", class_="header-search").button.get_text(), "Search")
