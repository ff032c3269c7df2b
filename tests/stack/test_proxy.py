"""Through the real nginx of `make stack` (see conftest.py): TLS, the
redirect, the micro-cache and what bypasses it, static files, the forwarded
headers, and an app server or Redis stopped under load."""

import re
import time
import uuid
from collections import Counter

import pytest
import requests

from tests.servers import needs_postgres_server, needs_redis_server, wait_for_port
from tests.stack.conftest import kill_group, needs_nginx

pytestmark = [pytest.mark.stack, needs_nginx, needs_postgres_server, needs_redis_server]

PAGES = ["/", "/news/", "/partners/", "/subscribe/", "/search/?q=minsk"]
# A session cookie (any value) sends a request past the micro-cache to an app server.
SESSION = {"sessionid": "not-a-session"}


def test_https_answers_200_with_hsts_and_a_certificate_for_the_address(stack):
    response = stack.get("/")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "National News Agency" in response.text


def test_plain_http_redirects_to_https_at_the_proxy(stack):
    response = requests.get(
        f"http://127.0.0.1:{stack.http_port}/news/?page=2", allow_redirects=False, timeout=5
    )
    assert response.status_code == 301
    assert response.headers["Location"] == f"{stack.base_url}/news/?page=2"
    assert "X-Page-Cache" not in response.headers  # answered by nginx, not the app


def test_a_second_anonymous_request_is_a_proxy_cache_hit_until_the_micro_cache_expires(stack):
    path = f"/news/?page=2&probe={uuid.uuid4().hex[:8]}"
    first, second = stack.get(path), stack.get(path)
    assert first.status_code == second.status_code == 200
    assert first.headers["X-Proxy-Cache"] == "MISS"
    assert second.headers["X-Proxy-Cache"] == "HIT"
    assert second.text == first.text
    # STACK_MICRO_CACHE_SECONDS is 5; nginx counts in whole seconds, so an
    # entry lives 5 to 6 s.
    time.sleep(6.5)
    assert stack.get(path).headers["X-Proxy-Cache"] in ("EXPIRED", "STALE", "UPDATING")
    # The app's Cache-Control still goes to browsers as the app said it.
    assert second.headers["Cache-Control"] == "public, max-age=60"


def test_gzip_variants_are_cached_apart(stack):
    path = f"/partners/?probe={uuid.uuid4().hex[:8]}"
    squeezed = stack.get(path, headers={"Accept-Encoding": "gzip"})
    plain = stack.get(path, headers={"Accept-Encoding": "identity"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["X-Proxy-Cache"] == "MISS"  # not the gzip copy
    assert squeezed.text == plain.text


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/admin/login/", {}),
        ("/news/", {"cookies": SESSION}),
        ("/api/v1/items/", {"headers": {"Authorization": "Bearer no-such-key"}}),
    ],
    ids=["admin", "session", "api-key"],
)
def test_the_admin_sessions_and_api_keys_bypass_the_micro_cache(stack, path, kwargs):
    for _ in range(2):
        response = stack.get(path, **kwargs)
        assert response.headers["X-Proxy-Cache"] == "BYPASS"


def test_what_the_app_marks_private_is_never_kept(stack):
    for _ in range(2):
        response = stack.get("/api/v1/items/")  # 401, Cache-Control: private
        assert response.status_code == 401
        assert response.headers["X-Proxy-Cache"] == "MISS"


def test_hashed_static_files_are_served_by_nginx_and_immutable(stack):
    css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', stack.get("/").text).group(1)
    response = stack.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"  # the stored .gz copy
    assert "X-Proxy-Cache" not in response.headers and "X-Page-Cache" not in response.headers
    assert "Strict-Transport-Security" in response.headers


def test_forwarded_headers_a_client_sends_are_replaced_by_the_proxy(stack):
    """The login lockout counts the address nginx saw, whatever X-Real-IP or
    X-Forwarded-* a client claims; a forged scheme changes nothing."""
    session = requests.Session()
    login = f"{stack.base_url}/admin/login/"
    form = session.get(login, verify=stack.cert, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    statuses = []
    for attempt in range(7):
        forged = f"203.0.113.{attempt + 1}"
        response = session.post(
            login,
            data={"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"},
            headers={
                "Referer": login,
                "X-Real-IP": forged,
                "X-Forwarded-For": forged,
                "X-Forwarded-Proto": "http",
            },
            verify=stack.cert,
            allow_redirects=False,
            timeout=10,
        )
        statuses.append(response.status_code)
    # The form again with its error, until the fifth wrong password locks
    # the login: every attempt counted as coming from 127.0.0.1.
    assert statuses == [200] * 4 + [429] * 3


def test_an_app_server_killed_under_load_fails_no_request(stack):
    results, workers = stack.under_load(PAGES, seconds=5, cookies=SESSION)
    time.sleep(1.5)
    kill_group(stack.pid("web1"))  # its gunicorn master and workers, SIGKILL
    wait_for_port(stack.app_ports[0], up=False)
    killed_at = len(results)
    for worker in workers:
        worker.join()
    statuses = Counter(status for _, status in results)
    assert statuses == {200: len(results)}, statuses
    assert len(results) > killed_at + 20  # served by the other one meanwhile
    stack.run("start")  # starts web1 again, only it
    wait_for_port(stack.app_ports[0])
    print(f"{len(results)} requests, {killed_at} before the kill: {dict(statuses)}")  # noqa: T201


def test_redis_stopped_pages_are_still_200(stack):
    stack.redis.stop()
    try:
        for path in PAGES:
            response = stack.get(path, cookies=SESSION)
            assert response.status_code == 200, (path, response.status_code)
            assert response.headers["X-Proxy-Cache"] == "BYPASS"
        response = stack.get(f"/news/?probe={uuid.uuid4().hex[:8]}")
        assert response.status_code == 200 and response.headers["X-Proxy-Cache"] == "MISS"
    finally:
        stack.redis.start()


@pytest.mark.parametrize(
    ("nth", "change", "status"),
    [
        (3, "a.status = Article.Status.WITHDRAWN; a.withdrawn_reason = 'Wrong figures.'", 410),
        (4, "a.status = Article.Status.DRAFT", 404),  # a 404 carries no Cache-Control
    ],
    ids=["withdrawn", "unpublished"],
)
def test_an_article_taken_down_leaves_the_micro_cache_within_its_seconds(
    stack, nth, change, status
):
    """The micro-cache is not purged (nginx cannot purge by key): a
    withdrawal shows through it once its few seconds are over, and the 410
    or 404 then replaces the copy, so it is not served stale again."""
    article = f"from articles.models import Article; a = Article.objects.published()[{nth}]; "
    path = stack.shell(article + "print(a.get_absolute_url())").strip()
    assert stack.get(path).status_code == 200
    assert stack.get(path).headers["X-Proxy-Cache"] == "HIT"
    stack.shell(article + change + "; a.save()")
    changed = time.monotonic()
    while (response := stack.get(path)).status_code == 200:
        assert time.monotonic() - changed < 7, "still served past the micro-cache's seconds"
        time.sleep(0.2)
    took = time.monotonic() - changed
    assert response.status_code == status
    for _ in range(10):
        assert stack.get(path).status_code == status
        time.sleep(0.2)
    print(f"{status} through the proxy {took:.1f} s after the change")  # noqa: T201
