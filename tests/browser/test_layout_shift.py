"""Nothing moves once a page has started to show: no layout shift at all (what Lighthouse's CLS
measures) on one page of each type, on a phone and on a wide screen. The menu's button and the
folded menu are laid out by the stylesheet before nav.js runs; images carry their sizes."""

import pytest

pytestmark = pytest.mark.browser

ONE_OF_EACH_TYPE = [
    "/",
    "/framework/",
    "/directorates-general/",
    "/directorates-general/home/",
    "/thematic-areas/",
    "/thematic-areas/resettlement-and-relocation/",
    "/who-we-are/about/",
    "/our-work/data-and-resources/",
    "/search/?q=relocation",
]

# Every layout shift Chromium recorded since the page began to load, with the elements that moved.
SHIFTS = """() => new Promise(resolve => {
    new PerformanceObserver(list => resolve(list.getEntries().map(entry => ({
        value: entry.value,
        moved: entry.sources.map(source => source.node ? source.node.outerHTML.slice(0, 80) : "?"),
    })))).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve([]), 500);  // no entry at all: the observer is never called
})"""


@pytest.mark.parametrize("phone", [False, True], ids=["1280px", "375px"])
def test_no_page_shifts_its_layout_while_loading(open_page, phone):
    page = open_page(None, phone=phone)
    for path in ONE_OF_EACH_TYPE:
        page.goto(path, wait_until="load")
        page.wait_for_timeout(300)  # deferred scripts have run and images have decoded
        shifts = page.evaluate(SHIFTS)
        assert sum(shift["value"] for shift in shifts) == 0, f"{path}: {shifts}"
