"""Template helpers for the site's look: the wordmark, titles that do not break at a hyphen, the
"On this page" list, and the footer's links (official websites and the legal pages)."""

import re

from django import template
from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.models import Page, Site

from partnership.models import DirectorateGeneralPage, without_private_pages

register = template.Library()

# The statements every public site of the EU's standard carries, by the slugs editors give them
# under the home page. A missing or unpublished one is simply not linked.
LEGAL_PAGE_SLUGS = ("accessibility", "privacy", "legal-notice")
HYPHENATED = re.compile(r"\S*\w-\w\S*")


@register.simple_tag
def site_name_parts():
    """The site's name split for the wordmark: its first word, and the rest."""
    first, _, rest = settings.WAGTAIL_SITE_NAME.partition(" ")
    return first, rest


@register.filter
def keep_hyphenated(text):
    """Text with each hyphenated word ('Directorate-General') kept on one line: a title breaks
    between words, never at the hyphen. Escapes the text."""
    text = conditional_escape(str(text))
    return mark_safe(HYPHENATED.sub(lambda match: f'<span class="nowrap">{match.group(0)}</span>', text))  # noqa: S308 (escaped above)


def heading_id(text):
    """The id a body heading gets (templates/blocks/heading_block.html), for links to it."""
    return f"section-{slugify(text)}"


register.filter("heading_id", heading_id)


@register.simple_tag
def body_headings(body):
    """The body's section headings (level 2) as (id, text) pairs, for "On this page"."""
    return [
        (heading_id(block.value["text"]), block.value["text"])
        for block in body or []
        if block.block_type == "heading" and block.value["level"] == "h2"
    ]


@register.simple_tag(takes_context=True)
def footer_links(context):
    """The footer's links from the live pages, in two queries: each EU body's official website
    (framework members first) and the accessibility, privacy and legal notices under the home page,
    in the visitor's language (the home page's translation, Wagtail's `localized`; the notices are
    known by their English slugs, their translations by Wagtail's translation key).
    An EU body's website is public whatever its page's viewing restrictions, and a restricted
    notice asks for a login as any link to it would: no restriction check is spent on either."""
    site = Site.find_for_request(context.get("request"))
    if site is None:
        return {"bodies": [], "legal_pages": []}
    root = site.root_page.localized
    bodies = (
        DirectorateGeneralPage.objects.live()
        .filter(locale_id=root.locale_id)
        .exclude(website="")
        .order_by("-framework_member", "path")
        .only("acronym", "full_name", "website")
    )
    english = Page.objects.child_of(site.root_page).filter(slug__in=LEGAL_PAGE_SLUGS)
    children = (
        Page.objects.child_of(root)
        .live()
        .filter(translation_key__in=english.values("translation_key"))
        .annotate(english_slug=Subquery(english.filter(translation_key=OuterRef("translation_key")).values("slug")[:1]))
    )
    legal = {page.english_slug: page for page in children}
    return {"bodies": list(bodies), "legal_pages": [legal[slug] for slug in LEGAL_PAGE_SLUGS if slug in legal]}


@register.simple_tag
def icon(name, css_class=""):
    """One of the site's icons (templates/includes/icon_sprite.html), hidden from screen readers."""
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false" width="24" height="24"><use href="#icon-{}"></use></svg>',
        classes,
        name,
    )


@register.simple_tag
def section_pages(page):
    """The live, public pages of the section a standard page sits in, itself included, for the side
    column: its siblings of the same type, below a top-level section only (the home page's own
    children are the main menu). One query."""
    if not page.path or page.depth is None or page.depth < 4:
        return []
    return list(without_private_pages(type(page).objects.sibling_of(page).live()).order_by("path"))
