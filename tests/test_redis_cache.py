"""The cache the app servers share when REDIS_URL is set: django-redis, configured as
iomeu/settings/base.py has it, against the real Redis on 127.0.0.1 and against a port where nothing
listens (an outage is ridden out: the cache only saves work)."""

import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings
from django_redis.cache import RedisCache

from tools.appserver import Unavailable, forget_redis_keys, free_port, redis_url

from . import production
from .utils import missing_in_ci_fails


def production_cache_settings(location):
    """settings.CACHES as iomeu/settings/production.py builds it from REDIS_URL."""
    return production.facts("from django.conf import settings\nfacts.update(settings.CACHES)", {"REDIS_URL": location})


@pytest.fixture
def shared_cache():
    try:
        location = redis_url()
    except Unavailable as reason:
        missing_in_ci_fails(reason)
    prefix = f"iomeu-test-{uuid.uuid4().hex[:10]}"
    config = production_cache_settings(location)["default"]
    config["KEY_PREFIX"] = prefix
    with override_settings(CACHES={"default": config}):
        yield caches["default"], config
    forget_redis_keys(location, prefix)  # not cache.clear(): that empties the whole Redis database


def test_production_shares_one_redis_cache_between_app_servers(shared_cache):
    cache, config = shared_cache
    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    cache.set("root paths", ["/"], 60)
    # Another app server: another cache object, with connections of its own, on the same Redis.
    other = RedisCache(config["LOCATION"], {key: value for key, value in config.items() if key != "LOCATION"})
    assert other.get("root paths") == ["/"]
    other.delete("root paths")
    assert cache.get("root paths") is None


def test_an_outage_reads_as_empty_and_drops_writes(caplog):
    config = production_cache_settings(f"redis://127.0.0.1:{free_port()}/0")["default"]  # nothing listens there
    with override_settings(CACHES={"default": config}):
        cache = caches["default"]
        assert cache.get("site-root-paths") is None
        assert cache.get("site-root-paths", "fallback") == "fallback"
        assert cache.get_or_set("computed", lambda: 42) == 42
        cache.set("a", 1)
        assert cache.get_many(["a", "b"]) == {}
    # Each failed call is logged with its error (DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS): seen, not hidden.
    assert any(r.getMessage() == "Exception ignored" and r.exc_info for r in caplog.records)
