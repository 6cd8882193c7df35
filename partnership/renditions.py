"""The image renditions the templates ask for, made before the first visitor does.

Wagtail makes a rendition the first time a page asks for it, inside that visitor's request: for a
picture in three widths and three formats, AVIF included, that is seconds. `load_content` calls
`make_renditions()` after loading, so a visitor finds them made.

Keep these in step with the templates: a test renders every page and fails if any rendition is
made then.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

logger = logging.getLogger(__name__)

# {% picture ... width-{400,800,1200} format-{avif,webp,jpeg} %} in
# templates/blocks/image_with_caption_block.html and templates/partnership/thematic_area_page.html.
PICTURE_SPECS = [f"width-{width}|format-{fmt}" for width in (400, 800, 1200) for fmt in ("avif", "webp", "jpeg")]
# {% image page.social_image fill-1200x630 format-jpeg %} in templates/base.html.
SOCIAL_SPECS = ["fill-1200x630|format-jpeg"]


def images_on_pages():
    """Every image a page shows: Wagtail's reference index records each image a page uses, in a
    field or deep inside its body."""
    image_model = get_image_model()
    used = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ContentType.objects.get_for_model(image_model),
    ).values_list("to_object_id", flat=True)  # text: the index points at any kind of object
    return image_model.objects.filter(pk__in={int(pk) for pk in used}).order_by("pk")


def make_renditions(images=None):
    """Make the renditions the templates use for each image (by default every image a page shows)
    that does not have them yet. Returns (made, failed): a broken file is logged and skipped, so one
    bad upload cannot stop the rest."""
    made = failed = 0
    specs = PICTURE_SPECS + SOCIAL_SPECS
    for image in images_on_pages() if images is None else images:
        before = image.renditions.count()
        try:
            image.get_renditions(*specs)
        except Exception:
            logger.exception("Could not make the renditions of image %s (%s)", image.pk, image.file.name)
            failed += 1
            continue
        made += image.renditions.count() - before
    return made, failed
