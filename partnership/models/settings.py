from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from ..blocks import SocialLinkBlock


@register_setting(icon="list-ul")
class FooterSettings(BaseSiteSetting):
    """The footer on every page: the office behind the site, its own website and how to reach it.
    No postal address: the office publishes none (IOM's Brussels country office is another office)."""

    organisation = models.CharField(
        max_length=120,
        verbose_name=_("organisation"),
        help_text=_("The office's name as IOM uses it today, e.g. 'IOM Global Office in Brussels'."),
    )
    website = models.URLField(
        blank=True,
        verbose_name=_("website"),
        help_text=_("Optional. The office's own website, where visitors find its current contact details."),
    )
    email = models.EmailField(
        blank=True, verbose_name=_("email"), help_text=_("Optional. A contact address for the public.")
    )
    phone = models.CharField(
        blank=True, max_length=40, verbose_name=_("phone"), help_text=_("Optional. With the country code.")
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        verbose_name=_("social links"),
        help_text=_("Optional. Accounts on social networks, in the order the footer lists them."),
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("website"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("footer")
