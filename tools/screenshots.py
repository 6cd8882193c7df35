"""Screenshots for the README and for reviews: `make screenshots`.

Writes full-page PNGs of each page type at 1280 px and at 375 px, and one of the admin editing a
page at 1280 px, into docs/screenshots/. Starts its own server on a free 127.0.0.1 port, against a
throwaway SQLite database loaded from fixtures/ (the test settings: DEBUG off, as in production),
and drives Debian's Chromium with Playwright, as the browser tests do. Each PNG is reduced to a
palette of colours (and, if it must, cut at the bottom) to stay under 300 KB.
"""

import re
import sys
from io import BytesIO
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.chromium import CHROMIUM, is_installed, launch

# Sets Django up (the test settings, a throwaway database): before anything that needs its models.
from tools.fixture_site import BASE_DIR, clean_up, load_fixtures, serving
from tools.page_types import PAGE_TYPES

# isort: split
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page

OUTPUT = BASE_DIR / "docs" / "screenshots"
MAX_BYTES = 300_000
WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 740}}
PAGES = {**PAGE_TYPES, "search-results": "/search/?q=relocation"}
ADMIN_PAGE = "/thematic-areas/resettlement-and-relocation/"
ADMIN_USER = "screenshots"
# For a throwaway database, deleted at the end.
ADMIN_PASSWORD = "screenshots-only-password"  # noqa: S105


def set_up_site():
    """The throwaway database migrated and loaded, with an administrator. Returns what the
    screenshots need from the database (read now: the ORM is not for use
    while Playwright's event loop runs)."""
    load_fixtures()
    admin = get_user_model().objects.create_superuser(ADMIN_USER, "screenshots@example.org", ADMIN_PASSWORD)
    # Administrators sign in with a second factor from an authenticator app.
    authenticator = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    edited_page_id = Page.objects.get(url_path__endswith=ADMIN_PAGE).pk
    return edited_page_id, authenticator


def save_png(png, path):
    """Quantize to a palette of 256 or 128 colours, and cut the bottom off only if that is not enough."""
    image = Image.open(BytesIO(png)).convert("RGB")
    height = image.height
    while True:
        for colors in (256, 128):
            quantized = image.crop((0, 0, image.width, height)).quantize(colors, dither=Image.Dither.NONE)
            buffer = BytesIO()
            quantized.save(buffer, "PNG", optimize=True)
            if buffer.tell() <= MAX_BYTES:
                path.write_bytes(buffer.getvalue())
                cut = "" if height == image.height else f", cut from {image.height} px"
                print(
                    f"  {path.relative_to(BASE_DIR)}: {image.width}x{height}{cut}, {colors} colours, "
                    f"{buffer.tell() // 1000} kB"
                )
                return
        height = int(height * 0.9)


def sign_in(page, base_url, authenticator):
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USER)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if authenticator is not None:
        device = authenticator
        page.wait_for_url(re.compile(r"/admin/two-factor/"))
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.get_by_label("Code from your authenticator app").fill(f"{code:0{device.digits}d}")
        page.get_by_role("button", name="Continue", exact=True).click()
    page.wait_for_url(f"{base_url}/admin/")


def take_screenshots(base_url, edited_page_id, authenticator):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    elsewhere = re.compile(rf"^(?!{re.escape(base_url)}/|data:|blob:)")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width, viewport in WIDTHS.items():
            phone = width == "375"
            context = browser.new_context(
                viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone, reduced_motion="reduce"
            )
            context.route(elsewhere, lambda route: route.abort())
            page = context.new_page()
            for name, path in PAGES.items():
                response = page.goto(base_url + path)
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")
                page.evaluate(
                    """() => Promise.all(Array.from(document.images, img => {
                        img.loading = 'eager';
                        return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
                    }))"""
                )
                save_png(page.screenshot(full_page=True), OUTPUT / f"{name}-{width}.png")
            context.close()

        context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        context.route(elsewhere, lambda route: route.abort())
        page = context.new_page()
        sign_in(page, base_url, authenticator)
        page.goto(f"{base_url}/admin/pages/{edited_page_id}/edit/")
        page.get_by_role("button", name="Toggle preview").click()
        page.frame_locator("iframe[title='Preview']").last.locator("main .lead").wait_for()
        page.wait_for_timeout(500)  # the preview panel slides open
        save_png(page.screenshot(), OUTPUT / "admin-editing-1280.png")
        context.close()
        browser.close()


def main():
    if not is_installed():
        raise SystemExit(f"Needs Debian's Chromium at {CHROMIUM}: run `bash .ci/install-browser` as root.")
    try:
        edited_page_id, authenticator = set_up_site()
        with serving() as base_url:
            print(f"Serving on {base_url}; writing {OUTPUT.relative_to(BASE_DIR)}/")
            take_screenshots(base_url, edited_page_id, authenticator)
    finally:
        clean_up()


if __name__ == "__main__":
    main()
