"""Operability through the real stack: the request id end to end, /metrics
on the app servers and never through the proxy, /readyz with the media
storage and the RQ queue, brotli from nginx."""

import os
import re
import uuid

import pytest
import requests

from tests.servers import needs_postgres_server, needs_redis_server, needs_s3_server
from tests.stack.conftest import needs_nginx

pytestmark = [
    pytest.mark.stack,
    needs_nginx,
    needs_postgres_server,
    needs_redis_server,
    needs_s3_server,
]


def test_the_request_id_is_kept_or_made_and_a_cached_copy_gets_this_requests(stack):
    path = f"/news/?probe={uuid.uuid4().hex[:8]}"
    first = stack.get(path, headers={"X-Request-ID": "reader-report-1"})
    assert first.headers["X-Request-ID"] == "reader-report-1"
    second = stack.get(path)
    assert second.headers["X-Proxy-Cache"] == "HIT"
    assert re.fullmatch(r"[0-9a-f]{32}", second.headers["X-Request-ID"])  # nginx's own
    assert stack.get("/no-such-page/").headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_metrics_are_on_the_app_servers_and_not_through_the_proxy(stack):
    assert stack.get("/metrics").status_code == 404
    assert stack.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 404
    for _ in range(3):
        stack.get("/partners/", headers={"Accept-Encoding": "gzip"})
    # Prometheus scrapes each app server on its own (loopback) address.
    text = requests.get(f"http://127.0.0.1:{stack.app_ports[1]}/metrics", timeout=10).text
    assert 'newsportal_tasks_queued{queue="default"}' in text  # read from RQ
    assert 'newsportal_tasks_failed{queue="default"}' in text
    assert "newsportal_request_duration_seconds_bucket" in text
    assert 'newsportal_page_cache_requests_total{result="' in text
    assert "django_http_requests_total_by_method_total" in text


def test_readyz_covers_the_media_storage_and_the_queue(stack):
    response = requests.get(f"http://127.0.0.1:{stack.app_ports[0]}/readyz", timeout=10)
    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert checks == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queue": "ok",
        "replica": "ok",
    }


@pytest.mark.skipif(
    not os.path.exists("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"),
    reason="Debian's nginx brotli module is not installed",
)
def test_nginx_compresses_with_brotli_when_its_module_is_there(stack):
    css = re.search(r'href="(/static/[^"]+\.css)"', stack.get("/").text).group(1)
    plain = stack.get(css, headers={"Accept-Encoding": "identity"}).content
    squeezed = stack.get(css, headers={"Accept-Encoding": "br"}, stream=True)
    assert squeezed.headers["Content-Encoding"] == "br"
    assert 0 < len(squeezed.raw.read()) < len(plain) / 2
