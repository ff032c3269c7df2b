"""Each digest reaches each confirmed subscriber exactly once: after a worker
dies midway and the run is repeated, when two workers run at once, and when
a finished run is run again."""

import multiprocessing
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections

from subscriptions import services
from subscriptions.models import Delivery
from tests.clock import NOW
from tests.factories import ArticleFactory

from .backends import DyingBackend, FileBackend, WorkerDied
from .conftest import SubscriberFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there) and "
    "one writer at a time; CI runs this suite on PostgreSQL too",
)


@pytest.fixture
def readers(default_sections):
    # In yesterday's daily period (see conftest.NOW).
    ArticleFactory(headline="Story of yesterday", published_at=NOW - timedelta(hours=6))
    return sorted(SubscriberFactory().email for _ in range(23))


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def delivered():
    return sorted(Delivery.objects.values_list("subscriber__email", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_run_that_dies_midway_and_is_rerun_sends_everyone_exactly_once(readers, settings):
    settings.EMAIL_BACKEND = "tests.subscriptions.backends.DyingBackend"
    settings.SUBSCRIPTIONS_MAIL_BATCH = 5
    DyingBackend.limit = 7
    try:
        with pytest.raises(WorkerDied):
            services.digest_send(frequency="daily")
        # What went out is recorded, and only that.
        assert len(mail.outbox) == 7
        assert delivered() == recipients()

        DyingBackend.limit = None
        assert services.digest_send(frequency="daily") == 23 - 7
    finally:
        DyingBackend.limit = None
    assert recipients() == readers
    assert delivered() == readers
    assert services.digest_send(frequency="daily") == 0
    assert len(mail.outbox) == 23


def _run_digest():
    services.digest_send(frequency="daily")


def _wait_for_other_connections_to_end():
    """PostgreSQL rolls back a killed client's transaction when it notices
    the closed connection; wait for that, as a rerun a minute later would."""
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("the killed worker's connection is still open")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_with_sigkill_midway_and_rerun_sends_everyone_exactly_once(
    readers, settings, tmp_path
):
    settings.EMAIL_BACKEND = "tests.subscriptions.backends.FileBackend"
    settings.SUBSCRIPTIONS_MAIL_BATCH = 5
    FileBackend.path = tmp_path / "sent.txt"
    FileBackend.kill_after = 9
    try:
        # The worker is a forked process, killed by SIGKILL in the middle of
        # the transaction of its tenth mail (record written, mail not sent).
        connections.close_all()
        worker = multiprocessing.get_context("fork").Process(target=_run_digest)
        worker.start()
        worker.join(timeout=60)
        assert worker.exitcode == -signal.SIGKILL
        sent = FileBackend.path.read_text().splitlines()
        assert len(sent) == 9
        _wait_for_other_connections_to_end()
        assert delivered() == sorted(sent)

        FileBackend.kill_after = None
        assert services.digest_send(frequency="daily") == 23 - 9
        assert services.digest_send(frequency="daily") == 0
    finally:
        FileBackend.kill_after = None
    assert sorted(FileBackend.path.read_text().splitlines()) == readers
    assert delivered() == readers


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [4, 100])
def test_two_workers_at_once_send_each_mail_once(readers, settings, batch):
    settings.EMAIL_BACKEND = "tests.subscriptions.backends.SlowBackend"
    settings.SUBSCRIPTIONS_MAIL_BATCH = batch
    start = threading.Barrier(2)
    counts, errors = [], []

    def worker():
        try:
            start.wait()
            counts.append(services.digest_send(frequency="daily"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    assert errors == []
    assert sum(counts) == 23
    assert recipients() == readers
    assert delivered() == readers


@pytest.mark.django_db
def test_a_finished_run_run_again_sends_nothing(readers):
    assert services.digest_send(frequency="daily") == 23
    assert services.digest_send(frequency="daily") == 0
    assert recipients() == readers
