"""The second step of logging in: after the password, nothing but the two-factor pages (and logging
out) until the session is verified with a code."""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django_otp.middleware import OTPMiddleware

from . import two_factor

# What a half-logged-in person may still reach: the login and logout views, the two-factor pages
# themselves, and the admin's icons and translations that those pages load.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "logins_setup",
    "logins_verify",
}


class TwoFactorMiddleware:
    """django-otp's middleware (it sets request.user.is_verified()) plus the enforcement: a person
    with an authenticator app is sent to enter a code; a person who must use one (an Administrator
    or a Moderator) and has none is sent to set one up. Goes right after AuthenticationMiddleware.

    django-otp's OTPMiddleware wraps the enforcement, as it would wrap the next middleware, so only its
    public interface is used."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.verify = OTPMiddleware(self.enforce)

    def __call__(self, request):
        return self.verify(request)

    def enforce(self, request):
        return self.second_step(request) or self.get_response(request)

    def second_step(self, request):
        # Without a session cookie nobody is logged in: leave the session (and Vary: Cookie) untouched.
        if not settings.LOGINS_TWO_FACTOR_ENFORCED or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        try:
            if resolve(request.path_info).url_name in OPEN_URL_NAMES:
                return None
        except Resolver404:
            return None
        if two_factor.has_authenticator(user):
            return redirect_to_login(request.get_full_path(), reverse("logins_verify"), REDIRECT_FIELD_NAME)
        if two_factor.is_required(user):
            return redirect_to_login(request.get_full_path(), reverse("logins_setup"), REDIRECT_FIELD_NAME)
        return None
