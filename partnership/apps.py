from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnership"
    verbose_name = "IOM–EU partnership"

    def ready(self):
        from . import cache  # noqa: PLC0415 - it imports models, which exist only once apps are ready

        cache.connect_invalidation()
