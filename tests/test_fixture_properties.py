"""Any fixture, valid or broken, either loads or is refused with every problem as
`file: field: message`: never a traceback, never a half-written database."""

import hashlib
import re
import tempfile
from pathlib import Path

import yaml
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from wagtail.models import Page

from .utils import FIXTURES_DIR, copy_fixtures, load_site, page_at, row_counts, run_command

CONTENT = FIXTURES_DIR / "content"
FILES = sorted(str(p.relative_to(CONTENT)) for p in CONTENT.rglob("*.yaml"))
PAGE_FILES = [name for name in FILES if name.startswith("en/")]
MEDIA = sorted(p.name for p in (FIXTURES_DIR / "media").iterdir())

HEADER = re.compile(r"^The content was not loaded \((\d+) problem\(s\)\); the database is unchanged:$")
PROBLEM = re.compile(r"^  (?P<file>[^:]+?): (?P<rest>.+)$")

# Values of every YAML type, nested a little.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(max_size=40),
    st.sampled_from(["", "h2", "FrameworkPage", "/framework/", "HOME", "framework-members.png", "x" * 300]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
HTML = st.sampled_from(
    [
        '<p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a></p>',
        "<p><![CDATA[x><script>alert(1)</script>]]></p>",
        '<p><a linktype="page" path="/framework/">ok</a></p>',
        '<p><a linktype="page" path="/nowhere/">gone</a></p>',
        '<p><a linktype="page" id="1">by id</a></p>',
        '<p><a linktype="document" id="1">doc</a></p>',
        '<p><a data-linktype="page" data-id="1">editor form</a></p>',
        "<p><b>bold</b> <i>italic</i></p><ul><li>item</li></ul>",
        "<h1>big</h1><table><tr><td>cell</td></tr></table><style>p{}</style>",
        "<p>unclosed <b>bold",
    ]
)
# Values that Django's clean() would once have turned into text, and values the loader once
# crashed on (unhashable keys), drawn before any others.
WRONG = st.sampled_from([[1, 2], {"a": 1}, ["FrameworkPage"], [["HOME"]], 5, True, None])
NAMES = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="/\\:\0"), min_size=1, max_size=30
).filter(lambda name: name not in (".", "..") and len(name.encode()) < 200)


def read(path):
    return yaml.safe_load(path.read_text())


def write(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@st.composite
def mutations(draw):
    """A function that breaks (or harmlessly changes) a copy of the fixtures, and its label."""
    kind = draw(
        st.sampled_from(
            [
                "set field",
                "unknown field",
                "random text",
                "truncate",
                "inject html",
                "set block value",
                "rename page",
                "delete file",
                "bad image ref",
                "change summary",
            ]
        )
    )
    name = draw(st.sampled_from(PAGE_FILES))
    value = draw(st.one_of(WRONG, VALUES))

    def page(fixtures):
        return fixtures / "content" / name

    if kind == "set field":
        key = draw(
            st.sampled_from(
                ["type", "title", "summary", "body", "children", "show_in_menus", "social_image", "acronym"]
            )
        )

        def change(fixtures):
            data = read(page(fixtures))
            data[key] = value
            write(page(fixtures), data)

    elif kind == "unknown field":
        key = draw(st.text(min_size=1, max_size=12))

        def change(fixtures):
            data = read(page(fixtures))
            data[key] = value
            write(page(fixtures), data)

    elif kind == "random text":
        any_file = draw(st.sampled_from(FILES))
        text = draw(st.text(max_size=200))

        def change(fixtures):
            (fixtures / "content" / any_file).write_text(text)

    elif kind == "truncate":
        any_file = draw(st.sampled_from(FILES))
        fraction = draw(st.floats(0, 1))

        def change(fixtures):
            path = fixtures / "content" / any_file
            text = path.read_text()
            path.write_text(text[: int(len(text) * fraction)])

    elif kind == "inject html":
        html = draw(HTML)

        def change(fixtures):
            data = read(page(fixtures))
            data["body"] = [*(data.get("body") or []), {"type": "paragraph", "value": html}]
            write(page(fixtures), data)

    elif kind == "set block value":
        index = draw(st.integers(0, 5))
        block_type = draw(st.sampled_from(["heading", "paragraph", "image", "quote", "call_to_action", "table"]))

        def change(fixtures):
            data = read(page(fixtures))
            body = list(data.get("body") or [{"type": "paragraph", "value": "<p>x</p>"}])
            body[index % len(body)] = {"type": block_type, "value": value}
            data["body"] = body
            write(page(fixtures), data)

    elif kind == "rename page":
        new_name = draw(NAMES)

        def change(fixtures):
            path = page(fixtures)
            path.rename(path.with_name(new_name))

    elif kind == "delete file":
        target = draw(st.sampled_from([f"content/{n}" for n in FILES] + [f"media/{n}" for n in MEDIA]))

        def change(fixtures):
            (fixtures / target).unlink()

    elif kind == "bad image ref":
        ref = draw(
            st.one_of(
                st.sampled_from(["/etc/passwd", "../README.md", "../../x.png", "", ".", "media", "nothing.png"]),
                WRONG,
                VALUES,
            ).filter(lambda ref: ref not in MEDIA)  # a real file's own name would change nothing
        )
        index = draw(st.integers(0, 10))

        def change(fixtures):
            path = fixtures / "content/images.yaml"
            data = read(path)
            data[index % len(data)]["file"] = ref
            write(path, data)

    else:  # a valid change: the fixtures load
        text = draw(st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=80))

        def change(fixtures):
            data = read(page(fixtures))
            data["summary"] = text
            write(page(fixtures), data)

    return kind, name, (key if kind == "set field" else "summary" if kind == "change summary" else None), change


def url_path(name):
    """The URL path of a page file: en/index.yaml is /, en/a/index.yaml /a/, en/a/b.yaml /a/b/."""
    parts = Path(name).with_suffix("").parts[1:]
    if parts[-1] == "index":
        parts = parts[:-1]
    return "/" + "".join(f"{part}/" for part in parts)


def page_table():
    rows = Page.objects.order_by("id").values_list("id", "path", "title", "slug", "live", "latest_revision_id")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


class AnyFixtureTests(TestCase):
    """Runs on a loaded site, so that a refused load has something to leave as it was."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_site()

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutations())
    def test_any_fixture_loads_or_is_refused_file_by_file_and_writes_nothing(self, mutation):
        kind, name, key, change = mutation
        with tempfile.TemporaryDirectory() as tmp:
            fixtures = copy_fixtures(tmp)
            change(fixtures)
            before = (row_counts(), page_table())
            try:
                run_command("load_content", "--fixtures", str(fixtures))
            except CommandError as error:
                self.assert_lists_problems(str(error), fixtures, kind)
                self.assertEqual((row_counts(), page_table()), before, kind)
            else:
                self.assert_loaded_as_written(fixtures, kind, name, key)

    def assert_loaded_as_written(self, fixtures, kind, name, key):
        """What loaded is what the file says, not a coerced or unfiltered version of it."""
        # No file in media/ has the new name (or it is not a file name), and a page names the old one.
        self.assertNotEqual(kind, "bad image ref")
        data = read(fixtures / "content" / name)
        page = page_at(url_path(name))
        if key in ("title", "summary", "show_in_menus", "acronym"):
            self.assertEqual(getattr(page, key), data[key], kind)
            self.assertIs(type(getattr(page, key)), type(data[key]), kind)
        if key == "social_image":  # loads only as nothing or as a file images.yaml lists
            self.assertIn(data[key], [None, *MEDIA], kind)
            self.assertEqual(page.social_image is None, data[key] is None, kind)
        stored = str(page.body.raw_data)
        for unsafe in ("<script", "javascript:", "onerror", "CDATA", "data-linktype"):
            self.assertNotIn(unsafe, stored, kind)

    def assert_lists_problems(self, message, fixtures, kind):
        header, *lines = message.split("\n")
        match = HEADER.match(header)
        self.assertIsNotNone(match, message)
        self.assertEqual(len(lines), int(match.group(1)), message)
        content = Path(fixtures) / "content"
        for line in lines:
            problem = PROBLEM.match(line)
            self.assertIsNotNone(problem, f"{kind}: {line!r}")
            file = problem.group("file")
            # Every problem names a file or folder of the fixtures (or the --force argument).
            named = (content / file).exists() or file.endswith(".yaml") or file == str(content)
            self.assertTrue(named, f"{kind}: {line!r}")


def test_the_property_test_sees_every_fixture_file():
    # The strategy draws from these lists: an empty one would make the property test vacuous.
    assert "images.yaml" in FILES and "settings.yaml" in FILES
    assert "en/index.yaml" in PAGE_FILES and len(MEDIA) >= 1
