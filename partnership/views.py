from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

RESULTS_PER_PAGE = 10
# Long enough for any real question; longer input is cut, so a pasted essay costs the database nothing.
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    raw_query = request.GET.get("q", "")
    query = " ".join(raw_query.split())[:MAX_QUERY_LENGTH]
    shortened = len(" ".join(raw_query.split())) > MAX_QUERY_LENGTH

    if query:
        results = Page.objects.live().public().specific().search(query)
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
