import re

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.models import Page

from partnership.cache import current_site, remember

RESULTS_PER_PAGE = 10
# Long enough for any real question; longer input is cut, so a pasted essay costs the database nothing.
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """The query as the visitor typed it, without control characters, squeezed and shortened at a
    word boundary. Returns (query, was_shortened)."""
    text = " ".join("".join(ch for ch in raw if ch.isprintable() or ch.isspace()).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[: MAX_QUERY_LENGTH + 1].rsplit(" ", 1)[0][:MAX_QUERY_LENGTH], True


def search_terms(query):
    """Only the words of a query reach the search backend: some backends read punctuation as
    syntax (SQLite's full-text search fails on a lone quote or '<'), and our search is by word."""
    return " ".join(re.findall(r"\w+", query))


def serve_page(request, path):
    """Wagtail's page view, with the page found in one lookup by its URL path. Wagtail first
    fetches the site's root page as its own type and asks it to route the rest of the URL; for
    any page below the root that is a query spent on a page nobody asked for. The route is
    handed to Wagtail the way `Page.route_for_request` keeps it on the request, so Wagtail's
    serve view (hooks, view restrictions, the page's own serve()) runs as usual."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site = current_site(request)
        route = None
        if site is not None:
            root = site.root_page.localized
            components = [component for component in path.split("/") if component]
            if components:
                url_path = f"{root.url_path}{'/'.join(components)}/"
                found = remember(
                    request,
                    ("page at", root.locale_id, url_path),
                    lambda: (
                        Page.objects.filter(url_path=url_path, locale_id=root.locale_id)
                        .values_list("pk", "content_type_id")
                        .first()
                    ),
                )
                page = None
                if found is not None:
                    model = ContentType.objects.get_for_id(found[1]).model_class()
                    page = model.objects.filter(pk=found[0]).first()
            else:
                page = root.get_specific()  # a copy: the site's own root page is shared (below)
            try:
                route = page.route(request, []) if page is not None else None
            except Http404:
                route = None
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)


@require_GET
def search(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    if terms:
        results = Page.objects.live().public().specific().search(terms)
    else:
        results = Page.objects.none()

    # get_page() turns a missing, non-numeric or out-of-range page number into a real page.
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "query_was_shortened": shortened,
            "page_obj": page_obj,
            "results": page_obj.object_list,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database and the cache answer, 503 (and which) otherwise."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        problems.append("database")
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            problems.append("cache")
    except Exception:  # noqa: BLE001 - any cache backend failure means "cache down"
        problems.append("cache")
    if problems:
        return HttpResponse(f"unavailable: {', '.join(problems)}\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
