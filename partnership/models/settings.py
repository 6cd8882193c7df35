from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from ..blocks import SocialLinkBlock


@register_setting(icon="list-ul")
class FooterSettings(BaseSiteSetting):
    """The footer on every page: where the office is, how to reach it, where to follow it."""

    organisation = models.CharField(
        max_length=120,
        help_text="The office's name as the footer shows it.",
    )
    address = models.TextField(
        help_text="The postal address in Brussels, one line per line of the address.",
    )
    email = models.EmailField(blank=True, help_text="Optional. A contact address for the public.")
    phone = models.CharField(blank=True, max_length=40, help_text="Optional. With the country code.")
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        help_text="Optional. Accounts on social networks, in the order the footer lists them.",
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("address"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = "footer"
