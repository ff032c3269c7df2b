"""keep_running runs a long-running command again when the database fails
under it, with growing pauses, and lets anything else through."""

import pytest
from django.core.management import call_command
from django.db import OperationalError

from articles.management.commands import keep_running


def test_it_runs_the_command_again_after_database_failures(monkeypatch):
    runs, pauses = [], []

    def command(name, *arguments):
        runs.append((name, arguments))
        if len(runs) <= 4:
            raise OperationalError("the database system is starting up")

    monkeypatch.setattr(keep_running, "call_command", command)
    monkeypatch.setattr(keep_running.time, "sleep", pauses.append)
    call_command("keep_running", "db_worker", "--", "--interval", "1")
    assert runs == [("db_worker", ("--interval", "1"))] * 5
    assert pauses == [1.0, 2.0, 4.0, 8.0]


def test_other_errors_and_stops_end_it(monkeypatch):
    def command(name, *arguments):
        raise SystemExit(0)  # what db_worker does on SIGTERM

    monkeypatch.setattr(keep_running, "call_command", command)
    with pytest.raises(SystemExit):
        call_command("keep_running", "db_worker")
