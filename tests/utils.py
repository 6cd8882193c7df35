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
