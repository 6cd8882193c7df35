"""`make lighthouse`: Lighthouse's four scores and the layout shift of one page of each type.

Serves the site from a throwaway SQLite database loaded with the fixtures (tools/fixture_site.py,
the test settings: DEBUG off, as in production) and runs Lighthouse (installed by `make lighthouse`
into .lighthouse/ from npm) with Debian's Chromium on each page, with Lighthouse's mobile settings
(a mid-range phone on a slow 4G network, simulated) and its desktop preset. Prints a table of the
performance, accessibility, best-practices and SEO scores and the cumulative layout shift (CLS),
and exits non-zero if a page misses a target: every score at least 0.95, and no layout shift at all
(CLS 0 as Lighthouse shows it, to three decimals). The full reports are kept in
.lighthouse/reports/ (HTML and JSON) to see what a page missed.

    make lighthouse
    .venv/bin/python tools/lighthouse.py --only overview     # one page, both settings
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tools.chromium import CHROMIUM, CHROMIUM_ARGS, is_installed  # noqa: E402
from tools.page_types import PAGE_TYPES  # noqa: E402

LIGHTHOUSE = BASE_DIR / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = BASE_DIR / ".lighthouse" / "reports"
PAGES = dict(PAGE_TYPES)
# Not measured: search results and the 404 page tell search engines not to index them (noindex), which
# Lighthouse's SEO score counts against them, and Lighthouse does not score a page that answers 404.
FORMS = ("mobile", "desktop")
CATEGORIES = {"performance": "Perf.", "accessibility": "A11y", "best-practices": "Best pr.", "seo": "SEO"}
MIN_SCORE = 0.95


def lighthouse_command(url, form, output_path):
    """Lighthouse's command line for one page: Debian's Chromium, headless, with the project's
    flags (nothing but the page reaches the network), and the four categories only."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={flags}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={output_path}",
        "--quiet",
    ]
    if form == "desktop":
        command.append("--preset=desktop")  # the default is Lighthouse's mobile settings
    return command


def read_report(report):
    """The four scores (0 to 1) and the CLS from a Lighthouse JSON report. A category Lighthouse
    could not score (a page that failed to load) has the score None, which misses the target."""
    scores = {name: report["categories"].get(name, {}).get("score") for name in CATEGORIES}
    shift = report["audits"].get("cumulative-layout-shift", {}).get("numericValue")
    return {**scores, "cls": shift, "error": (report.get("runtimeError") or {}).get("message", "")}


def misses(result):
    """What a page's result falls short of, in words: empty when it meets every target."""
    missed = []
    for name in CATEGORIES:
        score = result[name]
        if score is None:
            missed.append(f"{name} not scored")
        elif score < MIN_SCORE:
            missed.append(f"{name} {score:.2f} < {MIN_SCORE}")
    shift = result["cls"]
    if shift is None:
        missed.append("CLS not measured")
    elif round(shift, 3) > 0:
        missed.append(f"CLS {shift:.3f} > 0")
    if result.get("error"):
        missed.append(result["error"])
    return missed


def table(results):
    """A Markdown table, one row per page and setting, then a verdict per page that missed."""

    def cell(value, digits=2):
        return "–" if value is None else f"{value:.{digits}f}"

    lines = [
        "| Page | Settings | " + " | ".join(CATEGORIES.values()) + " | CLS | |",
        "|---|---|" + "---:|" * (len(CATEGORIES) + 1) + "---|",
    ]
    for (name, form), result in results.items():
        scores = " | ".join(cell(result[category]) for category in CATEGORIES)
        lines.append(
            f"| {name} | {form} | {scores} | {cell(result['cls'], 3)} | {'MISSED' if misses(result) else 'ok'} |"
        )
    missed = [
        f"- {name}, {form}: {'; '.join(misses(result))}" for (name, form), result in results.items() if misses(result)
    ]
    verdict = "\n".join(missed) if missed else f"Every page met the targets (scores >= {MIN_SCORE}, CLS 0)."
    return "\n".join(lines) + "\n\n" + verdict


def run(base_url, pages):
    REPORTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    results = {}
    for name, path in pages.items():
        for form in FORMS:
            output = REPORTS / f"{name}-{form}"
            print(f"  {name} ({path}), {form}...", flush=True)
            completed = subprocess.run(  # noqa: S603 (Lighthouse, with our own arguments)
                lighthouse_command(base_url + path, form, output), env=env, capture_output=True, text=True, check=False
            )
            report_file = output.with_name(output.name + ".report.json")
            if completed.returncode != 0 or not report_file.exists():
                print(completed.stderr[-2000:], file=sys.stderr)
                results[name, form] = {**dict.fromkeys(CATEGORIES), "cls": None, "error": "Lighthouse failed"}
                continue
            results[name, form] = read_report(json.loads(report_file.read_text()))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=PAGES, help="measure only this page (repeatable)")
    args = parser.parse_args()
    if not is_installed():
        raise SystemExit(f"Needs Debian's Chromium at {CHROMIUM}: run `bash .ci/install-browser` as root.")
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Needs Lighthouse at {LIGHTHOUSE.relative_to(BASE_DIR)}: run `make lighthouse`.")
    # Only now: importing it sets Django up on a throwaway database (the tests import this module).
    from tools import fixture_site  # noqa: PLC0415

    pages = {name: PAGES[name] for name in args.only} if args.only else PAGES
    try:
        fixture_site.load_fixtures()
        with fixture_site.serving() as base_url:
            print(f"Serving on {base_url}; Lighthouse on {len(pages)} page(s), mobile and desktop settings:")
            results = run(base_url, pages)
    finally:
        fixture_site.clean_up()
    report = table(results)
    print("\n" + report)
    sys.exit(1 if any(misses(result) for result in results.values()) else 0)


if __name__ == "__main__":
    main()
