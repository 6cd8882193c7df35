"""Checks that `manage.py check --deploy` runs with Django's own."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.files.storage import default_storage
from django.http.request import validate_host


@checks.register(checks.Tags.security, deploy=True)
def media_served_from_the_site(app_configs, **kwargs):
    """Public pages allow images from the site's own host only (partnership/security.py), so no
    visitor's browser is sent elsewhere. Uploads in a bucket with an address of its own would show
    as broken images: say so before visitors see it."""
    try:
        url = default_storage.url("images/example.jpg")
    except Exception:  # noqa: BLE001 (a storage that cannot make a URL here, e.g. signing without credentials)
        return []
    parts = urlsplit(url)
    if not parts.hostname or validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        return []
    return [
        checks.Warning(
            f"Uploaded images would be served from {parts.scheme}://{parts.netloc}, a host that public pages' "
            "Content-Security-Policy does not allow: visitors would see broken images.",
            hint="Have the CDN send /media/* to the bucket and set AWS_S3_CUSTOM_DOMAIN to the site's host name "
            "and AWS_LOCATION=media (docs/deployment.md, 'Media on S3-compatible object storage').",
            id="partnership.W001",
        )
    ]
