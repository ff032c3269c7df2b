"""Liveness and readiness probes for the load balancer and docker-compose.

Site-wide wiring rather than a feature, so it lives in the project package.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.db.models import Case, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The database, the cache, the media storage and the task queue answer,
    and no queued task has waited for a worker longer than
    TASKS_STALE_SECONDS; 503 naming what is not. The replica is reported,
    and only degrades: reads fall back to the primary."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("readiness: database check failed")
        checks["database"] = "down"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "down"
    except Exception:
        logger.exception("readiness: cache check failed")
        checks["cache"] = "down"
    checks["storage"] = _storage_check()
    if _queued_in_redis():
        checks["queue"] = _queue_check()
    body = {"checks": checks}
    if checks["database"] == "ok" and _queued_in_database():
        age = oldest_waiting_task_age()
        body["oldest_waiting_task_seconds"] = age
        checks["tasks"] = "ok" if age is None or age <= settings.TASKS_STALE_SECONDS else "stale"
    ready = all(state == "ok" for state in checks.values())
    _replica_report(body)
    if ready:
        body["status"] = "ok" if body["checks"].get("replica", "ok") == "ok" else "degraded"
    else:
        body["status"] = "unavailable"
    return JsonResponse(body, status=200 if ready else 503)


def _replica_report(body):
    """The replica, when one is configured: "ok", "lagging" or "down". Not
    part of readiness: reads go to the primary meanwhile ("degraded")."""
    from newsportal.replica import replica_configured, replica_state

    if not replica_configured():
        return
    replica = replica_state(fresh=True)
    body["checks"]["replica"] = replica.state
    if replica.lag is not None:
        body["replica_lag_seconds"] = round(replica.lag, 3)


def _storage_check():
    """One small request to the media storage (a HEAD of an object, on S3)."""
    try:
        storages["default"].exists("readyz-probe")
    except Exception:
        logger.exception("readiness: media storage check failed")
        return "down"
    return "ok"


def _queued_in_redis():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"


def _queue_check():
    import django_rq

    try:
        for name in settings.TASKS["default"].get("QUEUES") or ["default"]:
            django_rq.get_queue(name).connection.ping()
    except Exception:
        logger.exception("readiness: task queue check failed")
        return "down"
    return "ok"


def _queued_in_database():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def oldest_waiting_task_age() -> int | None:
    """Seconds the oldest task due to run has waited for a worker (since it
    was enqueued, or since its run_after), None when none waits."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting_since = DBTaskResult.objects.ready().aggregate(
        since=Min(Case(When(run_after=get_date_max(), then="enqueued_at"), default="run_after"))
    )["since"]
    if waiting_since is None:
        return None
    return max(0, int((timezone.now() - waiting_since).total_seconds()))
