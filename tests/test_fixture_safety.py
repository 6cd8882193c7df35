"""What a fixture may not do: publish HTML the editor could not make, read files outside the
fixtures' media folder, smuggle values of the wrong type, or hold the loader up. Each refusal names
the file and field, exits non-zero and leaves the database as it was."""

import os
import time

import yaml
from django.core.management.base import CommandError
from django.test import TestCase
from PIL import Image
from wagtail import blocks

from partnership.content import yamlio
from partnership.content.schema import field_kind
from partnership.content.streams import References, to_stored
from partnership.models import PartnershipImage

from .test_content_loader import TempDirMixin
from .utils import copy_fixtures, fixture_image_count, page_at, row_counts, run_command

PROTECTION = "en/thematic-areas/protection.yaml"
XSS = '<p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a></p>'


class RefusalMixin(TempDirMixin):
    def fixtures_with(self, relative, text=None, change=None):
        """A copy of the fixtures with one file's text replaced, or its parsed YAML changed."""
        fixtures = copy_fixtures(self.make_tmp())
        path = fixtures / "content" / relative
        if change is not None:
            text = yaml.safe_dump(change(yaml.safe_load(path.read_text())), allow_unicode=True, sort_keys=False)
        path.write_text(text)
        return fixtures

    def assert_refused(self, fixtures, *expected, args=()):
        before = row_counts()
        with self.assertRaises(CommandError) as caught:
            run_command("load_content", "--fixtures", str(fixtures), *args)
        message = str(caught.exception)
        self.assertIn("the database is unchanged", message)
        for text in expected:
            self.assertIn(text, message)
        self.assertEqual(row_counts(), before)
        return message


def add_paragraph(html):
    def change(data):
        data["body"] = [*data["body"], {"type": "paragraph", "value": html}]
        return data

    return change


class RichTextTests(RefusalMixin, TestCase):
    def test_fixture_rich_text_keeps_only_what_the_editor_allows(self):
        fixtures = self.fixtures_with(PROTECTION, change=add_paragraph(XSS))
        output = run_command("load_content", "--fixtures", str(fixtures))

        self.assertIn(f"warning: {PROTECTION}: body[4].value: removed what the rich text editor cannot make:", output)
        self.assertIn('<script>, <img>, href="javascript:alert(2)" on <a>', output)
        self.assertEqual(page_at("/thematic-areas/protection/").body[4].value.source, "<p><a>j</a></p>")
        html = self.client.get("/thematic-areas/protection/").content.decode()
        self.assertNotIn("alert(", html)
        self.assertNotIn("onerror", html)
        self.assertNotIn("javascript:", html)

    def test_strict_mode_refuses_rich_text_the_editor_would_change(self):
        fixtures = self.fixtures_with(PROTECTION, change=add_paragraph(XSS))
        self.assert_refused(
            fixtures, f"{PROTECTION}: body[4].value: removed what the rich text editor cannot make", args=["--strict"]
        )

    def test_the_repository_fixtures_load_clean_in_strict_mode(self):
        # CI over fixtures/: nothing in the committed content is cut by the editor's whitelist.
        output = run_command("load_content", "--strict")
        self.assertNotIn("warning:", output)
        self.assertIn("0 skipped", output)

    def test_cdata_cannot_smuggle_a_script_past_the_whitelist(self):
        # Wagtail's whitelister keeps CDATA as written; a browser ends it at the first '>'.
        html = "<p><![CDATA[x><script>alert(1)</script>]]>text</p>"
        fixtures = self.fixtures_with(PROTECTION, change=add_paragraph(html))
        output = run_command("load_content", "--fixtures", str(fixtures))
        self.assertIn("<![CDATA[", output)
        self.assertEqual(page_at("/thematic-areas/protection/").body[4].value.source, "<p>text</p>")
        self.assertNotIn("alert(", self.client.get("/thematic-areas/protection/").content.decode())

    def test_page_links_by_path_load_as_links_and_export_as_paths(self):
        html = '<p>See <a linktype="page" path="/framework/">the framework</a>.</p>'
        fixtures = self.fixtures_with(PROTECTION, change=add_paragraph(html))
        output = run_command("load_content", "--strict", "--fixtures", str(fixtures))
        self.assertNotIn("warning:", output)
        framework = page_at("/framework/")
        self.assertEqual(
            page_at("/thematic-areas/protection/").body[4].value.source,
            f'<p>See <a id="{framework.pk}" linktype="page">the framework</a>.</p>',
        )
        self.assertIn(
            '<a href="/framework/">the framework</a>', self.client.get("/thematic-areas/protection/").content.decode()
        )
        out = self.make_tmp()
        run_command("export_content", "--output", str(out))
        exported = yaml.safe_load((out / "content" / PROTECTION).read_text())
        self.assertEqual(
            exported["body"][4]["value"], '<p>See <a linktype="page" path="/framework/">the framework</a>.</p>'
        )

    def test_links_by_database_id_are_removed_or_refused(self):
        # The editor's own form of a link (data-linktype, data-id) would reach any page by id.
        fixtures = self.fixtures_with(
            PROTECTION, change=add_paragraph('<p><a data-linktype="page" data-id="1">r</a></p>')
        )
        self.assert_refused(fixtures, 'data-linktype="page" on <a>', args=["--strict"])
        fixtures = self.fixtures_with(PROTECTION, change=add_paragraph('<p><a linktype="document" id="1">d</a></p>'))
        self.assert_refused(fixtures, f"{PROTECTION}: body[4].value: documents cannot be linked from fixtures")

    def test_rich_text_nested_in_blocks_is_cleaned_with_that_blocks_features(self):
        stream = blocks.StreamBlock(
            [("cards", blocks.StructBlock([("items", blocks.ListBlock(blocks.RichTextBlock(features=["bold"])))]))]
        )
        raw = [{"type": "cards", "value": {"items": ["<p><b>b</b> <i>i</i> <a href='https://x.org'>l</a></p>"]}}]
        problems, removed = [], []
        stored = to_stored(stream, raw, "body", References(), problems, removed)
        self.assertEqual(problems, [])
        self.assertEqual(stored[0]["value"]["items"], ["<p><b>b</b> i l</p>"])
        self.assertEqual(len(removed), 1)
        self.assertEqual(removed[0][0], "body[0].value.items[0]")
        self.assertIn("<i>, <a>", removed[0][1])

    def test_a_rich_text_page_field_is_refused_until_the_loader_cleans_it(self):
        from wagtail.fields import RichTextField

        # A RichTextField is a TextField: without this, its HTML would reach the page unchecked.
        with self.assertRaisesMessage(TypeError, "has no fixture form"):
            field_kind(RichTextField())


def add_image(name):
    def change(data):
        return [*data, {"file": name, "title": "An image", "description": "What it shows."}]

    return change


class ImageTests(RefusalMixin, TestCase):
    def image_fixtures(self, name, make=None):
        """Fixtures whose images.yaml lists `name` after the real images; `make(fixtures)` writes files."""
        fixtures = self.fixtures_with("images.yaml", change=add_image(name))
        if make:
            make(fixtures)
        return fixtures

    def png(self, path, size=(20, 20)):
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, "white").save(path)

    def test_image_files_outside_the_media_folder_are_refused(self):
        outside = self.make_tmp() / "x.png"
        self.png(outside)
        cases = {
            "an absolute path": (str(outside), None, f"'{outside}' must be a file name inside media/"),
            "a path up and out": (
                "../../something.png",
                lambda f: self.png(f.parent / "something.png", (5, 5)),
                "'../../something.png' must be a file name inside media/",
            ),
            "a system file": ("/etc/passwd", None, "'/etc/passwd' must be a file name inside media/"),
            "a symlink out": (
                "link.png",
                lambda f: (f / "media/link.png").symlink_to(outside),
                "media/link.png leads outside media/",
            ),
        }
        for label, (name, make, expected) in cases.items():
            with self.subTest(label):
                refusal = f"images.yaml: [{fixture_image_count()}].file: {expected}"
                self.assert_refused(self.image_fixtures(name, make), refusal)

    def test_images_get_the_admins_upload_checks(self):
        def write(name, content):
            return lambda fixtures: (fixtures / "media" / name).write_bytes(content)

        def noise_png(fixtures):
            # Random pixels do not compress: over WAGTAILIMAGES_MAX_UPLOAD_SIZE (10 MB).
            image = Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3))
            image.save(fixtures / "media" / "huge.png", compress_level=0)

        def many_pixels(fixtures):
            # Over WAGTAILIMAGES_MAX_IMAGE_PIXELS (128 million) while the file stays small.
            Image.new("1", (11500, 11500)).save(fixtures / "media" / "wide.png")

        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        cases = {
            "HTML renamed .png": (
                "page.png",
                write("page.png", b"<html><script>alert(1)</script></html>"),
                "Not a valid .png image",
            ),
            "an SVG with a script": ("drawing.svg", write("drawing.svg", svg), "Not a supported image format"),
            "a 12 MB PNG": ("huge.png", noise_png, "This file is too big"),
            "too many pixels": ("wide.png", many_pixels, "This file has too many pixels"),
            "an empty file": ("empty.png", write("empty.png", b""), "The submitted file is empty"),
        }
        for label, (name, make, expected) in cases.items():
            with self.subTest(label):
                refusal = f"images.yaml: [{fixture_image_count()}].file: media/{name}"
                message = self.assert_refused(self.image_fixtures(name, make), refusal)
                self.assertIn(expected, message)

    def test_a_good_image_in_a_subfolder_of_media_still_loads(self):
        fixtures = self.image_fixtures("maps/europe.png", lambda f: self.png(f / "media/maps/europe.png"))
        run_command("load_content", "--fixtures", str(fixtures))
        self.assertEqual(PartnershipImage.objects.count(), fixture_image_count() + 1)


def set_key(key, value):
    def change(data):
        data[key] = value
        return data

    return change


FRAMEWORK = "en/framework.yaml"
ECHO = "en/directorates-general/echo.yaml"

# (what is wrong, file, new text or a change to its YAML, expected in the message)
WRONG_VALUES = [
    ("a title that is a list", FRAMEWORK, set_key("title", [1, 2]), f"{FRAMEWORK}: title: expected text, not a list"),
    (
        "a summary that is a mapping",
        FRAMEWORK,
        set_key("summary", {"a": 1}),
        f"{FRAMEWORK}: summary: expected text, not a mapping",
    ),
    (
        "a number for a text field",
        FRAMEWORK,
        set_key("established", 2012),
        f"{FRAMEWORK}: established: expected text, not a whole number",
    ),
    (
        "text for a true-or-false field",
        ECHO,
        set_key("framework_member", "yes"),
        f"{ECHO}: framework_member: expected true or false, not text",
    ),
    (
        "a list for a block's text",
        FRAMEWORK,
        lambda d: {**d, "body": [{"type": "heading", "value": {"text": ["a"], "level": "h2"}}]},
        f"{FRAMEWORK}: body[0].value.text: expected text, not a list",
    ),
    (
        "a number for a paragraph",
        FRAMEWORK,
        lambda d: {**d, "body": [{"type": "paragraph", "value": 5}]},
        f"{FRAMEWORK}: body[0].value: expected text, not a whole number",
    ),
    (
        "a page type that is a list",
        FRAMEWORK,
        set_key("type", ["FrameworkPage"]),
        f"{FRAMEWORK}: type: unknown page type",
    ),
    (
        "a list in a list of acronyms",
        "en/thematic-areas/protection.yaml",
        set_key("directorates_general", [["HOME"]]),
        "protection.yaml: directorates_general[0]: expected the acronym",
    ),
    (
        "an image that is a list",
        "en/thematic-areas/protection.yaml",
        set_key("image", ["x.png"]),
        "protection.yaml: image: no image ['x.png'] in images.yaml",
    ),
    (
        "a social image that is a number",
        FRAMEWORK,
        set_key("social_image", 1),
        f"{FRAMEWORK}: social_image: no image 1 in images.yaml",
    ),
    (
        "a social image named by its path under fixtures/",
        FRAMEWORK,
        set_key("social_image", "media/framework-members.png"),
        f"{FRAMEWORK}: social_image: no image 'media/framework-members.png' in images.yaml",
    ),
    (
        "a table cell that is a mapping",
        FRAMEWORK,
        lambda d: {**d, "body": [{"type": "table", "value": {"data": [[{"a": 1}]]}}]},
        f"{FRAMEWORK}: body[0].value.data[0][0]: expected text, not a mapping",
    ),
    (
        "an image title that is a list",
        "images.yaml",
        lambda d: [{**d[0], "title": ["a"]}, *d[1:]],
        "images.yaml: [0].title: expected text, not a list",
    ),
    (
        "an image title longer than the database column",
        "images.yaml",
        lambda d: [{**d[0], "title": "x" * 300}, *d[1:]],
        "images.yaml: [0].title: Ensure this value has at most 255 characters",
    ),
    (
        "a footer field that is a list",
        "settings.yaml",
        lambda d: {"footer": {**d["footer"], "organisation": ["IOM"]}},
        "settings.yaml: footer.organisation: expected text, not a list",
    ),
    (
        "a footer link that is not a URL",
        "settings.yaml",
        lambda d: {"footer": {**d["footer"], "social_links": [{"type": "link", "value": {"label": "X", "url": 5}}]}},
        "settings.yaml: footer.social_links[0].value.url: expected text, not a whole number",
    ),
    ("a duplicate key", FRAMEWORK, "type: FrameworkPage\ntitle: One\ntitle: Two\n", "duplicate key 'title'"),
    ("an empty page file", FRAMEWORK, "", f"{FRAMEWORK}: the file is empty"),
    ("a page file of null", FRAMEWORK, "null\n", f"{FRAMEWORK}: the file is empty"),
    ("an empty images file", "images.yaml", "# nothing\n", "images.yaml: the file is empty"),
]


class WrongValueTests(RefusalMixin, TestCase):
    def test_each_wrong_value_is_refused_with_its_file_and_field(self):
        for label, relative, change, expected in WRONG_VALUES:
            with self.subTest(label):
                if isinstance(change, str):
                    fixtures = self.fixtures_with(relative, text=change)
                else:
                    fixtures = self.fixtures_with(relative, change=change)
                self.assert_refused(fixtures, expected)

    def test_a_duplicate_key_names_both_lines(self):
        fixtures = self.fixtures_with(FRAMEWORK, text="type: FrameworkPage\ntitle: One\nsummary: S\ntitle: Two\n")
        self.assert_refused(
            fixtures,
            f"{FRAMEWORK}: not valid YAML, line 4: duplicate key 'title' "
            "(while reading a mapping (the key 'title' first appears on line 2))",
        )


BILLION_LAUGHS = """type: FrameworkPage
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
title: *h
"""


class ExpansionTests(RefusalMixin, TestCase):
    def test_a_billion_laughs_is_refused_at_once(self):
        fixtures = self.fixtures_with(FRAMEWORK, text=BILLION_LAUGHS)
        started = time.monotonic()
        self.assert_refused(fixtures, f"{FRAMEWORK}: not valid YAML, line 2: anchors and aliases")
        self.assertLess(time.monotonic() - started, 1)

    def test_a_file_over_the_size_cap_is_refused_unread(self):
        text = "type: FrameworkPage\ntitle: x\nsummary: " + "x" * (1024 * 1024) + "\n"
        self.assert_refused(self.fixtures_with(FRAMEWORK, text=text), f"{FRAMEWORK}: the file is larger than 1024 KB")

    def test_deep_nesting_is_refused_without_a_traceback(self):
        self.assert_refused(
            self.fixtures_with(FRAMEWORK, text="title: " + "[" * 100000), f"{FRAMEWORK}: not valid YAML"
        )

    def test_the_exporter_never_writes_anchors(self):
        shared = ["HOME", "INTPA"]
        text = yamlio.dump({"a": shared, "b": shared})
        self.assertNotIn("&", text)
        self.assertEqual(yamlio.load(text), {"a": shared, "b": shared})
