"""The HTTP cache in front of the app: Varnish with deploy/varnish/default.vcl, in front of two
production gunicorn servers on one throwaway PostgreSQL database and Redis (tools/varnish.py,
tools/appserver.py), with the app purging it through wagtail.contrib.frontend_cache
(FRONTEND_CACHE_BACKEND=varnish: PURGE for a page, BAN for what shows everywhere).

- Visitors' pages are served by Varnish without reaching the app; staff with a session always
  reach the app and nothing of theirs is stored.
- A publish (on either app server), the footer and an image's description show at the next
  request through Varnish.
- With the app servers or the database down, pages seen before are served stale and the rest get
  Varnish's own "back soon" page.
- Host ports, tracking parameters and cookies do not multiply cache entries; only the app's
  addresses may PURGE or BAN; pages travel gzipped and conditional requests get 304 from Varnish.

They need varnishd, PostgreSQL and Redis: skipped where those are missing, failed in CI (CI=true).
"""

import gzip
import re
import time
from dataclasses import dataclass
from html import unescape

import pytest

from tools.appserver import AppServer, Unavailable, free_port, manage, production_site, set_database_accepts_connections
from tools.varnish import Varnish, varnishd_missing

from ..staff_browser import StaffBrowser
from ..utils import missing_in_ci_fails

pytestmark = pytest.mark.app_servers

HOST = "partnership.test"  # the site's public host name: its Site record, ALLOWED_HOSTS, purges
VISITOR = {"Host": HOST, "Accept-Encoding": "gzip, deflate, br"}
PASSWORD = "a long passphrase for the staff"  # noqa: S105
USERBAR = "wagtail-userbar"  # in every page a signed-in editor sees, never in a visitor's


@dataclass
class Stack:
    env: dict
    servers: list
    varnish: Varnish

    def get(self, path, **headers):
        return self.varnish.get(path, headers={**VISITOR, **headers})

    def app_requests(self, path):
        """Requests for `path` the app servers have answered so far (gunicorn's access log, which
        gunicorn writes just after the response: given a moment to catch up)."""
        time.sleep(0.3)
        needle = f'"GET {path} HTTP/'
        return sum(server.log_tail(100_000).count(needle) for server in self.servers)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    missing = varnishd_missing()
    if missing:
        missing_in_ci_fails(missing)
    try:
        with production_site(
            workdir=tmp_path_factory.mktemp("site"),
            SITE_URL=f"http://{HOST}",
            ALLOWED_HOSTS=f"{HOST},127.0.0.1,localhost",
        ) as site_env:
            varnish_port = free_port()
            env = {
                **site_env,
                "FRONTEND_CACHE_BACKEND": "varnish",
                "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{varnish_port}",
            }
            with AppServer(env) as first, AppServer(env) as second:
                backends = [("127.0.0.1", first.port), ("127.0.0.1", second.port)]
                with Varnish(backends, probe_host=HOST, port=varnish_port) as varnish:
                    yield Stack(env, [first, second], varnish)
    except Unavailable as reason:
        missing_in_ci_fails(reason)


@pytest.fixture(scope="module")
def staff(stack):
    """An Editor (no second factor needed) and a Moderator with an authenticator app; returns the
    Moderator's TOTP key."""
    script = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
User = get_user_model()
editor = User.objects.create_user("eddie", password={PASSWORD!r})
editor.groups.add(Group.objects.get(name="Editors"))
moderator = User.objects.create_user("mona", password={PASSWORD!r})
moderator.groups.add(Group.objects.get(name="Moderators"))
print(TOTPDevice.objects.create(user=moderator, name="Authenticator app", confirmed=True).key)
"""
    return manage(stack.env, "shell", "-c", script).strip().splitlines()[-1]


def shell(stack, script):
    return manage(stack.env, "shell", "-c", script).strip()


def cached(stack, path):
    """Ask for `path` until Varnish has it, and return what it serves."""
    stack.get(path)
    response = stack.get(path)
    assert response.getheader("X-Cache") == "HIT", (path, response.status, response.getheader("X-Cache"))
    return response


def text(response):
    body = response.body
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def lead(response):
    match = re.search(r'<p class="lead">(.*?)</p>', text(response), re.S)
    return unescape(match.group(1)).strip() if match else None


def wait_for(condition, timeout=15, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {message}")


def test_a_page_seen_once_is_served_by_varnish_without_reaching_the_app(stack):
    path = "/directorates-general/home/"
    first = stack.get(path)
    assert first.status == 200 and first.getheader("X-Cache") == "MISS"
    assert "s-maxage" in first.getheader("Cache-Control")
    reached = stack.app_requests(path)
    assert reached >= 1
    for _ in range(5):
        response = stack.get(path)
        assert response.status == 200 and response.getheader("X-Cache") == "HIT"
        assert response.getheader("Age") is not None
    assert stack.varnish.request("HEAD", path, headers=VISITOR).getheader("X-Cache") == "HIT"
    # A visitor's cookies (the CSRF token of a form seen earlier, analytics) change nothing.
    assert stack.get(path, Cookie="csrftoken=abc; _ga=GA1.2.3").getheader("X-Cache") == "HIT"
    assert stack.app_requests(path) == reached
    # Internal bookkeeping of the cache stays inside it.
    assert first.getheader("x-host") is None and first.getheader("x-url") is None


def test_the_health_check_search_and_admin_always_reach_the_app(stack):
    # (The probes ask for /healthz/ too: this asks with a query string of its own, to count its own.)
    for path in ("/healthz/?from=test", "/search/?q=migration", "/admin/login/"):
        before = stack.app_requests(path)
        for _ in range(2):
            response = stack.get(path)
            assert response.status == 200, (path, response.status)
            assert response.getheader("X-Cache") == "PASS", path
        assert stack.app_requests(path) == before + 2, path


def test_staff_with_a_session_always_reach_the_app_and_are_never_cached(stack, staff):
    path = "/who-we-are/"
    editor = StaffBrowser(stack.varnish, HOST, PASSWORD).sign_in("eddie")  # through Varnish, as staff do
    assert "sessionid" in editor.cookies

    before = stack.app_requests(path)
    for _ in range(2):
        response = editor.request("GET", path)
        assert response.status == 200
        assert response.getheader("X-Cache") == "PASS"
        assert USERBAR in response.text
    assert stack.app_requests(path) == before + 2

    # Nothing of the editor's was stored: the first visitor gets a page of their own.
    visitor = stack.get(path)
    assert visitor.getheader("X-Cache") == "MISS"
    assert USERBAR not in text(visitor)
    # And once visitors' copy is cached, staff still do not get it.
    assert stack.get(path).getheader("X-Cache") == "HIT"
    again = editor.request("GET", path)
    assert again.getheader("X-Cache") == "PASS" and USERBAR in again.text


def test_a_publish_on_either_app_server_shows_through_varnish_at_once(stack, staff):
    page, area, listing = "/thematic-areas/protection/", "/thematic-areas/labour-migration/", "/thematic-areas/"
    new_summary = "Protection, in a summary a moderator has just published."
    new_title = "Labour migration and skills mobility"
    old_summary = lead(cached(stack, page))
    assert old_summary and old_summary != new_summary
    assert new_title not in text(cached(stack, listing))
    cached(stack, area)

    # Drafts (which change nothing visitors see), to be published in the admin.
    ids = shell(
        stack,
        f"""
from wagtail.models import Page
page = Page.objects.get(url_path="/home{page}").specific
page.summary = {new_summary!r}
page.save_revision()
area = Page.objects.get(url_path="/home{area}").specific
area.title = {new_title!r}
area.save_revision()
print(page.pk, area.pk)
""",
    ).splitlines()[-1]
    page_id, area_id = ids.split()
    assert lead(stack.get(page)) == old_summary

    # A Moderator publishes one change through each app server (one session, kept in the database).
    moderator = StaffBrowser(stack.servers[0], HOST, PASSWORD).sign_in("mona", staff)
    response = moderator.submit(f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/")
    assert response.status == 302, response.text[:800]
    fresh = stack.get(page)
    assert fresh.getheader("X-Cache") == "MISS"
    assert lead(fresh) == new_summary

    on_second = StaffBrowser(stack.servers[1], HOST, PASSWORD, moderator.cookies)
    response = on_second.submit(f"/admin/bulk/wagtailcore/page/publish/?id={area_id}&next=/admin/")
    assert response.status == 302, response.text[:800]
    assert new_title in text(stack.get(listing))  # the listing that shows the area
    assert new_title in text(stack.get(area))


def test_the_footer_shows_on_every_page_at_once(stack):
    paths = ["/", "/framework/"]
    for path in paths:
        cached(stack, path)
    organisation = "IOM Office to the European Union (footer changed)"
    shell(
        stack,
        f"""
from wagtail.models import Site
from partnership.models import FooterSettings
footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
footer.organisation = {organisation!r}
footer.save()
""",
    )
    for path in paths:
        assert organisation in text(stack.get(path)), path


def test_a_new_image_description_shows_as_alt_text_at_once(stack):
    page = cached(stack, "/framework/")
    description = "The members of the framework around IOM, described afresh for screen readers."
    assert description not in text(page)
    shell(
        stack,
        f"""
from partnership.models import PartnershipImage
image = PartnershipImage.objects.get(file__contains="framework-members")
image.description = {description!r}
image.save()
""",
    )
    # The framework page shows the image as its social-media picture, described for link previews.
    assert f'<meta property="og:image:alt" content="{description}">' in text(stack.get("/framework/"))


def test_host_ports_tracking_parameters_and_cookies_do_not_multiply_entries(stack):
    path = "/framework/"
    cached(stack, path)
    objects = stack.varnish.object_count()
    for port in range(1, 101):
        host = f"{HOST}:{port}" if port % 2 else f"{HOST.upper()}:{port}"
        response = stack.varnish.get(path, headers={**VISITOR, "Host": host})
        assert response.getheader("X-Cache") == "HIT", host
    for variant in (f"{path}?", f"{path}?utm_source=newsletter&utm_medium=email", f"{path}?fbclid=x&gclid=y"):
        assert stack.get(variant).getheader("X-Cache") == "HIT", variant
    assert stack.varnish.object_count() == objects
    # Query strings that remain are sorted: one entry for both orders (a static file, which the
    # app serves with Cache-Control whatever the query string).
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', text(stack.get(path))).group(1)
    assert stack.get(f"{stylesheet}?b=2&a=1").getheader("X-Cache") == "MISS"
    assert stack.get(f"{stylesheet}?a=1&utm_campaign=z&b=2").getheader("X-Cache") == "HIT"


def test_pages_and_static_files_travel_gzipped_and_varnish_answers_conditional_requests(stack):
    path = "/framework/"
    page = cached(stack, path)
    assert page.getheader("Content-Encoding") == "gzip"
    assert "<h1>" in gzip.decompress(page.body).decode()
    plain = stack.varnish.get(path, headers={"Host": HOST})  # a client that cannot take gzip
    assert plain.getheader("Content-Encoding") is None and "<h1>" in plain.text

    etag = page.getheader("ETag")
    assert etag
    reached = stack.app_requests(path)
    not_modified = stack.get(path, **{"If-None-Match": etag})
    assert not_modified.status == 304 and not_modified.body == b""
    assert not_modified.getheader("X-Cache") == "HIT"
    assert stack.app_requests(path) == reached  # Varnish answered it

    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', text(page)).group(1)
    css = cached(stack, stylesheet)
    assert css.getheader("Content-Encoding") == "gzip" and "immutable" in css.getheader("Cache-Control")


def test_only_the_app_servers_may_purge_or_ban(stack):
    path = "/directorates-general/"
    cached(stack, path)
    # The app's own address may: a PURGE forgets that URL, a BAN every URL of the host.
    assert stack.varnish.request("PURGE", path, headers={"Host": HOST}).status == 200
    assert stack.get(path).getheader("X-Cache") == "MISS"
    cached(stack, path)
    cached(stack, "/framework/")
    assert stack.varnish.request("BAN", "/", headers={"Host": HOST}).status == 200
    assert stack.get(path).getheader("X-Cache") == "MISS"
    assert stack.get("/framework/").getheader("X-Cache") == "MISS"

    # A Varnish whose ACL lists another address refuses this one (tests can only send from here).
    backends = [("127.0.0.1", stack.servers[0].port)]
    with Varnish(backends, probe_host=HOST, purgers=["192.0.2.1"]) as strict:
        strict.get(path, headers=VISITOR)
        for method in ("PURGE", "BAN"):
            refused = strict.request(method, path, headers={"Host": HOST})
            assert refused.status == 405, method
            assert "not allowed" in refused.text
        assert strict.get(path, headers=VISITOR).getheader("X-Cache") == "HIT"


def test_with_the_app_or_its_database_down_pages_seen_are_served_stale_and_the_rest_get_a_503(stack):
    # A server whose pages expire after a second, so that what Varnish serves next is stale (with
    # Redis keys of its own, so that no page the other servers cached with a longer life is reused).
    short = {"PAGE_CACHE_SECONDS": "1", "CACHE_KEY_PREFIX": f"{stack.env['CACHE_KEY_PREFIX']}-short"}
    with AppServer(stack.env, **short) as server:
        with Varnish([("127.0.0.1", server.port)], probe_host=HOST) as varnish:
            seen = ["/", "/framework/"]
            kept = {}
            for path in seen:
                varnish.get(path, headers=VISITOR)
                kept[path] = varnish.get(path, headers=VISITOR)
                assert kept[path].getheader("X-Cache") == "HIT"
                assert "s-maxage=1," in kept[path].getheader("Cache-Control")
            time.sleep(1.5)

            def back_soon(path):
                response = varnish.get(path, headers=VISITOR)
                return response if response.getheader("X-Cache") == "SYNTH" else None

            def served_stale():
                for path in seen:
                    response = varnish.get(path, headers=VISITOR)
                    assert response.status == 200, (path, response.status)
                    assert response.getheader("X-Cache") == "HIT"
                    assert int(response.getheader("Age")) > 1  # past its s-maxage: from grace
                    assert response.body == kept[path].body

            set_database_accepts_connections(stack.env["DATABASE_URL"], False)
            try:
                unseen = wait_for(lambda: back_soon("/our-work/"), message="the probe to find the database down")
                assert unseen.status == 503 and unseen.getheader("Retry-After") == "60"
                assert "The site is taking a short break" in unseen.text and 'href="/"' in unseen.text
                assert "<link" not in unseen.text and "<script" not in unseen.text  # self-contained
                wait_for(lambda: varnish.get("/", headers=VISITOR).status == 200, message="grace")
                served_stale()
            finally:
                set_database_accepts_connections(stack.env["DATABASE_URL"], True)
            varnish.wait_until_healthy()

            server.stop()
            unseen = wait_for(lambda: back_soon("/directorates-general/"), message="a 503 without gunicorn")
            assert unseen.status == 503 and "The site is taking a short break" in unseen.text
            wait_for(lambda: varnish.get("/", headers=VISITOR).status == 200, message="grace")
            served_stale()
    stack.varnish.wait_until_healthy()  # the module's servers lost their database too


def test_the_example_backends_file_is_what_the_generator_writes():
    """deploy/varnish/backends.vcl.example, which docs/deployment.md shows, is regenerated by
    `python tools/varnish.py backends --backend 127.0.0.1:8000 --probe-host partnership.example.org`."""
    from tools.varnish import VCL, backends_vcl

    example = (VCL.parent / "backends.vcl.example").read_text()
    assert example == backends_vcl([("127.0.0.1", 8000)], "partnership.example.org")
