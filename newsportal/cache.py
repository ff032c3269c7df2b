"""A Redis cache that fails open: when Redis is down or slow, every operation
answers as a miss at once and the request is served from the database.

Django's RedisCache builds a redis-py client for every operation and lets
connection errors through, so a stopped Redis turned every page into a 500.
Here each process keeps one client per server list, operations give up after
SOCKET_TIMEOUT, and after a failure Redis is left alone for RETRY_SECONDS (so
no request waits on a timeout meanwhile); the error is logged at most once
per LOG_SECONDS, not once per request.

A miss per operation: get -> the default, get_many -> {}, add, delete, touch,
has_key and clear -> False, set, set_many and delete_many -> nothing done,
incr and decr -> ValueError, as Django answers for a missing key.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.25  # seconds, to connect and for each answer
RETRY_SECONDS = 2.0
LOG_SECONDS = 60.0

_clients = {}
_clients_lock = threading.Lock()


class _Unavailable(Exception):
    pass


class FailOpenRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool (both are thread-safe), and the
    state of an outage, shared by every thread of the process."""

    def __init__(self, servers, **options):
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        super().__init__(servers, **options)
        self._redis_clients = {}
        self._scripts = {}
        self.down_until = 0.0
        self.logged_at = None

    def get_client(self, key=None, *, write=False):
        if time.monotonic() < self.down_until:
            raise _Unavailable
        pool = self._get_connection_pool(write)
        if (client := self._redis_clients.get(id(pool))) is None:
            client = self._redis_clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client

    def _failed(self, error):
        now = time.monotonic()
        self.down_until = now + RETRY_SECONDS
        if self.logged_at is None or now - self.logged_at >= LOG_SECONDS:
            self.logged_at = now
            logger.error(
                "cache: Redis failed (%s: %s); serving without the cache, trying again every %ss",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )


# Django's incr asks EXISTS, then INCRBY: two round trips (and a race). One
# script does both: a counter that is missing (expired) stays missing.
_INCR_EXISTING = """
if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end
return false
"""


def _incr(self, key, delta):
    client = self.get_client(key, write=True)
    if (script := self._scripts.get(id(client))) is None:
        script = self._scripts.setdefault(id(client), client.register_script(_INCR_EXISTING))
    value = script(keys=[key], args=[delta])
    if value is None:
        raise ValueError(f"Key '{key}' not found.")
    return value


def _fail_open(operation, miss):
    implementation = _incr if operation == "incr" else getattr(RedisCacheClient, operation)

    def guarded(self, *args):
        try:
            return implementation(self, *args)
        except _Unavailable:
            pass
        except RedisError as error:
            self._failed(error)
        return miss(*args)

    guarded.__name__ = operation
    return guarded


def _missing_key(key, *args):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


for _operation, _miss in {
    "add": lambda *args: False,
    "get": lambda key, default: default,
    "set": lambda *args: None,
    "touch": lambda *args: False,
    "delete": lambda *args: False,
    "get_many": lambda *args: {},
    "has_key": lambda *args: False,
    "incr": _missing_key,
    "set_many": lambda *args: None,
    "delete_many": lambda *args: None,
    "clear": lambda *args: False,
}.items():
    setattr(FailOpenRedisCacheClient, _operation, _fail_open(_operation, _miss))


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache on one shared, fail-open client per process."""

    @property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        if (client := _clients.get(key)) is None:
            with _clients_lock:
                client = _clients.setdefault(
                    key, FailOpenRedisCacheClient(self._servers, **self._options)
                )
        return client
