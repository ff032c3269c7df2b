"""Run the task worker of the configured tasks backend (settings.TASKS):

- the database backend (the default): ``db_worker``, under ``keep_running``
  so that a database restart does not end it;
- RQ on Redis (TASKS_BACKEND=django_tasks_rq.RQBackend): RQ's worker on the
  backend's queues, with RQ's scheduler for tasks deferred with
  ``run_after`` (periodic tasks come from ``run_scheduler``, as always).

The Procfile's and docker-compose's worker run this, so one command starts
the right worker whatever the deployment's backend.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

RQ_BACKEND = "django_tasks_rq.RQBackend"


class Command(BaseCommand):
    help = "Run the worker of the configured tasks backend (db_worker or RQ's rqworker)."

    def handle(self, **options):
        backend = settings.TASKS["default"]
        if backend["BACKEND"] == RQ_BACKEND:
            queues = backend.get("QUEUES") or ["default"]
            call_command("rqworker", *queues, job_class="django_tasks_rq.Job", with_scheduler=True)
        else:
            call_command("keep_running", "db_worker", "--", "--interval", "1")
