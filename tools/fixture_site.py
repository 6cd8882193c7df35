"""A throwaway copy of the site for the tools that look at it in a browser (`make screenshots`,
`make lighthouse`): the test settings (DEBUG off, as in production; static files from WhiteNoise,
uploads served by Django), a SQLite database in a temporary folder loaded from fixtures/, and a
threaded WSGI server on a free 127.0.0.1 port. Importing this module sets Django up; import it
before anything that needs Django's settings."""

import os
import shutil
import socketserver
import sys
import tempfile
import threading
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django

BASE_DIR = Path(__file__).resolve().parent.parent
# Set before Django starts: the database lives and dies with this run.
WORKDIR = Path(tempfile.mkdtemp(prefix="iomeu-fixture-site-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "iomeu.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'db.sqlite3'}"
sys.path.insert(0, str(BASE_DIR))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def load_fixtures():
    """Migrate the throwaway database and load the content, as `make run` does."""
    # Nothing a page or the admin shows may come from elsewhere: no avatar from Gravatar, no update check.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    print("Migrating and loading the fixtures into a throwaway database...")
    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=StringIO())


@contextmanager
def serving():
    """The site served on 127.0.0.1 while the block runs; yields its base URL."""
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=ThreadingServer, handler_class=QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def clean_up():
    """Remove the throwaway database, and the media folder the test settings made for this run."""
    shutil.rmtree(WORKDIR, ignore_errors=True)
    if "iomeu-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
