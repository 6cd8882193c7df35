"""The site as production runs it, on this machine: iomeu.settings.production under gunicorn, on a
throwaway PostgreSQL database loaded with the fixtures, with its caches in Redis.

Used by `make bench` (tools/bench.py) and by the tests that need real app servers
(tests/test_app_servers.py). Everything it makes, it removes: the database, the Redis keys (under
a prefix of their own), the static and media folders.
"""

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# Where to reach PostgreSQL as a superuser: 127.0.0.1 with trust auth, else the Unix socket as the
# current user (after `su postgres -c "createuser -s $(id -un)"`, as .ci/run does).
POSTGRES_ADMIN_URLS = [
    url
    for url in (
        os.environ.get("POSTGRES_ADMIN_URL"),
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql:///postgres",
    )
    if url
]


class Unavailable(RuntimeError):
    """PostgreSQL or Redis is not there to be used."""


def postgres_admin_url():
    for url in POSTGRES_ADMIN_URLS:
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url
        except psycopg.Error:
            continue
    raise Unavailable(f"No PostgreSQL server answers at {' or '.join(POSTGRES_ADMIN_URLS)}.")


def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise Unavailable(f"No Redis server answers at {REDIS_URL}: {error}") from None
    return REDIS_URL


def _admin_sql(admin_url, statement):
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def throwaway_database(prefix="iomeu_tmp"):
    """A new, empty PostgreSQL database; yields its DATABASE_URL and drops it afterwards."""
    admin_url = postgres_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _admin_sql(admin_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        _admin_sql(admin_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def set_database_accepts_connections(database_url, accepts):
    """Take a database away from its clients as an outage would (existing connections are cut,
    new ones refused), or give it back."""
    name = urlsplit(database_url).path.lstrip("/")
    admin_url = postgres_admin_url()
    _admin_sql(
        admin_url,
        sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
            sql.Identifier(name), sql.SQL("true" if accepts else "false")
        ),
    )
    if not accepts:
        _admin_sql(
            admin_url,
            sql.SQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {}").format(
                sql.Literal(name)
            ),
        )


@contextlib.contextmanager
def production_site(workdir=None, **overrides):
    """A prepared production configuration: throwaway database migrated and loaded with the
    fixtures (renditions made), static files collected, its own Redis key prefix. Yields the
    environment for manage.py and gunicorn."""
    redis = redis_url()
    prefix = f"iomeu-test-{uuid.uuid4().hex[:10]}"
    folder = Path(workdir or tempfile.mkdtemp(prefix="iomeu-site-"))
    with throwaway_database() as database_url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "iomeu.settings.production",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis,
            "CACHE_KEY_PREFIX": prefix,
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on 127.0.0.1; the proxy does TLS in production
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "PYTHONDONTWRITEBYTECODE": "1",
            **overrides,
        }
        try:
            for command in (["migrate", "--noinput"], ["load_content"], ["collectstatic", "--noinput"]):
                manage(env, *command)
            yield env
        finally:
            forget_redis_keys(redis, prefix)
            if workdir is None:
                shutil.rmtree(folder, ignore_errors=True)


class RedisServer:
    """A redis-server of its own on a free port of 127.0.0.1, keeping nothing on disk: to stop and
    start again, as in an outage, without touching the Redis other tests share."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise Unavailable("redis-server is not installed (Debian's redis-server package)")
        self.process = subprocess.Popen(  # noqa: S603 (Debian's redis-server, arguments from our code)
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return self
            time.sleep(0.05)
        self.stop()
        raise Unavailable(f"redis-server did not come up on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def forget_redis_keys(url, prefix):
    with contextlib.suppress(redis.RedisError):
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{prefix}-*", count=1000):
            client.delete(key)


def manage(env, *args):
    """Run manage.py in the given environment; returns its output, or raises with it on failure."""
    result = subprocess.run(  # noqa: S603 (our own manage.py, arguments from our code)
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """gunicorn with the repository's gunicorn.conf.py, on a free port of 127.0.0.1."""

    def __init__(self, env, workers=1, log_path=None, **extra_env):
        self.env = {**env, "GUNICORN_WORKERS": str(workers), **extra_env}
        self.port = free_port()
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        self.own_log = log_path is None  # a temporary log, removed when the server stops
        self.log_path = Path(log_path) if log_path else Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.process = None

    def __enter__(self):
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (gunicorn from our own venv)
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "iomeu.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError):
                if self.get("/healthz/").status == 200:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not come up on port {self.port}:\n{self.log_tail()}")

    def __exit__(self, *exc_info):
        self.stop()
        if self.own_log:
            self.log_path.unlink(missing_ok=True)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()

    def log_tail(self, lines=40):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            response.text = response.read().decode("utf-8", errors="replace")
            return response
        finally:
            connection.close()
