"""How this project runs Debian's Chromium under Playwright: one place for the browser tests
(tests/browser/conftest.py) and for `make screenshots` (tools/screenshots.py)."""

import os

CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by `bash .ci/install-browser`
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI containers run as root, where Chromium's sandbox cannot start
    "--disable-gpu",  # headless on a server: nothing to draw with
    # Nothing but the pages under test may reach the network: no Safe Browsing lists, component
    # downloads, Google account sync or first-run tasks.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def is_installed():
    return os.access(CHROMIUM, os.X_OK)


def launch(playwright):
    """Headless Chromium with the project's flags, from a started sync_playwright()."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
