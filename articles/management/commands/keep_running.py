"""Run a long-running management command (db_worker, run_scheduler) and run
it again when the database goes away under it, with a growing pause (1 s,
2 s, 4 s ... at most 10 s), so a PostgreSQL restart does not leave the
service without a worker. Ctrl-C and SIGTERM still stop it: they end the
command itself, which this does not catch.

    manage.py keep_running db_worker --interval 1
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

MAX_PAUSE = 10.0
# A command that ran this long before failing starts the pauses over.
STEADY_SECONDS = 60.0


class Command(BaseCommand):
    help = "Run a management command; run it again, with backoff, when the database fails."

    def add_arguments(self, parser):
        parser.add_argument("command", help="the management command, e.g. db_worker")
        parser.add_argument("arguments", nargs="*", help="its arguments (after --)")

    def handle(self, *, command, arguments, **options):
        pause = 1.0
        while True:
            started = time.monotonic()
            try:
                call_command(command, *arguments)
                return
            except (OperationalError, InterfaceError) as error:
                connections.close_all()
                if time.monotonic() - started >= STEADY_SECONDS:
                    pause = 1.0
                logger.warning(
                    "%s stopped, the database failed (%s); starting it again in %.0f s",
                    command,
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    pause,
                )
                time.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
