"""Production: everything comes from the environment, and the site refuses to start without it.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. Read in base.py and used here too: REDIS_URL
(the caches, shared by every app server), the media bucket (AWS_STORAGE_BUCKET_NAME and its
companions) and the CDN purge (FRONTEND_CACHE_BACKEND and its companions). docs/deployment.md
lists every variable."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def require_env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable to run in production.")
    return value


DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in require_env("ALLOWED_HOSTS").split(",") if host.strip()]
require_env("DATABASE_URL")  # base.py reads it; here it must be set, not defaulted to SQLite.
# Keep each worker's database connection between requests (health-checked before reuse, see
# base.py): opening one per request cost an uncached page about a third of its time in make bench.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# Email: workflow notifications (submitted, approved, changes requested) and error reports go through
# the organisation's mail server, from an address people recognise; their links use
# WAGTAILADMIN_BASE_URL. Django's SMTP backend (its default) with Django's own settings.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"
EMAIL_TIMEOUT = 10  # a slow mail server must not hold a worker for long
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{WAGTAIL_SITE_NAME} <no-reply@{ALLOWED_HOSTS[0]}>")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = os.environ.get("WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # the sender of error reports to ADMINS

# Static files are collected at build time (`manage.py collectstatic`): WhiteNoise serves that folder
# only, reads it once at start, and gives the hashed names a year of cache. Without the collected
# files the site refuses to render rather than serve files nobody built.
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
# The load balancer's health check talks plain HTTP to each app server: answer it, don't redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# base.py allows frames from the same origin: Wagtail's preview frames the site in its admin.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# --- Logins (see base.py): cookies only over HTTPS and out of scripts' reach (Wagtail's admin reads
# the CSRF token from the page, never from the cookie); the client's address behind the proxy. ---
CSRF_COOKIE_HTTPONLY = True  # SESSION_COOKIE_HTTPONLY is set in base.py
LOGINS_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
LOGINS_TRUSTED_PROXIES = [
    address.strip() for address in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if address.strip()
]
# Stated here, not only inherited, so that no other settings file can loosen production's logins.
LOGINS_TWO_FACTOR_ENFORCED = True
LOGINS_TWO_FACTOR_REQUIRED = True
