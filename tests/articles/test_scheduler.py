import pytest
from django.core.management import call_command
from django_tasks import task

calls = []


@task()
def probe():
    calls.append("ran")
    return "done"


@pytest.mark.django_db
def test_scheduler_enqueues_each_periodic_task(settings, capsys):
    calls.clear()
    settings.PERIODIC_TASKS = [("tests.articles.test_scheduler.probe", 60)]
    call_command("run_scheduler", once=True)
    assert calls == ["ran"]  # the test backend runs tasks as they are enqueued
    assert "enqueued tests.articles.test_scheduler.probe" in capsys.readouterr().out


def test_unknown_periodic_task_is_a_clear_error(settings):
    settings.PERIODIC_TASKS = [("tests.articles.test_scheduler.missing", 60)]
    with pytest.raises(ImportError):
        call_command("run_scheduler", once=True)
