"""`make bench`: how many visitors the production configuration serves on this machine.

Starts the site as production runs it (tools/appserver.py: iomeu.settings.production under
gunicorn with 2 workers, a throwaway PostgreSQL database loaded with the fixtures, Redis), warms
it, and measures each page with wrk for a fixed time, rendered by gunicorn each time, plus
one static file from the same server as the baseline; then the same pages and the stylesheet through
Varnish (deploy/varnish/default.vcl, tools/varnish.py) in front of the same gunicorn, each as a
multiple of gunicorn's static-file rate measured in the same run. Every request accepts gzip, as a
browser's does. Prints a table (requests per second, p50 and p99 latency, database queries per
render, each rate as a share of the static file's) and writes it to a file. Everything it starts
or creates is removed at the end.

    make bench                              # 10 s per measurement, about 4 minutes in all
    BENCH_ARGS="--duration 5 --connections 8" make bench
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.appserver import BASE_DIR, AppServer, Unavailable, manage, production_site
from tools.varnish import Varnish, varnishd_missing

PAGES = [
    ("overview", "/"),
    ("framework", "/framework/"),
    ("DG page", "/directorates-general/home/"),
    ("thematic area", "/thematic-areas/return-and-reintegration/"),
    ("search", "/search/?q=migration"),
]
# Share of the static file's rate from gunicorn, for pages (search aside). Through Varnish, pages
# should come at least six times as fast as gunicorn serves its fastest response.
TARGETS = {"gunicorn": 0.08, "Varnish": 6.0}
# Every request asks for what browsers ask for: pages and the stylesheet come back compressed.
ACCEPT_ENCODING = "gzip, deflate, br"

QUERY_COUNT_SCRIPT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(HTTP_HOST="127.0.0.1"), {}
for path in PATHS:
    client.get(path)  # Django's and Wagtail's own caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    assert status == 200, (path, status)
    counts[path] = len(queries)
print("QUERIES" + json.dumps(counts))
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing wrk from Debian's packages…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
        return shutil.which("wrk")
    sys.exit("make bench needs wrk: install it with `sudo apt-get install wrk` and run again.")


def ensure_varnishd():
    if varnishd_missing() and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing varnish from Debian's packages…", flush=True)
        subprocess.run(["bash", str(BASE_DIR / ".ci" / "install-system-packages"), "varnish"], check=True)  # noqa: S603, S607 (our own script)
    missing = varnishd_missing()
    if missing:
        sys.exit(f"make bench needs Varnish: {missing}")


def query_counts(env):
    script = QUERY_COUNT_SCRIPT.replace("PATHS", repr([path for _, path in PAGES]))
    output = manage(env, "shell", "-c", script)
    return json.loads(output.split("QUERIES", 1)[1].strip().splitlines()[0])


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(wrk, url, duration, connections, threads):
    result = subprocess.run(  # noqa: S603 (wrk, with our own arguments)
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"Accept-Encoding: {ACCEPT_ENCODING}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    )
    return parse_wrk(result.stdout)


def parse_wrk(out):
    """wrk's report (with --latency) as figures: requests per second, p50 and p99 in ms, and the
    responses that were not 2xx/3xx or never came (socket errors)."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def warm(server, paths, rounds=20):
    for _ in range(rounds):
        for path in paths:
            response = server.get(path, headers={"Accept-Encoding": ACCEPT_ENCODING})
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status} while warming up")


def static_url(server):
    """The stylesheet as pages link it: its hashed name, as a browser asks for it."""
    html = server.get("/").text
    return re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html).group(1)


def measure(args, wrk, env):
    rows = []
    with AppServer(env, workers=2) as server:
        paths = [path for _, path in PAGES]
        stylesheet = static_url(server)
        warm(server, [*paths, stylesheet])
        print(f"  gunicorn: static file {stylesheet}", flush=True)
        static = run_wrk(wrk, server.origin + stylesheet, args.duration, args.connections, args.threads)
        rows.append(("static file (baseline)", stylesheet, static))
        for name, path in PAGES:
            print(f"  gunicorn: {name} {path}", flush=True)
            rows.append((name, path, run_wrk(wrk, server.origin + path, args.duration, args.connections, args.threads)))
    return rows


def measure_varnish(args, wrk, env):
    """The static file from gunicorn (the baseline), then the stylesheet and the pages through
    Varnish in front of that same gunicorn."""
    rows = []
    with AppServer(env, workers=2) as server, Varnish([("127.0.0.1", server.port)], probe_host="127.0.0.1") as varnish:
        paths = [path for _, path in PAGES]
        stylesheet = static_url(server)
        warm(varnish, [*paths, stylesheet], rounds=2)
        state = varnish.get("/framework/", headers={"Accept-Encoding": ACCEPT_ENCODING}).getheader("X-Cache")
        if state != "HIT":
            raise RuntimeError(f"Expected Varnish to serve /framework/ from its cache, it says {state}")
        print(f"  Varnish: static file {stylesheet} from gunicorn (baseline)", flush=True)
        rows.append(
            (
                "static file from gunicorn (baseline)",
                stylesheet,
                run_wrk(wrk, server.origin + stylesheet, args.duration, args.connections, args.threads),
            )
        )
        print(f"  Varnish: static file {stylesheet}", flush=True)
        rows.append(
            (
                "static file",
                stylesheet,
                run_wrk(wrk, varnish.origin + stylesheet, args.duration, args.connections, args.threads),
            )
        )
        for name, path in PAGES:
            print(f"  Varnish: {name} {path}", flush=True)
            rows.append(
                (name, path, run_wrk(wrk, varnish.origin + path, args.duration, args.connections, args.threads))
            )
    return rows


def table(results, queries, args):
    lines = [
        "| page | served by | req/s | p50 ms | p99 ms | queries per render | share of static rate |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for served_by, rows in results.items():
        static_rps = rows[0][2]["rps"]
        for name, path, figures in rows:
            share = figures["rps"] / static_rps
            query_cell = "–" if path.startswith("/static/") else str(queries.get(path, "?"))
            errors = f" ({figures['errors']} not 2xx/3xx)" if figures["errors"] else ""
            if figures["socket_errors"]:
                errors += f" (socket errors: {figures['socket_errors']})"
            lines.append(
                f"| {name} `{path}` | {served_by} | {figures['rps']:.0f}{errors} | {figures['p50']:.1f} | "
                f"{figures['p99']:.1f} | {query_cell} | {share:.1%} |"
            )
            if path.startswith("/static/") or path.startswith("/search/"):
                continue
            target = TARGETS[served_by]
            verdicts.append(
                f"{'met' if share >= target else 'MISSED'}: {name}, {served_by}, {share:.1%} of the static "
                f"file's rate (target {target:.0%})"
            )
    header = [
        f"# Benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"gunicorn with 2 workers, iomeu.settings.production, PostgreSQL and Redis on 127.0.0.1. "
        f"wrk: {args.threads} threads, {args.connections} connections, {args.duration} s per row. "
        "Queries per render: one render after a warm-up. Rows marked Varnish: through Varnish "
        "(deploy/varnish/default.vcl) in front of the same gunicorn, as a share of that gunicorn's "
        "static-file rate (its first row).",
        "",
    ]
    return "\n".join([*header, *lines, "", *(f"- {verdict}" for verdict in verdicts), ""])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--output", default=str(BASE_DIR / "bench-results.md"), help="where to write the table")
    args = parser.parse_args()

    wrk = ensure_wrk()
    ensure_varnishd()
    started = time.monotonic()
    try:
        with production_site() as env:
            print("Site ready: fixtures loaded into a throwaway PostgreSQL database, static files collected.")
            queries = query_counts(env)
            # gunicorn renders every page it is asked for: the app keeps no pages of its own.
            results = {"gunicorn": measure(args, wrk, env), "Varnish": measure_varnish(args, wrk, env)}
    except Unavailable as reason:
        sys.exit(f"make bench needs PostgreSQL and Redis on 127.0.0.1: {reason}")
    report = table(results, queries, args)
    Path(args.output).write_text(report)
    print()
    print(report)
    print(f"Written to {args.output} ({time.monotonic() - started:.0f} s in all).")


if __name__ == "__main__":
    main()
