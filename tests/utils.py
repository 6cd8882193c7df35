"""Helpers shared by the test modules: load the repository's real content, copy fixtures to edit."""

import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page, PageLogEntry, Revision, Site

from partnership.content.loader import load
from partnership.models import FooterSettings, PartnershipImage

FIXTURES_DIR = Path(settings.FIXTURES_DIR)


def fixture_page_files():
    return sorted((FIXTURES_DIR / "content" / settings.LANGUAGE_CODE).rglob("*.yaml"))


def fixture_image_count():
    """How many images fixtures/content/images.yaml lists: an image a test adds comes after them."""
    import yaml

    return len(yaml.safe_load((FIXTURES_DIR / "content" / "images.yaml").read_text()))


def load_site():
    """Load the real fixtures into the test database, as `manage.py load_content` does."""
    return load(FIXTURES_DIR)


def run_command(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def copy_fixtures(tmp_path):
    target = Path(tmp_path) / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    return target


def row_counts():
    """What a failed load must leave exactly as it found."""
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, PageLogEntry, PartnershipImage, FooterSettings)
    }


def page_at(path):
    """The live specific page at a URL path of the default site, e.g. '/framework/'."""
    root = Site.objects.get(is_default_site=True).root_page
    return Page.objects.get(url_path=root.url_path + path.lstrip("/")).specific


class LoadedSiteMixin:
    """Loads the real fixture content once per test class."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_site()
        cls.site = Site.objects.get(is_default_site=True)
        cls.home = cls.site.root_page.specific


def live_pages():
    root = Site.objects.get(is_default_site=True).root_page
    return list(Page.objects.descendant_of(root, inclusive=True).live().public().specific().order_by("path"))


def soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content.decode(), "html.parser")


def _encode_block(block, value, prefix, data):
    """Write `value` into `data` the way Wagtail's block editor posts it (the editor builds these
    fields in JavaScript, so they are missing from the page's HTML)."""
    from wagtail import blocks

    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(value))
        for i, child in enumerate(value):
            data[f"{prefix}-{i}-type"] = child.block_type
            data[f"{prefix}-{i}-deleted"] = ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-id"] = child.id or ""
            _encode_block(child.block, child.value, f"{prefix}-{i}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _encode_block(child, value.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks) if hasattr(value, "bound_blocks") else list(value)
        data[f"{prefix}-count"] = str(len(items))
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-deleted"] = ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-id"] = getattr(item, "id", "") or ""
            _encode_block(block.child_block, getattr(item, "value", item), f"{prefix}-{i}-value", data)
    elif isinstance(block, blocks.RichTextBlock):
        data[prefix] = block.field.widget.format_value(value.source if value else "")
    elif isinstance(block, blocks.ChooserBlock):
        data[prefix] = str(value.pk) if value else ""
    else:
        data[prefix] = "" if value is None else block.value_for_form(value)


def edit_form_data(client, page):
    """The POST data of Wagtail's edit form for `page` as it stands, ready to change and send."""
    from django.urls import reverse
    from wagtail.fields import StreamField
    from wagtail.test.utils.form_data import querydict_from_html

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            encoded = {}
            _encode_block(field.stream_block, getattr(page, field.name), field.name, encoded)
            for key, value in encoded.items():
                data[key] = value
    return data


def missing_in_ci_fails(reason):
    """A service or program a test needs is not here: skip locally, fail in CI (CI=true), where
    every test must run."""
    import os

    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} CI must run this test.", pytrace=False)
    pytest.skip(str(reason))
