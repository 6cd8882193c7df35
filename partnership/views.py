import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

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


@require_GET
def search(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    if terms:
        # Pages in the visitor's language only (Wagtail indexes each page's locale for filtering).
        results = Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(terms)
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
            "max_query_length": MAX_QUERY_LENGTH,
            "page_obj": page_obj,
            "results": page_obj.object_list,
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For the HTTP cache's probe and load balancers: 200 while this server can render pages, which
    needs the database; 503 when it cannot. The cache only saves work, so its outage is reported but
    keeps the server in service."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("unavailable: database\n", status=503, content_type="text/plain")
    try:
        cache.set("healthz", "ok", 10)
        cache_answers = cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001 - any cache backend failure means "cache down"
        cache_answers = False
    text = "ok\n" if cache_answers else "ok (cache unavailable: pages are rendered without it)\n"
    return HttpResponse(text, content_type="text/plain")


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
