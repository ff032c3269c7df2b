"""Operability: the request id, structured JSON logs, Prometheus metrics at
/metrics (not public), /readyz covering the media storage, Sentry only with
a DSN."""

import gzip
import http.server
import json
import logging
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from articles.tasks import image_renditions_task
from newsportal.logs import JsonFormatter, RequestIdFilter, request_id_var
from tests.clock import NOW
from tests.factories import ArticleFactory
from tests.servers import free_port
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db


def metric_samples(response):
    """{(name, labels as a sorted tuple): value} from Prometheus' text format."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


# The request id


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_request_id_is_kept_and_an_odd_one_replaced(client):
    assert client.get("/", HTTP_X_REQUEST_ID="nginx-4f2a.01")["X-Request-ID"] == "nginx-4f2a.01"
    for odd in ["two words", "x" * 200, "<script>", ""]:
        given = client.get("/", HTTP_X_REQUEST_ID=odd)["X-Request-ID"]
        assert given != odd and len(given) == 32


# Logs


def test_each_request_logs_one_json_line_with_id_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsportal.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="probe-1")
    (record,) = [r for r in caplog.records if r.name == "newsportal.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "probe-1" == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/no-such-page/", 404)
    assert line["level"] == "INFO" and line["logger"] == "newsportal.request"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_other_log_lines_carry_the_request_id_and_exceptions_their_traceback():
    record = logging.LogRecord("articles", logging.ERROR, __file__, 1, "boom %s", ("x",), None)
    token = request_id_var.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert (line["request_id"], line["message"]) == ("req-42", "boom x")
    assert "ValueError: bad" in line["exception"]
    outside = logging.LogRecord("worker", logging.INFO, __file__, 1, "tick", (), None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"


def test_production_logs_are_json_and_a_wrong_log_format_is_refused():
    script = "import logging; logging.getLogger('probe').warning('hello %s', 'there')"
    result = run_manage("shell", "-v", "0", "-c", script, SECRET_KEY="x" * 50, DEBUG="false")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["logger"], line["message"], line["request_id"]) == ("probe", "hello there", "-")
    result = run_manage("check", DEBUG="true", LOG_FORMAT="xml")
    assert result.returncode != 0 and "LOG_FORMAT is 'json' or 'text'" in result.stderr


# Metrics


def test_metrics_count_requests_and_page_cache_hits(client, settings):
    settings.PUBLIC_PAGE_CACHE = True
    ArticleFactory(published_at=NOW - timedelta(hours=1))
    before = metric_samples(client.get(reverse("metrics")))
    for _ in range(3):
        assert client.get("/").status_code == 200  # a miss, then two hits
    after = metric_samples(client.get(reverse("metrics")))

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("newsportal_page_cache_requests_total", result="miss") == 1
    assert grew("newsportal_page_cache_requests_total", result="hit") == 2
    assert grew("newsportal_request_duration_seconds_count", method="GET", status="200") >= 4
    # django-prometheus sees only what the app rendered: the miss and /metrics.
    assert grew("django_http_responses_total_by_status_total", status="200") == 2


def test_metrics_show_the_task_queue_depth_and_failures(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django_tasks import task_backends

    task_backends._settings = None
    task_backends._backends = {}
    try:
        for image_id in (1, 2, 3):
            image_renditions_task.enqueue(image_id=image_id)
        DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).update(status="FAILED")
        samples = metric_samples(client.get(reverse("metrics")))
    finally:
        task_backends._settings = None
        task_backends._backends = {}
    assert samples[("newsportal_tasks_queued", (("queue", "default"),))] == 2
    assert samples[("newsportal_tasks_failed", (("queue", "default"),))] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_REAL_IP": "203.0.113.7"},  # forwarded by the proxy: a reader
        {"HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        {"REMOTE_ADDR": "203.0.113.7"},
        {"REMOTE_ADDR": "10.0.0.8", "HTTP_AUTHORIZATION": "Bearer wrong"},
    ],
    ids=["via-proxy", "forwarded", "other-host", "wrong-token"],
)
def test_metrics_are_not_public(client, settings, headers):
    settings.METRICS_TOKEN = "scrape-token"
    response = client.get(reverse("metrics"), **headers)
    assert response.status_code == 404
    assert b"newsportal_" not in response.content


def test_metrics_with_the_token_from_another_host(client, settings):
    settings.METRICS_TOKEN = "scrape-token"
    response = client.get(
        reverse("metrics"), REMOTE_ADDR="10.0.0.8", HTTP_AUTHORIZATION="Bearer scrape-token"
    )
    assert "newsportal_request_duration_seconds" in str(metric_samples(response))


# /readyz and the media storage


def test_readyz_names_the_media_storage_when_it_does_not_answer(client, settings):
    from botocore.config import Config

    dead = free_port(9565)  # nothing listens there
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "newsportal.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": f"http://127.0.0.1:{dead}",
                "access_key": "x",
                "secret_key": "y",
                "client_config": Config(connect_timeout=1, retries={"max_attempts": 1}),
            },
        },
    }
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "down"
    assert client.get("/").status_code == 200  # the pages do not ask the storage


# Sentry


class _Collector(http.server.BaseHTTPRequestHandler):
    bodies: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        type(self).bodies.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_sentry_starts_only_with_a_dsn_and_sends_there():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port(9566)), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        script = (
            "import sentry_sdk; print(sentry_sdk.is_initialized()); "
            "sentry_sdk.capture_message('ops11-probe'); sentry_sdk.flush(5)"
        )
        without = run_manage("shell", "-v", "0", "-c", script, DEBUG="true")
        assert without.stdout.strip() == "False", without.stderr
        assert _Collector.bodies == []
        dsn = f"http://publickey@127.0.0.1:{port}/42"
        sent = run_manage("shell", "-v", "0", "-c", script, DEBUG="true", SENTRY_DSN=dsn)
        assert sent.stdout.strip() == "True", sent.stderr
    finally:
        server.shutdown()
    assert [path for path, _ in _Collector.bodies] == ["/api/42/envelope/"]
    assert b"ops11-probe" in _Collector.bodies[0][1]


def test_request_log_level_drops_the_request_lines_and_keeps_the_others():
    script = (
        "import logging; "
        "print(logging.getLogger('newsportal.request').isEnabledFor(logging.INFO), "
        "logging.getLogger('articles').isEnabledFor(logging.INFO))"
    )
    result = run_manage("shell", "-v", "0", "-c", script, DEBUG="true", REQUEST_LOG_LEVEL="WARNING")
    assert result.stdout.split() == ["False", "True"], result.stderr
    result = run_manage("shell", "-v", "0", "-c", script, DEBUG="true")
    assert result.stdout.split() == ["True", "True"], result.stderr
