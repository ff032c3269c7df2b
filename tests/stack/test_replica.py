"""The stack's PostgreSQL replica through the real nginx: anonymous pages
and the partner API read from it, and with it killed under load the reads
fall back to the primary with no failed request; a publication made
meanwhile shows on the site within the micro-cache's seconds."""

import time
import uuid
from collections import Counter

import psycopg2
import pytest

from tests.servers import needs_postgres_server, needs_redis_server, wait_for_port
from tests.stack.conftest import kill_group, needs_nginx

pytestmark = [pytest.mark.stack, needs_nginx, needs_postgres_server, needs_redis_server]


def app_connections(url):
    """Client connections to the stack's database on the server at ``url``."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'newsportal'"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def fresh_pages(count=400):
    """Pages no cache has: each is rendered by an app server."""
    probe = uuid.uuid4().hex[:8]
    return [f"/news/?probe={probe}-{n}" for n in range(count)]


@pytest.fixture(scope="module")
def api_key(stack):
    script = (
        "from partners.models import Partner; from partners.services import api_key_issue; "
        "p = Partner.objects.create(name='Replica probe', slug='replica-probe'); "
        "print(api_key_issue(partner=p, name='probe', expiry_date=None)[1])"
    )
    return stack.shell(script).strip()


def test_anonymous_pages_and_the_api_read_from_the_replica(stack, api_key):
    for path in fresh_pages(6):
        assert stack.get(path).status_code == 200
    response = stack.get("/api/v1/items/", headers={"Authorization": f"Bearer {api_key}"})
    assert response.status_code == 200 and response.json()
    assert app_connections(stack.replica_url) > 0
    ready = stack.get("/readyz").json()
    assert ready["checks"]["replica"] == "ok" and ready["status"] == "ok"


def test_the_replica_killed_under_load_fails_no_request_and_a_publish_shows(stack, api_key):
    auth = {"Authorization": f"Bearer {api_key}"}
    results, workers = stack.under_load(fresh_pages() + ["/api/v1/items/"], seconds=8, headers=auth)
    time.sleep(1.5)
    kill_group(stack.pid("postgres-replica"))  # its postmaster and backends, SIGKILL
    wait_for_port(stack.pg_ports[1], up=False)
    killed_at = len(results)
    headline = f"Published with the replica down {uuid.uuid4().hex[:6]}"
    stack.shell(
        "from tests.factories import ArticleFactory; "
        f"ArticleFactory(headline={headline!r}, slug='replica-down-{uuid.uuid4().hex[:6]}')"
    )
    published = time.monotonic()
    while headline not in (stack.get("/news/").text or ""):
        assert time.monotonic() - published < 7, "not on /news/ within the micro-cache's seconds"
        time.sleep(0.2)
    shown_after = time.monotonic() - published
    for worker in workers:
        worker.join()
    statuses = Counter(status for _, status in results)
    assert statuses == {200: len(results)}, statuses
    assert len(results) > killed_at + 20  # served from the primary meanwhile
    ready = stack.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded" and ready.json()["checks"]["replica"] == "down"

    stack.run("start")  # the replica again (crash recovery, then streaming), only it
    deadline = time.monotonic() + 30
    while stack.get("/readyz").json()["checks"]["replica"] != "ok":
        assert time.monotonic() < deadline, "the replica did not come back"
        time.sleep(0.5)
    for path in fresh_pages(6):
        assert stack.get(path).status_code == 200
    assert app_connections(stack.replica_url) > 0  # reads are back on it
    print(  # noqa: T201
        f"{len(results)} requests, {killed_at} before the kill: {dict(statuses)}; "
        f"the publication on /news/ after {shown_after:.1f} s"
    )
