"""Read the fixture files into a checked plan. Nothing here writes to the database."""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from wagtail.images.fields import WagtailImageField
from wagtail.models import Page, Site

from ..models import FooterSettings, PartnershipImage
from . import yamlio
from .errors import ContentError, Problem
from .schema import (
    NATURAL_KEYS,
    OPTIONAL_PAGE_FIELDS,
    PAGE_MODELS,
    STRUCTURE_KEYS,
    field_kind,
    optional_fields,
    own_fields,
)
from .streams import References, to_stored
from .types import mismatch, model_field_type

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Pages made from the same fixture path share a translation key in every locale and keep it when
# staff move or rename them, so the loader finds them again.
TRANSLATION_KEY_NAMESPACE = uuid.UUID("6f1c2a7e-4d1b-4f0e-9a55-3b8f0e7c1d20")


def translation_key_for(path):
    return uuid.uuid5(TRANSLATION_KEY_NAMESPACE, path)


@dataclass
class PageSpec:
    file: str  # relative to the content folder, for messages
    locale: str
    path: str  # the URL path below the site root: "/", "/framework/", ...
    model: type
    data: dict  # the page's fields as written in the file
    children: list = field(default_factory=list)

    @property
    def slug(self):
        return self.path.strip("/").rsplit("/", 1)[-1] or "home"

    @property
    def parent_path(self):
        if self.path == "/":
            return None
        parent = self.path.strip("/").rsplit("/", 1)[0] if "/" in self.path.strip("/") else ""
        return f"/{parent}/" if parent else "/"

    @property
    def translation_key(self):
        return translation_key_for(self.path)


@dataclass
class ImageSpec:
    file: str
    title: str
    description: str
    path: Path


@dataclass
class Fixtures:
    pages: list  # parents before children, children in their listed order
    images: list
    footer: dict | None
    references: References
    # What rich text lost to the editor's whitelist: reported, and refused with --strict.
    removed: list = field(default_factory=list)

    def page(self, path):
        return next((spec for spec in self.pages if spec.path == path), None)


def read(fixtures_dir, strict=False):
    """Read and check everything under `fixtures_dir`; raise ContentError listing every problem.
    With `strict`, rich text that loses anything to the editor's whitelist is a problem too."""
    fixtures_dir = Path(fixtures_dir)
    content_dir = fixtures_dir / "content"
    problems = []
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), "", "no such folder")])

    images = _read_images(content_dir, fixtures_dir / "media", problems)
    footer = _read_footer(content_dir, problems)
    pages = []
    languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    for locale_dir in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if locale_dir.name != settings.LANGUAGE_CODE:
            reason = (
                "is not the site's default language"
                if locale_dir.name in languages
                else "is not a language of the site"
            )
            problems.append(
                Problem(locale_dir.name, "", f"locale '{locale_dir.name}' {reason}; translations are not loaded yet")
            )
            continue
        pages += _read_tree(content_dir, locale_dir, problems)
    if not pages and not problems:
        problems.append(Problem(f"{settings.LANGUAGE_CODE}/index.yaml", "", "the home page file is missing"))

    references = References(
        image_files=[image.file for image in images],
        page_paths=[spec.path for spec in pages] + _site_page_paths(),
    )
    removed = []
    _check_pages(pages, references, problems, removed)
    _check_footer(footer, references, problems)
    if strict:
        problems += removed
    if problems:
        raise ContentError(problems)
    return Fixtures(pages=pages, images=images, footer=footer, references=references, removed=removed)


def _load_yaml(path, content_dir, problems):
    """The file's data, or None after adding a problem: never an exception."""
    name = str(path.relative_to(content_dir))
    try:
        if path.stat().st_size > yamlio.MAX_FILE_SIZE:
            problems.append(Problem(name, "", f"the file is larger than {yamlio.MAX_FILE_SIZE // 1024} KB"))
            return None
        data = yamlio.load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", line {mark.line + 1}" if mark else ""
        context = f" ({error.context})" if error.context else ""
        problems.append(Problem(name, "", f"not valid YAML{where}: {error.problem}{context}"))
        return None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(name, "", f"not valid YAML: {error}".replace("\n", " ")))
        return None
    except RecursionError:
        problems.append(Problem(name, "", "not valid YAML: nested too deeply"))
        return None
    except OSError as error:
        problems.append(Problem(name, "", f"cannot be read: {error.strerror}"))
        return None
    if data is None:
        problems.append(Problem(name, "", "the file is empty"))
    return data


def _read_images(content_dir, media_dir, problems):
    path = content_dir / "images.yaml"
    if not path.exists():
        return []
    data = _load_yaml(path, content_dir, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem("images.yaml", "", "expected a list of images"))
        return []
    images, seen = [], set()
    for index, item in enumerate(data):
        where = f"[{index}]"
        if not isinstance(item, dict) or set(item) != {"file", "title", "description"}:
            problems.append(Problem("images.yaml", where, "each image needs exactly 'file', 'title' and 'description'"))
            continue
        wrong = [(key, mismatch(item[key], (str,))) for key in ("file", "title", "description")]
        problems += [Problem("images.yaml", f"{where}.{key}", message) for key, message in wrong if message]
        if any(message for _key, message in wrong):
            continue
        name = item["file"]
        if name in seen:
            problems.append(Problem("images.yaml", f"{where}.file", f"'{name}' is listed twice"))
        seen.add(name)
        for key in ("title", "description"):
            if not item[key].strip():
                problems.append(
                    Problem("images.yaml", f"{where}.{key}", "this field is required (the description is the alt text)")
                )
                continue
            try:
                PartnershipImage._meta.get_field(key).clean(item[key], None)
            except ValidationError as error:
                problems.append(Problem("images.yaml", f"{where}.{key}", " ".join(error.messages)))
        file_path = _media_file(media_dir, name, f"{where}.file", problems)
        if file_path is not None:
            images.append(ImageSpec(name, item["title"], item["description"], file_path))
    return images


def _media_file(media_dir, name, where, problems):
    """The image file `name` inside media/, checked as the admin checks an upload; else None."""
    pure = PurePosixPath(name)
    if not name or pure.is_absolute() or ".." in pure.parts or "\\" in name or ":" in name:
        problems.append(Problem("images.yaml", where, f"'{name}' must be a file name inside media/"))
        return None
    path = (media_dir / name).resolve()
    if not path.is_relative_to(media_dir.resolve()):
        problems.append(Problem("images.yaml", where, f"media/{name} leads outside media/"))
        return None
    if not path.is_file():
        problems.append(Problem("images.yaml", where, f"missing image file media/{name}"))
        return None
    try:
        with path.open("rb") as handle:
            # Wagtail's own upload field: the extension against WAGTAILIMAGES_EXTENSIONS, the file's
            # real format, WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILIMAGES_MAX_IMAGE_PIXELS.
            WagtailImageField().clean(ImageFile(handle, name=pure.name, path=path))
    except ValidationError as error:
        problems.append(Problem("images.yaml", where, f"media/{name}: {' '.join(error.messages)}"))
        return None
    except OSError as error:
        problems.append(Problem("images.yaml", where, f"media/{name} cannot be read: {error.strerror}"))
        return None
    return path


class ImageFile(File):
    """An image file of the fixtures, offered to Wagtail's upload field the way Django offers a
    large upload: as a file on disk (temporary_file_path), so the field reads the image from it
    rather than copying all of it into memory before it checks the size."""

    def __init__(self, file, name, path):
        super().__init__(file, name=name)
        self.path = path

    def temporary_file_path(self):
        return str(self.path)


def _read_footer(content_dir, problems):
    path = content_dir / "settings.yaml"
    if not path.exists():
        return None
    data = _load_yaml(path, content_dir, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != {"footer"} or not isinstance(data["footer"], dict):
        problems.append(Problem("settings.yaml", "", "expected a mapping with one key, 'footer'"))
        return None
    footer = data["footer"]
    names = {f.name for f in FooterSettings._meta.local_fields} - {"id", "site"}
    for key in footer:
        if key not in names:
            problems.append(
                Problem("settings.yaml", f"footer.{key}", f"unknown field (known: {', '.join(sorted(names))})")
            )
    return footer


def _check_footer(footer, references, problems):
    """The footer's fields, checked as the page fields are, before anything is written."""
    if footer is None:
        return
    found = []
    for model_field in FooterSettings._meta.local_fields:
        name = model_field.name
        if name in ("id", "site"):
            continue
        if name not in footer:
            if not (model_field.blank or model_field.has_default()):
                found.append((f"footer.{name}", "this field is required"))
            continue
        if field_kind(model_field) == "stream":
            to_stored(model_field.stream_block, footer[name], f"footer.{name}", references, found)
        else:
            _check_value(model_field, footer[name], f"footer.{name}", found)
    problems += [Problem("settings.yaml", where, message) for where, message in found]


def _check_value(model_field, value, where, problems):
    """A plain field's value: its YAML type first (clean() would turn a list into text), then
    what the field itself accepts (length, choices, format)."""
    expected = model_field_type(model_field)
    if expected is not None:
        message = mismatch(value, expected, allow_none=model_field.null)
        if message:
            problems.append((where, message))
            return
    try:
        model_field.clean(value, None)
    except ValidationError as error:
        problems.append((where, " ".join(error.messages)))


def _read_tree(content_dir, locale_dir, problems):
    """Pages of one locale, parents first and children in the order their parent lists them."""
    pages = []

    def visit(folder, url_path):
        index_file = folder / "index.yaml"
        spec = _read_page(content_dir, index_file, locale_dir.name, url_path, problems)
        if spec is None:
            return
        pages.append(spec)
        found = {}
        for entry in sorted(folder.iterdir()):
            if entry.name == "index.yaml":
                continue
            slug = entry.stem if entry.is_file() else entry.name
            name = str(entry.relative_to(content_dir))
            if entry.is_file() and entry.suffix != ".yaml":
                problems.append(Problem(name, "", "not a page file: page files end in .yaml"))
                continue
            if entry.is_dir() and not (entry / "index.yaml").is_file():
                problems.append(Problem(name, "", "a page folder needs an index.yaml"))
                continue
            if not SLUG.match(slug):
                problems.append(
                    Problem(name, "", f"'{slug}' is not a valid slug: use lower-case letters, digits and hyphens")
                )
                continue
            if slug in found:
                problems.append(Problem(name, "", f"duplicate slug '{slug}': {found[slug].name} has it too"))
                continue
            found[slug] = entry
        listed = spec.children
        if listed is None:
            listed = list(found)
        duplicates = {slug for slug in listed if listed.count(slug) > 1}
        if duplicates:
            problems.append(Problem(spec.file, "children", f"duplicate slug(s): {', '.join(sorted(duplicates))}"))
        for slug in listed:
            if slug not in found:
                problems.append(
                    Problem(spec.file, "children", f"lists '{slug}' but there is no {slug}.yaml or {slug}/index.yaml")
                )
        for slug in found:
            if slug not in listed:
                problems.append(Problem(spec.file, "children", f"does not list '{slug}', which has a file"))
        spec.children = [slug for slug in dict.fromkeys(listed) if slug in found]
        for slug in spec.children:
            entry = found[slug]
            if entry.is_dir():
                visit(entry, f"{url_path}{slug}/")
            else:
                child = _read_page(content_dir, entry, locale_dir.name, f"{url_path}{slug}/", problems)
                if child is not None:
                    if child.children:
                        problems.append(
                            Problem(child.file, "children", "a page with children must be a folder with an index.yaml")
                        )
                    pages.append(child)

    if not (locale_dir / "index.yaml").is_file():
        problems.append(Problem(f"{locale_dir.name}/index.yaml", "", "the home page file is missing"))
        return pages
    visit(locale_dir, "/")
    return pages


def _read_page(content_dir, path, locale, url_path, problems):
    data = _load_yaml(path, content_dir, problems)
    name = str(path.relative_to(content_dir))
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(Problem(name, "", "expected a mapping of field names to values"))
        return None
    type_name = data.get("type")
    model = PAGE_MODELS.get(type_name) if isinstance(type_name, str) else None
    if model is None:
        problems.append(Problem(name, "type", f"unknown page type {type_name!r} (known: {', '.join(PAGE_MODELS)})"))
        return None
    children = data.get("children")
    if children is not None and (not isinstance(children, list) or not all(isinstance(c, str) for c in children)):
        problems.append(Problem(name, "children", "expected a list of slugs"))
        children = []
    fields = {key: value for key, value in data.items() if key not in STRUCTURE_KEYS}
    return PageSpec(file=name, locale=locale, path=url_path, model=model, data=fields, children=children)


def _site_page_paths():
    """URL paths of pages already on the site, which fixtures may link to."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or site.root_page.depth < 2:
        return []
    root_path = site.root_page.url_path
    return [
        "/" + url_path[len(root_path) :]
        for url_path in Page.objects.descendant_of(site.root_page, inclusive=True).values_list("url_path", flat=True)
    ]


def _check_pages(pages, references, problems, removed):
    # Natural keys are unique within a locale (a French DG HOME beside the English one), so they
    # are kept as (locale, key) pairs: a page names, and clashes with, pages of its own locale only.
    acronyms = {}
    paths = {spec.path: spec for spec in pages}
    # Natural keys of the wrong type are reported by _check_fields; here they are left out.
    planned = {
        model: {
            (spec.locale, spec.data.get(key))
            for spec in pages
            if spec.model is model and isinstance(spec.data.get(key), str)
        }
        for model, key in NATURAL_KEYS.items()
    }
    for spec in pages:
        parent = paths.get(spec.parent_path)
        parent_model = parent.model if parent else Page
        if parent is not None or spec.path == "/":
            if (
                spec.model not in parent_model.allowed_subpage_models()
                or parent_model not in spec.model.allowed_parent_page_models()
            ):
                problems.append(
                    Problem(
                        spec.file, "type", f"a {spec.model.__name__} cannot be placed under a {parent_model.__name__}"
                    )
                )
        if spec.model.max_count and sum(1 for other in pages if other.model is spec.model) > spec.model.max_count:
            problems.append(Problem(spec.file, "type", f"only {spec.model.max_count} {spec.model.__name__} may exist"))
        _check_fields(spec, references, planned, problems, removed)
        for model, key in NATURAL_KEYS.items():
            if spec.model is model and isinstance(spec.data.get(key), str):
                value = (spec.locale, spec.data.get(key))
                if value in acronyms:
                    problems.append(Problem(spec.file, key, f"'{value[1]}' is already used by {acronyms[value]}"))
                acronyms[value] = spec.file


def _check_fields(spec, references, planned, problems, removed):
    known = {f.name: f for f in own_fields(spec.model) + optional_fields(spec.model)}
    for key in spec.data:
        if key not in known:
            problems.append(
                Problem(spec.file, key, f"unknown field for {spec.model.__name__} (known: {', '.join(known)})")
            )
    for name, model_field in known.items():
        if name not in spec.data:
            if name in OPTIONAL_PAGE_FIELDS or model_field.blank or model_field.has_default():
                continue
            problems.append(Problem(spec.file, name, "this field is required"))
            continue
        value = spec.data[name]
        kind = field_kind(model_field)
        found, lost = [], []
        if kind == "stream":
            to_stored(model_field.stream_block, value, name, references, found, lost)
        elif kind == "image":
            if value is not None and (not isinstance(value, str) or value not in references.image_id_by_file):
                found.append((name, f"no image {value!r} in images.yaml"))
        elif kind == "pages":
            _check_page_keys(model_field, value, name, spec.locale, planned, found)
        else:
            _check_value(model_field, value, name, found)
        problems += [Problem(spec.file, where, message) for where, message in found]
        removed += [Problem(spec.file, where, message) for where, message in lost]


def _check_page_keys(model_field, value, name, locale, planned, problems):
    model = model_field.related_model
    key = NATURAL_KEYS[model]
    if not isinstance(value, list):
        problems.append((name, f"expected a list of {key}s"))
        return
    # Pages this relation may point to, in the page's own locale: those in the fixtures and those
    # already on the site.
    known = {item for item_locale, item in planned[model] if item_locale == locale} | set(
        model.objects.filter(locale__language_code=locale).values_list(key, flat=True)
    )
    for index, item in enumerate(value):
        if not isinstance(item, str):
            problems.append((f"{name}[{index}]", f"expected the {key} of a {model._meta.verbose_name}, not {item!r}"))
        elif item not in known:
            problems.append((f"{name}[{index}]", f"no {model._meta.verbose_name} with {key} '{item}'"))
