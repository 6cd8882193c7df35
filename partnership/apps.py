from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = _("IOM–EU partnership")

    def ready(self):
        # Imported here: cache imports models, which exist only once apps are ready; checks
        # registers the deployment checks as it is imported.
        from . import cache, checks  # noqa: PLC0415, F401
        from .media_permissions import register_media_permission_policies  # noqa: PLC0415

        cache.connect()
        register_media_permission_policies()
