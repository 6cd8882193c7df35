from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class PartnershipImage(AbstractImage):
    """Wagtail's image with a required description, used as the alt text everywhere it shows."""

    description = models.CharField(
        max_length=255,
        verbose_name=_("description (alt text)"),
        help_text=_(
            "Describe what the image shows for people who cannot see it, in one sentence. "
            "Screen readers read this out wherever the image appears."
        ),
    )

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class PartnershipRendition(AbstractRendition):
    image = models.ForeignKey(
        PartnershipImage, related_name="renditions", on_delete=models.CASCADE, verbose_name=_("image")
    )

    class Meta:
        verbose_name = _("partnership rendition")
        verbose_name_plural = _("partnership renditions")
        unique_together = (("image", "filter_spec", "focal_point_key"),)
