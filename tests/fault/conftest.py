"""The fault suite (`pytest -m fault`): the real service (`make serve`:
gunicorn, task worker, scheduler) on its own PostgreSQL and Redis, started
here on their own ports, with an SMTP sink; the tests stop and restart those
processes under load."""

import asyncio
import email
import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.servers import PostgresServer, RedisServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command


@pytest.fixture
def clock():
    """The real clock: these tests talk to real processes with real timeouts."""


class Inbox:
    def __init__(self):
        self.messages = []
        self.delay = 0.0  # seconds per mail: a slow SMTP server

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def wait_for(self, address, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, message in self.messages:
                if address in recipients:
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {address} within {timeout} s")


class Stack:
    def __init__(self, base_url, process, postgres, redis, inbox, env):
        self.base_url, self.process, self.env = base_url, process, env
        self.postgres, self.redis, self.inbox = postgres, redis, inbox

    def get(self, path, timeout=5.0):
        """(status, body, seconds); status None when no answer came."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as response:  # noqa: S310
                return response.status, response.read(), time.monotonic() - started
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.monotonic() - started
        except OSError as error:
            return None, repr(error).encode(), time.monotonic() - started

    def post(self, path, data):
        body = "&".join(f"{key}={value}" for key, value in data.items()).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")  # noqa: S310
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_until(self, path, status=200, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.get(path)[0] == status:
                return time.monotonic()
            time.sleep(0.1)
        raise AssertionError(f"{path} did not answer {status} within {timeout} s")

    def under_load(self, paths, seconds, threads=4):
        """Requests to ``paths`` from ``threads`` threads for ``seconds``:
        a list of (path, status, seconds), filled while it runs."""
        results, stop = [], time.monotonic() + seconds

        def hammer(offset):
            n = offset
            while time.monotonic() < stop:
                path = paths[n % len(paths)]
                status, _, took = self.get(path)
                results.append((path, status, took))
                n += 1

        workers = [threading.Thread(target=hammer, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        return results, workers

    def shell(self, script):
        """Run Python in `manage.py shell` on the stack's database; its output."""
        result = subprocess.run(  # noqa: S603
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-v", "0", "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def processes(self, pattern):
        """(pid, ppid, command line) of this stack's processes (descendants of
        the `make serve` started here) whose command line contains pattern."""
        listing = subprocess.run(
            ["ps", "-e", "-o", "pid=,ppid=,args="],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rows = [line.split(None, 2) for line in listing.splitlines()]
        rows = [(int(pid), int(ppid), args) for pid, ppid, *args in rows for args in [args[0]]]
        ours = {self.process.pid}
        for _ in range(6):  # make -> sh/honcho -> gunicorn master -> workers
            ours |= {pid for pid, ppid, _ in rows if ppid in ours}
        return [(pid, ppid, args) for pid, ppid, args in rows if pid in ours and pattern in args]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="session")
def stack():
    postgres, redis = PostgresServer(), RedisServer()
    postgres.start()
    postgres.create_database()
    redis.start()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(8990))
    smtp.start()
    port = free_port(8910)
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url(),
        "CACHE_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SECRET_KEY": "fault-suite-only",
        "WEB_CONCURRENCY": "2",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(Path(postgres.dir) / "serve.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack = Stack(f"http://127.0.0.1:{port}", process, postgres, redis, inbox, env)
    try:
        wait_for_port(port, timeout=90)
        stack.wait_until("/readyz", timeout=30)
        yield stack
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: honcho stops all three
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        smtp.stop()
        redis.cleanup()
        if os.environ.get("KEEP_FAULT_LOGS"):
            print("logs in", postgres.dir)  # noqa: T201
        postgres.cleanup()
