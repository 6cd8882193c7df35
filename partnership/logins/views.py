"""Admin views: the second login step (set up, verify, recovery codes), each person's two-factor
page, and the Administrators' tools (reset someone's second factor, lift a login lock).

Messages are made with gettext, not gettext_lazy: Django's messages become text after the view has
returned, when Wagtail no longer has the user's admin language active."""

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView
from wagtail.admin.auth import user_passes_test
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import lockout, two_factor
from .forms import AuthenticatorCodeForm, RecoveryCodeForm

# New recovery codes wait here between the POST that made them and the one page that shows them.
SESSION_RECOVERY_CODES = "logins_recovery_codes"
# ...and then, for that page's "Download as text" only: until downloaded, at most 10 minutes.
SESSION_RECOVERY_CODES_DOWNLOAD = "logins_recovery_codes_download"
DOWNLOAD_SECONDS = 10 * 60

superuser_required = user_passes_test(lambda user: user.is_superuser)


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _show_recovery_codes(request, codes, next_url):
    request.session[SESSION_RECOVERY_CODES] = codes
    return redirect(f"{reverse('logins_recovery_codes')}?{urlencode({'next': next_url})}")


# The second login step: pages in the look of Wagtail's login page, without the admin menu.


@never_cache
@sensitive_post_parameters()
def setup(request):
    user = request.user
    if two_factor.has_authenticator(user):
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("logins_manage")
    device = two_factor.pending_authenticator(user)
    form = AuthenticatorCodeForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(device)
        django_otp.login(request, device)
        return _show_recovery_codes(request, codes, _next_url(request))
    return TemplateResponse(
        request,
        "logins/setup.html",
        {
            "form": form,
            "required": two_factor.is_required(user),
            "qr_code": two_factor.qr_code_svg(device, _("QR code to scan with your authenticator app")),
            "secret": two_factor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next_url(request),
        },
    )


@never_cache
@sensitive_post_parameters()
def verify(request):
    user = request.user
    device = two_factor.authenticator(user)
    if device is None or user.is_verified():
        return redirect(_next_url(request))
    recovery = two_factor.recovery_device(user)
    posted = request.POST if request.method == "POST" else None
    using_recovery_code = posted is not None and "recovery_code" in posted
    code_form = AuthenticatorCodeForm(device, None if using_recovery_code else posted)
    recovery_form = RecoveryCodeForm(recovery, posted if using_recovery_code else None)
    form = recovery_form if using_recovery_code else code_form
    if using_recovery_code:  # back to the field that was used, not the first one
        code_form.fields["otp_token"].widget.attrs.pop("autofocus", None)
        recovery_form.fields["recovery_code"].widget.attrs["autofocus"] = True
    if posted is not None and form.is_valid():
        django_otp.login(request, recovery if using_recovery_code else device)
        if using_recovery_code:
            two_factor.log_recovery_code_used(user)
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code, which now no longer works; %(left)d left. Make new "
                    "ones under Account → Two-factor authentication if you are running low, and ask an "
                    "Administrator to reset your second factor if your authenticator app is lost.",
                    "You signed in with a recovery code, which now no longer works; %(left)d left. Make new "
                    "ones under Account → Two-factor authentication if you are running low, and ask an "
                    "Administrator to reset your second factor if your authenticator app is lost.",
                    left,
                )
                % {"left": left},
            )
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "logins/verify.html",
        {
            "code_form": code_form,
            "recovery_form": recovery_form,
            "using_recovery_code": using_recovery_code,
            "next": _next_url(request),
        },
    )


@never_cache
def recovery_codes(request):
    codes = request.session.pop(SESSION_RECOVERY_CODES, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. You can make new ones here."))
        return redirect("logins_manage")
    request.session[SESSION_RECOVERY_CODES_DOWNLOAD] = {"codes": codes, "until": time.time() + DOWNLOAD_SECONDS}
    return TemplateResponse(request, "logins/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
def download_recovery_codes(request):
    """The codes just shown, as a text file, once: they leave the session with the download."""
    saved = request.session.pop(SESSION_RECOVERY_CODES_DOWNLOAD, None)
    if not saved or saved["until"] < time.time():
        messages.info(request, _("Recovery codes can be downloaded only once, from the page that shows them."))
        return redirect("logins_manage")
    lines = [
        _("Recovery codes for %(site)s (%(username)s)")
        % {"site": settings.OTP_TOTP_ISSUER, "username": request.user.get_username()},
        _("Each code lets you log in once instead of a code from your authenticator app."),
        "",
        *saved["codes"],
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    return response


# Each person's own two-factor page (Account → Two-factor authentication).


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class ManageView(AdminPage):
    page_title = gettext_lazy("Two-factor authentication")
    template_name = "logins/manage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            device=two_factor.authenticator(user),
            required=two_factor.is_required(user),
            codes_left=two_factor.recovery_codes_left(user),
            **kwargs,
        )

    def post(self, request):
        """Make a new set of recovery codes (the old ones stop working)."""
        if not two_factor.has_authenticator(request.user):
            return redirect("logins_manage")
        return _show_recovery_codes(request, two_factor.new_recovery_codes(request.user), reverse("logins_manage"))


class TurnOffView(AdminPage):
    page_title = gettext_lazy("Turn off two-factor authentication")
    template_name = "logins/turn_off.html"

    def post(self, request):
        if two_factor.is_required(request.user):
            messages.error(request, _("Your role requires two-factor authentication: it cannot be turned off."))
        elif two_factor.has_authenticator(request.user):
            two_factor.remove_second_factor(request.user, by=request.user, action=two_factor.TURNED_OFF)
            messages.success(request, _("Two-factor authentication is off for your account."))
        return redirect("logins_manage")


# Administrators only.


@method_decorator(superuser_required, name="dispatch")
class ResetView(AdminPage):
    page_title = gettext_lazy("Reset two-factor authentication")
    template_name = "logins/reset.html"

    @cached_property
    def person(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])

    def get_context_data(self, **kwargs):
        person = self.person
        return super().get_context_data(
            person=person,
            device=two_factor.authenticator(person),
            required=two_factor.is_required(person),
            **kwargs,
        )

    def get_page_subtitle(self):
        return self.person.get_username()

    def post(self, request, user_id):
        person = self.person
        two_factor.remove_second_factor(person, by=request.user, action=two_factor.RESET)
        if two_factor.is_required(person):
            message = _(
                "Two-factor authentication of %(username)s is reset: their authenticator app and recovery "
                "codes no longer work. They set up a new app at their next login."
            )
        else:
            message = _(
                "Two-factor authentication of %(username)s is reset: their authenticator app and recovery "
                "codes no longer work. They set up a new app at their next login, if they choose to."
            )
        messages.success(request, message % {"username": person.get_username()})
        return redirect("wagtailusers_users:index")


@method_decorator(superuser_required, name="dispatch")
class LockoutsView(AdminPage):
    page_title = gettext_lazy("Locked logins")
    template_name = "logins/lockouts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            usernames=lockout.locked_usernames(),
            addresses=lockout.locked_addresses(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            address_failure_limit=settings.LOGINS_ADDRESS_FAILURE_LIMIT,
            address_username_limit=settings.LOGINS_ADDRESS_USERNAME_LIMIT,
            cool_off_minutes=int(lockout.cool_off().total_seconds() // 60),
            **kwargs,
        )

    def post(self, request):
        username = request.POST.get("username", "").strip()
        address = request.POST.get("ip_address", "").strip()
        if lockout.unlock(request.user, username=username or None, ip_address=None if username else address or None):
            messages.success(
                request, _("%(lock)s is unlocked and can try to log in again.") % {"lock": username or address}
            )
        elif username or address:
            messages.info(request, _("%(lock)s was not locked.") % {"lock": username or address})
        else:
            messages.info(request, _("That was not locked."))
        return redirect("logins_lockouts")
