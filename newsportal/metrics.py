"""Prometheus metrics at /metrics (django-prometheus and prometheus_client).

- every request, page cache hits included: ``newsportal_request_duration_seconds``
  (a histogram by method and status, observed by RequestLogMiddleware);
- the requests the app rendered, by view: django-prometheus' middleware
  (``django_http_*``), placed after the page cache so that hits stay cheap;
- the page cache: ``newsportal_page_cache_requests_total`` by result (hit,
  stale, miss), counted in articles/pagecache.py;
- the task queue, read from it at each scrape: ``newsportal_tasks_queued``
  (waiting for a worker) and ``newsportal_tasks_failed`` (failed tasks the
  backend keeps: RQ's failed registry, the database's failed results).

Not public: a request forwarded by the proxy (it sets X-Real-IP) or from
another host gets a 404, unless it carries ``Authorization: Bearer
<METRICS_TOKEN>``; Prometheus scrapes each app server on its own address.
With several worker processes (gunicorn), PROMETHEUS_MULTIPROC_DIR makes
them add up (prometheus_client's multiprocess mode).
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUEST_DURATION = Histogram(
    "newsportal_request_duration_seconds",
    "Time the app took to answer a request (page cache hits included), by method and status.",
    ["method", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def request_observe(method: str, status: int, seconds: float) -> None:
    REQUEST_DURATION.labels(method if method in _METHODS else "other", status).observe(seconds)


def task_queue_counts() -> list[tuple[str, int, int]]:
    """(queue, tasks waiting, failed tasks kept) for each queue of the
    default tasks backend, read from the backend itself."""
    backend = settings.TASKS["default"]
    queues = backend.get("QUEUES") or ["default"]
    if backend["BACKEND"] == "django_tasks_rq.RQBackend":
        import django_rq

        counts = []
        for name in queues:
            queue = django_rq.get_queue(name)
            counts.append((name, queue.count, queue.failed_job_registry.count))
        return counts
    if backend["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        results = DBTaskResult.objects.filter(queue_name__in=queues)
        return [
            (
                name,
                results.ready().filter(queue_name=name).count(),
                results.failed().filter(queue_name=name).count(),
            )
            for name in queues
        ]
    return []  # the immediate backend: nothing waits


class TaskQueueCollector:
    def collect(self):
        queued = GaugeMetricFamily(
            "newsportal_tasks_queued", "Tasks waiting for a worker, by queue.", labels=["queue"]
        )
        failed = GaugeMetricFamily(
            "newsportal_tasks_failed",
            "Failed tasks the backend keeps (RQ's failed registry, the database's failed "
            "results), by queue.",
            labels=["queue"],
        )
        try:
            for name, waiting, failures in task_queue_counts():
                queued.add_metric([name], waiting)
                failed.add_metric([name], failures)
        except Exception:  # the queue is down: the other metrics still answer
            logger.exception("metrics: could not read the task queue")
        yield queued
        yield failed


_queue_registry = CollectorRegistry(auto_describe=False)
_queue_registry.register(TaskQueueCollector())


def _may_read(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "HTTP_X_REAL_IP" in request.META or "HTTP_X_FORWARDED_FOR" in request.META:
        return False  # through the proxy: a reader's request
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request):
    """The metrics in Prometheus' text format, for Prometheus only."""
    if request.method not in ("GET", "HEAD") or not _may_read(request):
        raise Http404
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    body = generate_latest(registry) + generate_latest(_queue_registry)
    # The text format every Prometheus reads (2.x and 3.x).
    return HttpResponse(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)
