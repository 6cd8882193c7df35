"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, against pytest-django's
live server serving the real fixture content.

`live_server` makes each test transactional: pytest-django empties the database after every test.
Loading the content again each time would cost seconds per test, so it is loaded once per worker
(each pytest-xdist worker has its own test database and live server), a snapshot of the whole
database is taken, and every test starts from that snapshot, put back in milliseconds on SQLite
(the backup API) or from a template database on PostgreSQL. So a test may change content (the
editor's journey does) and no other test sees it.
"""

import os
import re
import sqlite3
from urllib.parse import urlsplit
from xml.etree import ElementTree

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import sync_playwright

from tests.utils import live_pages, load_site, missing_in_ci_fails
from tools.chromium import CHROMIUM, is_installed, launch

# pytest-django's live server listens on localhost unless told otherwise; keep it on IPv4 loopback.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

PSYCOPG_PARAMS = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def browser():
    """Chromium, for one test module at a time: Playwright's sync API keeps an event loop running in
    the test's thread while it is started, and Django refuses ORM calls from a thread with a running
    loop. Our ORM calls (the tests', pytest-django's) are plain synchronous code that the loop never
    sees, so Django is told to allow them, but only for as long as the loop runs: the setting must
    not reach other tests (`check --deploy` rightly refuses it)."""
    if not is_installed():
        message = (
            f"The browser tests need Debian's Chromium at {CHROMIUM}. Install it as root with "
            "`bash .ci/install-browser` (or `apt-get install chromium`), or leave these tests out "
            "with `-m 'not browser'`."
        )
        missing_in_ci_fails(message)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = launch(playwright)
        yield chromium
        chromium.close()


class DatabaseSnapshot:
    """The whole test database as it is when taken; restore() puts exactly that back."""

    def __init__(self, alias=DEFAULT_DB_ALIAS):
        self.connection = connections[alias]
        if self.connection.vendor not in ("sqlite", "postgresql"):
            raise RuntimeError(f"The browser tests run on SQLite or PostgreSQL, not {self.connection.vendor}.")
        self.copy = None

    def take(self):
        if self.connection.vendor == "sqlite":
            self.connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.connection.connection.backup(self.copy)
        else:
            name = self.connection.settings_dict["NAME"]
            self.copy = f"{name}_snapshot"
            self.connection.close()  # a template database must have no other session
            self._postgres(f"DROP DATABASE IF EXISTS {self._quote(self.copy)}")
            self._postgres(f"CREATE DATABASE {self._quote(self.copy)} TEMPLATE {self._quote(name)}")

    def restore(self):
        if self.connection.vendor == "sqlite":
            self.connection.ensure_connection()
            self.copy.backup(self.connection.connection)
        else:
            name = self.connection.settings_dict["NAME"]
            self.connection.close()
            # FORCE ends the live server's idle sessions, if any are still open.
            self._postgres(f"DROP DATABASE {self._quote(name)} WITH (FORCE)")
            self._postgres(f"CREATE DATABASE {self._quote(name)} TEMPLATE {self._quote(self.copy)}")
        # Nothing cached in this process may describe rows that are gone (the page cache least of all).
        for alias in settings.CACHES:
            caches[alias].clear()
        ContentType.objects.clear_cache()

    def drop(self):
        if self.connection.vendor == "sqlite":
            self.copy.close()
        else:
            self._postgres(f"DROP DATABASE IF EXISTS {self._quote(self.copy)} WITH (FORCE)")

    def _quote(self, name):
        return self.connection.ops.quote_name(name)

    def _postgres(self, sql):
        """Run `sql` on the server's maintenance database (CREATE and DROP DATABASE cannot run in the
        database they name), with the test database's own credentials."""
        settings_dict = self.connection.settings_dict
        params = {key: settings_dict[name] for key, name in PSYCOPG_PARAMS.items() if settings_dict.get(name)}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(sql)


@pytest.fixture(scope="session")
def _loaded_site(django_db_setup, django_db_blocker):
    """The fixture content, loaded once into this worker's test database, as a snapshot."""
    with django_db_blocker.unblock():
        load_site()
        # Render every page once, so that the image renditions (AVIF is slow to encode) are made
        # now and kept in the snapshot, not made again by every test.
        client = Client()
        for page in live_pages():
            assert client.get(page.url).status_code == 200, page.url
        snapshot = DatabaseSnapshot()
        snapshot.take()
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.drop()


@pytest.fixture
def live_site(live_server, _loaded_site):
    """The live server's base URL, its database exactly as loaded from the fixtures."""
    _loaded_site.restore()
    return live_server.url


@pytest.fixture
def open_page(browser, live_site):
    """open_page(path, phone=False): a page in a new browser context (its own cookies), 1280 px wide,
    or 375 px with touch for a phone, with `path` loaded if given. Requests to any other host are
    stopped before they leave the machine (the tests that look for them still see them)."""
    # Only URLs elsewhere go through Python (a route on every request would slow each page down).
    elsewhere = re.compile(rf"^(?!{re.escape(live_site)}/|data:|blob:)")
    contexts = []

    def open_page(path="/", phone=False):
        context = browser.new_context(
            base_url=live_site,
            viewport=PHONE if phone else DESKTOP,
            device_scale_factor=1,
            is_mobile=phone,
            has_touch=phone,
            reduced_motion="reduce",
        )
        context.route(elsewhere, lambda route: route.abort("blockedbyclient"))
        contexts.append(context)
        page = context.new_page()
        if path is not None:
            page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def sitemap_paths(open_page):
    """The path of every page listed in /sitemap.xml (its <loc> URLs name the site's own host)."""
    response = open_page(None).request.get("/sitemap.xml")
    assert response.ok, f"/sitemap.xml answered {response.status}"
    locs = ElementTree.fromstring(response.body()).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    return [urlsplit(loc.text).path for loc in locs]
