"""make lighthouse reads Lighthouse's reports right and judges every page by the targets: each of the
four scores at least 0.95 and no layout shift (tools/lighthouse.py). Lighthouse itself does not run
here: the reports below keep only the fields the tool reads, in Lighthouse 12's JSON shape."""

from pathlib import Path

from tools.lighthouse import CATEGORIES, lighthouse_command, misses, read_report, table


def report(performance=1, accessibility=1, best_practices=1, seo=1, cls=0.0, error=None):
    data = {
        "categories": {
            "performance": {"score": performance},
            "accessibility": {"score": accessibility},
            "best-practices": {"score": best_practices},
            "seo": {"score": seo},
        },
        "audits": {"cumulative-layout-shift": {"numericValue": cls, "displayValue": f"{cls:.3f}"}},
    }
    if error:
        data["runtimeError"] = {"code": "NO_FCP", "message": error}
    return data


def test_a_page_that_meets_every_target():
    result = read_report(report(performance=0.99, cls=0.0))
    assert result == {
        "performance": 0.99,
        "accessibility": 1,
        "best-practices": 1,
        "seo": 1,
        "cls": 0.0,
        "error": "",
    }
    assert misses(result) == []


def test_the_score_limit_is_0_95_in_each_category():
    assert misses(read_report(report(seo=0.95))) == []
    assert misses(read_report(report(seo=0.94, accessibility=0.9))) == ["accessibility 0.90 < 0.95", "seo 0.94 < 0.95"]


def test_any_layout_shift_lighthouse_shows_is_a_miss():
    assert misses(read_report(report(cls=0.305))) == ["CLS 0.305 > 0"]
    assert misses(read_report(report(cls=0.0012))) == ["CLS 0.001 > 0"]
    assert misses(read_report(report(cls=0.0004))) == []  # Lighthouse shows it as 0.000


def test_a_page_lighthouse_could_not_score_is_a_miss():
    result = read_report(report(performance=None, error="The page did not paint any content."))
    assert misses(result) == ["performance not scored", "The page did not paint any content."]
    # A report without the categories at all (Lighthouse stopped early).
    empty = read_report({"categories": {}, "audits": {}})
    assert set(misses(empty)) == {*(f"{name} not scored" for name in CATEGORIES), "CLS not measured"}


def test_the_table_has_a_row_per_page_and_setting_and_names_what_missed():
    results = {
        ("overview", "mobile"): read_report(report(performance=0.85, cls=0.305)),
        ("overview", "desktop"): read_report(report()),
    }
    text = table(results)
    assert "| overview | mobile | 0.85 | 1.00 | 1.00 | 1.00 | 0.305 | MISSED |" in text
    assert "| overview | desktop | 1.00 | 1.00 | 1.00 | 1.00 | 0.000 | ok |" in text
    assert text.endswith("- overview, mobile: performance 0.85 < 0.95; CLS 0.305 > 0")
    assert table({("overview", "desktop"): read_report(report())}).endswith(
        "Every page met the targets (scores >= 0.95, CLS 0)."
    )


def test_lighthouse_runs_debians_chromium_headless_and_mobile_unless_told_desktop():
    mobile = lighthouse_command("http://127.0.0.1:8000/", "mobile", Path("reports/overview"))
    desktop = lighthouse_command("http://127.0.0.1:8000/", "desktop", Path("reports/overview"))
    assert "--chrome-path=/usr/bin/chromium" in mobile
    flags = next(argument for argument in mobile if argument.startswith("--chrome-flags="))
    assert "--headless=new" in flags
    assert "--disable-background-networking" in flags  # nothing but the page reaches the network
    assert "--only-categories=performance,accessibility,best-practices,seo" in mobile
    assert not any(argument.startswith("--preset") for argument in mobile)
    assert "--preset=desktop" in desktop
