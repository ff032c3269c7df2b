"""The replica router (newsportal/replica.py) on two real PostgreSQL servers:
a primary and its streaming replica (pg_basebackup -R), started here on
ports of their own. Replay on the replica is paused to tell the two apart:
an article written on the primary afterwards is only on the primary, so a
page that finds it was read from the primary, one that answers 404 from the
replica. Each probe runs in its own Django process with DATABASE_URL and
DATABASE_REPLICA_URL set, as an app server would."""

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.utils.text import slugify

from tests.servers import PostgresServer, needs_postgres_server, real_clock_env

pytestmark = needs_postgres_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock():
    """The real clock: replay lag is measured against the servers' clocks."""


class Pair:
    def __init__(self, primary, replica):
        self.primary, self.replica = primary, replica

    def run(self, script, replica=True, **env):
        """``script`` run in `manage.py shell` of an app on the pair; what it
        printed last, read as JSON."""
        environment = {
            **real_clock_env(),
            "DJANGO_SETTINGS_MODULE": "newsportal.settings_test",
            "DATABASE_URL": self.primary.url(),
            "DATABASE_REPLICA_URL": self.replica.url() if replica else "",
            "ALLOWED_HOSTS": "testserver",
            "REPLICA_CHECK_SECONDS": "0",
            "REPLICA_MAX_LAG_SECONDS": "3600",
            "CACHE_URL": "",
            "REDIS_URL": "",
            **env,
        }
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", textwrap.dedent(script)],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def publish(self, title):
        """A new published article, written on the primary (by a process
        without the replica: nothing waits for its replay); its URL."""
        slug = f"{slugify(title)}-{uuid.uuid4().hex[:8]}"
        return self.run(
            f"""
            import json
            from tests.factories import ArticleFactory
            article = ArticleFactory(headline={title!r}, slug={slug!r})
            print(json.dumps(article.get_absolute_url()))
            """,
            replica=False,
        )

    def replay(self, on):
        function = "pg_wal_replay_resume" if on else "pg_wal_replay_pause"
        self.replica.sql(f"SELECT {function}()")

    def wait_replayed(self):
        target = self.primary.sql("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + 20
        while not self.replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'"):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def pair():
    primary = PostgresServer(start_port=9500)
    primary.start()
    replica = None
    try:
        primary.create_database()
        replica = primary.replica(start_port=9510)
        replica.start()
        pair = Pair(primary, replica)
        migrate = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "newsportal.settings_test",
                "DATABASE_URL": primary.url(),
                "DATABASE_REPLICA_URL": replica.url(),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr
        yield pair
    finally:
        if replica is not None:
            replica.cleanup()
        primary.cleanup()


@pytest.fixture
def unreplayed(pair):
    """An article on the primary that the replica has not replayed yet."""
    pair.wait_replayed()
    pair.replay(False)
    try:
        yield pair.publish("Only on the primary so far")
    finally:
        pair.replay(True)


READS = """
import json
from django.test import Client
from tests.factories import UserFactory
staff = Client()
staff.force_login(UserFactory(is_staff=True))  # a write: before the reads
anonymous = Client()
path = {path!r}
pinned = Client()
pinned.post("/subscribe/", {{"email": "reader@example.org"}})
print(json.dumps({{
    "anonymous": anonymous.get(path).status_code,
    "head": anonymous.head(path).status_code,
    "staff": staff.get(path).status_code,
    "pinned": pinned.get(path).status_code,
    "pin_cookie": pinned.cookies.get("np_primary") and pinned.cookies["np_primary"]["max-age"],
}}))
"""


def test_anonymous_reads_go_to_the_replica_staff_and_writers_to_the_primary(pair, unreplayed):
    seen = pair.run(READS.format(path=unreplayed))
    assert seen == {
        "anonymous": 404,  # the replica has not got it yet
        "head": 404,
        "staff": 200,  # staff read their own writes
        "pinned": 200,  # so does a client that just wrote, for a while
        "pin_cookie": 15,
    }


def test_without_a_replica_everything_reads_the_primary(pair, unreplayed):
    seen = pair.run(READS.format(path=unreplayed), replica=False)
    assert seen["anonymous"] == seen["staff"] == 200
    assert seen["pin_cookie"] is None  # nothing to pin to


def test_a_replica_lagging_past_the_limit_is_left_alone(pair, unreplayed):
    time.sleep(1.2)  # replay paused with a write waiting: lag grows
    script = f"""
    import json
    from django.test import Client
    from newsportal.replica import replica_state
    status = Client().get({unreplayed!r}).status_code
    state = replica_state()
    print(json.dumps([status, state.state, state.lag]))
    """
    status, state, lag = pair.run(script, REPLICA_MAX_LAG_SECONDS="1")
    assert (status, state) == (200, "lagging") and lag > 1
    status, state, lag = pair.run(script, REPLICA_MAX_LAG_SECONDS="3600")
    assert (status, state) == (404, "ok") and 1 < lag < 3600


def test_a_caught_up_replica_has_no_lag_and_serves_the_new_article(pair):
    path = pair.publish("Replicated")
    pair.wait_replayed()
    time.sleep(1.2)  # an idle primary is no lag, however old its last write
    script = f"""
    import json
    from django.test import Client
    from newsportal.replica import replica_state
    status = Client().get({path!r}).status_code
    print(json.dumps([status, replica_state().state, replica_state().lag]))
    """
    assert pair.run(script, REPLICA_MAX_LAG_SECONDS="1") == [200, "ok", 0]


def test_inside_a_transaction_reads_go_to_the_primary(pair, unreplayed):
    slug = unreplayed.rstrip("/").rsplit("/", 1)[-1]
    script = f"""
    import json
    from django.db import transaction
    from newsportal import replica
    from articles.models import Article
    token = replica._wanted.set(True)  # as in an anonymous request
    outside = Article.objects.filter(slug={slug!r}).exists()
    with transaction.atomic():
        inside = Article.objects.filter(slug={slug!r}).exists()
    print(json.dumps([outside, inside]))
    """
    assert pair.run(script) == [False, True]


def test_readyz_reports_the_replica_and_a_lagging_one_only_degrades(pair, unreplayed):
    time.sleep(1.2)
    script = """
    import json
    from django.test import Client
    response = Client().get("/readyz")
    print(json.dumps([response.status_code, response.json()]))
    """
    status, body = pair.run(script, REPLICA_MAX_LAG_SECONDS="1")
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["replica"] == "lagging" and body["replica_lag_seconds"] > 1
    status, body = pair.run(script)
    assert status == 200 and body["status"] == "ok" and body["checks"]["replica"] == "ok"


def test_the_replica_stopped_reads_fall_back_even_mid_process(pair):
    """A replica that goes away between two requests of one app process
    (its connection open, its last check fresh) costs no failed request: the
    view runs again on the primary; later requests skip it until it is back."""
    path = pair.publish("Read while the replica stops")
    pair.wait_replayed()
    stop = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    stop += [_pg_ctl(), "-D", pair.replica.data, "-m", "fast", "-w", "stop"]
    script = f"""
    import json, subprocess
    from django.test import Client
    from newsportal.replica import replica_state
    client = Client()
    seen = [client.get({path!r}).status_code, replica_state().state]
    subprocess.run({stop!r}, check=True, capture_output=True)
    seen += [client.get({path!r}).status_code, replica_state().state]
    seen += [client.get("/news/").status_code, client.get("/readyz").json()["checks"]]
    print(json.dumps(seen))
    """
    try:
        seen = pair.run(script, REPLICA_CHECK_SECONDS="60", CONN_MAX_AGE="60")
    finally:
        pair.replica.start()
    assert seen == [
        200,
        "ok",
        200,
        "down",
        200,
        {"database": "ok", "cache": "ok", "storage": "ok", "replica": "down"},
    ]


def _pg_ctl():
    from tests.servers import _postgres_bin

    return _postgres_bin("pg_ctl")


PUBLISH_WHILE_REPLAY_WAITS = """
import json, threading, time
import psycopg2
from django.conf import settings
from django.test import Client, override_settings
from tests.factories import ArticleFactory

replica = psycopg2.connect(
    host="127.0.0.1", port=settings.DATABASES["replica"]["PORT"], user="postgres",
    dbname="newsportal",
)
replica.autocommit = True
replay = replica.cursor()
with override_settings(PUBLIC_PAGE_CACHE=True, PUBLIC_PAGE_COMMIT_WAIT={wait!r}):
    client = Client()
    first = client.get("/news/")
    replay.execute("SELECT pg_wal_replay_pause()")
    threading.Timer(0.5, replay.execute, ["SELECT pg_wal_replay_resume()"]).start()
    started = time.monotonic()
    ArticleFactory(headline={headline!r}, slug={slug!r})
    took = time.monotonic() - started
    during = client.get("/news/")  # the first reader after the publication
    time.sleep(0.7)  # replayed by now, whatever the wait did
    after = client.get("/news/")
print(json.dumps([
    first["X-Page-Cache"],
    [during["X-Page-Cache"], {headline!r} in during.content.decode()],
    [after["X-Page-Cache"], {headline!r} in after.content.decode()],
    took,
]))
"""


@pytest.mark.parametrize("wait", ["newsportal.replica.replica_catch_up_wait", ""])
def test_a_publication_is_not_hidden_by_a_page_rendered_from_a_replica_behind(pair, wait):
    """Its second page-cache invalidation waits for the replica to replay
    the commit: the page rendered next shows it. Without the wait (the
    control), the page rendered from the replica before the replay is kept
    fresh without the article."""
    pair.wait_replayed()
    headline = f"Published as replay waits {uuid.uuid4().hex[:6]}"
    script = PUBLISH_WHILE_REPLAY_WAITS.format(wait=wait, headline=headline, slug=slugify(headline))
    first, during, after, took = pair.run(script)
    assert first == "miss"
    if wait:
        assert during == ["miss", True]  # rendered from the replica that replayed it
        assert after == ["hit", True]
        assert 0.4 < took < 5
    else:
        assert during == ["miss", False]  # rendered from the replica before the replay...
        assert after == ["hit", False]  # ...and kept as fresh
        assert took < 0.4


def test_the_partner_api_reads_from_the_replica(pair):
    key = pair.run(
        f"""
        import json
        from partners.services import api_key_issue
        from tests.factories import PartnerFactory
        partner = PartnerFactory(slug="replica-{uuid.uuid4().hex[:6]}")
        print(json.dumps(api_key_issue(partner=partner, name="replica", expiry_date=None)[1]))
        """,
        replica=False,
    )
    pair.wait_replayed()  # the key is on the replica
    pair.replay(False)
    try:
        pk = pair.run(
            f"""
            import json
            from tests.factories import ArticleFactory
            print(ArticleFactory(slug="api-{uuid.uuid4().hex[:6]}").pk)
            """,
            replica=False,
        )
        script = f"""
        import json
        from django.test import Client
        response = Client().get("/api/v1/items/{pk}/", HTTP_AUTHORIZATION="Bearer {key}")
        print(response.status_code)
        """
        assert pair.run(script) == 404  # not replayed yet
    finally:
        pair.replay(True)
    pair.wait_replayed()
    assert pair.run(script) == 200
