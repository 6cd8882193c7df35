from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index

from ..blocks import BodyBlock


def page_tabs(content_panels, heading, panels):
    """The editor's tabs for a page type with fields of its own: Content (the text visitors read),
    then the type's own tab, then Wagtail's Promote and Settings."""
    return TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(panels, heading=heading),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )


def without_private_pages(pages):
    """`pages` less those in a private section, as Wagtail's PageQuerySet.public() leaves them, in
    the same query. public() first fetches every PageViewRestriction and then filters on their
    paths: a query more for each listing, and a page shows up to four listings (the menu, the
    section's pages, the page's own). Here the listing's query itself leaves out each page that is,
    or is below, a page with a restriction: the same rule (tests/test_routing.py compares both on
    restricted sections at several depths)."""
    # A restriction applies when its page's path begins the listed page's path (tree paths).
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.filter(~Exists(restricted))


class PartnershipPagePermissionTester(PagePermissionTester):
    """Our roles: deleting a page is a Moderator's or an Administrator's act, whoever owns it and
    whether or not it is live. Wagtail lets anyone with "change" delete pages that are not live, and
    an owner with only "add" delete their own drafts, with all their revisions; Wagtail 8 has no
    separate delete permission for pages, so deleting here needs "publish" (which Moderators hold
    for the whole tree). Every place Wagtail offers deletion asks this: the listing's buttons, the
    editor's action menu, the delete view and the bulk delete."""

    def can_delete(self, ignore_bulk=False):
        if self.user.is_active and not self.user.is_superuser and "publish" not in self.permissions:
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        # Wagtail asks can_delete to decide who may move a page. Moving is not deleting: keep
        # Wagtail's own rule (an Editor may move a page that is not live; a live one needs publish).
        return super().can_delete(ignore_bulk=True)


class BasePage(Page):
    """What every page of the site shares: a summary, a body and a picture for social media."""

    summary = models.TextField(
        max_length=400,
        validators=[MaxLengthValidator(400)],
        verbose_name=_("summary"),
        help_text=_(
            "One or two sentences under the page title. Also shown in listings, search "
            "results and link previews on social media."
        ),
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The main text of the page, built from headings, paragraphs, images and more."),
    )
    social_image = models.ForeignKey(
        "partnership.PartnershipImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("social image"),
        help_text=_("Optional. The picture shown when this page is shared on social media."),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return PartnershipPagePermissionTester(user, self)

    def get_meta_description(self):
        return self.search_description or self.summary

    def pages_that_show_it(self):
        """The pages an HTTP cache must forget along with this one when it changes
        (partnership/cache.py): those above it, which list it, and those below, whose breadcrumbs
        name it. Page types shown elsewhere add those pages."""
        above = self.get_ancestors().live().exclude(depth=1)
        below = self.get_descendants().live()
        return [*above.specific(), *below.specific()]

    def route(self, request, path_components):
        """Wagtail's routing, with the pages on the way fetched in one query instead of two a level.

        Page.route (the documented place to change routing) finds one child by slug, fetches it as
        its own type, and asks that page to route the rest, one level at a time. Every page on the
        way to /directorates-general/home/ is found at once here by its url_path, which Wagtail keeps
        up to date on every save and move and uses itself to look pages up (Page.get_by_natural_key).
        Only the page served is fetched as its own type. A page type that routes differently
        (RoutablePageMixin, or its own route()) is handed the rest of the path as Page.route would,
        and the page served still goes through Page.route's own check that it is live."""
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{slug}/" for slug in path_components[:n])
            for n in range(1, len(path_components) + 1)
        ]
        found = Page.objects.descendant_of(self).filter(url_path__in=prefixes)
        on_the_way = {
            url_path: (pk, type_id) for url_path, pk, type_id in found.values_list("url_path", "pk", "content_type")
        }
        for position, prefix in enumerate(prefixes):
            if prefix not in on_the_way:
                raise Http404
            pk, type_id = on_the_way[prefix]
            # A page whose model is gone from the code is served as a plain Page, as Wagtail does.
            model = ContentType.objects.get_for_id(type_id).model_class() or Page
            rest = path_components[position + 1 :]  # nothing after the last page: it is served
            if not rest or getattr(model, "route", None) is not BasePage.route:
                pages = model.objects.all()
                if issubclass(model, BasePage):
                    pages = pages.select_related("social_image")  # the head's link preview: no query more
                return pages.get(pk=pk).route(request, rest)

    def serve(self, request, *args, **kwargs):
        """The page, marked for the HTTP cache in front of the site (Varnish, a CDN) when nobody is
        signed in: it keeps the page for PAGE_CACHE_SECONDS and is told to forget it when content
        changes (partnership/cache.py); browsers check back each time (max-age=0). Wagtail answers
        a private page's visitors with its login or password form before this runs, and a visitor
        who passed a page's password has a session cookie: neither is ever marked public."""
        response = super().serve(request, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and not getattr(request, "is_preview", False)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.PAGE_CACHE_SECONDS,
                stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
            )
        return response
