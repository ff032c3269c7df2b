"""Reads from the PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Which requests may read from the replica is decided once, per request, by
ReplicaMiddleware: anonymous GET/HEAD requests outside the admin (the public
site, feeds, the partner API with its keys). Everything else reads from the
primary: staff (anyone with a session cookie, so the newsroom always sees
its own writes), the admin, any other method, a client pinned to the
primary for REPLICA_PIN_SECONDS after it wrote, work outside requests
(workers, the scheduler, management commands) and anything inside a
transaction. Writes always go to the primary.

The replica is used only while it answers and its replay lag is at most
REPLICA_MAX_LAG_SECONDS, checked at most every REPLICA_CHECK_SECONDS per
process (the answer is kept in between). A replica that fails in the middle
of a request is marked down and the view runs again on the primary: a safe
request, so running it twice changes nothing.
"""

import contextvars
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "np_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Whether the current request may read from the replica (False outside
# requests), and whether a read of it went there.
_wanted = contextvars.ContextVar("replica_wanted", default=False)
_routed = contextvars.ContextVar("replica_routed", default=False)

# The replay lag, in seconds: 0 while the replica has replayed all it has
# received and is streaming; else the age of the last transaction it
# replayed (pg_last_xact_replay_timestamp). A server that is not in
# recovery (a primary under the replica's name) has no lag. (A role without
# pg_read_all_stats sees the receiver's pid but not its status: then a
# running receiver counts as streaming.)
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
        AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver
                    WHERE coalesce(status, 'streaming') = 'streaming') THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
                  'Infinity')
END
"""


@dataclass
class ReplicaState:
    """What the last check found: "ok", "lagging", "down" or "none" (no
    replica configured); the lag in seconds when it answered."""

    state: str
    lag: float | None = None
    checked_at: float = 0.0


_lock = threading.Lock()
_last = ReplicaState("none", checked_at=float("-inf"))


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_state(*, fresh: bool = False) -> ReplicaState:
    """The replica's state, checked again when the last check is older than
    REPLICA_CHECK_SECONDS (or ``fresh``)."""
    global _last
    if not replica_configured():
        return ReplicaState("none")
    now = time.monotonic()
    if not fresh and now - _last.checked_at < settings.REPLICA_CHECK_SECONDS:
        return _last
    with _lock:
        if not fresh and now - _last.checked_at < settings.REPLICA_CHECK_SECONDS:
            return _last
        _last = _check(now)
    return _last


def _check(now: float) -> ReplicaState:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError as error:
        _replica_close()
        if _last.state != "down":
            logger.warning("replica down: reads go to the primary (%s)", error)
        return ReplicaState("down", checked_at=now)
    state = "ok" if lag <= settings.REPLICA_MAX_LAG_SECONDS else "lagging"
    if state == "lagging" and _last.state != "lagging":
        logger.warning("replica lags %.1f s: reads go to the primary", lag)
    return ReplicaState(state, lag=lag, checked_at=now)


def replica_mark_down() -> None:
    """Count the replica as down until its next check is due."""
    global _last
    with _lock:
        _last = ReplicaState("down", checked_at=time.monotonic())
    _replica_close()


def _replica_close() -> None:
    """Drop this thread's replica connection, however broken it is."""
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass  # it is gone either way


def replica_state_forget() -> None:
    """Forget the last check (tests, and a settings change)."""
    global _last
    with _lock:
        _last = ReplicaState("none", checked_at=float("-inf"))


def replica_catch_up_wait(*, timeout: float | None = None) -> bool:
    """Wait until the replica has replayed everything committed on the
    primary so far, at most ``timeout`` seconds (REPLICA_COMMIT_WAIT_SECONDS);
    whether it has. No wait while the replica is not in use (reads are on
    the primary then). A replica that does not catch up in time is counted
    as down until its next check, so reads go to the primary and the next
    writer does not wait on it too."""
    if replica_state().state != "ok":
        return False
    timeout = settings.REPLICA_COMMIT_WAIT_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + timeout
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            committed = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                    [committed],
                )
                if cursor.fetchone()[0]:
                    return True
                if time.monotonic() >= deadline:
                    logger.warning("replica did not replay a commit within %.1f s", timeout)
                    break
                time.sleep(0.002)
    except (OperationalError, InterfaceError):
        pass
    replica_mark_down()
    return False


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when a replica is configured."""

    def db_for_read(self, model, **hints):
        if (
            _wanted.get()
            and not connections[PRIMARY].in_atomic_block
            and replica_state().state == "ok"
        ):
            _routed.set(True)
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


def request_may_use_replica(request) -> bool:
    """Anonymous, safe, outside the admin and not pinned to the primary."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
        and not request.path_info.startswith("/admin/")
    )


class ReplicaMiddleware:
    """Lets the router read the request's data from the replica when the
    request may (see the module's docstring), and pins a client that wrote
    to the primary for REPLICA_PIN_SECONDS, so it reads its own writes.

    After DatabaseUnavailableMiddleware in MIDDLEWARE, so that its
    process_exception sees a failed replica query first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        wanted = _wanted.set(request_may_use_replica(request))
        routed = _routed.set(False)
        try:
            response = self.get_response(request)
        finally:
            _wanted.reset(wanted)
            _routed.reset(routed)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """A query failed after this request read from the replica: mark it
        down and run the view again on the primary. Should the primary fail
        too, the original error goes on to DatabaseUnavailableMiddleware."""
        if not (_routed.get() and isinstance(exception, OperationalError | InterfaceError)):
            return None
        logger.warning("replica failed mid-request, the view runs again on the primary")
        replica_mark_down()
        _wanted.set(False)
        match = request.resolver_match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        except (OperationalError, InterfaceError):
            return None
        return response
