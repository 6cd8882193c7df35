"""StreamField blocks: one shared set for page bodies, plus the structured blocks pages use.

Every block renders through its own template in templates/blocks/ and has an admin preview
(a `preview_value` and a `description`). Blocks import nothing of ours above this file.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

# Rich text in page bodies: enough for readable prose, nothing that breaks the page's layout or
# heading order (headings are their own block).
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Text"), help_text=_("The heading as visitors will read it."))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading (level 2)")), ("h3", _("Sub-section heading (level 3)"))],
        default="h2",
        label=_("Level"),
        help_text=_(
            "Use level 2 for a new section and level 3 inside a section, so screen readers "
            "can follow the page's outline."
        ),
    )

    class Meta:
        label = _("Heading")
        icon = "title"
        template = "blocks/heading_block.html"
        description = _("A section heading that structures the page.")
        preview_value = {"text": "How the partnership works", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        label = _("Paragraph")
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        description = _("Text with bold, italics, lists and links.")
        preview_value = (
            "<p>IOM and the European Union first formalised their cooperation in 1994, in a "
            "framework agreement for humanitarian aid.</p>"
        )


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(
        label=_("Image"),
        help_text=_(
            "Visitors who cannot see the image hear its description (alt text), which "
            "you set on the image itself in Images."
        ),
    )
    caption = blocks.CharBlock(
        required=False, max_length=250, label=_("Caption"), help_text=_("Optional. Shown under the image.")
    )

    def get_preview_value(self):
        # The newest image in the library shows editors what the block looks like.
        image = get_image_model().objects.order_by("-created_at").first()
        return self.normalize({"image": image, "caption": "A caption under the image."})

    class Meta:
        label = _("Image")
        icon = "image"
        template = "blocks/image_with_caption_block.html"
        description = _("An image from the library, with an optional caption.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"), help_text=_("Quote only words that were really said or written."))
    attribution = blocks.CharBlock(
        max_length=200, label=_("Attribution"), help_text=_("Who said or wrote it, and where (required).")
    )

    class Meta:
        label = _("Quote")
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = _("A quotation with its source.")
        preview_value = {
            "quote": "The exact words, as they were said or written.",
            "attribution": "Speaker's name, role and occasion",
        }


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        max_length=30, label=_("Value"), help_text=_("The number itself, e.g. '175' or '2,718.4'.")
    )
    unit = blocks.CharBlock(
        required=False,
        max_length=30,
        label=_("Unit"),
        help_text=_(
            "Optional. Shown next to the number, e.g. 'million' or 'countries'. Put a currency "
            "before the number, e.g. 'USD 2,718.4'."
        ),
    )
    label = blocks.CharBlock(max_length=120, label=_("Label"), help_text=_("What the number counts, in a few words."))
    source = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Source"),
        help_text=_("Where the figure comes from and the period it covers, so readers can trust it."),
    )

    class Meta:
        label = _("Key figure")
        icon = "decimal"
        template = "blocks/key_figure_block.html"
        description = _("One headline figure with what it counts and its source.")
        preview_value = {
            "value": "175",
            "unit": "",
            "label": "member states of IOM",
            "source": "IOM",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        max_length=120, label=_("Title"), help_text=_("A short invitation, e.g. 'Explore the thematic areas'.")
    )
    text = blocks.TextBlock(
        required=False, label=_("Text"), help_text=_("Optional. One sentence on what visitors will find.")
    )
    page = blocks.PageChooserBlock(
        required=False, label=_("Page"), help_text=_("A page of this site. Choose a page or enter an address.")
    )
    url = blocks.URLBlock(
        required=False, label=_("Url"), help_text=_("An address on another site, if no page is chosen.")
    )
    link_text = blocks.CharBlock(
        max_length=60,
        label=_("Link text"),
        help_text=_("The words of the link, saying where it goes (not 'click here')."),
    )

    def clean(self, value):
        result = super().clean(value)
        if bool(result.get("page")) == bool(result.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(_("Choose a page of this site or enter an address: one, not both."))
                }
            )
        return result

    class Meta:
        label = _("Call to action")
        icon = "link"
        template = "blocks/call_to_action_block.html"
        description = _("A highlighted link that invites visitors to go further.")
        preview_value = {
            "title": "Read about the framework",
            "text": "How IOM and the EU meet every year to set priorities.",
            "url": "https://www.iom.int/",
            "link_text": "The Strategic Cooperation Framework",
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(
        label=_("Document"), help_text=_("A document from the library (PDF, DOCX, XLSX, CSV or ODT).")
    )
    title = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Title"),
        help_text=_("Optional. Replaces the document's own title in the link."),
    )

    def get_preview_value(self):
        document = get_document_model().objects.order_by("-created_at").first()
        return self.normalize({"document": document, "title": ""})

    def get_preview_template(self, value, context=None):
        # With no document in the library the block renders nothing: show a sample instead.
        if not value.get("document"):
            return "staff/blocks/document_link_placeholder.html"
        return super().get_preview_template(value, context)

    class Meta:
        label = _("Document")
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        description = _("A link to download a document, showing its type and size.")


class TableBlock(WagtailTableBlock):
    class Meta:
        label = _("Table")
        icon = "table"
        template = "blocks/table_block.html"
        description = _("A table of data with a caption and header row.")
        preview_value = {
            "table_caption": "EU bodies in the framework",
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "data": [["Acronym", "Role"], ["HOME", "Migration and home affairs"]],
        }


class BodyBlock(blocks.StreamBlock):
    """The one body block set every page type uses."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    key_figure = KeyFigureBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    table = TableBlock()

    class Meta:
        template = "blocks/body_block.html"


class MilestoneBlock(blocks.StructBlock):
    date = blocks.CharBlock(
        max_length=40,
        label=_("Date"),
        help_text=_("As precise as the facts allow, e.g. '1994', 'November 2011' or 'July 2012'."),
    )
    title = blocks.CharBlock(max_length=120, label=_("Title"), help_text=_("What happened, in a few words."))
    text = blocks.TextBlock(required=False, label=_("Text"), help_text=_("Optional. One or two sentences of context."))

    class Meta:
        label = _("Milestone")
        icon = "date"
        template = "blocks/milestone_block.html"
        description = _("One dated step in the partnership's history.")
        preview_value = {
            "date": "1994",
            "title": "Cooperation is formalised",
            "text": "A framework partnership agreement for humanitarian aid actions.",
        }


class DialogueMechanismBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120, label=_("Name"), help_text=_("The name of the meeting or dialogue."))
    frequency = blocks.CharBlock(
        max_length=60, label=_("Frequency"), help_text=_("How often it meets, e.g. 'Every year'.")
    )
    description = blocks.TextBlock(label=_("Description"), help_text=_("What it is for and who takes part."))

    class Meta:
        label = _("Dialogue")
        icon = "group"
        template = "blocks/dialogue_mechanism_block.html"
        description = _("A regular meeting or dialogue held under the framework.")
        preview_value = {
            "name": "Senior Officials Meeting",
            "frequency": "Every year",
            "description": "Senior officials of IOM and the EU review the cooperation.",
        }


class SocialLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60, label=_("Label"), help_text=_("The network's name as visitors know it."))
    url = blocks.URLBlock(label=_("Address (URL)"), help_text=_("The full address of the partnership's account."))

    class Meta:
        label = _("Link")
        icon = "site"
        template = "blocks/social_link_block.html"
        description = _("A link to an account on a social network.")
        preview_value = {"label": "IOM", "url": "https://www.iom.int/"}
