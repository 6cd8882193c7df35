"""SQLite, as `make run` uses it, takes several writers at once: autosave and a preview, or two
people, write at the same moment without "database is locked"."""

import subprocess
import sys

from django.conf import settings
from django.db import connections

WRITER = """
import sys, time, django
django.setup()
from django.db import connection, transaction
for n in range(60):
    with transaction.atomic():
        # Read, then write: what a save does (the revision's page, then the revision). In SQLite's
        # default (deferred) transactions, two such writers deadlock and one fails at once.
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM writes")
            time.sleep(0.01)  # the work between reading and writing
            cursor.execute("INSERT INTO writes (writer, n) VALUES (%s, %s)", [sys.argv[1], n])
print("done")
"""


def test_two_writers_at_once_on_a_file_database_both_succeed(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "iomeu.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    setup = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection; "
            "connection.cursor().execute('CREATE TABLE writes (writer TEXT, n INTEGER)'); "
            "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert setup.stdout.strip() == "wal"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("autosave", "preview")
    ]
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err
        assert writer.returncode == 0, err[-2000:]
        assert out.strip() == "done"
    import sqlite3

    with sqlite3.connect(database) as check:
        assert check.execute("SELECT writer, COUNT(*) FROM writes GROUP BY writer ORDER BY writer").fetchall() == [
            ("autosave", 60),
            ("preview", 60),
        ]


def test_only_sqlite_gets_the_sqlite_options():
    options = connections["default"].settings_dict.get("OPTIONS", {})
    if connections["default"].vendor == "sqlite":
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
    else:
        assert "transaction_mode" not in options and "init_command" not in options
