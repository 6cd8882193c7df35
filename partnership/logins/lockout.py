"""Locking out repeated failed logins (django-axes): the lockout page, the client's address behind a
proxy, the locks an Administrator can see and lift.

Two kinds of lock. An *account* locks after AXES_FAILURE_LIMIT failures for its username, from any
address (AXES_LOCKOUT_PARAMETERS): a colleague behind the same office address is not locked with it.
An *address* locks only when it looks like password spraying: LOGINS_ADDRESS_FAILURE_LIMIT failures
from it across at least LOGINS_ADDRESS_USERNAME_LIMIT different usernames within the cool-off."""

import ipaddress
import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.shortcuts import render
from django.utils import timezone
from wagtail.log_actions import log

logger = logging.getLogger(__name__)

UNLOCKED = "logins.lockout.unlock"


class LoginAttemptsHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful login clears only the failures made with that
    username. Axes would also clear every failure from the same address, so anyone with an account
    could guess another account's password four times, log in as themselves, and start again."""

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        return AccessAttempt.objects.filter(username=username).delete()[0]

    def get_failures(self, request, credentials=None):
        """Axes counts the failures per username (and per username with address); an address that is
        spraying passwords across many usernames counts as having reached the limit, so Axes' own
        checks (before the password is tried, and after a failure) lock it like any other."""
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address and address_is_spraying(address):
            return max(failures, get_failure_limit(request, credentials))
        return failures


def client_ip_address(request):
    """The visitor's address, for the locks and the sign-in records.

    The socket's address, unless that is one of LOGINS_TRUSTED_PROXIES (the reverse proxies in front
    of Django, production). Then each of the LOGINS_TRUSTED_PROXY_COUNT proxies has appended the
    address it was reached from to X-Forwarded-For, so the client is that many entries from the end;
    anything further left was written by the client. A header from anyone else, or an entry that is
    not an IP address, is ignored: a client reaching the application directly cannot choose the
    address it is locked by, and junk never reaches the database's address column."""
    address = _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.LOGINS_TRUSTED_PROXY_COUNT
    if not proxies or address is None or not _is_trusted_proxy(address):
        return address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return address
    return _ip_or_none(forwarded[-proxies]) or address


def _ip_or_none(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _is_trusted_proxy(address):
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.LOGINS_TRUSTED_PROXIES)


def cool_off():
    return get_cool_off(None)


def _active_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())


def address_failures(address):
    """Failed logins from `address` within the cool-off, and how many different usernames they tried."""
    return (
        _active_attempts()
        .filter(ip_address=address)
        .aggregate(
            failures=Sum("failures_since_start"), usernames=Count("username", distinct=True), latest=Max("attempt_time")
        )
    )


def address_is_spraying(address):
    found = address_failures(address)
    return (found["failures"] or 0) >= settings.LOGINS_ADDRESS_FAILURE_LIMIT and (
        found["usernames"] >= settings.LOGINS_ADDRESS_USERNAME_LIMIT
    )


def username_failures(username):
    return (
        _active_attempts()
        .filter(username=username)
        .aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login form once the limit is reached (AXES_LOCKOUT_CALLABLE):
    whether the account or the network address is locked, and until when.

    429 Too Many Requests, not 403: nothing is wrong with the person's rights; they have made too
    many attempts for now, and the status (with Retry-After) says the refusal is temporary."""
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None)
    account = username_failures(username) if username else {"failures": 0, "latest": None}
    account_locked = (account["failures"] or 0) >= get_failure_limit(request, credentials)
    address_locked = bool(address) and address_is_spraying(address)
    if address_locked and not account_locked:
        latest = address_failures(address)["latest"]
    else:
        latest = account["latest"]
    unlocks_at = (latest or timezone.now()) + cool_off()
    wait = max(unlocks_at - timezone.now(), timedelta(0))
    response = render(
        request,
        "logins/locked_out.html",
        {
            "account_locked": account_locked or not address_locked,
            "address_locked": address_locked,
            "username": username,
            "address": address,
            "failure_limit": get_failure_limit(request, credentials),
            "address_failure_limit": settings.LOGINS_ADDRESS_FAILURE_LIMIT,
            "address_username_limit": settings.LOGINS_ADDRESS_USERNAME_LIMIT,
            "cool_off_minutes": int(cool_off().total_seconds() // 60),
            "unlocks_at": unlocks_at,
            "minutes_left": max(1, int(wait.total_seconds() + 59) // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(wait.total_seconds()) + 1)
    return response


def locked_usernames():
    """Usernames that are locked now, with when each lock lifts by itself."""
    rows = (
        _active_attempts()
        .exclude(username__isnull=True)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-latest")
    )
    return [
        {"value": row["username"], "failures": row["failures"], "unlocks_at": row["latest"] + cool_off()}
        for row in rows
    ]


def locked_addresses():
    """Addresses locked for spraying passwords across many usernames, with how many they tried."""
    rows = (
        _active_attempts()
        .exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            usernames=Count("username", distinct=True),
            latest=Max("attempt_time"),
        )
        .filter(
            failures__gte=settings.LOGINS_ADDRESS_FAILURE_LIMIT, usernames__gte=settings.LOGINS_ADDRESS_USERNAME_LIMIT
        )
        .order_by("-latest")
    )
    return [
        {
            "value": row["ip_address"],
            "failures": row["failures"],
            "usernames": row["usernames"],
            "unlocks_at": row["latest"] + cool_off(),
        }
        for row in rows
    ]


def unlock(by, username=None, ip_address=None):
    """Lift a lock early: delete the failed attempts behind it, and say so in the audit log."""
    attempts = AccessAttempt.objects.none()
    if username:
        attempts = AccessAttempt.objects.filter(username=username)
    elif ip_address:
        attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    first = attempts.first()
    if first is None:
        return 0
    what = {"username": username} if username else {"ip_address": ip_address}
    # The title is stored with the entry: in the site's language, not the Administrator's.
    log(instance=first, action=UNLOCKED, user=by, data=what, title=f"Login lock on {username or ip_address}")
    deleted = attempts.delete()[0]
    logger.warning("Login lock on %s lifted by %r (%d attempts deleted)", what, by.get_username(), deleted)
    return deleted
