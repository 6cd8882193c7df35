"""Settings for the test suite: fast password hashing, media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="iomeu-test-media-")
# The browser tests' live server runs with DEBUG off and must still serve the pages' images.
SERVE_MEDIA = True
WAGTAILADMIN_BASE_URL = "http://testserver"
# Nothing leaves this machine, whatever the shell that runs the tests has set: uploads on local disk,
# no CDN to purge (tests/test_deployment.py sets these up against servers of its own).
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
WAGTAILFRONTENDCACHE = {}
# Each test process has its own page cache (pytest-xdist runs several).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

# --- Logins: the test client's login(username=..., password=...) authenticates without a request,
# which Axes refuses; this backend lets those through unchecked. The real login view always has a
# request and is checked exactly as in production (tests/test_logins.py). ---
AUTHENTICATION_BACKENDS = ["tests.login_support.AxesBackendForTestClient", "django.contrib.auth.backends.ModelBackend"]
