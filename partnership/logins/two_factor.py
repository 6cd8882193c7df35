"""Who must use a second factor, and the django-otp devices that provide it: one authenticator app
(TOTP) per person and a set of one-time recovery codes (static tokens)."""

import base64
import logging
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"

# Audit log actions (registered in wagtail_hooks.py; shown under Reports → Site history).
TURNED_ON = "logins.two_factor.on"
TURNED_OFF = "logins.two_factor.off"
RESET = "logins.two_factor.reset"
RECOVERY_CODE_USED = "logins.two_factor.recovery_code_used"
NEW_RECOVERY_CODES = "logins.two_factor.new_recovery_codes"


def _log(user, action, by):
    if isinstance(user, LazyObject):  # request.user: Wagtail's audit log needs the model instance itself
        user = get_user_model().objects.get(pk=user.pk)
    log(instance=user, action=action, user=by)


def is_required(user):
    """Administrators (superusers) and the groups in LOGINS_TWO_FACTOR_REQUIRED_GROUPS (Moderators)
    must use a second factor; for everyone else (Editors) it is their choice. Under the development
    settings (LOGINS_TWO_FACTOR_REQUIRED off) it is everyone's choice."""
    if not settings.LOGINS_TWO_FACTOR_REQUIRED:
        return False
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.LOGINS_TWO_FACTOR_REQUIRED_GROUPS).exists()


def authenticator(user):
    """The person's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user):
    """The authenticator being set up. The same one comes back on every reload, so a QR code that
    was scanned stays valid until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").last()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, name=RECOVERY_CODES_NAME).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_CODES_NAME).count()


@transaction.atomic
def confirm_authenticator(device):
    """Turn two-factor authentication on with a device whose code was just checked; returns the new
    recovery codes, to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    _log(device.user, TURNED_ON, by=device.user)
    return _replace_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace every recovery code with a new set; the old codes stop working."""
    _log(user, NEW_RECOVERY_CODES, by=user)
    return _replace_recovery_codes(user)


def _replace_recovery_codes(user):
    # The device itself stays: a session verified with a recovery code stays verified.
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES_NAME)
    device.token_set.all().delete()
    device.throttle_reset()
    codes = [StaticToken.random_token() for _code in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_second_factor(user, by, action):
    """Delete every authenticator and recovery code of `user`, logged as `action` done by `by`.
    Sessions that were verified with them stop being verified at their next request."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    _log(user, action, by=by)
    logger.warning(
        "Two-factor authentication of %r removed by %r (%s, %d objects deleted)",
        user.get_username(),
        by.get_username() if by else "a management command",
        action,
        deleted,
    )
    return deleted


def log_recovery_code_used(user):
    _log(user, RECOVERY_CODE_USED, by=user)


def check_code(device, code, wrong_code_message=None):
    """Check a code against one device with django-otp's throttling (each wrong code doubles the
    wait before the next try). Returns None when the code is right, else what to tell the person:
    `wrong_code_message` for a wrong code, if given (a recovery code's form names its kind)."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
        return ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
            seconds,
        ) % {"seconds": seconds}
    if verify_token(device.user, device.persistent_id, code) is None:
        return wrong_code_message or _("That code is not right. Check it and try again.")
    return None


def normalise_authenticator_code(value):
    return re.sub(r"\s", "", value or "")


def normalise_recovery_code(value):
    return re.sub(r"[\s-]", "", value or "").lower()


def secret_text(device):
    """The key in Base32, in groups of four, for typing into an app that cannot scan a QR code."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device, title):
    """The device's otpauth:// address as an inline SVG QR code, drawn here: no image is fetched
    from anywhere, and the secret never leaves the page."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)
    svg = svg.replace(
        "<svg ", '<svg class="logins-qr-code" width="240" height="240" role="img" aria-labelledby="qr-code-title" ', 1
    )
    svg = svg.replace(">", f'><title id="qr-code-title">{escape(title)}</title>', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode from our own data; the title is escaped
