"""Local development: works with no environment variables set."""

from .base import *  # noqa: F403

DEBUG = True
# Only for local use; production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# `make run` may create a local admin account (see create_local_admin); never in production.
LOCAL_ADMIN_ALLOWED = True
# The local admin looks around without an authenticator app: nobody has to set one up here (anyone
# who has is still asked for a code). Production requires one of Administrators and Moderators.
LOGINS_TWO_FACTOR_REQUIRED = False
