"""What the service does when what is around it fails: real processes
stopped and restarted under load (see conftest.py)."""

import os
import signal
import time
import uuid
from collections import Counter

import pytest

from subscriptions.forms import CONSENT_VERSION
from tests.servers import needs_postgres_server, needs_redis_server

pytestmark = [pytest.mark.fault, needs_postgres_server, needs_redis_server]

PAGES = ["/", "/news/", "/subscribe/", "/partners/", "/search/?q=minsk"]


def finish(workers):
    for worker in workers:
        worker.join()


def subscribe(stack, address):
    data = {"email": address, "frequency": "daily", "consent": CONSENT_VERSION}
    return stack.post("/subscribe/", data)


def test_make_serve_alone_delivers_a_confirmation_mail_within_seconds(stack):
    address = f"first-{uuid.uuid4().hex[:8]}@example.org"
    started = time.monotonic()
    assert subscribe(stack, address) == 302
    message = stack.inbox.wait_for(address, timeout=15)
    assert "/subscribe/confirm/" in message.get_body(("plain",)).get_content()
    assert stack.base_url in message.get_body(("plain",)).get_content()  # SITE_URL
    print(f"confirmation mail after {time.monotonic() - started:.1f} s")  # noqa: T201


def test_redis_stopped_mid_load_fails_no_request(stack):
    results, workers = stack.under_load(PAGES, seconds=4)
    time.sleep(1)
    stack.redis.stop()
    time.sleep(2)
    assert stack.get("/readyz")[0] == 503
    down = len(results)
    finish(workers)
    stack.redis.start()
    statuses = Counter(status for _, status, _ in results)
    assert statuses == {200: len(results)}, statuses
    assert len(results) > down  # requests were served with Redis down
    assert max(took for _, _, took in results) < 1.5
    assert subscribe(stack, f"no-redis-{uuid.uuid4().hex[:6]}@example.org") == 302
    stack.wait_until("/readyz", timeout=10)
    print(f"{len(results)} requests, slowest {max(t for *_, t in results):.2f} s")  # noqa: T201


def test_postgresql_stopped_answers_503_and_restarted_serves_and_mails(stack):
    results, workers = stack.under_load(PAGES + ["/api/v1/items/"], seconds=6)
    time.sleep(1)
    stack.postgres.stop()
    stopped = time.monotonic()
    time.sleep(2)
    assert stack.get("/readyz")[0] == 503
    status, body, _ = stack.get("/search/?q=outage")
    assert status == 503 and b"briefly unavailable" in body
    stack.postgres.start()
    finish(workers)
    back = stack.wait_until("/search/?q=back", timeout=20)
    statuses = Counter(status for _, status, _ in results)
    # 200 (served, or from the page cache), 503 while it was down, 401 for
    # the API without a key; never a 500 or a dropped connection.
    assert set(statuses) <= {200, 503, 401}, statuses
    assert stack.get("/")[0] == 200
    stack.wait_until("/readyz", timeout=10)
    # The worker came back by itself: a subscription after the restart mails.
    address = f"after-restart-{uuid.uuid4().hex[:8]}@example.org"
    assert subscribe(stack, address) == 302
    stack.inbox.wait_for(address, timeout=30)
    print(f"{dict(statuses)}; 200 again {back - stopped:.1f} s after the stop")  # noqa: T201


def test_gunicorn_reloads_on_hup_under_load_without_failing_a_request(stack):
    gunicorns = stack.processes("gunicorn newsportal.wsgi")
    pids = {pid for pid, _, _ in gunicorns}
    (master,) = [pid for pid, ppid, _ in gunicorns if ppid not in pids]
    results, workers = stack.under_load(PAGES, seconds=4)
    time.sleep(1)
    os.kill(master, signal.SIGHUP)
    finish(workers)
    statuses = Counter(status for _, status, _ in results)
    assert statuses == {200: len(results)}, statuses


DIGEST_SETUP = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Section
from subscriptions import selectors
from subscriptions.models import Subscriber
period = selectors.digest_period(frequency="daily", now=timezone.now())
section = Section.objects.get(edition="en", slug="politics")
Article.objects.create(
    headline="Digest story", slug="digest-story", lead="Lead.", body="<p>Body.</p>",
    dateline_place="MINSK", section=section, status="published",
    published_at=period.end - timedelta(hours=2),
)
for n in range({count}):
    subscriber = Subscriber.objects.create(
        email=f"digest-{{n}}@example.org", frequency="daily", status="confirmed",
        confirmed_at=timezone.now(),
    )
    subscriber.sections.add(section)
from subscriptions.tasks import daily_digest_send
daily_digest_send.enqueue()
"""


def test_a_worker_killed_mid_digest_loses_no_mail(stack):
    count = 200
    stack.inbox.delay = 0.02  # 200 mails take about 4 s
    before = len(stack.inbox.messages)
    stack.shell(DIGEST_SETUP.format(count=count))
    deadline = time.monotonic() + 20
    while len(stack.inbox.messages) - before < count // 4:
        assert time.monotonic() < deadline, "the digest did not start"
        time.sleep(0.05)
    worker_command = "python manage.py task_worker"
    (worker,) = [
        pid for pid, _, args in stack.processes(worker_command) if args.startswith(worker_command)
    ]
    os.kill(worker, signal.SIGKILL)
    sent_when_killed = len(stack.inbox.messages) - before
    assert sent_when_killed < count
    # The loop in the Procfile starts a new worker; the scheduler enqueues
    # the digest again at its interval (done here at once).
    stack.shell("from subscriptions.tasks import daily_digest_send; daily_digest_send.enqueue()")
    deadline = time.monotonic() + 30
    received = Counter()
    while len(received) < count and time.monotonic() < deadline:
        received = Counter(
            address
            for recipients, message in stack.inbox.messages[before:]
            for address in recipients
            if address.startswith("digest-")
        )
        time.sleep(0.2)
    stack.inbox.delay = 0.0
    assert len(received) == count  # every subscriber had the digest
    assert sum(received.values()) - count <= 1  # at most the one in flight, twice
    assert stack.shell(
        "from subscriptions.models import Delivery; "
        "print(Delivery.objects.filter(key__startswith='daily:').count())"
    ).strip() == str(count)
    assert stack.processes("python manage.py task_worker")
    print(f"killed after {sent_when_killed} of {count} mails; all {count} delivered")  # noqa: T201
