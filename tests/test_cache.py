"""The Redis cache fails open: with Redis really stopped every page answers
from the database, fast, and the outage is logged once, not per request."""

import logging
import threading
import time

import pytest
import redis
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings

from articles.models import Section
from newsportal import cache as fail_open
from partners.services import api_key_issue
from subscriptions.forms import CONSENT_VERSION
from tests.factories import ArticleFactory, PartnerFactory, UserFactory
from tests.servers import RedisServer, needs_redis_server

pytestmark = needs_redis_server


@pytest.fixture
def redis_server(monkeypatch):
    monkeypatch.setattr(fail_open, "_clients", {})  # no outage left from another test
    server = RedisServer()
    server.start()
    caches = {"default": {"BACKEND": "newsportal.cache.FailOpenRedisCache", "LOCATION": server.url}}
    with override_settings(CACHES=caches, PUBLIC_PAGE_CACHE=True):
        yield server
    server.cleanup()


def test_it_is_a_working_cache_while_redis_runs(redis_server):
    assert cache.get("missing", "default") == "default"
    cache.set("a", {"b": 1})
    assert cache.get("a") == {"b": 1}
    assert cache.add("a", 2) is False and cache.add("c", 3) is True
    assert cache.incr("c") == 4 and cache.decr("c", 2) == 2
    assert cache.get_many(["a", "c", "x"]) == {"a": {"b": 1}, "c": 2}
    assert cache.has_key("a") and cache.delete("a") and not cache.has_key("a")
    with pytest.raises(ValueError):
        cache.incr("nothing-here")


def test_an_increment_is_one_command(redis_server):
    """A rate limit or a request count costs one round trip, not two."""
    cache.set("counter", 1)
    cache.incr("counter")  # the first one also loads the script
    server = redis.Redis.from_url(redis_server.url)
    server.config_resetstat()
    assert cache.incr("counter") == 3 and cache.incr("counter", 5) == 8
    asked = {name: stat["calls"] for name, stat in server.info("commandstats").items()}
    # One script call each; its EXISTS and INCRBY run inside Redis.
    assert asked == {
        "cmdstat_evalsha": 2,
        "cmdstat_exists": 2,
        "cmdstat_incrby": 2,
        "cmdstat_config|resetstat": 1,
    }
    with pytest.raises(ValueError):
        cache.incr("nothing-here")
    assert cache.get("nothing-here") is None  # a missing counter is not created


@pytest.mark.django_db
def test_a_page_rendered_again_reads_its_fragments_in_one_round_trip(redis_server, client):
    """An article page that the page cache must render again (as after any
    publish): its kept parts and the chrome (menu twice, recent news,
    subscribe form) come from one MGET, and it writes nothing."""
    url = ArticleFactory().get_absolute_url()
    with override_settings(PUBLIC_PAGE_CACHE=False):
        client.get(url)  # renders and keeps every fragment
        server = redis.Redis.from_url(redis_server.url)
        server.config_resetstat()
        assert client.get(url).status_code == 200
    asked = {name: stat["calls"] for name, stat in server.info("commandstats").items()}
    assert asked == {"cmdstat_mget": 1, "cmdstat_config|resetstat": 1}


@pytest.mark.django_db
def test_a_listing_rendered_again_reads_its_rows_in_one_round_trip(redis_server, client):
    economics = Section.objects.get(edition="en", slug="economics")
    for n in range(5):
        ArticleFactory(headline=f"Listed {n}", section=economics)
    with override_settings(PUBLIC_PAGE_CACHE=False):
        client.get("/section/economics/")  # renders and keeps every row
        server = redis.Redis.from_url(redis_server.url)
        server.config_resetstat()
        page = client.get("/section/economics/").content.decode()
        assert page.count('class="news-row"') == 5
    asked = {name: stat["calls"] for name, stat in server.info("commandstats").items()}
    assert asked == {"cmdstat_mget": 1, "cmdstat_config|resetstat": 1}


def test_one_redis_client_per_process_whatever_the_thread(redis_server):
    clients = []
    for _ in range(2):
        thread = threading.Thread(target=lambda: clients.append(cache._cache.get_client()))
        thread.start()
        thread.join()
    assert clients[0] is clients[1] is cache._cache.get_client(write=True)


def test_every_operation_is_a_quick_miss_with_redis_stopped(redis_server, caplog):
    cache.set("kept", 1)
    redis_server.stop()
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="newsportal.cache"):
        for _ in range(50):
            assert cache.get("kept", "default") == "default"
            assert cache.get_or_set("menu", lambda: ["computed"], 60) == ["computed"]
            assert cache.add("k", 1) is False
            assert cache.set("k", 1) is None
            assert cache.get_many(["kept"]) == {}
            assert cache.delete("kept") is False
            assert cache.has_key("kept") is False
            assert cache.touch("kept") is False
            cache.set_many({"a": 1})
            cache.delete_many(["a"])
            with pytest.raises(ValueError):
                cache.incr("kept")
    assert time.monotonic() - started < 1
    assert len(caplog.records) == 1 and "Redis failed" in caplog.records[0].getMessage()


def test_it_comes_back_when_redis_does(redis_server, monkeypatch):
    monkeypatch.setattr(fail_open, "RETRY_SECONDS", 0.05)
    redis_server.stop()
    assert cache.get("k") is None
    redis_server.start()
    time.sleep(0.1)
    cache.set("k", "back")
    assert cache.get("k") == "back"


def test_a_slow_redis_costs_one_timeout_not_one_per_operation(monkeypatch):
    monkeypatch.setattr(fail_open, "_clients", {})
    # A listening socket that never answers: every read would time out.
    import socket

    from tests.servers import free_port

    silent = socket.socket()
    port = free_port(56479)
    silent.bind(("127.0.0.1", port))
    silent.listen()
    caches = {
        "default": {
            "BACKEND": "newsportal.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    try:
        with override_settings(CACHES=caches):
            started = time.monotonic()
            for _ in range(20):
                assert cache.get("k", "miss") == "miss"
            elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert fail_open.SOCKET_TIMEOUT <= elapsed < 2 * fail_open.SOCKET_TIMEOUT + 0.2


@pytest.mark.django_db
def test_the_site_answers_with_redis_stopped(redis_server, client):
    article = ArticleFactory(headline="Parliament meets")
    _, key = api_key_issue(partner=PartnerFactory(), name="k")
    UserFactory(username="editor", password="right-password", is_staff=True)  # noqa: S106
    client.get("/")  # warm: the page cache, menus and calendars are in Redis
    redis_server.stop()
    requests = [
        ("get", "/", {}, 200),
        ("get", "/news/", {}, 200),
        ("get", article.get_absolute_url(), {}, 200),
        ("get", "/search/?q=parliament", {}, 200),
        ("get", "/subscribe/", {}, 200),
        (
            "post",
            "/subscribe/",
            {"email": "reader@example.org", "frequency": "daily", "consent": CONSENT_VERSION},
            302,
        ),
        ("get", "/admin/login/", {}, 200),
        ("post", "/admin/login/", {"username": "editor", "password": "right-password"}, 302),
        ("post", "/admin/login/", {"username": "editor", "password": "wrong"}, 200),
    ]
    for method, path, data, status in requests:
        started = time.monotonic()
        response = getattr(client, method)(path, data)
        assert response.status_code == status, (path, response.status_code)
        assert time.monotonic() - started < 1, path
    assert AccessAttempt.objects.get().failures_since_start == 1  # counted in the database
    started = time.monotonic()
    response = client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and time.monotonic() - started < 1
    assert "Parliament meets" in client.get("/").content.decode()
