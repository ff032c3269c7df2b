"""Throwaway Redis servers for outage tests: real processes on their own
port and data directory, really stopped (never the machine's own Redis)."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)


def real_clock_env():
    """The environment without libfaketime (CI runs the suite under it), so
    servers started here run on the real clock."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in ("LD_PRELOAD", "FAKETIME", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC")
    }


def free_port(start):
    """The first port from ``start`` nothing listens on."""
    for port in range(start, start + 200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


def wait_for_port(port, *, up=True, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.02)
    raise RuntimeError(f"port {port} did not go {'up' if up else 'down'}")


class RedisServer:
    def __init__(self, start_port=56379):
        self.port = free_port(start_port)
        self.dir = tempfile.mkdtemp(prefix="newsportal-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            env=real_clock_env(),
        )
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.process.kill()
            self.process.wait()
            raise

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
            wait_for_port(self.port, up=False)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _postgres_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


needs_postgres_server = pytest.mark.skipif(
    _postgres_bin("initdb") is None, reason="PostgreSQL's initdb is not installed"
)


class PostgresServer:
    """A throwaway PostgreSQL cluster in /tmp on its own port (trust auth on
    loopback), run as the postgres user when the tests run as root."""

    def __init__(self, start_port=55432, *, primary=None):
        self.port = free_port(start_port)
        self.dir = tempfile.mkdtemp(prefix="newsportal-pg-")
        self.data = os.path.join(self.dir, "data")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        if primary is None:
            self._run(_postgres_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust")
        else:  # a streaming replica of the running ``primary`` (standby.signal, -R)
            self._run(
                _postgres_bin("pg_basebackup"),
                *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
                *("-D", self.data, "-R", "-X", "stream", "-c", "fast"),
            )

    def replica(self, start_port):
        """A streaming replica of this (running) server, not started yet."""
        return PostgresServer(start_port, primary=self)

    def sql(self, query, database="newsportal"):
        """The first column of the first row ``query`` returns."""
        import psycopg2

        connection = psycopg2.connect(self.url(database))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchone()[0] if cursor.description else None
        finally:
            connection.close()

    def _run(self, *command):
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(  # noqa: S603
            command, check=True, capture_output=True, cwd=self.dir, env=real_clock_env()
        )

    def url(self, database="newsportal"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        log = os.path.join(self.dir, "server.log")
        self._run(_postgres_bin("pg_ctl"), "-D", self.data, "-o", options, "-l", log, "-w", "start")

    def stop(self):
        self._run(_postgres_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop")

    def create_database(self, name="newsportal"):
        import psycopg2

        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def cleanup(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)


def _moto_server():
    venv_bin = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv", "bin")
    return shutil.which("moto_server", path=venv_bin) or shutil.which("moto_server")


needs_s3_server = pytest.mark.skipif(
    _moto_server() is None, reason="moto_server (moto[server]) is not installed"
)


class S3Server:
    """A real S3-compatible server on loopback: moto in server mode, as its
    own process. It keeps its buckets in its memory, so ``pause`` (SIGSTOP:
    it accepts connections and answers nothing, like a hung server) and
    ``resume`` keep them; ``stop`` ends it and them."""

    def __init__(self, start_port=59000):
        self.port = free_port(start_port)
        self.process = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [_moto_server(), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_env(),
        )
        try:
            wait_for_port(self.port, timeout=30)
        except RuntimeError:
            self.process.kill()
            self.process.wait()
            raise

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106
            region_name="us-east-1",
        )

    def create_bucket(self, name):
        """A bucket whose objects anyone may read (as the media bucket is)."""
        import json

        client = self.client()
        client.create_bucket(Bucket=name)
        statement = {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{name}/*"],
        }
        policy = {"Version": "2012-10-17", "Statement": [statement]}
        client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))

    def keys(self, bucket, prefix=""):
        paginator = self.client().get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=bucket, Prefix=prefix)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()
            self.process = None
            wait_for_port(self.port, up=False)
