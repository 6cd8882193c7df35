"""The Redis cache backend the app servers share (partnership/cache_backends.py): Django's
RedisCache, keeping one client per connection pool. Against the real Redis on 127.0.0.1."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.test import override_settings

from tools.appserver import Unavailable, forget_redis_keys, redis_url

from .utils import missing_in_ci_fails


@pytest.fixture
def redis_cache():
    try:
        location = redis_url()
    except Unavailable as reason:
        missing_in_ci_fails(reason)
    prefix = f"iomeu-test-{uuid.uuid4().hex[:10]}"
    config = {
        "BACKEND": "partnership.cache_backends.ClientKeepingRedisCache",
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
