"""Settings shared by every environment. Environment-specific files import this."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "partnership",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Purges a CDN when a page is published or unpublished; with no WAGTAILFRONTENDCACHE (below)
    # it only works out the page's URLs and has nothing to send them to.
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "partnership.users_config.UsersConfig",  # wagtail.users, with our Users and Groups views
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# In order, written once: what each does to a request on its way in, and to the response on its way out.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partnership.security.SecurityHeadersMiddleware",
    # Static files; in production gzipped once by collectstatic (CompressedManifestStaticFilesStorage).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for clients that accept gzip (Varnish stores them so). Django pads the output
    # against BREACH, and weakens the ETag set below.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag on every page and "304 Not Modified" to a browser (or Varnish) that has the page
    # already: pages tell browsers to check each time (max-age=0), so a repeat visit costs headers.
    # Inside GZipMiddleware, as Django's documentation orders them: the ETag is the page's, not of
    # its randomly padded compression, so it stays the same until the page changes.
    "django.middleware.http.ConditionalGetMiddleware",
    # A friendly 503 page, not a traceback, when the database cannot be reached.
    "partnership.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's request.user.is_verified() and the second login step (partnership/logins/): needs
    # request.user, so right after AuthenticationMiddleware.
    "partnership.logins.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes turns a refused login into the lockout page: last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iomeu.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "iomeu.wsgi.application"

# Wagtail's preview shows the page in a frame of the admin: same origin only.
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# SQLite by default so `make run` needs no database server; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is tested before reuse, so a managed database's failover or restart
        # costs one reconnection instead of one failed request per worker.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (autosave and preview in two tabs, say) under `make run`: WAL lets
    # readers go on while one writes, IMMEDIATE takes the write lock at the start of a transaction
    # (instead of failing "database is locked" when a reader upgrades), and a writer waits up to
    # 20 s for another. Django 5.1+'s documented SQLite options.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English is the default; IOM's other official languages (French, Spanish) can be added here
# together with WAGTAIL_I18N_ENABLED once translated content exists.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
# The interface's own strings (templates, template tags, forms): locale/<lang>/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves MEDIA_ROOT itself only where this is on (or DEBUG is): production serves media elsewhere.
SERVE_MEDIA = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads (images, documents) on S3-compatible object storage through django-storages, when a
# bucket is named: several app servers then share one set of files. Here rather than in
# production.py so that a staging or a developer's machine can try a bucket (MinIO, say) too.
# Credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_SESSION_TOKEN) or the machine's role: django-storages and boto3 read them themselves.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None  # unset for AWS itself
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    # The host in media URLs: the site itself when the CDN sends /media/* to the bucket (with
    # AWS_LOCATION=media), so images stay on the origin that the pages' Content-Security-Policy allows.
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "")  # the folder inside the bucket: "media" as above
    # Images are public: plain URLs, the same at every render, so that the page cache, the CDN and
    # browsers keep them. The bucket's policy makes images/ and original_images/ readable, never
    # documents/ (docs/deployment.md). AWS_QUERYSTRING_AUTH=true signs every URL instead.
    AWS_QUERYSTRING_AUTH = os.environ.get("AWS_QUERYSTRING_AUTH", "false").lower() == "true"
    AWS_DEFAULT_ACL = None  # the bucket's policy decides who reads, not each object
    # Wagtail names files itself; an upload never replaces another file that has the same name.
    AWS_S3_FILE_OVERWRITE = False
    # A file's URL always means the same bytes (a changed image gets a new name), so caches may
    # keep it; a day, so that a file taken down leaves the caches within one.
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=86400"}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The cache Wagtail and Django use (site root paths, image renditions, sessions' neighbours):
# local memory in each process by default, so `make run` needs nothing; with REDIS_URL, shared by
# every app server through django-redis. It only saves work, so a Redis outage is ridden out
# (IGNORE_EXCEPTIONS, django-redis' documented option: reads miss, writes are dropped, each logged)
# instead of failing every page. Pages themselves are cached by the HTTP cache in front (Varnish, a
# CDN), told by Cache-Control and purged on publish (partnership/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # CACHE_KEY_PREFIX keeps sites sharing one Redis apart (staging beside production, tests).
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "iomeu"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # each failed call is logged: an outage is seen, not hidden
# How long the HTTP cache in front keeps a page (its s-maxage): a publish purges it at once anyway.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_STALE_SECONDS = 60  # and may serve it this long past its time while it fetches a new one

# Wagtail
WAGTAIL_SITE_NAME = "IOM and the European Union"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public address (https://partnership.example.org) that load_content gives the site it sets up:
# canonical links, the sitemap and CDN purges are built from it. Default: WAGTAILADMIN_BASE_URL.
SITE_URL = os.environ.get("SITE_URL", "")
WAGTAILIMAGES_IMAGE_MODEL = "partnership.PartnershipImage"
# The admin sends no request elsewhere either: no Gravatar (it would send a hash of staff emails)
# and no check for new Wagtail releases (upgrades are decided in requirements.txt).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]
# Documents go through Wagtail's view, which sends them as downloads (PDF inline) with
# "Content-Security-Policy: default-src 'none'" and nosniff: an upload can never run as a page.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["avif", "jpg", "jpeg", "png", "webp"]
# Autosave: the editor keeps a draft of the page 5 seconds after the last change (Wagtail's default,
# half a second, wrote at nearly every keystroke: a crowded history, and SQLite busy under `make run`).
# One revision per editing session, overwritten: Reports → Site history shows its latest entry only
# (partnership/admin_views.SiteHistoryView), and reviewers compare with the version they reviewed
# (partnership/moderation.py), never with the autosaved draft. 0 would turn it off.
WAGTAIL_AUTOSAVE_INTERVAL = 5000  # milliseconds
# Rich text in the admin; the editor's accessibility checker (Wagtail's userbar and the
# "Checks" panel of the page editor) is on by default for every editor.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}


# --- The HTTP cache in front of the site: Varnish (deploy/varnish/default.vcl) or a CDN. Pages carry
# Cache-Control: s-maxage (BasePage.serve), and wagtail.contrib.frontend_cache tells every cache
# listed here to forget what a change shows on (partnership/cache.py). FRONTEND_CACHE_BACKEND picks
# the kind; unset, nothing is purged (and no request is sent). ---
def _frontend_cache_from_environment():
    name = os.environ.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
    if not name:
        return {}

    def required(variable):
        value = os.environ.get(variable, "").strip()
        if not value:
            raise ImproperlyConfigured(f"Set the {variable} environment variable (FRONTEND_CACHE_BACKEND={name}).")
        return value

    backends = "wagtail.contrib.frontend_cache.backends"
    if name in ("varnish", "http"):
        # One entry per cache instance, each sent every purge: FRONTEND_CACHE_PURGE_URL lists them,
        # comma-separated (http://10.0.0.5:6081,http://10.0.0.6:6081). "varnish" also sends BAN for
        # a change that shows on every page; "http" (nginx or another cache that takes PURGE /path)
        # is sent each page's URL instead.
        backend = "partnership.cache.VarnishBackend" if name == "varnish" else f"{backends}.HTTPBackend"
        locations = [url.strip() for url in required("FRONTEND_CACHE_PURGE_URL").split(",") if url.strip()]
        if not locations:
            raise ImproperlyConfigured(
                f"Set the FRONTEND_CACHE_PURGE_URL environment variable (FRONTEND_CACHE_BACKEND={name})."
            )
        configs = {f"{name}-{n}": {"BACKEND": backend, "LOCATION": url} for n, url in enumerate(locations)}
    elif name == "cloudflare":
        # An API token with the "Zone → Cache Purge" permission on this zone only.
        configs = {
            "cdn": {
                "BACKEND": f"{backends}.CloudflareBackend",
                "ZONEID": required("CLOUDFLARE_ZONE_ID"),
                "BEARER_TOKEN": required("CLOUDFLARE_API_TOKEN"),
            }
        }
    elif name == "cloudfront":
        # AWS credentials as for the media bucket: the standard variables or the machine's role.
        distribution = required("CLOUDFRONT_DISTRIBUTION_ID")
        configs = {"cdn": {"BACKEND": f"{backends}.CloudfrontBackend", "DISTRIBUTION_ID": distribution}}
    else:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND={name!r}: use varnish, http, cloudflare or cloudfront, or leave it unset."
        )
    hostnames = [h.strip() for h in os.environ.get("FRONTEND_CACHE_HOSTNAMES", "").split(",") if h.strip()]
    if hostnames:  # only pages of these sites are purged through these caches (default: every site)
        for config in configs.values():
            config["HOSTNAMES"] = hostnames
    return configs


WAGTAILFRONTENDCACHE = _frontend_cache_from_environment()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
FIXTURES_DIR = BASE_DIR / "fixtures"

# WhiteNoise serves static files; outside production it finds them in the source folders
# (no collectstatic needed for `make run` or the tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- Logins: lockout, two-factor authentication and sessions (partnership/logins/; see the README's
# "Logins and two-factor authentication"). ---
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static", "axes"]
# Their middleware is in MIDDLEWARE above.
# Axes looks for a lock before any password is checked. AxesBackend (not AxesStandaloneBackend) because
# it also acts as a ModelBackend: Wagtail's WagtailPageTestCase logs in with the first backend listed.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5  # the fifth wrong password in a row locks: the sixth try is refused, right or wrong
# The account from anywhere, and the account from that address: never the address alone, so one person's
# wrong passwords do not lock out their colleagues behind the same office address.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# An address is locked only when it sprays passwords: this many failures from it, across at least
# LOGINS_ADDRESS_USERNAME_LIMIT different usernames, within the cool-off (partnership/logins/lockout.py).
LOGINS_ADDRESS_FAILURE_LIMIT = 50
LOGINS_ADDRESS_USERNAME_LIMIT = 10
LOGINS_LOCKOUT_MINUTES = 30
AXES_COOLOFF_TIME = LOGINS_LOCKOUT_MINUTES / 60  # in hours: the lock lifts by itself 30 minutes after the last failure
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while locked don't extend it, so the page can say when
AXES_RESET_ON_SUCCESS = True  # "in a row": a successful login clears that username's failures
AXES_HANDLER = "partnership.logins.lockout.LoginAttemptsHandler"
AXES_LOCKOUT_CALLABLE = "partnership.logins.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "partnership.logins.lockout.client_ip_address"
AXES_ENABLE_ADMIN = False  # no Django admin here: Settings → Locked logins in Wagtail instead
LOGINS_TRUSTED_PROXY_COUNT = 0  # reverse proxies in front of Django that append to X-Forwarded-For
# The addresses (or networks) those proxies reach Django from: X-Forwarded-For from anyone else is ignored.
LOGINS_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
LOGINS_TWO_FACTOR_ENFORCED = True
# Whether anyone must use a second factor (Administrators and the groups below). Off only in dev.py,
# so a newcomer can look at the admin without a phone; whoever has set up an app is asked for a code.
LOGINS_TWO_FACTOR_REQUIRED = True
LOGINS_TWO_FACTOR_REQUIRED_GROUPS = ["Moderators"]  # and every Administrator (superuser); optional for Editors
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME  # the name authenticator apps show
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day of inactivity ends the session...
SESSION_SAVE_EVERY_REQUEST = True  # ...counted from the last request, not from the login
