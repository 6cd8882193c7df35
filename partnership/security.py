"""Security headers that Django does not set itself."""

from django.conf import settings

# Public pages load nothing from another host and run no inline script: the policy says so, and
# a browser then refuses anything injected. Staff (a session cookie) get Wagtail's userbar, whose
# styles need more; the admin sets its own headers.
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
        public_request = not request.path.startswith("/admin/") and settings.SESSION_COOKIE_NAME not in request.COOKIES
        if public_request:
            response.setdefault("Content-Security-Policy", PUBLIC_CONTENT_SECURITY_POLICY)
        return response
