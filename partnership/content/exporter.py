"""Write the live site back into the fixture form, so staff's edits can become the next fixtures."""

import hashlib
import shutil
from pathlib import Path

from django.conf import settings
from wagtail.models import Page, Site

from ..models import FooterSettings, PartnershipImage
from . import yamlio
from .fixtures import translation_key_for
from .schema import NATURAL_KEYS, OPTIONAL_PAGE_FIELDS, PAGE_MODELS, field_kind, optional_fields, own_fields
from .streams import References, to_fixture


def export(output_dir, known_media_dir=None):
    """Export every live page under the default site's root. Returns notes on what could not be
    expressed in fixtures (such as links to documents).

    An image whose file is already among `known_media_dir`'s files keeps that file's name."""
    output_dir = Path(output_dir)
    content_dir = output_dir / "content"
    media_dir = output_dir / "media"
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    pages = list(Page.objects.descendant_of(home, inclusive=True).live().specific().order_by("path"))
    pages = [page for page in pages if type(page).__name__ in PAGE_MODELS]
    home_url = home.url_path
    paths = {page.pk: "/" + page.url_path[len(home_url) :] for page in pages}
    # A page keeps the fixture path it was loaded from, even if staff renamed its slug since.
    images = list(PartnershipImage.objects.order_by("pk"))
    file_names = _image_file_names(images, known_media_dir)
    refs = References()
    refs.set_ids({name: pk for pk, name in file_names.items()}, {path: pk for pk, path in paths.items()})
    notes = []

    if content_dir.exists():
        shutil.rmtree(content_dir)
    locale_dir = content_dir / settings.LANGUAGE_CODE
    children = {}
    for page in pages:
        parent_id = page.get_parent().pk if page.pk != home.pk else None
        children.setdefault(parent_id, []).append(page)
    for page in pages:
        data = _page_data(page, children.get(page.pk, []), refs, notes)
        path = paths[page.pk]
        relative = path.strip("/")
        if page.pk == home.pk:
            target = locale_dir / "index.yaml"
        elif children.get(page.pk):
            target = locale_dir / relative / "index.yaml"
        else:
            target = locale_dir / f"{relative}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yamlio.dump(data), encoding="utf-8")
        if page.translation_key != translation_key_for(path):
            notes.append(f"{path}: was moved or renamed in the admin since it was loaded")

    used = [image for image in images if image.pk in refs.used_image_ids]
    _write_images(used, file_names, content_dir, media_dir)
    _write_settings(site, content_dir, refs, notes)
    return notes


def _page_data(page, children, refs, notes):
    model = type(page)
    data = {"type": model.__name__}
    for model_field in own_fields(model) + optional_fields(model):
        value = _field_value(page, model_field, refs, notes)
        if model_field.name in OPTIONAL_PAGE_FIELDS and value == OPTIONAL_PAGE_FIELDS[model_field.name]:
            continue
        data[model_field.name] = value
    if children:
        data["children"] = [child.slug for child in children]
    return data


def _field_value(page, model_field, refs, notes):
    kind = field_kind(model_field)
    if kind == "stream":
        stored = getattr(page, model_field.name).get_prep_value()
        return to_fixture(model_field.stream_block, stored, refs, notes, f"{page.url_path}{model_field.name}")
    if kind == "image":
        image_id = getattr(page, model_field.attname)
        if image_id:
            refs.used_image_ids.add(image_id)
        return refs.file_by_image_id.get(image_id)
    if kind == "pages":
        key = NATURAL_KEYS[model_field.related_model]
        return [getattr(item, key) for item in getattr(page, model_field.name).order_by("path")]
    return getattr(page, model_field.name)


def _image_file_names(images, known_media_dir):
    """Each image's file name in the fixtures: the known fixture file with the same content, or
    else its upload name, made unique."""
    known = {}
    if known_media_dir and Path(known_media_dir).is_dir():
        for path in sorted(Path(known_media_dir).iterdir()):
            if path.is_file():
                known.setdefault(hashlib.sha1(path.read_bytes()).hexdigest(), path.name)  # noqa: S324 - Wagtail's file_hash is SHA-1
    names, taken = {}, set(known.values())
    for image in images:
        name = known.get(image.file_hash)
        if name is None:
            base = Path(image.file.name).name
            name, counter = base, 2
            while name in taken:
                name = f"{Path(base).stem}-{counter}{Path(base).suffix}"
                counter += 1
        taken.add(name)
        names[image.pk] = name
    return names


def _write_images(images, file_names, content_dir, media_dir):
    media_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for image in images:
        name = file_names[image.pk]
        entries.append({"file": name, "title": image.title, "description": image.description})
        target = media_dir / name
        with image.open_file() as source:
            data = source.read()
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
    (content_dir / "images.yaml").write_text(yamlio.dump(entries), encoding="utf-8")


def _write_settings(site, content_dir, refs, notes):
    footer = FooterSettings.objects.filter(site=site).first()
    if footer is None:
        return
    stream_field = FooterSettings._meta.get_field("social_links")
    data = {
        "organisation": footer.organisation,
        "website": footer.website,
        "email": footer.email,
        "phone": footer.phone,
        "social_links": to_fixture(stream_field.stream_block, footer.social_links.get_prep_value(), refs, notes),
    }
    (content_dir / "settings.yaml").write_text(yamlio.dump({"footer": data}), encoding="utf-8")
