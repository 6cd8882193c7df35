"""What the test client's shortcuts need now that logins have a lockout and a second factor.

client.login() and client.force_login() never go through the login view: they call Django's login()
with a bare HttpRequest. The real login view (which tests/test_logins.py drives) passes a real
request, so it meets the lockout and the second step exactly as in production."""

import django_otp
from axes.backends import AxesBackend
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice

TEST_CLIENT_DEVICE = "Verified by the test client"


class AxesBackendForTestClient(AxesBackend):
    """Axes refuses to authenticate without a request (client.login(username=..., password=...) has
    none); let those through to the next backend, and check every real request as usual."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def verify_programmatic_login(sender, request, user, **kwargs):
    """A test that logs someone in with the client's shortcuts means "logged in": password and second
    factor both done. Mark the session verified the way django-otp does after a good code
    (django_otp.login with one of the person's devices: here a static device with no codes, so
    nothing can ever be verified with it). Sessions made by the real login view are left alone."""
    if type(request) is not HttpRequest:
        return
    device, _ = StaticDevice.objects.get_or_create(user=user, name=TEST_CLIENT_DEVICE)
    request.user = user
    django_otp.login(request, device)
