"""The suite's one clock: every test runs at a fixed moment, never the real one.

``NOW`` is Sunday 29 November 2026, 12:00 in Minsk (09:00 UTC). The autouse
``clock`` fixture (tests/conftest.py) stops time there with time-machine, which
also fixes what Django, templates ({% now %}), signed links, rate limits and
the local-memory cache read. A module that needs another moment says so with
``pytestmark = pytest.mark.now(datetime(...))``; a test moves the clock with
``clock.move_to(...)``, ``clock.advance(hours=1)`` or ``with clock.at(...)``.
"""

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, machine):
        self._machine = machine

    @property
    def now(self) -> datetime:
        return timezone.now()

    def move_to(self, moment: datetime) -> datetime:
        self._machine.move_to(moment, tick=False)
        return moment

    def advance(self, **delta) -> datetime:
        return self.move_to(self.now + timedelta(**delta))

    @staticmethod
    def at(moment: datetime):
        return at(moment)


def at(moment: datetime):
    """Stand at ``moment`` for a ``with`` block, then come back."""
    return time_machine.travel(moment, tick=False)
