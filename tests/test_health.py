import os
import socket
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.test_settings import run_manage

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_reachable():
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    "REDIS_TEST_URL" not in os.environ and not redis_reachable(),
    reason="no Redis on 127.0.0.1:6379 (CI sets REDIS_TEST_URL and starts one)",
)


def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_when_everything_answers(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_down(client):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }  # nothing listens on port 1
    with override_settings(CACHES={"default": dead}):
        response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "down", "storage": "ok"}


@needs_redis
def test_redis_url_configures_a_working_redis_cache():
    script = (
        "from django.core.cache import cache; from django.conf import settings; "
        "cache.set('np-ci-probe', 'yes', 30); "
        "print(settings.CACHES['default']['BACKEND'], cache.get('np-ci-probe'))"
    )
    result = run_manage("shell", "-v", "0", "-c", script, DEBUG="true", REDIS_URL=REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["newsportal.cache.FailOpenRedisCache", "yes"]


@pytest.mark.django_db
def test_readyz_reports_a_queue_nobody_works(client, clock, settings):
    from subscriptions.tasks import breaking_alerts_send

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get(reverse("readyz")).json()["oldest_waiting_task_seconds"] is None
    breaking_alerts_send.enqueue()
    clock.advance(seconds=settings.TASKS_STALE_SECONDS)
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["oldest_waiting_task_seconds"] == settings.TASKS_STALE_SECONDS
    assert response.json()["checks"]["tasks"] == "ok"
    clock.advance(seconds=1)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "tasks": "stale",
    }
