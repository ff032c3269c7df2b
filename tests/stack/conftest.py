"""The stack suite (`pytest -m stack`, `make test-stack`): the topology
`make stack` starts (deploy/stack.py: nginx with TLS in front of two
gunicorns, the task worker and the scheduler, a PostgreSQL primary and its
streaming replica), here with a Redis of its own and on ports of its own, so
that the tests can stop them.
Every request goes through the real nginx over HTTPS, checked against the
stack's own self-signed certificate."""

import importlib.util
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.servers import RedisServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")

needs_nginx = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK) and not os.environ.get("CI"), reason="nginx is not installed"
)


def stack_config(environ):
    """deploy/stack.py's config() for the stack started with ``environ``."""
    spec = importlib.util.spec_from_file_location("deploy_stack", ROOT / "deploy" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.config(environ)


@pytest.fixture
def clock():
    """The real clock: these tests talk to real processes with real timeouts."""


class Stack:
    def __init__(self, folder, env, https_port, http_port, app_ports, redis):
        self.dir, self.env, self.redis = folder, env, redis
        self.https_port, self.http_port, self.app_ports = https_port, http_port, app_ports
        self.base_url = f"https://127.0.0.1:{https_port}"
        self.cert = str(folder / "tls" / "cert.pem")

    def run(self, action):
        subprocess.run(  # noqa: S603
            [str(ROOT / ".venv/bin/python"), "deploy/stack.py", action],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def get(self, path, session=None, timeout=10.0, **kwargs):
        """The response through nginx, or None when no answer came."""
        try:
            return (session or requests).get(
                self.base_url + path, verify=self.cert, timeout=timeout, **kwargs
            )
        except requests.RequestException:
            return None

    def pid(self, name):
        return int((self.dir / "pids" / f"{name}.pid").read_text())

    def under_load(self, paths, seconds, threads=4, **kwargs):
        """Requests to ``paths`` from ``threads`` threads for ``seconds``:
        a list of (path, status or None), filled while it runs."""
        results, stop = [], time.monotonic() + seconds

        def hammer(offset):
            session = requests.Session()
            n = offset
            while time.monotonic() < stop:
                path = paths[n % len(paths)]
                response = self.get(path, session=session, **kwargs)
                results.append((path, response.status_code if response is not None else None))
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
            env={
                **self.env,
                # The app servers' settings: its media storage and task queue.
                **stack_config(self.env)["app_env"],
                "DATABASE_URL": self.database_url,  # the primary
                "DATABASE_REPLICA_URL": self.replica_url,
                "CACHE_URL": self.env["STACK_CACHE_URL"],  # its invalidations reach the app
            },
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


# The suite's ports are within 50 of STACK_TEST_PORTS (9200 by default):
# each the first free one from there + its offset.
PORTS = int(os.environ.get("STACK_TEST_PORTS", "9200"))


@pytest.fixture(scope="session")
def stack():
    redis = RedisServer(start_port=PORTS + 35)
    redis.start()
    folder = Path(tempfile.mkdtemp(prefix="newsportal-stack-"))
    folder.chmod(0o755)  # nginx's workers (nobody, when run as root) read under it
    https_port, http_port = free_port(PORTS + 43), free_port(PORTS + 46)
    app_ports = [free_port(PORTS + 11), free_port(PORTS + 21)]
    # The stack's own PostgreSQL primary and streaming replica (deploy/stack.py).
    pg_port = free_port(PORTS + 30)
    pg_ports = [pg_port, free_port(pg_port + 1)]
    s3_port = free_port(PORTS + 38)
    env = {
        **os.environ,
        "STACK_DIR": str(folder),
        "STACK_HTTPS_PORT": str(https_port),
        "STACK_HTTP_PORT": str(http_port),
        "STACK_APP_PORTS": ",".join(map(str, app_ports)),
        "STACK_PG_PORT": str(pg_ports[0]),
        "STACK_PG_REPLICA_PORT": str(pg_ports[1]),
        "STACK_S3_PORT": str(s3_port),
        "STACK_CACHE_URL": redis.url,
        "STACK_ENSURE_ADMIN": "false",
        "SECRET_KEY": "stack-suite-only",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("STACK_DATABASE_URL", None)
    stack = Stack(folder, env, https_port, http_port, app_ports, redis)
    stack.pg_ports = pg_ports
    stack.database_url = f"postgres://postgres@127.0.0.1:{pg_ports[0]}/newsportal"
    stack.replica_url = f"postgres://postgres@127.0.0.1:{pg_ports[1]}/newsportal"
    stack.s3_endpoint = f"http://127.0.0.1:{s3_port}"
    try:
        stack.run("start")
        yield stack
    finally:
        stack.run("stop")
        for port in [https_port, http_port, *app_ports, *pg_ports, s3_port]:
            wait_for_port(port, up=False)
        redis.cleanup()
        if os.environ.get("KEEP_STACK_LOGS"):
            print("logs in", folder / "logs")  # noqa: T201
        else:
            shutil.rmtree(folder, ignore_errors=True)


def kill_group(pid):
    os.killpg(pid, signal.SIGKILL)
