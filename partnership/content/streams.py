"""StreamField values between the fixture form and Wagtail's stored form.

Fixtures name images by file name and pages by URL path; the database stores ids. Wagtail drops
unknown block types without a word, so the walk here checks every type and key itself.
"""

import re

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from . import richtext
from .types import block_type, mismatch


class References:
    """Names in the fixtures and the ids they stand for. While the plan is only being checked,
    the ids are not known yet (None) and only the names are checked."""

    def __init__(self, image_files=(), page_paths=()):
        self.set_ids(dict.fromkeys(image_files), dict.fromkeys(page_paths))
        self.used_image_ids = set()  # filled by to_fixture, so an export lists only what it uses

    def set_ids(self, image_id_by_file, page_id_by_path):
        self.image_id_by_file = dict(image_id_by_file)
        self.page_id_by_path = dict(page_id_by_path)
        self.file_by_image_id = {pk: name for name, pk in self.image_id_by_file.items()}
        self.path_by_page_id = {pk: path for path, pk in self.page_id_by_path.items()}


_ANCHOR = re.compile(r"<a\b([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _rewrite_page_links(html, rewrite):
    """Call rewrite(attrs) on each <a linktype="page"> and rebuild it from the attrs it returns."""

    def replace(match):
        attrs = dict(_ATTRIBUTE.findall(match.group(1)))
        if attrs.get("linktype") != "page":
            return match.group(0)
        attrs = rewrite(attrs)
        return "<a " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + ">"

    return _ANCHOR.sub(replace, html)


def normalise_path(path):
    path = "/" + str(path).strip().strip("/") + "/"
    return "/" if path == "//" else path


def to_stored(block, raw, where, refs, problems, removed=None):
    """Check a fixture value against `block` and return it in Wagtail's stored (JSON) form.
    Problems stop the load; `removed` collects what rich text lost to the editor's whitelist."""
    removed = [] if removed is None else removed
    if isinstance(block, blocks.StreamBlock):
        if raw is None:
            return []
        if not isinstance(raw, list):
            problems.append((where, "expected a list of blocks, each with 'type' and 'value'"))
            return []
        items = []
        for index, item in enumerate(raw):
            here = f"{where}[{index}]"
            if not isinstance(item, dict) or "type" not in item or set(item) - {"type", "value"}:
                problems.append((here, "each block needs exactly the keys 'type' and 'value'"))
                continue
            if not isinstance(item["type"], str) or item["type"] not in block.child_blocks:
                known = ", ".join(block.child_blocks)
                problems.append((f"{here}.type", f"unknown block type {item['type']!r} (known: {known})"))
                continue
            child = block.child_blocks[item["type"]]
            value = to_stored(child, item.get("value"), f"{here}.value", refs, problems, removed)
            items.append({"type": item["type"], "value": value})
        return items
    if isinstance(block, TableBlock):
        _check_table(raw, where, problems)
        return raw
    if isinstance(block, blocks.StructBlock):
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            problems.append((where, f"expected the fields {', '.join(block.child_blocks)}"))
            return {}
        for name in raw:
            if name not in block.child_blocks:
                problems.append((f"{where}.{name}", f"unknown field (known: {', '.join(block.child_blocks)})"))
        return {
            name: to_stored(child, raw[name], f"{where}.{name}", refs, problems, removed)
            for name, child in block.child_blocks.items()
            if name in raw
        }
    if isinstance(block, blocks.ListBlock):
        if not isinstance(raw, list):
            problems.append((where, "expected a list"))
            return []
        return [
            to_stored(block.child_block, item, f"{where}[{i}]", refs, problems, removed) for i, item in enumerate(raw)
        ]
    if isinstance(block, ImageChooserBlock):
        if raw in (None, ""):
            return _required(block, where, problems)
        if not isinstance(raw, str) or raw not in refs.image_id_by_file:
            problems.append((where, f"no image {raw!r} in images.yaml"))
            return None
        return refs.image_id_by_file[raw]
    if isinstance(block, blocks.PageChooserBlock):
        if raw in (None, ""):
            return _required(block, where, problems)
        if not isinstance(raw, str):
            problems.append((where, f"expected the URL path of a page, e.g. /framework/, not {raw!r}"))
            return None
        path = normalise_path(raw)
        if path not in refs.page_id_by_path:
            problems.append((where, f"no page at '{path}' in the fixtures or on the site"))
            return None
        return refs.page_id_by_path[path]
    if isinstance(block, DocumentChooserBlock):
        if raw not in (None, ""):
            problems.append((where, "documents cannot be loaded from fixtures; add them in the admin"))
        return _required(block, where, problems)
    expected = block_type(block)
    if expected is not None:
        message = mismatch(raw, expected)
        if message:
            problems.append((where, message))
            return None
    if isinstance(block, blocks.RichTextBlock):
        raw = _clean_rich_text(block, raw, where, refs, problems, removed)
    _check_leaf(block, raw, where, problems)
    return raw


def _required(block, where, problems):
    if block.required:
        problems.append((where, "this field is required"))
    return None


def clean_rich_text(html, features, where, refs, problems, removed):
    """Rich text as the admin's editor with `features` would store it, page links by id."""

    def page_id(path):
        path = normalise_path(path)
        if path not in refs.page_id_by_path:
            return None, f"link to '{path}': no such page in the fixtures or on the site"
        return refs.page_id_by_path[path], None

    cleaned = richtext.clean(html, features, page_id)
    problems += [(where, message) for message in cleaned.problems]
    if cleaned.removed:
        what = ", ".join(" ".join(item.split()) for item in cleaned.removed)
        removed.append((where, f"removed what the rich text editor cannot make: {what}"))
    return cleaned.html


def _clean_rich_text(block, html, where, refs, problems, removed):
    return clean_rich_text(html, richtext.editor_features(block.editor, block.features), where, refs, problems, removed)


# Wagtail's table block stores what its editor posts: these keys, of these types.
_TABLE_KEYS = {
    "data": (list,),
    "table_caption": (str,),
    "first_row_is_table_header": (bool,),
    "first_col_is_header": (bool,),
    "table_header_choice": (str,),
    "cell": (list,),
    "mergeCells": (list,),
}
_TABLE_META_KEYS = {"cell": {"row", "col", "className"}, "mergeCells": {"row", "col", "rowspan", "colspan"}}


def _check_table(raw, where, problems):
    if not isinstance(raw, dict):
        problems.append((where, f"a table needs a mapping with 'data' (and optionally {', '.join(_TABLE_KEYS)})"))
        return
    for key, value in raw.items():
        if key not in _TABLE_KEYS:
            problems.append((f"{where}.{key}", f"unknown field (known: {', '.join(_TABLE_KEYS)})"))
        elif message := mismatch(value, _TABLE_KEYS[key], allow_none=key != "data"):
            problems.append((f"{where}.{key}", message))
    data = raw.get("data")
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        problems.append((f"{where}.data", "a table needs 'data': a list of rows, each a list of cells"))
        return
    for r, row in enumerate(data):
        for c, cell in enumerate(row):
            if message := mismatch(cell, (str,), allow_none=True):
                problems.append((f"{where}.data[{r}][{c}]", message))
    for key, names in _TABLE_META_KEYS.items():
        for index, meta in enumerate(raw.get(key) or []):
            here = f"{where}.{key}[{index}]"
            if not isinstance(meta, dict) or set(meta) != names:
                problems.append((here, f"expected a mapping of {', '.join(sorted(names))}"))
                continue
            for name, value in meta.items():
                if message := mismatch(value, (str,) if name == "className" else (int,)):
                    problems.append((f"{here}.{name}", message))


def _check_leaf(block, raw, where, problems):
    try:
        block.clean(block.to_python(raw))
    except ValidationError as error:
        problems.append((where, " ".join(error.messages)))
    except (TypeError, ValueError, AttributeError):
        problems.append((where, f"not a valid value for {type(block).__name__}: {raw!r}"))


def to_fixture(block, stored, refs, notes, where=""):
    """Turn a stored (JSON) value back into the fixture form: ids become names, block ids go."""
    if isinstance(block, blocks.StreamBlock):
        items = []
        for index, item in enumerate(stored or []):
            child = block.child_blocks.get(item["type"])
            if child is not None:
                value = to_fixture(child, item["value"], refs, notes, f"{where}[{index}].value")
                items.append({"type": item["type"], "value": value})
        return items
    if isinstance(block, TableBlock):
        return stored
    if isinstance(block, blocks.StructBlock):
        stored = stored or {}
        return {
            name: to_fixture(child, stored.get(name), refs, notes, f"{where}.{name}")
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        values = [item["value"] if isinstance(item, dict) and "value" in item else item for item in stored or []]
        return [to_fixture(block.child_block, v, refs, notes, f"{where}[{i}]") for i, v in enumerate(values)]
    if isinstance(block, ImageChooserBlock):
        if stored:
            refs.used_image_ids.add(stored)
        return refs.file_by_image_id.get(stored) if stored else None
    if isinstance(block, blocks.PageChooserBlock):
        if stored and stored not in refs.path_by_page_id:
            notes.append(f"{where}: links to a page outside the site tree; left empty")
        return refs.path_by_page_id.get(stored) if stored else None
    if isinstance(block, DocumentChooserBlock):
        if stored:
            notes.append(f"{where}: document links are not exported; left empty")
        return None
    if isinstance(block, blocks.RichTextBlock) and isinstance(stored, str):
        paths = refs.path_by_page_id

        def rewrite(attrs):
            page_id = int(attrs.pop("id", 0) or 0)
            if page_id not in paths:
                notes.append(f"{where}: a link to page {page_id} points outside the site tree")
            return {"linktype": "page", "path": paths.get(page_id, "/"), **attrs}

        return _rewrite_page_links(stored, rewrite)
    return stored


def strip_block_ids(value):
    """Stored StreamField JSON without the block ids Wagtail adds, for comparing content."""
    if isinstance(value, list):
        return [strip_block_ids(item) for item in value]
    if isinstance(value, dict):
        if "type" in value and "value" in value:
            return {"type": value["type"], "value": strip_block_ids(value["value"])}
        return {key: strip_block_ids(item) for key, item in value.items()}
    return value
