"""Wagtail's users app with our Users and Groups viewsets (partnership/users.py): Wagtail's documented
way to customise those views. Named in INSTALLED_APPS instead of "wagtail.users". In a module of its
own: beside PartnershipConfig in apps.py, Django could no longer tell which config is the
partnership app's, and would skip its ready()."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    user_viewset = "partnership.users.UserViewSet"
    group_viewset = "partnership.users.GroupViewSet"
