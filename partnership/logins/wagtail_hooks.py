"""Where logins meet the Wagtail admin: the two-factor and lockout pages, Settings → Locked logins,
Account → Two-factor authentication, a reset action in the user listing, and the audit log."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from . import lockout, two_factor, views


@hooks.register("register_admin_urls")
def register_login_urls():
    return [
        path("two-factor/", views.ManageView.as_view(), name="logins_manage"),
        path("two-factor/set-up/", views.setup, name="logins_setup"),
        path("two-factor/verify/", views.verify, name="logins_verify"),
        path("two-factor/recovery-codes/", views.recovery_codes, name="logins_recovery_codes"),
        path(
            "two-factor/recovery-codes/download/",
            views.download_recovery_codes,
            name="logins_recovery_codes_download",
        ),
        path("two-factor/turn-off/", views.TurnOffView.as_view(), name="logins_turn_off"),
        path("two-factor/reset/<int:user_id>/", views.ResetView.as_view(), name="logins_reset"),
        path("locked-logins/", views.LockoutsView.as_view(), name="logins_lockouts"),
    ]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return AdministratorsMenuItem(
        _("Locked logins"), reverse("logins_lockouts"), name="locked-logins", icon_name="lock", order=610
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return {
        "url": reverse("logins_manage"),
        "label": _("Two-factor authentication"),
        "help_text": _("Set up an authenticator app, or make new recovery codes."),
    }


@hooks.register("register_user_listing_buttons")
def register_reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Reset two-factor authentication"), reverse("logins_reset", args=[user.pk]), icon_name="key", priority=90
        )


@hooks.register("register_log_actions")
def register_login_log_actions(actions):
    actions.register_action(
        two_factor.TURNED_ON, _("Turn on two-factor authentication"), _("Turned on two-factor authentication")
    )
    actions.register_action(
        two_factor.TURNED_OFF, _("Turn off two-factor authentication"), _("Turned off two-factor authentication")
    )
    actions.register_action(
        two_factor.RESET, _("Reset two-factor authentication"), _("Reset two-factor authentication")
    )
    actions.register_action(
        two_factor.RECOVERY_CODE_USED, _("Use a recovery code"), _("Signed in with a one-time recovery code")
    )
    actions.register_action(two_factor.NEW_RECOVERY_CODES, _("Make new recovery codes"), _("Made new recovery codes"))
    actions.register_action(lockout.UNLOCKED, _("Lift a login lock"), _("Lifted a login lock before it expired"))
