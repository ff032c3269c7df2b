"""Enqueue the periodic tasks of settings.PERIODIC_TASKS at their intervals.

One scheduler runs per deployment (its own docker-compose service); workers
(`manage.py db_worker`, or RQ) do the work. `--once` enqueues every periodic
task once and exits.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue settings.PERIODIC_TASKS at their intervals (or each once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue each task once and exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks")

    def handle(self, *, once, tick, **options):
        schedule = [
            (import_string(path), path, interval) for path, interval in settings.PERIODIC_TASKS
        ]
        next_run = dict.fromkeys((path for _, path, _ in schedule), 0.0)
        while True:
            now = time.monotonic()
            for task, path, interval in schedule:
                if now >= next_run[path]:
                    result = task.enqueue()
                    next_run[path] = now + interval
                    self.stdout.write(f"enqueued {path} ({result.id})")
            if once:
                return
            time.sleep(tick)
