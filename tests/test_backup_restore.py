"""The README's backup and restore commands, run as written: a site loaded into a throwaway
PostgreSQL database is dumped with its media, restored into a new empty database, and served.

Needs PostgreSQL on this machine (127.0.0.1:5432 as postgres, or the Unix socket, as in .ci/run) and
its client programs. Skipped without them, except in CI (CI=true), where that is a failure."""

import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import ProxyHandler, build_opener

import pytest
from django.conf import settings

from tools.appserver import Unavailable, free_port, postgres_admin_url

from .utils import missing_in_ci_fails

BASE_DIR = Path(settings.BASE_DIR)
README = BASE_DIR / "README.md"
BASH = shutil.which("bash") or "/bin/bash"
CLIENT_PROGRAMS = ("psql", "createdb", "dropdb", "pg_dump", "pg_restore")
# What the restored site must show: the fixtures' titles, and an image of the media backup.
EXPECTED_TITLES = {
    "/": "IOM and the European Union",
    "/framework/": "Strategic Cooperation Framework",
    "/thematic-areas/protection/": "Protection",
}
# Only for the throwaway databases of this test: commits need not wait for the disk.
FAST_COMMITS = "-c synchronous_commit=off"


def readme_blocks():
    """The shell blocks of the README's "Backups and restore" section: backup first, then restore."""
    section = README.read_text(encoding="utf-8").split("\n## Backups and restore\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```sh\n(.*?)^```$", section, flags=re.S | re.M)
    assert len(blocks) == 2, "the README's backup and restore section should hold two shell blocks"
    return blocks


def with_values(block, **values):
    """The block with each `NAME=...` line of its own set to our value instead."""
    for name, value in values.items():
        block, count = re.subn(rf"^{name}=.*$", f"{name}={shlex.quote(value)}", block, flags=re.M)
        assert count == 1, f"the README's block no longer sets {name} on a line of its own"
    return block


def replaced(block, old, new):
    assert old in block, f"the README's block no longer contains {old!r}"
    return block.replace(old, new)


def postgres_server():
    """The server's address without a database, as .ci/run finds it (tools/appserver.py)."""
    missing = [program for program in CLIENT_PROGRAMS if shutil.which(program) is None]
    if missing:
        missing_in_ci_fails(f"PostgreSQL client programs missing: {', '.join(missing)}.")
    try:
        return postgres_admin_url().rsplit("/", 1)[0]
    except Unavailable as reason:
        missing_in_ci_fails(reason)


def run(command, env, **kwargs):
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{command!r} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def live_page_count(server, database, env):
    query = ["psql", "--no-password", "--tuples-only", "--no-align", "--command"]
    return run([*query, "select count(*) from wagtailcore_page where live", f"{server}/{database}"], env).strip()


def fetch(url):
    # No proxy: the restored site is on this machine.
    with build_opener(ProxyHandler({})).open(url, timeout=30) as response:
        return response.status, response.headers.get_content_type(), response.read()


def wait_until_serving(url, process, log, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the restore stopped (exit {process.returncode}):\n{log.read_text()}")
        try:
            if fetch(url)[0] == 200:
                return
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"the restored site did not answer within {seconds} s:\n{log.read_text()}")


def test_the_readme_restores_a_backup_into_an_empty_database_that_serves_the_site(tmp_path):
    server = postgres_server()
    backup_block, restore_block = readme_blocks()
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    source, restored = f"iomeu_backup_source_{suffix}", f"iomeu_backup_restored_{suffix}"
    port = free_port()
    # The commands' world: the development settings (manage.py's default), nothing of ours set.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "MEDIA_ROOT", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
        and not k.startswith("FRONTEND_CACHE")
    }
    env.update(DJANGO_SETTINGS_MODULE="iomeu.settings.dev", PGOPTIONS=FAST_COMMITS)
    server_process = None
    try:
        # A site to back up: the fixtures loaded into a throwaway database, with their images.
        run(["createdb", f"--maintenance-db={server}/postgres", source], env)
        load = "from django.core.management import call_command as c; c('migrate', verbosity=0); c('load_content')"
        source_env = {
            **env,
            "DATABASE_URL": f"{server}/{source}",
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        run([sys.executable, "manage.py", "shell", "--no-imports", "-c", load], source_env)

        pages = live_page_count(server, source, env)

        backup = tmp_path / "backup"
        backup_commands = with_values(
            backup_block, DATABASE_URL=f"{server}/{source}", MEDIA_ROOT=str(tmp_path / "media"), BACKUP=str(backup)
        )
        run([BASH, "-euo", "pipefail", "-c", backup_commands], env)
        assert (backup / "iomeu.dump").stat().st_size > 0
        # The source goes before the restore: the restored site cannot lean on it.
        run(["dropdb", "--force", f"--maintenance-db={server}/postgres", source], env)

        restored_media = tmp_path / "restored" / "media"
        restore = with_values(
            restore_block, BACKUP=str(backup), SERVER=server, RESTORED=restored, MEDIA_ROOT=str(restored_media)
        )
        restore = replaced(restore, "127.0.0.1:8000", f"127.0.0.1:{port}")
        log = tmp_path / "restore.log"
        with log.open("w") as log_file:
            server_process = subprocess.Popen(
                [BASH, "-euo", "pipefail", "-c", restore],
                cwd=BASE_DIR,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as a whole below
            )
        site = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{site}/healthz/", server_process, log)

        assert int(pages) > 30
        assert live_page_count(server, restored, env) == pages
        for path, title in EXPECTED_TITLES.items():
            status, content_type, body = fetch(site + path)
            assert (status, content_type) == (200, "text/html"), path
            assert re.search(rf"<title>\s*{re.escape(title)}\b", body.decode()), f"{path}: {title!r} not the title"
        # An image rendered from an original that only the media backup holds: the framework page's
        # social-media picture.
        framework = fetch(f"{site}/framework/")[2].decode()
        image = re.search(
            r'<meta property="og:image" content="[^"]*?(/media/images/framework-members\.[^"]+)"', framework
        )
        assert image, "/framework/ offers no social image: were the media restored?"
        status, content_type, body = fetch(site + image.group(1))
        assert status == 200 and content_type.startswith("image/") and body
        assert (restored_media / "original_images" / "framework-members.png").exists()
    finally:
        if server_process is not None:
            os.killpg(server_process.pid, signal.SIGTERM)
            server_process.wait(timeout=30)
        for database in (source, restored):
            dropdb = ["dropdb", "--if-exists", "--force", f"--maintenance-db={server}/postgres", database]
            subprocess.run(dropdb, env=env, capture_output=True, check=False, timeout=60)
