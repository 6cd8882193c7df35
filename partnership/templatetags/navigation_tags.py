"""The site's navigation: the main menu and the breadcrumb trail.

The menu costs one query, the breadcrumbs one at most, and each process remembers both until
published content changes (partnership.cache.remember). The current site comes from
partnership.cache.current_site (Wagtail's `Site.find_for_request`, remembered, and kept on the
request with its root page), and page URLs reuse the site root paths cached there too, so no
query runs per menu item or per crumb.
"""

from django import template
from wagtail.models import Page

from partnership.cache import current_site, remember
from partnership.models.base import public

register = template.Library()


def _current_page(context):
    page = context.get("page") or context.get("self")
    return page if isinstance(page, Page) else None


@register.simple_tag(takes_context=True)
def remembered_site(context):
    """Wagtail's {% wagtail_site %}, through partnership.cache.current_site: base.html asks for the
    site first, so every view that extends it (search, 404s) then finds it on the request."""
    return current_site(context.get("request"))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The live, public children of the site's root page that editors show in menus."""
    request = context.get("request")
    site = current_site(request)
    if site is None:
        return {"menu_items": []}

    def links():
        children = public(site.root_page.get_children().live().in_menu()).order_by("path")
        return [(child.title, child.get_url(request=request), child.path) for child in children]

    current = _current_page(context)
    current_path = (current.path or "") if current else ""
    menu_items = []
    for title, url, path in remember(request, ("main_menu", site.pk), links):
        if current_path == path:
            aria_current = "page"
        elif current_path.startswith(path):
            # Inside this section: the link is the visitor's location, not the page itself.
            aria_current = "true"
        else:
            aria_current = None
        menu_items.append({"title": title, "url": url, "aria_current": aria_current})
    return {"menu_items": menu_items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to the current page, skipping unpublished ancestors.

    Empty on the home page itself and on views that are not pages (search, errors).
    """
    request = context.get("request")
    page = _current_page(context)
    site = current_site(request)
    if page is None or site is None or not page.path:
        return {"crumbs": []}

    root = site.root_page
    if page.pk is not None and page.pk == root.pk:
        return {"crumbs": []}
    if not page.path.startswith(root.path) or page.path == root.path:
        return {"crumbs": []}

    def trail():
        # The site root came with the site; the pages between it and the current page cost one
        # query, and none for a page just below the root.
        between = [page.path[:end] for end in range(len(root.path) + Page.steplen, len(page.path), Page.steplen)]
        ancestors = [root] if root.live else []
        if between:
            ancestors += Page.objects.filter(path__in=between).live().order_by("depth")
        return [
            {"title": "Home" if ancestor.pk == root.pk else ancestor.title, "url": ancestor.get_url(request=request)}
            for ancestor in ancestors
        ]

    # The trail above a page is the same for all its siblings; the page itself may be a draft in
    # preview, so its own crumb is never remembered.
    crumbs = [*remember(request, ("breadcrumbs", site.pk, page.path[: -Page.steplen]), trail)]
    crumbs.append({"title": page.title, "url": page.get_url(request=request)})
    return {"crumbs": crumbs}
