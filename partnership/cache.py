"""Telling the HTTP cache in front of the site what to forget when content changes.

Pages are kept by Varnish (deploy/varnish/default.vcl) or a CDN as their Cache-Control says
(BasePage.serve). When something visitors see changes, every cache in WAGTAILFRONTENDCACHE is told,
through wagtail.contrib.frontend_cache, once the change is committed (a visitor's request before
the commit would still read, and store, the old content):

- a page published, unpublished or deleted: that page's URLs, the URLs of the pages that show it
  (BasePage.pages_that_show_it: the pages above it, which list it, those below, whose breadcrumbs
  name it, and related pages) and the sitemap;
- a change that shows on every page (a page in the main menu or the home page, a page moved or
  renamed, the footer or another site setting, a Site, a view restriction, an image or a document
  that a page uses): everything of the site, by one BAN where the cache takes it (VarnishBackend)
  and by purging each live page's URL where it does not (a CDN).

Wagtail's own frontend_cache handlers also purge a published page as it is published.

Fragments that many renders repeat (the menu, the breadcrumbs, the footer) are kept in Django's
cache with {% wagtailcache %}, keyed by the content version: a number in the same cache that every
such change increases, at once and again after the commit, so a fragment never outlives a publish.
"""

import logging
import threading
import time
from urllib.error import URLError
from urllib.parse import urlunsplit
from urllib.request import Request, urlopen

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

logger = logging.getLogger(__name__)


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend (PURGE of one URL, with the page's Host header), plus BAN: one request
    that makes Varnish forget every object of a host (see deploy/varnish/default.vcl)."""

    def ban_host(self, hostname):
        request = Request(  # noqa: S310 - the URL is the configured LOCATION
            urlunsplit([self.cache_scheme, self.cache_netloc, "/", "", ""]),
            method="BAN",
            headers={"Host": hostname, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            urlopen(request, timeout=10).close()  # noqa: S310 - the URL is the configured LOCATION
        except (URLError, OSError) as error:  # HTTPError is a URLError
            logger.error("Couldn't ban %s from the HTTP cache at %s: %s", hostname, self.cache_netloc, error)


class Forgetting(threading.local):
    """What the caches must forget once the current transaction commits: page URLs, or everything."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.urls = set()
        self.everything = False


pending = Forgetting()

CONTENT_VERSION_KEY = "partnership:content-version"


def content_version():
    """The number the cached fragments of pages are keyed by (see the module's docstring)."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        # From the clock, not from 1: a cache that lost the number (Redis restarted, or unreachable)
        # must not meet a number that fragments are still stored under.
        version = time.time_ns() // 1_000_000
        cache.add(CONTENT_VERSION_KEY, version, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY) or version
    return version


def new_content_version():
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:  # no number yet: nothing is stored under one either
        content_version()


def forget_page(page):
    """A page's change: it and the pages that show it. Its URLs are worked out now, while it still has
    them (a deleted page has none after the commit)."""
    page = page.specific_deferred if type(page) is Page else page
    if _shows_everywhere(page):
        forget_everything()
        return
    batch = PurgeBatch()
    batch.add_page(page)
    show_it = getattr(page, "pages_that_show_it", None)
    batch.add_pages(show_it() if show_it else page.get_ancestors().live().exclude(depth=1))
    site = page.get_site()
    if site is not None:
        batch.add_url(f"{site.root_url}/sitemap.xml")
    pending.urls.update(batch.urls)
    new_content_version()
    transaction.on_commit(send, robust=True)


def forget_everything(**kwargs):
    """Also a signal receiver, so it takes any signal's arguments."""
    pending.everything = True
    new_content_version()
    transaction.on_commit(send, robust=True)


def _shows_everywhere(page):
    """The home page, and the pages in the main menu (the children of a site's root page): their
    titles are on every page; and page types that say so (an EU body's website is in every
    page's footer)."""
    if getattr(page.specific_class, "shown_on_every_page", False):
        return True
    return page.depth <= 2 or Site.objects.filter(root_page__in=[page.pk, page.get_parent().pk]).exists()


def send():
    """Tell the caches, once per transaction however many changes it made (on_commit runs this after
    each of them; the first one sends what is pending and the rest find nothing)."""
    urls, everything = pending.urls, pending.everything
    pending.clear()
    if urls or everything:
        # Again, now that the change is committed: a render between the change and the commit read
        # the data from before it, and may have stored fragments under the newer number.
        new_content_version()
    if everything:
        ban_everything()
    elif urls:
        PurgeBatch(urls).purge()


def ban_everything():
    backends = get_backends()
    if not backends:
        return
    sites = list(Site.objects.select_related("root_page"))
    banning = {name for name, backend in backends.items() if isinstance(backend, VarnishBackend)}
    for name in banning:
        for site in sites:
            backends[name].ban_host(site.hostname)
    others = [name for name in backends if name not in banning]
    if others:
        # A CDN takes no BAN: each live page's URL, and the sitemap.
        batch = PurgeBatch()
        batch.add_pages(Page.objects.live().public().exclude(depth=1).specific())
        batch.add_urls(f"{site.root_url}/sitemap.xml" for site in sites)
        batch.purge(backends=others)
    logger.info("Asked the HTTP caches to forget every page")


# What shows on every page, or on pages that cannot be told apart cheaply.
SHOWN_EVERYWHERE = (Site, BaseSiteSetting, PageViewRestriction)
# Saves of a file's bookkeeping, which Wagtail makes while it renders: nothing a visitor sees.
FILE_BOOKKEEPING = {"file_size", "file_hash"}


def _on_page_change(sender, instance, **kwargs):
    forget_page(instance)


def _on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.live:
        forget_page(instance)


def _on_model_change(sender, instance, **kwargs):
    if isinstance(instance, SHOWN_EVERYWHERE):
        forget_everything()
    elif isinstance(instance, (AbstractImage, AbstractDocument)):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= FILE_BOOKKEEPING:
            return
        # Only a file that something uses shows anywhere: a new upload changes no page.
        if ReferenceIndex.get_references_to(instance).exists():
            forget_everything()


def connect():
    page_published.connect(_on_page_change, dispatch_uid="http-cache-published")
    page_unpublished.connect(_on_page_change, dispatch_uid="http-cache-unpublished")
    # A move or a new slug changes the URLs of the page and of every page below it.
    post_page_move.connect(forget_everything, dispatch_uid="http-cache-moved")
    page_slug_changed.connect(forget_everything, dispatch_uid="http-cache-slug")
    pre_delete.connect(_on_page_delete, dispatch_uid="http-cache-page-deleted")
    post_save.connect(_on_model_change, dispatch_uid="http-cache-saved")
    # Before the delete, while the index still holds what used the image or document.
    pre_delete.connect(_on_model_change, dispatch_uid="http-cache-deleted")
