"""axe-core finds no WCAG 2.1 A or AA violation on any public page, at desktop and phone widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SEARCH_RESULTS = "/search/?q=migration"  # several pages of results, so the pagination is checked too
NOT_FOUND = "/no-such-page/"


def check(axe, page, where, found):
    """Run axe-core on the page as it is now; add each violating element to `found`, keyed by the
    rule and the element, with the pages where it occurs (a template's fault shows on many)."""
    results = axe.run(page, options=AXE_OPTIONS).response
    assert results["passes"], f"axe checked nothing on {where}"
    for violation in results["violations"]:
        for node in violation["nodes"]:
            key = (
                f"{violation['id']} ({violation['impact']}): {violation['help']}",
                ", ".join(map(str, node["target"])),
                node["html"][:300],
                node.get("failureSummary", "").replace("\n", " "),
                violation["helpUrl"],
            )
            found.setdefault(key, []).append(where)


def report(found):
    return "\n".join(
        f"{rule}\n    element: {target}\n    html: {html}\n    on: {', '.join(pages)}\n    fix: {fix}\n    see: {url}"
        for (rule, target, html, fix, url), pages in found.items()
    )


@pytest.mark.parametrize("phone", [False, True], ids=["1280px", "375px"])
def test_every_page_has_no_wcag_a_or_aa_violation(open_page, sitemap_paths, phone):
    page = open_page(None, phone=phone)
    width = page.viewport_size["width"]
    axe = Axe()
    found = {}
    for path in [*sitemap_paths, SEARCH_RESULTS, NOT_FOUND]:
        response = page.goto(path)
        assert response.status == (404 if path == NOT_FOUND else 200), f"{path} answered {response.status}"
        if path == SEARCH_RESULTS:
            expect(page.locator("main .search-results > li")).not_to_have_count(0)
        check(axe, page, f"{path} at {width} px", found)

    if phone:  # the menu, opened, is part of every page on a phone
        page.goto("/")
        page.get_by_role("button", name="Menu").tap()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        check(axe, page, f"/ with the menu open at {width} px", found)

    assert not found, f"{len(found)} accessibility violation(s):\n{report(found)}"
