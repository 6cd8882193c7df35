"""The production configuration as it runs: gunicorn processes on 127.0.0.1 sharing one PostgreSQL
database and one Redis (tools/appserver.py prepares both and removes them afterwards).

- Two app servers stay coherent: a Moderator publishes through one, and the other serves the new
  content on its next request.
- When the database goes away, every request gets the friendly 503 page (pages already in the HTTP
  cache in front stay online: tests/http_cache/test_varnish.py) and /healthz/ says why; when it comes
  back, so does the site.
- When Redis goes away, pages are still served, the same, never a 500, and /healthz/ stays healthy
  (it reports the cache), so the HTTP cache in front keeps sending visitors.

They need PostgreSQL and Redis: skipped where those are not running, failed in CI (CI=true).
"""

import re
import time
from html import unescape

import pytest

from tools.appserver import (
    AppServer,
    RedisServer,
    Unavailable,
    manage,
    production_site,
    set_database_accepts_connections,
)

from .staff_browser import StaffBrowser
from .utils import missing_in_ci_fails

pytestmark = pytest.mark.app_servers

PAGE = "/thematic-areas/protection/"
PASSWORD = "a long passphrase for the moderator"  # noqa: S105
HOST = "127.0.0.1"  # the Host header a load balancer would pass to every app server alike


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    try:
        with production_site(workdir=tmp_path_factory.mktemp("site")) as env:
            yield env
    except Unavailable as reason:
        missing_in_ci_fails(reason)


def visitor_get(server, path):
    return server.get(path, headers={"Host": HOST})


def summary_shown(response):
    match = re.search(r'<p class="lead">(.*?)</p>', response.text, re.S)
    return unescape(match.group(1)).strip() if match else None


def make_moderator_and_draft(env, username, summary):
    """A Moderator with an authenticator app, and an Editor's draft of PAGE with a new summary (a
    draft changes nothing visitors see). Returns the page's id and the app's key."""
    script = f"""
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page
user = get_user_model().objects.create_user({username!r}, password={PASSWORD!r})
user.groups.add(Group.objects.get(name="Moderators"))
device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
page = Page.objects.get(url_path="/home{PAGE}").specific
page.summary = {summary!r}
page.save_revision()
print(page.pk, device.key)
"""
    page_id, key = manage(env, "shell", "-c", script).strip().splitlines()[-1].split()
    return page_id, key


def test_a_publish_through_one_app_server_shows_on_the_other_at_once(site_env):
    new_summary = "Protection in a summary that a moderator has just published."
    with AppServer(site_env) as first, AppServer(site_env) as second:
        assert visitor_get(first, PAGE).status == 200
        before = visitor_get(second, PAGE)
        assert before.status == 200
        old_summary = summary_shown(before)
        assert old_summary and old_summary != new_summary

        page_id, key = make_moderator_and_draft(site_env, "mona", new_summary)
        assert summary_shown(visitor_get(second, PAGE)) == old_summary  # a draft is not published

        moderator = StaffBrowser(first, HOST, PASSWORD)
        moderator.sign_in("mona", key)
        publish = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
        response = moderator.submit(publish)
        assert response.status == 302, response.text[:800]

        fresh = visitor_get(second, PAGE)
        assert fresh.status == 200
        assert summary_shown(fresh) == new_summary
        assert summary_shown(visitor_get(first, PAGE)) == new_summary


def test_without_the_database_every_request_gets_the_503_page(site_env):
    with AppServer(site_env) as server:
        assert visitor_get(server, "/framework/").status == 200
        set_database_accepts_connections(site_env["DATABASE_URL"], False)
        try:
            for path in ("/framework/", "/directorates-general/", "/search/?q=health", "/admin/login/"):
                response = visitor_get(server, path)
                assert response.status == 503, (path, response.status)
                assert response.getheader("Retry-After") == "60"
                assert "no-store" in response.getheader("Cache-Control")  # the cache in front keeps no error
                assert "Traceback" not in response.text and "OperationalError" not in response.text
                assert "<h1>" in response.text
            health = visitor_get(server, "/healthz/")
            assert health.status == 503 and "database" in health.text
        finally:
            set_database_accepts_connections(site_env["DATABASE_URL"], True)

        deadline = time.monotonic() + 10
        while visitor_get(server, "/healthz/").status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert visitor_get(server, "/directorates-general/").status == 200
        assert "Traceback" not in server.log_tail(400)


def test_without_redis_pages_are_still_served_and_the_server_stays_healthy(site_env):
    try:
        redis = RedisServer().start()  # a Redis of this test's own, to stop
    except Unavailable as reason:
        missing_in_ci_fails(reason)
    try:
        with AppServer(site_env, REDIS_URL=redis.url) as server:
            paths = ["/", "/framework/", "/directorates-general/", PAGE]
            before = {path: summary_shown(visitor_get(server, path)) for path in paths}
            assert visitor_get(server, "/healthz/").text == "ok\n"

            redis.stop()
            for path in [*paths, "/search/?q=health", "/admin/login/"]:
                response = visitor_get(server, path)
                assert response.status == 200, (path, response.status)
                if path in before:
                    assert summary_shown(response) == before[path], path
            health = visitor_get(server, "/healthz/")
            assert health.status == 200 and "cache unavailable" in health.text
            assert " 500 " not in server.log_tail(400)

            redis.start()
            deadline = time.monotonic() + 10
            while visitor_get(server, "/healthz/").text != "ok\n" and time.monotonic() < deadline:
                time.sleep(0.2)
            assert visitor_get(server, "/healthz/").text == "ok\n"
    finally:
        redis.stop()
