"""Template tags for the admin's own templates (templates/wagtailadmin/: the site's branding)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def admin_site_name():
    """The site's name (WAGTAIL_SITE_NAME), which Wagtail shows on the dashboard only."""
    return settings.WAGTAIL_SITE_NAME
