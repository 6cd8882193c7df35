import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from partnership import views
from partnership.admin_views import SiteHistoryView


def admin_view(view):
    """Decorated as Wagtail decorates its own admin views."""
    return never_cache(require_admin_access(view))


urlpatterns = [
    # Reports → Site history without autosave's repeated entries (partnership/admin_views.py): the
    # same addresses as Wagtail's, answered first.
    path("admin/reports/site-history/", admin_view(SiteHistoryView.as_view()), name="partnership_site_history"),
    path(
        "admin/reports/site-history/results/",
        admin_view(SiteHistoryView.as_view(results_only=True)),
        name="partnership_site_history_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("search/", views.search, name="search"),
    path("healthz/", views.healthz, name="healthz"),
]

# Uploaded images (originals and renditions): production serves them from the web server or object
# storage; Django only for local development and for the browser tests and screenshots, whose servers
# run with DEBUG off (django.conf.urls.static.static() would add nothing then). Documents are not
# served from here: they always go through Wagtail's view, which checks their privacy.
if settings.DEBUG or settings.SERVE_MEDIA:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [
        re_path(
            rf"^{media_prefix}(?P<path>(?:original_images|images)/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail serves every other path from the page tree: this must stay last.
urlpatterns += [path("", include(wagtail_urls))]
