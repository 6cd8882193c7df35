"""What visitors and editors do, in a real browser: navigate, use a phone, use only the keyboard,
search, edit and publish, and load nothing from elsewhere."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from wagtail.models import Page, Site

from partnership.models import DirectorateGeneralPage, FooterSettings
from tests.utils import page_at

pytestmark = pytest.mark.browser

CONTENT = Path(settings.FIXTURES_DIR) / "content" / settings.LANGUAGE_CODE


def fixture_for(path):
    """The fixture file of the page at a URL path: '/' is index.yaml, '/framework/' framework.yaml,
    '/thematic-areas/' thematic-areas/index.yaml."""
    stem = path.strip("/")
    for candidate in (CONTENT / stem / "index.yaml", CONTENT / f"{stem}.yaml"):
        if candidate.is_file():
            return yaml.safe_load(candidate.read_text(encoding="utf-8"))
    raise AssertionError(f"no fixture file for {path}")


def member_dg_and_one_of_its_areas():
    """The URL paths of a framework member DG and of a thematic area that names it, from the fixtures."""
    areas = {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(CONTENT.glob("thematic-areas/*.yaml"))}
    for dg_file in sorted(CONTENT.glob("directorates-general/*.yaml")):
        dg = yaml.safe_load(dg_file.read_text(encoding="utf-8"))
        if dg.get("framework_member"):
            for area_file, area in areas.items():
                if dg["acronym"] in (area.get("directorates_general") or []):
                    return f"/directorates-general/{dg_file.stem}/", f"/thematic-areas/{area_file.stem}/"
    raise AssertionError("the fixtures have no framework member DG with a thematic area")


def assert_page_from_fixtures(page, path):
    """The browser is at `path`, whose title, single h1 and summary come from its fixture file."""
    page.wait_for_url(path)  # the navigation that a click started has loaded
    data = fixture_for(path)
    expect(page).to_have_title(re.compile(re.escape(data["title"])))
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(data.get("full_name") or data["title"])
    expect(page.locator("main .lead")).to_have_text(data["summary"])


def assert_no_horizontal_overflow(page):
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width == width, f"{page.url}: {scroll_width} px wide in a {width} px viewport"


def browse_to_a_thematic_area_and_back(page, open_main_menu, on_each_page=lambda page: None):
    """Overview -> main menu -> framework -> a member DG -> one of its areas -> back by breadcrumb."""
    dg_path, area_path = member_dg_and_one_of_its_areas()
    dg, area = fixture_for(dg_path), fixture_for(area_path)

    def arrive(path):
        assert_page_from_fixtures(page, path)
        on_each_page(page)

    page.goto("/")
    arrive("/")
    open_main_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=fixture_for("/framework/")["title"]).click()
    arrive("/framework/")
    page.get_by_role("region", name="Members of the framework").get_by_role("link", name=dg["full_name"]).click()
    arrive(dg_path)
    page.get_by_role("region", name=re.compile("^Thematic areas")).get_by_role("link", name=area["title"]).click()
    arrive(area_path)

    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link", name=area["title"])).to_have_attribute("aria-current", "page")
    breadcrumb.get_by_role("link", name=fixture_for("/thematic-areas/")["title"]).click()
    arrive("/thematic-areas/")
    expect(page.get_by_role("main").get_by_role("link", name=area["title"])).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home").click()
    arrive("/")


def test_a_visitor_follows_the_menu_a_dg_and_an_area_and_returns_by_breadcrumb(open_page):
    page = open_page(None)

    def menu_is_always_shown(page):
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    browse_to_a_thematic_area_and_back(page, menu_is_always_shown)


def test_on_a_phone_the_menu_opens_by_tap_and_keyboard_and_nothing_overflows(open_page):
    page = open_page("/", phone=True)
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Main")
    first_link = menu.get_by_role("link").first

    def expect_open(is_open):
        expect(button).to_have_attribute("aria-expanded", "true" if is_open else "false")
        if is_open:
            expect(menu).to_be_visible()
            expect(page.get_by_role("searchbox", name="Search this site")).to_be_visible()
        else:
            expect(menu).to_be_hidden()

    expect_open(False)
    button.tap()
    expect_open(True)
    assert_no_horizontal_overflow(page)
    button.tap()
    expect_open(False)

    button.focus()
    page.keyboard.press("Enter")
    expect_open(True)
    page.keyboard.press("Tab")
    expect(first_link).to_be_focused()
    page.keyboard.press("Escape")
    expect_open(False)
    expect(button).to_be_focused()

    def open_menu_by_tap(page):
        page.get_by_role("button", name="Menu").tap()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    browse_to_a_thematic_area_and_back(page, open_menu_by_tap, assert_no_horizontal_overflow)


# For the element that has keyboard focus: where it is, whether it is one of the header's or footer's
# controls, and whether a focus indicator shows. Cards draw the ring on the whole card, not on the link.
FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const ringed = el.closest('.card') || el;
    const style = getComputedStyle(ringed);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return {
        id: el.dataset.chrome || null,
        name: (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().slice(0, 60),
        tag: el.tagName.toLowerCase(),
        ring: outline || shadow,
        rect: el.getBoundingClientRect().toJSON(),
    };
}"""

# Number every visible link, button and field of the header and footer, to find them again by Tab.
MARK_CHROME_CONTROLS = """() => {
    const controls = document.querySelectorAll(
        'header a[href], header button, header input, footer a[href], footer button, footer input');
    const visible = Array.from(controls).filter(el => el.getClientRects().length > 0);
    visible.forEach((el, i) => { el.dataset.chrome = String(i); });
    return visible.map(el => (el.textContent || el.getAttribute('aria-label') || el.name).trim());
}"""


def test_keyboard_only_skip_link_then_every_header_and_footer_control_with_a_visible_ring(open_page):
    # The fixtures' footer links the office's website and IOM's; give it all Settings → Footer offers.
    footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    footer.email = "brussels@example.org"
    footer.phone = "+32 2 287 70 00"
    footer.social_links = [("link", {"label": "IOM on LinkedIn", "url": "https://www.linkedin.com/company/iom"})]
    footer.save()
    page = open_page("/")
    # The office's site and IOM's, each EU body's official site, the three notices, email, phone, social.
    bodies = DirectorateGeneralPage.objects.live().exclude(website="").count()
    notices = Page.objects.live().filter(slug__in=["accessibility", "privacy", "legal-notice"]).count()
    expect(page.locator("footer").get_by_role("link")).to_have_count(2 + bodies + notices + 3)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    # The link slides in over 0.15 s; wait for it to come to rest, then judge where it is.
    page.wait_for_function(
        "() => document.activeElement.getAnimations().every(a => a.playState === 'finished')", timeout=2000
    )
    state = page.evaluate(FOCUS_STATE)
    assert state["ring"], "the skip link has no visible focus indicator"
    assert state["rect"]["top"] >= 0 and state["rect"]["height"] > 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert urlsplit(page.url).fragment == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left main"

    page.goto("/")
    chrome = page.evaluate(MARK_CHROME_CONTROLS)
    assert len(chrome) >= 8, f"too few header and footer controls found: {chrome}"
    reached, no_ring = set(), []
    for _ in range(400):  # far more stops than the page has
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:  # focus left the document after its last control
            break
        if not state["ring"]:
            no_ring.append(f"<{state['tag']}> {state['name']!r}")
        if state["id"] is not None:
            if int(state["id"]) in reached:
                break  # came round again
            reached.add(int(state["id"]))
    missed = [name for i, name in enumerate(chrome) if i not in reached]
    assert not missed, f"not reachable by Tab: {missed}"
    assert not no_ring, f"focused without a visible focus indicator: {no_ring}"


MARKUP = "<script>alert(1)</script>"


def test_search_from_the_header_finds_an_area_and_shows_markup_as_text(open_page):
    page = open_page("/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    header = page.locator("header")
    area_path = "/thematic-areas/resettlement-and-relocation/"
    area = fixture_for(area_path)

    header.get_by_role("searchbox", name="Search this site").press_sequentially("relocation")
    header.get_by_role("button", name="Search").click()
    page.wait_for_url("/search/?q=relocation")
    expect(page.get_by_role("status")).to_contain_text("“relocation”")
    result = page.get_by_role("main").get_by_role("link", name=area["title"])
    expect(result).to_be_visible()
    result.click()
    assert_page_from_fixtures(page, area_path)

    page.locator("header").get_by_role("searchbox", name="Search this site").fill(MARKUP)
    page.locator("header").get_by_role("searchbox", name="Search this site").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("status")).to_contain_text(f"“{MARKUP}”")
    expect(page.get_by_role("main").get_by_role("searchbox")).to_have_value(MARKUP)
    assert MARKUP in page.title()
    assert page.locator("script", has_text="alert(1)").count() == 0
    assert page.evaluate("document.querySelectorAll('main script, main img').length") == 0
    assert dialogs == [], f"the query ran as script: {dialogs}"


PASSWORD = "a-long-password-for-browser-tests"  # noqa: S105


def person_in(group, username, first_name, last_name):
    """A member of one of the roles' groups, as an Administrator would add them under Settings → Users."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", PASSWORD, first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def authenticator_app_of(user):
    """The authenticator app that Moderators and Administrators must set up (partnership/logins/),
    as if they had scanned its QR code."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in_to_the_admin(page, username, authenticator=None):
    """Wagtail's login form, then, for a person with an authenticator app, the second step
    with the code that the app would show now. Ends on the admin's dashboard."""
    page.goto("/admin/")
    assert urlsplit(page.url).path == "/admin/login/"
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if authenticator is not None:
        page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
        app = authenticator
        code = totp(app.bin_key, app.step, app.t0, app.digits, app.drift)
        page.get_by_label("Code from your authenticator app").fill(f"{code:0{app.digits}d}")
        page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url("/admin/")


def test_an_editors_change_reaches_the_public_site_only_after_a_moderator_approves_it(open_page):
    path = "/thematic-areas/return-and-reintegration/"
    area = fixture_for(path)
    title = area["title"]
    new_summary = "Changed in the browser test: IOM and the EU help people return home and rebuild their lives."
    person_in("Editors", "editor", "Edith", "Editor")  # two-factor is their choice; this one has none
    moderator = person_in("Moderators", "moderator", "Moritz", "Moderator")
    moderators_app = authenticator_app_of(moderator)

    visitor = open_page(None)  # a context of its own: never signed in, no staff cookie
    lead = visitor.locator("main .lead")

    def public_page():
        """What an anonymous visitor is served now."""
        response = visitor.reload() if visitor.url.endswith(path) else visitor.goto(path)
        assert response.ok, f"{path} answered {response.status}"

    public_page()
    expect(lead).to_have_text(area["summary"])

    # The Editor finds the page, changes its summary, saves a draft, previews it and submits it.
    admin = open_page(None)
    sign_in_to_the_admin(admin, "editor")
    admin.get_by_role("textbox", name="Search", exact=True).fill(title)
    admin.get_by_role("textbox", name="Search", exact=True).press("Enter")
    admin.get_by_role("link", name=title, exact=True).click()
    admin.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    summary = admin.get_by_role("textbox", name=re.compile(r"^Summary"))
    expect(summary).to_have_value(area["summary"])
    summary.fill(new_summary)

    admin.get_by_role("button", name="Save draft").click()
    expect(admin.get_by_text(f"Page '{title}' has been updated.")).to_be_visible()
    expect(summary).to_have_value(new_summary)

    admin.get_by_role("button", name="Toggle preview").click()
    # Wagtail loads each preview into a new iframe and then swaps it in for the old one.
    preview = admin.frame_locator("iframe[title='Preview']").last
    expect(preview.locator("main .lead")).to_have_text(new_summary)

    # Publishing is not an Editor's to do: their action menu has no Publish, not even hidden.
    expect(admin.get_by_role("button", name="Publish", exact=True, include_hidden=True)).to_have_count(0)
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Submit to Moderation").click()
    expect(admin.get_by_text(f"Page '{title}' has been submitted for moderation.")).to_be_visible()

    # Visitors still get the published page: only the approval may change it.
    public_page()
    expect(lead).to_have_text(area["summary"])

    # The Moderator signs in with their second factor and approves from the dashboard.
    review = open_page(None)
    sign_in_to_the_admin(review, "moderator", moderators_app)
    awaiting = review.get_by_role("region", name="Awaiting your review")
    submitted = awaiting.get_by_role("row").filter(has=review.get_by_role("link", name=title, exact=True))
    expect(submitted).to_have_count(1)
    expect(submitted).to_contain_text("Edith Editor")  # who submitted it
    submitted.get_by_role("button", name="Actions").click()
    review.get_by_role("button", name="Approve", exact=True).click()
    # Approving posts a form that comes back to the dashboard, with nothing left to review.
    expect(review.get_by_role("region", name="Awaiting your review")).to_have_count(0)

    public_page()
    expect(lead).to_have_text(new_summary)


# Scrolls to the end of the page, so that lazy images start loading too, and waits for every image.
ALL_IMAGES_LOADED = """() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    return Promise.all(Array.from(document.images, img => img.complete ? null :
        new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); })));
}"""


def test_public_pages_request_nothing_from_another_host(open_page, sitemap_paths, live_site):
    server = urlsplit(live_site).netloc
    assert len(sitemap_paths) == len(list(CONTENT.rglob("*.yaml")))
    page = open_page(None)
    requests, failed = [], []
    page.on("request", lambda request: requests.append(request.url))
    # ERR_ABORTED: the next page's navigation cancelled a request still in flight (the favicon, say).
    page.on(
        "requestfailed",
        lambda request: request.failure != "net::ERR_ABORTED" and failed.append(f"{request.url} ({request.failure})"),
    )
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.url} {response.status}"))

    elsewhere = {}
    for path in sitemap_paths:
        requests.clear()
        page.goto(path)
        page.evaluate(ALL_IMAGES_LOADED)
        other = [url for url in requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != server]
        if other:
            elsewhere[path] = other
        assert len(requests) > 1, f"{path}: only {requests} was requested"
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert not failed, f"failed requests: {failed}"


def test_each_test_starts_from_the_content_as_loaded(open_page, _loaded_site):
    """What the editor's journey relies on: whatever a test changes is put back for the next one,
    pages the page cache kept included."""
    path = "/thematic-areas/protection/"
    area = fixture_for(path)
    visitor = open_page(path)
    lead = visitor.locator("main .lead")
    expect(lead).to_have_text(area["summary"])
    page = page_at(path)
    page.summary = "Changed behind the browser's back."
    page.save_revision().publish()
    get_user_model().objects.create_user("someone", password=PASSWORD)
    visitor.reload()
    expect(lead).to_have_text("Changed behind the browser's back.")

    _loaded_site.restore()  # what the next test's `live_site` does first

    visitor.reload()
    expect(lead).to_have_text(area["summary"])
    assert not get_user_model().objects.filter(username="someone").exists()
    assert page_at(path).summary == area["summary"]
