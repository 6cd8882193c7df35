"""Rich text from fixtures, kept to what the admin's editor lets staff make.

The admin's editor (Draftail) only ever stores what its features allow. A fixture is typed by hand,
so its HTML goes through Wagtail's own whitelist for the same features: the rules that each
feature registers for its HTML converter (wagtail.admin.rich_text.converters.editor_html). The
Draftail converter itself (contentstate) is not used here: its round trip gives every paragraph a
new random block key, so a reload of unchanged fixtures would never be "unchanged", and it stops
with an AssertionError on HTML whose tags do not match.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString
from bs4.element import PreformattedString
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.rich_text.converters.editor_html import DbWhitelister, EditorHTMLConverter
from wagtail.rich_text import features as feature_registry

# The editor marks each paragraph with a key of its own; an export of content edited in the admin
# carries them, so they are kept (when they look like keys) and never reported.
BLOCK_KEY = "data-block-key"
BLOCK_KEY_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def editor_features(editor="default", features=None):
    """The features the admin's editor offers for a rich text field or block: its own `features`,
    else those of the editor's settings (WAGTAILADMIN_RICH_TEXT_EDITORS), as the admin's widget
    resolves them."""
    widget = get_rich_text_editor_widget(editor, features=features)
    return list(getattr(widget, "features", None) or features or feature_registry.get_default_features())


@dataclass
class CleanedRichText:
    html: str
    removed: list = field(default_factory=list)  # what the whitelist took out, for the report
    problems: list = field(default_factory=list)  # what stops the fixture from loading


class _ReportingWhitelister(DbWhitelister):
    """Wagtail's whitelister, noting what it takes out. Only its public hooks are overridden."""

    def __init__(self, converter_rules):
        super().__init__(converter_rules)
        self.removed = []

    def clean_string_node(self, doc, node):
        # Wagtail removes comments but keeps CDATA sections, processing instructions and doctypes
        # as they were written, and a browser reads `<![CDATA[x>` as a comment that ends at the
        # first '>', so what follows it is live HTML. Only plain text stays; the text of a
        # <script> or <style> goes with the element, which is reported.
        if isinstance(node, PreformattedString) and not isinstance(node, Comment):
            self.removed.append(node.output_ready()[:40])
        if type(node) is not NavigableString:
            node.extract()
            return
        super().clean_string_node(doc, node)

    def clean_tag_node(self, doc, tag):
        if tag.name == "[document]":
            super().clean_tag_node(doc, tag)
            return
        name, before = tag.name, dict(tag.attrs)
        super().clean_tag_node(doc, tag)
        if tag.parent is None:
            # Unwrapped (its text stays) or dropped: the editor cannot make this element.
            self.removed.append(f"<{name}>")
            return
        key = before.get(BLOCK_KEY)
        if isinstance(key, str) and BLOCK_KEY_VALUE.match(key):
            tag[BLOCK_KEY] = key
        for attr, value in before.items():
            if tag.name == "a" and attr in ("data-linktype", "data-id") and "linktype" in tag.attrs:
                continue  # a page link, turned into Wagtail's stored form
            if tag.attrs.get(attr) != value:
                shown = " ".join(value) if isinstance(value, list) else value
                self.removed.append(f'{attr}="{shown[:60]}" on <{name}>')


def clean(html, features, page_id):
    """`html` as the editor with `features` would store it. Page links are written
    <a linktype="page" path="/framework/"> in fixtures; `page_id(path)` returns (id, problem)."""
    result = CleanedRichText(html="")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attr in list(tag.attrs):
            # data-linktype and data-id are how the editor marks page and document links by id;
            # fixtures name pages by path, so only the loader writes them.
            if attr.startswith("data-") and attr != BLOCK_KEY:
                result.removed.append(f'{attr}="{tag[attr]}" on <{tag.name}>')
                del tag[attr]
        if tag.name == "a" and "linktype" in tag.attrs:
            _page_link(tag, page_id, result)
    whitelister = _ReportingWhitelister(EditorHTMLConverter(features).converter_rules)
    result.html = whitelister.clean(str(soup))
    result.removed += whitelister.removed
    return result


def _page_link(tag, page_id, result):
    linktype = tag["linktype"]
    if linktype == "document":
        result.problems.append("documents cannot be linked from fixtures; add the link in the admin")
        return
    if linktype != "page":
        return  # the whitelist removes it and the report says so
    if "path" not in tag.attrs:
        result.problems.append('link to pages by path (<a linktype="page" path="/framework/">), not by id')
        return
    pk, problem = page_id(tag["path"])
    if problem:
        result.problems.append(problem)
    for attr, value in tag.attrs.items():
        if attr not in ("linktype", "path"):
            result.removed.append(f'{attr}="{value}" on a page link')
    tag.attrs = {"data-linktype": "page", "data-id": str(pk)}
