from django.core.validators import MaxLengthValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock


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

    def get_meta_description(self):
        return self.search_description or self.summary
