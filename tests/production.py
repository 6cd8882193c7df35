"""One way for tests to look at the production settings: a new Python process with
DJANGO_SETTINGS_MODULE=iomeu.settings.production (or another settings module), the variables
production requires, and none of the deployment variables of the shell that runs the tests."""

import json
import os
import subprocess
import sys

from django.conf import settings

BASE_DIR = settings.BASE_DIR
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "partnership.example.org",
    "DATABASE_URL": "postgres://user@db.invalid/iomeu",
}
# Every other variable the settings read, so that the shell running the tests cannot change the outcome.
DEPLOYMENT_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_LOCATION",
    "AWS_QUERYSTRING_AUTH",
    "FRONTEND_CACHE_BACKEND",
    "FRONTEND_CACHE_HOSTNAMES",
    "FRONTEND_CACHE_PURGE_URL",
    "CLOUDFLARE_ZONE_ID",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFRONT_DISTRIBUTION_ID",
    "REDIS_URL",
    "GUNICORN_BIND",
    "TRUSTED_PROXIES",
    "TRUSTED_PROXY_COUNT",
    "WAGTAILADMIN_BASE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL",
    "SERVER_EMAIL",
}


def environment(env=None, required=PRODUCTION_ENV, module="production"):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in DEPLOYMENT_VARIABLES}
    return {**clean, **required, **(env or {}), "DJANGO_SETTINGS_MODULE": f"iomeu.settings.{module}"}


def run(args, env=None, required=PRODUCTION_ENV, module="production"):
    """Run `args` (a command line) in BASE_DIR under those settings; the finished process."""
    return subprocess.run(
        args, cwd=BASE_DIR, env=environment(env, required, module), capture_output=True, text=True, check=False
    )


def under_production_settings(env, *args, required=PRODUCTION_ENV):
    """Run `python ARGS` with the production settings, the required variables and `env`."""
    return run([sys.executable, *args], env, required)


def facts(code, env=None, module="production"):
    """Set Django up under those settings, run `code` (which fills `facts`), return `facts`."""
    script = f"import django, json\ndjango.setup()\nfacts = {{}}\n{code}\nprint(json.dumps(facts))"
    result = run([sys.executable, "-c", script], env, module=module)
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_facts(env, code):
    return facts(code, env)
