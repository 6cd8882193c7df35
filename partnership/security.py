"""Security headers that Django does not set itself."""

from django.conf import settings
from django.utils.cache import patch_cache_control

# Public pages load nothing from another host and run no inline script: the policy says so, and
# a browser then refuses anything injected. Staff get the same policy on public pages: anything
# that slipped into content would otherwise run in a session that can publish. Wagtail's userbar
# needs nothing more (its scripts and stylesheet come from the site itself; its accessibility
# checker's settings are JSON data, not script). The admin sets its own headers.
PUBLIC_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith("/admin/"):
            # The admin and its previews: never kept by a browser or any cache in between.
            patch_cache_control(response, private=True, no_store=True)
            return response
        response.setdefault("Content-Security-Policy", PUBLIC_CONTENT_SECURITY_POLICY)
        if is_signed_in(request):
            # A page as staff see it (the userbar, their name) is theirs alone: no browser cache
            # shared with the next person, no proxy, no back-button copy after logging out.
            response["Cache-Control"] = "private, no-store"
        return response


def is_signed_in(request):
    # Without a session cookie nobody is signed in: leave the session (and Vary: Cookie) untouched.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)  # absent if a response came before AuthenticationMiddleware
    return user is not None and user.is_authenticated
