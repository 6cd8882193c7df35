"""make bench reads wrk's report right and judges the targets by it (tools/bench.py). The reports
below are wrk 4.1.0's own output, recorded on this machine; the second has a "Socket errors" line
added in wrk's format (a run against a local server rarely loses a connection)."""

from tools.bench import parse_wrk, table, to_ms

OK_REPORT = """Running 1s test @ http://127.0.0.1:8765/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.98ms    1.92ms  11.02ms   66.42%
    Req/Sec   396.40     33.03   430.00     80.00%
  Latency Distribution
     50%    5.51ms
     75%    6.22ms
     90%    6.97ms
     99%   10.51ms
  395 requests in 1.00s, 4.43MB read
Requests/sec:    394.48
Transfer/sec:      4.43MB
"""

ERRORS_REPORT = """Running 1s test @ http://127.0.0.1:8765/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   844.02us  435.91us   7.26ms   87.71%
    Req/Sec     2.26k   248.05     2.48k    81.82%
  Latency Distribution
     50%  775.00us
     75%    0.98ms
     90%    1.20ms
     99%    2.39ms
  2478 requests in 1.10s, 1.23MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 2478
Requests/sec:   2257.46
Transfer/sec:      1.12MB
"""


def test_a_clean_report():
    assert parse_wrk(OK_REPORT) == {"rps": 394.48, "p50": 5.51, "p99": 10.51, "errors": 0, "socket_errors": ""}


def test_errors_and_microseconds_are_read():
    figures = parse_wrk(ERRORS_REPORT)
    assert figures["rps"] == 2257.46
    assert figures["p50"] == 0.775
    assert figures["p99"] == 2.39
    assert figures["errors"] == 2478
    assert figures["socket_errors"] == "connect 0, read 3, write 0, timeout 1"


def test_units():
    assert to_ms("1.50s") == 1500.0
    assert to_ms("250.00us") == 0.25
    assert to_ms("2m") == 120000.0


class Args:
    duration, connections, threads = 10, 16, 2


def row(name, path, rps, errors=0):
    return (name, path, {"rps": rps, "p50": 1.0, "p99": 2.0, "errors": errors, "socket_errors": ""})


def test_the_targets_are_judged_against_the_static_file_of_the_same_server():
    results = {
        "gunicorn": [
            row("static", "/static/site.css", 2000),
            row("home", "/", 160),
            row("DG page", "/directorates-general/home/", 159, errors=3),
            row("search", "/search/?q=a", 10),
        ],
    }
    report = table(results, {"/": 10, "/search/?q=a": 11}, Args())
    assert "- met: home, gunicorn, 8.0% of the static file's rate (target 8%)" in report
    assert "- MISSED: DG page, gunicorn, 8.0% of the static file's rate (target 8%)" in report  # 7.95%
    assert "search, gunicorn" not in report  # search has no target
    assert "| 159 (3 not 2xx/3xx) |" in report
    assert "| home `/` | gunicorn | 160 | 1.0 | 2.0 | 10 | 8.0% |" in report


def test_rows_through_varnish_are_judged_as_multiples_of_gunicorns_static_file_rate():
    results = {
        "Varnish": [
            row("static file from gunicorn (baseline)", "/static/site.css", 3000),
            row("static file", "/static/site.css", 30000),
            row("home", "/", 18000),
            row("DG page", "/dg/", 17900),
            row("search", "/search/?q=a", 100),
        ]
    }
    report = table(results, {"/": 10, "/dg/": 8}, Args())
    assert "- met: home, Varnish, 600.0% of the static file's rate (target 600%)" in report
    assert "- MISSED: DG page, Varnish, 596.7% of the static file's rate (target 600%)" in report
    assert "| home `/` | Varnish | 18000 | 1.0 | 2.0 | 10 | 600.0% |" in report
    assert "static file, Varnish" not in report and "search, Varnish" not in report
