"""Mail backends that misbehave the way workers do, for the exactly-once tests."""

import os
import signal
import time
from pathlib import Path

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend


class WorkerDied(Exception):
    """Stands for the worker process dying in the middle of a run."""


class DyingBackend(MemoryBackend):
    """Keeps mails in mail.outbox, and dies before the one after `limit`."""

    limit = None

    def send_messages(self, messages):
        if DyingBackend.limit is not None and len(mail.outbox) >= DyingBackend.limit:
            raise WorkerDied
        return super().send_messages(messages)


class SlowBackend(MemoryBackend):
    """Takes a little time per mail, as SMTP does, so that workers overlap."""

    def send_messages(self, messages):
        time.sleep(0.005)
        return super().send_messages(messages)


class FileBackend(BaseEmailBackend):
    """Writes each recipient to `path` (it survives the process); with
    `kill_after`, the process kills itself (SIGKILL) before the next mail."""

    path: Path | None = None
    kill_after = None

    def send_messages(self, messages):
        sent = FileBackend.path.read_text().splitlines() if FileBackend.path.exists() else []
        if FileBackend.kill_after is not None and len(sent) >= FileBackend.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        with FileBackend.path.open("a") as log:
            log.writelines(f"{message.to[0]}\n" for message in messages)
        return len(messages)
