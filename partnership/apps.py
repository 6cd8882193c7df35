from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = "IOM–EU partnership"

    def ready(self):
        # Imported here: cache imports models, which exist only once apps are ready; checks
        # registers the deployment checks as it is imported.
        from . import cache, checks  # noqa: PLC0415, F401
        from .media_permissions import register_media_permission_policies  # noqa: PLC0415

        cache.connect()
        register_media_permission_policies()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our Users and Groups viewsets (partnership/users.py): Wagtail's
    documented way to customise those views. Named in INSTALLED_APPS instead of "wagtail.users"."""

    user_viewset = "partnership.users.UserViewSet"
    group_viewset = "partnership.users.GroupViewSet"
