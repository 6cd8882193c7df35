"""The Redis cache backends the app servers share (partnership/cache_backends.py): Django's
RedisCache, keeping one client per connection pool, and its variant for the default cache that
carries on when Redis cannot be reached. Against the real Redis on 127.0.0.1, and a port of
127.0.0.1 where nothing listens."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from tools.appserver import Unavailable, forget_redis_keys, free_port, redis_url

from .utils import missing_in_ci_fails

BACKENDS = ["ClientKeepingRedisCache", "OutageTolerantRedisCache"]


@pytest.fixture(params=BACKENDS)
def redis_cache(request):
    try:
        location = redis_url()
    except Unavailable as reason:
        missing_in_ci_fails(reason)
    prefix = f"iomeu-test-{uuid.uuid4().hex[:10]}"
    config = {
        "BACKEND": f"partnership.cache_backends.{request.param}",
        "LOCATION": location,
        "KEY_PREFIX": f"{prefix}-redis",
    }
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "redis": config}
    ):
        cache = caches["redis"]
        yield cache
    forget_redis_keys(location, prefix)  # not cache.clear(): that empties the whole Redis database


def test_it_behaves_as_djangos_redis_cache_and_keeps_its_client(redis_cache):
    redis_cache.set("page", {"html": "<h1>Hello</h1>"}, 60)
    redis_cache.add("generation", 1, timeout=None)
    assert redis_cache.incr("generation") == 2
    assert redis_cache.get_many(["generation", "page", "missing"]) == {
        "generation": 2,
        "page": {"html": "<h1>Hello</h1>"},
    }
    redis_cache.delete("page")
    assert redis_cache.get("page") is None
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client


def test_threads_share_the_client_safely(redis_cache):
    redis_cache.set("counter", 0, timeout=None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: redis_cache.incr("counter"), range(400)))
    assert redis_cache.get("counter") == 400


def unreachable_cache(backend):
    config = {
        "BACKEND": f"partnership.cache_backends.{backend}",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return override_settings(CACHES={"default": local, "down": config})


def test_the_default_cache_answers_as_empty_while_redis_is_unreachable(caplog):
    with unreachable_cache("OutageTolerantRedisCache"):
        cache = caches["down"]
        assert cache.get("site-root-paths") is None
        assert cache.get("site-root-paths", "fallback") == "fallback"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("computed", lambda: 42) == 42
        assert cache.has_key("a") is False
        assert cache.add("a", 1) is False
        cache.set("a", 1)
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys it could not store
        assert cache.touch("a") is False
        assert cache.delete("a") is False
        cache.delete_many(["a", "b"])
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert any(message.startswith("Redis unreachable, cache get skipped") for message in warnings)
    assert any(message.startswith("Redis unreachable, cache set_many skipped") for message in warnings)


def test_the_page_cache_backend_still_raises_so_the_page_cache_can_tell():
    with unreachable_cache("ClientKeepingRedisCache"):
        with pytest.raises(redis.RedisError):
            caches["down"].get("page")
