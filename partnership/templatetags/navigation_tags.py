"""The site's navigation: the main menu and the breadcrumb trail, from the live, public pages.

The menu costs one query (two with Wagtail's restriction check), the breadcrumbs one at most; the
site comes from Wagtail's Site.find_for_request, and page URLs from the site root paths Wagtail
keeps in its cache. Pages served from the HTTP cache in front of the site run none of this.
"""

from django import template
from django.conf import settings
from django.utils.translation import gettext
from wagtail.models import Page, Site

from partnership import cache as cache_wiring
from partnership.models import without_private_pages

register = template.Library()


def _current_page(context):
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The live, public children of the site's root page that editors show in menus."""
    request = context.get("request")
    site = Site.find_for_request(request)
    if site is None:
        return {"menu_items": []}
    current = _current_page(context)
    current_path = (current.path or "") if current else ""
    menu_items = []
    # The home page in the visitor's language (Wagtail's `localized`: itself while there is one).
    root = site.root_page.localized
    for child in without_private_pages(root.get_children().live().in_menu()).order_by("path"):
        if current_path == child.path:
            aria_current = "page"
        elif current_path.startswith(child.path):
            # Inside this section: the link is the visitor's location, not the page itself.
            aria_current = "true"
        else:
            aria_current = None
        menu_items.append({"title": child.title, "url": child.get_url(request=request), "aria_current": aria_current})
    return {"menu_items": menu_items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to the current page, skipping unpublished ancestors.

    Empty on the home page itself and on views that are not pages (search, errors).
    """
    request = context.get("request")
    page = _current_page(context)
    site = Site.find_for_request(request)
    if page is None or site is None or not page.path:
        return {"crumbs": []}
    root = site.root_page.localized
    if page.pk is not None and page.pk == root.pk:
        return {"crumbs": []}
    if not page.path.startswith(root.path) or page.path == root.path:
        return {"crumbs": []}

    # The pages between the site root and this page cost one query, and none for a page just below
    # the root. The page itself may be a draft in preview: its own crumb comes from it, not the tree.
    between = [page.path[:end] for end in range(len(root.path) + Page.steplen, len(page.path), Page.steplen)]
    ancestors = [root] if root.live else []
    if between:
        ancestors += Page.objects.filter(path__in=between).live().order_by("depth")
    # gettext, not gettext_lazy: the trail is built per render, inside a fragment kept per language.
    home_title = gettext("Home")
    crumbs = [
        {"title": home_title if ancestor.pk == root.pk else ancestor.title, "url": ancestor.get_url(request=request)}
        for ancestor in ancestors
    ]
    crumbs.append({"title": page.title, "url": page.get_url(request=request)})
    return {"crumbs": crumbs}


@register.simple_tag
def site_name():
    """The site's name, from one place (WAGTAIL_SITE_NAME, which load_content also gives the Site):
    a tag rather than a context variable, so the 500 and 503 pages, rendered without a request
    context or a database, show it too."""
    return settings.WAGTAIL_SITE_NAME


@register.simple_tag
def content_version():
    """What {% wagtailcache %} fragments of published content are keyed by: it changes with every
    change visitors would see (partnership.cache), so a cached fragment never outlives a publish."""
    return cache_wiring.content_version()
