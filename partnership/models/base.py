from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import CharField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester, PageViewRestriction
from wagtail.search import index

from ..blocks import BodyBlock
from ..cache import remember


def public(queryset):
    """Wagtail's `.public()` in the same query. Wagtail first reads every view restriction in a
    query of its own; here a restriction on the page or an ancestor (its path is a prefix of the
    page's) is an EXISTS subquery, so each listing costs one query."""
    restricted = PageViewRestriction.objects.filter(
        StartsWith(Cast(OuterRef("path"), output_field=CharField()), F("page__path"))
    )
    return queryset.exclude(Exists(restricted))


def page_tabs(content_panels, heading, panels):
    """The editor's tabs for a page type with fields of its own: Content (the text visitors read),
    then the type's own tab, then Wagtail's Promote and Settings."""
    return TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(panels, heading=heading),
            ObjectList(BasePage.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )


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
        help_text="One or two sentences under the page title. Also shown in listings, search "
        "results and link previews on social media.",
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        help_text="The main text of the page, built from headings, paragraphs, images and more.",
    )
    social_image = models.ForeignKey(
        "partnership.PartnershipImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. The picture shown when this page is shared on social media.",
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

    def remembered(self, request, name, compute):
        """`list(compute())`, for a listing of published pages this page shows, remembered by this
        process until content changes (partnership.cache.remember), so a page not served from the
        page cache does not ask the database again. Previews always work it out afresh: a draft
        may choose pages (the DGs of a thematic area) that the published version does not."""
        if getattr(request, "is_preview", False):
            return list(compute())
        return remember(request, (name, self.pk), lambda: list(compute()))

    def get_meta_description(self):
        return self.search_description or self.summary

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, in one query where Wagtail's takes two
        (it reads the ancestors first). As in Wagtail, an alias is governed by its source page;
        the restrictions Wagtail copies onto an alias when it is made are not the ones that count."""
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=sources)
        )
