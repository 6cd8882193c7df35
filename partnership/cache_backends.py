"""Django's RedisCache, keeping its Redis client objects; and a variant that rides out a Redis
outage.

Django builds a new redis.Redis client for every cache call; building one costs about 65 µs here,
about half of a whole lookup of a page on 127.0.0.1, and the profile of a cached page showed it.
A client is safe to share between threads (it takes a connection from its pool per command), so
one per connection pool is kept for the life of the process.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _ClientKeepingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ClientKeepingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientKeepingRedisCacheClient


def _tolerant(name, answer):
    """The cache's method `name`, answering `answer(*args, **kwargs)` when Redis cannot be reached."""
    method = getattr(ClientKeepingRedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("Redis unreachable, cache %s skipped: %s", name, error)
            return answer(*args, **kwargs)

    call.__name__ = name
    return call


class OutageTolerantRedisCache(ClientKeepingRedisCache):
    """For a cache that only saves work: Wagtail's default cache (the sites' root paths, image
    renditions). While Redis cannot be reached, reads miss and writes are dropped with a warning,
    so pages are worked out from the database instead of failing with a 500. Deletes that were
    dropped can leave old values in a Redis that comes back with its data; they expire as usual.
    The page cache does not use this: it handles an outage itself (partnership/cache.py)."""

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda keys, version=None: {})
    has_key = _tolerant("has_key", lambda key, version=None: False)
    add = _tolerant("add", lambda *args, **kwargs: False)
    set = _tolerant("set", lambda *args, **kwargs: None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))  # the keys not stored
    touch = _tolerant("touch", lambda *args, **kwargs: False)
    delete = _tolerant("delete", lambda *args, **kwargs: False)
    delete_many = _tolerant("delete_many", lambda *args, **kwargs: None)
