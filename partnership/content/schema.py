"""Which page types and fields the fixtures may hold, and how each field is written there."""

from modelcluster.fields import ParentalManyToManyField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..models import (
    DirectorateGeneralIndexPage,
    DirectorateGeneralPage,
    FrameworkPage,
    PartnershipImage,
    PartnershipOverviewPage,
    StandardPage,
    ThematicAreaIndexPage,
    ThematicAreaPage,
)

PAGE_MODELS = {
    model.__name__: model
    for model in (
        PartnershipOverviewPage,
        FrameworkPage,
        DirectorateGeneralIndexPage,
        DirectorateGeneralPage,
        ThematicAreaIndexPage,
        ThematicAreaPage,
        StandardPage,
    )
}

# How a fixture names a page it relates to: a Directorate-General by its acronym.
NATURAL_KEYS = {DirectorateGeneralPage: "acronym"}

# Wagtail's own page fields a fixture may set. Left out of a file (and of an export) when they
# hold these defaults, so files stay short.
OPTIONAL_PAGE_FIELDS = {
    "show_in_menus": False,
    "seo_title": "",
    "search_description": "",
    "social_image": None,
}

# Keys of a page file that are not fields.
STRUCTURE_KEYS = ("type", "children")


def own_fields(model):
    """The fields a fixture sets for `model`, in the order files list them: title, summary, the
    type's own fields, body; Wagtail's optional fields come after, children last."""
    fields = [
        field
        for field in model._meta.local_fields + model._meta.local_many_to_many
        if field.name not in ("page_ptr", "social_image") and not field.auto_created
    ]
    first = [f for f in fields if f.name == "summary"]
    last = [f for f in fields if f.name == "body"]
    middle = [f for f in fields if f.name not in ("summary", "body")]
    return [Page._meta.get_field("title"), *first, *middle, *last]


def optional_fields(model):
    return [model._meta.get_field(name) for name in OPTIONAL_PAGE_FIELDS]


def field_kind(field):
    if isinstance(field, RichTextField):
        # A TextField to Django, so its HTML would pass unchecked as plain "value". Rich text in
        # StreamFields goes through streams.clean_rich_text; give a page-level field the same path
        # (and the exporter its page links) before adding one to a page model.
        raise TypeError(f"{field} has no fixture form: add one in partnership/content/schema.py")
    if isinstance(field, StreamField):
        return "stream"
    if isinstance(field, ParentalManyToManyField):
        return "pages"
    if field.is_relation and field.related_model is PartnershipImage:
        return "image"
    if field.is_relation:
        raise TypeError(f"{field} has no fixture form: add one in partnership/content/schema.py")
    return "value"
