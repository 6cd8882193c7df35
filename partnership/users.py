"""Settings → Users and Groups, customised through Wagtail's own viewsets (WAGTAIL's documented
"Customizing the user views": a WagtailUsersAppConfig subclass names them, in users_config.py): each user's
role and two-factor status in the listing, and what each role may do on the groups screens."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.ui.tables import Column
from wagtail.users.views import groups, users

# What each role may do, in the words of the README's "For administrators".
ROLE_DESCRIPTIONS = {
    "Editors": _(
        "Create and edit pages of every type, upload images and documents, preview, save drafts and "
        "submit pages to moderation. They cannot publish, unpublish or delete pages, nor change an "
        "image or document that a live page shows. Two-factor authentication is their choice."
    ),
    "Moderators": _(
        "Everything Editors do, and approve or request changes, publish, unpublish, schedule and delete "
        "pages, change images and documents live pages show, and edit the footer (Settings → Footer). "
        "They must use two-factor authentication: they set up an authenticator app at their first login."
    ),
}


def role_of(user):
    if user.is_superuser:
        return str(_("Administrator"))
    names = [group.name for group in user.groups.all()]
    return ", ".join(names) or str(_("No role"))


def two_factor_status(user):
    required = user.is_active and (
        user.is_superuser
        or any(group.name in settings.LOGINS_TWO_FACTOR_REQUIRED_GROUPS for group in user.groups.all())
    )
    if user.has_authenticator:
        return str(_("On"))
    if required and settings.LOGINS_TWO_FACTOR_REQUIRED:
        return str(_("Required, not set up yet"))
    return str(_("Off"))


class UserIndexView(users.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        # "Access level" (Wagtail's "Admin" or nothing) says less than the role: replace it.
        columns = [column for column in columns if column.name != "is_superuser"]
        position = next(i for i, column in enumerate(columns) if column.name == "is_active")
        columns[position:position] = [
            Column("role", accessor=role_of, label=_("Role"), classname="role", width="15%"),
            Column(
                "two_factor", accessor=two_factor_status, label=_("Two-factor"), classname="two-factor", width="12%"
            ),
        ]
        return columns

    def get_base_queryset(self):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_base_queryset().prefetch_related("groups").annotate(has_authenticator=Exists(confirmed))


class UserViewSet(users.UserViewSet):
    index_view_class = UserIndexView


def describe(group):
    return ROLE_DESCRIPTIONS.get(group.name, "")


class GroupIndexView(groups.IndexView):
    columns = [
        *groups.IndexView.columns,
        Column("description", accessor=describe, label=_("What members may do")),
    ]


class DescribedGroupMixin:
    """The role's description as the help text of the group's name, on its edit screen."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        description = describe(form.instance) if form.instance.pk else ""
        if description:
            form.fields["name"].help_text = description
        return form


class GroupEditView(DescribedGroupMixin, groups.EditView):
    pass


class GroupViewSet(groups.GroupViewSet):
    index_view_class = GroupIndexView
    edit_view_class = GroupEditView
