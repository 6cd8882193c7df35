"""The full-page cache: anonymous visitors get published pages from the cache; any change to
content empties it at once, on every app server that shares the cache.

Entries live in the "pages" cache (files by default, Redis when REDIS_URL is set). Every entry
carries the generation number it was stored in, kept in the same cache; a change bumps the
generation, so all earlier entries stop matching at once without anything having to list or
delete them, and servers sharing one Redis see the same generation.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip  # what GZipMiddleware decides by
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.encoding import iri_to_uri
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
CACHEABLE_ATTRIBUTE = "_partnership_page_cacheable"
GENERATION_ATTRIBUTE = "_partnership_page_generation"


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _first_generation():
    # Counting starts from the time in milliseconds, not from 1: if the cache loses the number
    # (Redis restarted), the new count must not meet a number that a process still remembers
    # values under (see remember()).
    return time.time_ns() // 1_000_000


def generation(cache):
    value = cache.get(GENERATION_KEY)
    if value is None:
        first = _first_generation()
        cache.add(GENERATION_KEY, first, timeout=None)
        value = cache.get(GENERATION_KEY) or first
    return value


def invalidate_all(**kwargs):
    """Forget every cached page. Also a signal receiver, so it takes any signal's arguments."""
    cache = page_cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing is cached under one either
        cache.add(GENERATION_KEY, _first_generation(), timeout=None)
    except Exception:
        # The change itself is saved; only the cache could not be told. Say so loudly: pages
        # cached before the outage may show until they expire (PAGE_CACHE_SECONDS).
        logger.exception("Could not empty the page cache")
        return
    logger.info("Page cache emptied")


# Whatever a public page shows. When one of these changes, every cached page goes: cheap, never
# stale, and the site is small enough that refilling the cache costs little.
SHOWN_ON_PAGES = (Page, PageViewRestriction, Site, BaseSiteSetting, AbstractImage, AbstractDocument)
# What Page.save_revision() writes to the page's own row: a draft, nothing visitors see.
REVISION_BOOKKEEPING = {"latest_revision_created_at", "draft_title", "latest_revision", "has_unpublished_changes"}


def content_changed(**kwargs):
    """Something visitors see has changed: forget every cached page now, and again once the
    change is committed, since a visitor's request in between still reads the data from before
    the commit and would store the old page as new. Then ask the CDN, if one is configured, to
    forget every page too (Wagtail's own purge covers only the published page, and runs before the
    commit). Scheduled once per transaction however many signals fire. Also a signal receiver."""
    invalidate_all()
    connection = transaction.get_connection()
    if not any(func is _after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_after_commit, robust=True)


def _after_commit():
    invalidate_all()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        purge_every_page_from_cdn()


def purge_every_page_from_cdn():
    """Every published page at the CDN: listings, teasers, the menu and the footer appear on pages
    other than the one that changed, as in our own cache."""
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().exclude(depth=1))
    batch.purge()


def _on_model_change(sender, instance, signal, **kwargs):
    if not isinstance(instance, SHOWN_ON_PAGES):
        return
    if isinstance(instance, Page) and signal is post_save:
        update_fields = kwargs.get("update_fields")
        if not instance.live or (update_fields is not None and set(update_fields) <= REVISION_BOOKKEEPING):
            return
    content_changed()


def connect_invalidation():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"page-cache-{signal!r}")
    post_save.connect(_on_model_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_model_change, dispatch_uid="page-cache-delete")


def mark_cacheable(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: a live page served to a visitor may be cached. A page
    under a view restriction never reaches an anonymous visitor: Wagtail answers with its login
    redirect or password form instead (which sets the CSRF cookie, so it is not stored either)."""
    if page.live and not getattr(request, "is_preview", False):
        setattr(request, CACHEABLE_ATTRIBUTE, True)


def _visitor_is_anonymous(request):
    # Read the cookie, not the session: looking at the session would touch the database, and
    # the cache must keep serving when the database is down.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _key(request):
    # Browsers accept gzip and get the page as GZipMiddleware compressed it when it was stored.
    encoding = "gzip" if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")) else "identity"
    return f"pages:{request.get_host()}:{iri_to_uri(request.path)}:{encoding}"


def _lookup(cache, key):
    """The current generation and the page stored under `key` if it was stored in that
    generation, in one round trip to the cache (a hit is two reads otherwise)."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation(cache)
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return current, entry[1]
    return current, None


# Values worked out from published content and shown on many pages (the menu, breadcrumb
# trails), kept by each process until the content changes: the generation they were made in,
# and the values. A page that is not served from the page cache (search results, a 404, a
# logged-in editor's view, a page not cached yet) then does not work them out again.
# Like cached pages, they are forgotten after PAGE_CACHE_SECONDS even if nothing changed.
_remembered = (None, 0.0, {})
REMEMBERED_VALUES = 10_000


def remember(request, key, compute):
    """`compute()`, or the value it gave in this process since the content last changed. Only for
    values that depend on published content alone, never on the visitor, and only to be read.
    Without a request (a template rendered outside one) it is simply worked out."""
    global _remembered
    if request is None:
        return compute()
    current = getattr(request, GENERATION_ATTRIBUTE, None)
    if current is None:
        try:
            current = generation(page_cache())
        except Exception:  # noqa: BLE001 (any cache backend's error: the value is worked out instead)
            return compute()  # the cache is unreachable: nothing says whether content changed
        setattr(request, GENERATION_ATTRIBUTE, current)
    remembered_generation, since, values = _remembered
    now = time.monotonic()
    if (
        remembered_generation != current
        or now - since > settings.PAGE_CACHE_SECONDS
        or len(values) >= REMEMBERED_VALUES
    ):
        values = {}
        _remembered = (current, now, values)
    try:
        return values[key]
    except KeyError:
        value = values[key] = compute()
        return value


def current_site(request):
    """Wagtail's Site.find_for_request, remembered by this process for each host until content
    changes (a Site's change empties the page cache, see partnership.cache): Wagtail asks the
    database on every request. The Site and its root page object are then shared between
    requests: read them, never change them. Everything that needs the site asks here, so that
    Wagtail's own look-ups later in the request (page URLs) find it on the request."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        host = (request.META.get("HTTP_HOST"), request.META.get("SERVER_NAME"), request.META.get("SERVER_PORT"))
        request._wagtail_site = remember(request, ("site for", host), lambda: Site.find_for_request(request))
    return request._wagtail_site


class PageCacheMiddleware:
    """Serve and store anonymous GETs of public pages; set Cache-Control for a CDN in front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cache = page_cache()
        # No query strings: pages have none, and each variant would be another entry to fill.
        anonymous_get = (
            request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and _visitor_is_anonymous(request)
        )
        key = current = None
        if anonymous_get and settings.PAGE_CACHE_ENABLED:
            try:
                key = _key(request)
                current, cached = _lookup(cache, key)
                setattr(request, GENERATION_ATTRIBUTE, current)
            except Exception as error:  # noqa: BLE001 (any cache backend's error: served without it)
                logger.warning("Page cache unreachable, serving without it: %s", error)
                key, cached = None, None
            if cached is not None:
                cached["X-Page-Cache"] = "hit"
                return cached

        response = self.get_response(request)

        if request.path.startswith("/admin/"):
            # The admin and its previews: never stored by a browser or a CDN.
            patch_cache_control(response, private=True, no_store=True)
            return response
        cacheable = (
            getattr(request, CACHEABLE_ATTRIBUTE, False)
            and anonymous_get
            and response.status_code == 200
            and not response.cookies
            and not response.has_header("Cache-Control")
        )
        if not cacheable:
            return response
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.PAGE_CACHE_SECONDS,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        if not settings.PAGE_CACHE_ENABLED:
            response["X-Page-Cache"] = "off"
        elif key is not None:
            response["X-Page-Cache"] = "miss"
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda r: self.store(cache, key, current, r))
            else:
                self.store(cache, key, current, response)
        return response

    @staticmethod
    def store(cache, key, current, response):
        # Stored with the generation it was rendered in: a change while it rendered makes it
        # stale at once, and a later store of the same page replaces it. Stored with its ETag, so
        # that ConditionalGetMiddleware does not hash the page again at every hit.
        if not response.has_header("ETag"):
            set_response_etag(response)
        try:
            cache.set(key, (current, response), settings.PAGE_CACHE_SECONDS)
        except Exception as error:  # noqa: BLE001 (any cache backend's error: the page is still sent)
            logger.warning("Could not store a page in the cache: %s", error)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, a friendly 503 page instead of a traceback (pages
    in the cache are still served by PageCacheMiddleware, which never touches the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        patch_cache_control(response, no_store=True)
        return response
