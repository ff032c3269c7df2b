"""The production topology on this machine, natively: `make stack` and
`make stack-stop`.

    python deploy/stack.py start   # nginx (TLS) + 2 gunicorns + task worker + scheduler
    python deploy/stack.py stop    # stops exactly what start started

Everything it starts runs in its own session, its pid in STACK_DIR/pids/, its
log in STACK_DIR/logs/; nginx runs from deploy/nginx.conf filled in here,
with a self-signed certificate made on first start. The app servers, worker
and scheduler are the Procfile's `web`, `worker` and `scheduler` lines (the
same commands as `make serve`). PostgreSQL is a primary and a streaming
replica of the stack's own (initdb, pg_basebackup -R) under STACK_DIR, or
the database STACK_DATABASE_URL names; Redis is the machine's
(STACK_CACHE_URL); the database is created if missing.
`start` again starts only what is not running.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")


def config(environ=None):
    """What runs where, from ``environ`` (the process's environment by default)."""
    env = (os.environ if environ is None else environ).get
    stack_dir = Path(env("STACK_DIR", ROOT / ".stack")).resolve()
    https_port = int(env("STACK_HTTPS_PORT", "8443"))
    site = f"https://127.0.0.1:{https_port}"
    return {
        "dir": stack_dir,
        "http_port": int(env("STACK_HTTP_PORT", "8080")),
        "https_port": https_port,
        "app_ports": [int(p) for p in env("STACK_APP_PORTS", "9201,9202").split(",")],
        "micro_cache_seconds": int(env("STACK_MICRO_CACHE_SECONDS", "5")),
        "s3_port": int(env("STACK_S3_PORT", "9205")),
        "site": site,
        "postgres": postgres_config(stack_dir),
        "app_env": {
            **database_env(),
            "CACHE_URL": env("STACK_CACHE_URL", "redis://127.0.0.1:6379/14"),
            "SECRET_KEY": env("SECRET_KEY", f"local-stack-{socket.gethostname()}-not-for-use"),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": site,
            # TLS ends at nginx; it sets X-Forwarded-Proto and X-Real-IP anew
            # on every request, and only it can reach the app servers.
            "SECURE_PROXY_SSL_HEADER": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_COOKIES": "true",
            "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
            # nginx serves static files, and media from the bucket.
            "SERVE_MEDIA": "false",
            "WEB_CONCURRENCY": env("WEB_CONCURRENCY", "2"),
            "LOG_LEVEL": env("LOG_LEVEL", "INFO"),
            "LOG_FORMAT": "json",
            **media_env(int(env("STACK_S3_PORT", "9205"))),
            **queue_env(
                env("STACK_CACHE_URL", "redis://127.0.0.1:6379/14"), env("STACK_TASKS_REDIS_URL")
            ),
        },
    }


# PostgreSQL: a primary and its streaming replica of the stack's own, in
# STACK_DIR/postgres, on STACK_PG_PORT and STACK_PG_REPLICA_PORT (the
# machine's server is left alone). STACK_DATABASE_URL names an existing
# database instead (no replica then).
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_SERVERS = ("postgres-primary", "postgres-replica")


def postgres_config(stack_dir):
    if os.environ.get("STACK_DATABASE_URL"):
        return None
    return {
        "dir": stack_dir / "postgres",
        "postgres-primary": int(os.environ.get("STACK_PG_PORT", "9203")),
        "postgres-replica": int(os.environ.get("STACK_PG_REPLICA_PORT", "9204")),
    }


def database_env():
    if url := os.environ.get("STACK_DATABASE_URL"):
        return {"DATABASE_URL": url, "DATABASE_REPLICA_URL": ""}
    primary = os.environ.get("STACK_PG_PORT", "9203")
    replica = os.environ.get("STACK_PG_REPLICA_PORT", "9204")
    return {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary}/newsportal",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica}/newsportal",
        # Checked every 2 s per app process; past 10 s behind, reads go to
        # the primary.
        "REPLICA_CHECK_SECONDS": os.environ.get("REPLICA_CHECK_SECONDS", "2"),
        "REPLICA_MAX_LAG_SECONDS": os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"),
    }


def as_postgres(command):
    """``command`` as the postgres user when run as root (PostgreSQL refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def postgres_env():
    """The environment without libfaketime: the servers keep the real clock."""
    faked = ("LD_PRELOAD", "FAKETIME", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC")
    return {name: value for name, value in os.environ.items() if name not in faked}


def postgres_run(*command):
    command = as_postgres([str(part) for part in command])
    subprocess.run(command, check=True, capture_output=True, env=postgres_env())  # noqa: S603


def postgres_start(cfg):
    """initdb the primary and pg_basebackup -R the replica on first start,
    then run each postgres that is not running; wait until both answer."""
    pg = cfg["postgres"]
    if pg is None:
        return
    pg["dir"].mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(pg["dir"], "postgres", "postgres")
    primary, replica = (pg["dir"] / name for name in PG_SERVERS)
    if not primary.exists():
        postgres_run(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust")
    postgres_launch(cfg, "postgres-primary")
    postgres_wait(pg["postgres-primary"])
    if not replica.exists():
        postgres_run(
            PG_BIN / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", pg["postgres-primary"], "-U", "postgres"),
            *("-D", replica, "-R", "-X", "stream", "-c", "fast"),
        )
    postgres_launch(cfg, "postgres-replica")
    postgres_wait(pg["postgres-replica"])


def postgres_launch(cfg, name):
    pg = cfg["postgres"]
    command = as_postgres(
        [str(PG_BIN / "postgres"), "-D", str(pg["dir"] / name), "-p", str(pg[name])]
        + ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
    )
    launch(cfg, name, "exec " + " ".join(command), postgres_env())


def postgres_wait(port, timeout=60.0):
    """Until the server on ``port`` accepts connections (not just the port:
    a starting server refuses them)."""
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(f"postgres://postgres@127.0.0.1:{port}/postgres").close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise SystemExit(f"PostgreSQL on {port} does not answer: see the logs") from None
            time.sleep(0.2)


def postgres_stop(cfg, names=PG_SERVERS):
    """pg_ctl stop -m fast: clients are disconnected, nothing is lost."""
    if cfg["postgres"] is None:
        return
    for name in reversed(names):
        pid_file = cfg["dir"] / "pids" / f"{name}.pid"
        if running(pid_file):
            postgres_run(
                PG_BIN / "pg_ctl", "-D", cfg["postgres"]["dir"] / name, "-m", "fast", "-w", "stop"
            )
        pid_file.unlink(missing_ok=True)


def queue_env(cache_url, queue_url=None):
    """The task queue: django-tasks on RQ, by default in the next Redis
    database after the cache's (a cache flush must not empty the queue); the
    Procfile's worker (`manage.py task_worker`) is then RQ's worker."""
    if not queue_url:
        parts = urlsplit(cache_url)
        database = int(parts.path.lstrip("/") or 0) + 1
        queue_url = parts._replace(path=f"/{database}").geturl()
    return {"TASKS_BACKEND": "django_tasks_rq.RQBackend", "TASKS_REDIS_URL": queue_url}


def media_env(s3_port):
    """Media in a bucket of the stack's S3 server (moto in server mode, as
    MinIO is in docker-compose.yml); nginx passes /media/ to the bucket."""
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "newsportal-media",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_ACCESS_KEY_ID": "stack",
        "AWS_SECRET_ACCESS_KEY": "stack-not-a-secret",
        "MEDIA_URL": "/media/",
    }


def media_start(cfg, env):
    """The S3 server first: migrations and the demo content store photos."""
    launch(cfg, "s3", f"exec {BIN}/moto_server -H 127.0.0.1 -p {cfg['s3_port']}", env)
    wait_for_port(cfg["s3_port"])
    manage(cfg, "media_bucket", "--verbosity", "0")


def procfile():
    """The Procfile's commands by name: the one definition of each process."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def app_environment(cfg):
    env = {**os.environ, **cfg["app_env"], "PATH": f"{BIN}:{os.environ['PATH']}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(cfg, *args):
    command = [BIN / "python", "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=app_environment(cfg), check=True)  # noqa: S603


def database_ensure(url):
    """Create the stack's PostgreSQL database when it is not there yet."""
    if not url.startswith("postgres"):
        return
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def certificate_ensure(tls):
    """A self-signed example certificate for 127.0.0.1 and localhost."""
    if (tls / "cert.pem").exists():
        return
    tls.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365"]  # noqa: S607
        + ["-keyout", tls / "key.pem", "-out", tls / "cert.pem", "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    (tls / "key.pem").chmod(0o600)


def nginx_config(cfg):
    """deploy/nginx.conf with every @NAME@ filled in."""
    upstreams = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in cfg["app_ports"]
    )
    values = {
        "STACK_DIR": str(cfg["dir"]),
        "HTTP_LISTEN": f"127.0.0.1:{cfg['http_port']}",
        "HTTPS_LISTEN": f"127.0.0.1:{cfg['https_port']}",
        "HTTPS_URL": f"https://$host:{cfg['https_port']}",
        "UPSTREAMS": upstreams,
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "MEDIA_UPSTREAM": f"127.0.0.1:{cfg['s3_port']}",
        "MEDIA_BUCKET": cfg["app_env"]["AWS_STORAGE_BUCKET_NAME"],
        "MIME_TYPES": "/etc/nginx/mime.types",
        "MICRO_CACHE_SECONDS": str(cfg["micro_cache_seconds"]),
        **brotli_config(),
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    code = "\n".join(line.split("#")[0] for line in text.splitlines())
    if leftover := [word for word in code.split() if word.startswith("@")]:
        raise SystemExit(f"deploy/nginx.conf: nothing fills {leftover}")
    return text


BROTLI_MODULE = os.environ.get(
    "NGINX_BROTLI_MODULE", "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"
)
BROTLI_TYPES = (
    "text/css text/plain text/xml application/xml application/json application/rss+xml "
    "application/atom+xml application/javascript text/javascript image/svg+xml"
)


def brotli_config():
    """Brotli for what nginx compresses itself, when Debian's module is
    installed (HTML from the app's page cache comes gzipped already)."""
    if not os.path.exists(BROTLI_MODULE):
        return {"BROTLI_MODULE": "", "BROTLI": ""}
    return {
        "BROTLI_MODULE": f"load_module {BROTLI_MODULE};",
        "BROTLI": f"brotli on; brotli_comp_level 5; brotli_min_length 512; "
        f"brotli_types {BROTLI_TYPES};",
    }


def running(pid_file):
    """The pid in ``pid_file`` while its process group (the session start
    made for it) still has a process in it."""
    try:
        pid = int(pid_file.read_text())
    except (FileNotFoundError, ValueError):
        return None
    return pid if group_alive(pid) else None


def launch(cfg, name, command, env):
    pid_file = cfg["dir"] / "pids" / f"{name}.pid"
    if running(pid_file):
        return False
    log = open(cfg["dir"] / "logs" / f"{name}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        ["sh", "-c", command],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole
    )
    pid_file.write_text(str(process.pid))
    return True


def metrics_env(cfg, name):
    """An app server's gunicorn workers add up their metrics in a folder of
    its own (prometheus_client's multiprocess mode), emptied when it starts."""
    folder = cfg["dir"] / "metrics" / name
    if not running(cfg["dir"] / "pids" / f"{name}.pid"):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    return {"PROMETHEUS_MULTIPROC_DIR": str(folder)}


def wait_for_port(port, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port} after {timeout:.0f} s: see the logs")


def start(cfg):
    for folder in ("pids", "logs", "nginx", "tls"):
        (cfg["dir"] / folder).mkdir(parents=True, exist_ok=True)
    env = app_environment(cfg)
    postgres_start(cfg)
    database_ensure(cfg["app_env"]["DATABASE_URL"])
    media_start(cfg, env)
    manage(cfg, "migrate", "--noinput", "--verbosity", "0")
    manage(cfg, "collectstatic", "--noinput", "--verbosity", "0")
    manage(cfg, "load_demo")
    if os.environ.get("STACK_ENSURE_ADMIN", "true") != "false":  # the tests' stacks: not
        manage(cfg, "ensure_admin", "--url", f"{cfg['site']}/admin/")
    commands = procfile()
    for number, port in enumerate(cfg["app_ports"], start=1):
        name = f"web{number}"
        web_env = {**env, "BIND": f"127.0.0.1:{port}", **metrics_env(cfg, name)}
        launch(cfg, name, commands["web"], web_env)
    launch(cfg, "worker", commands["worker"], env)
    launch(cfg, "scheduler", commands["scheduler"], env)
    for port in cfg["app_ports"]:
        wait_for_port(port)
    certificate_ensure(cfg["dir"] / "tls")
    conf = cfg["dir"] / "nginx.conf"
    conf.write_text(nginx_config(cfg))
    prefix = ["-p", f"{cfg['dir']}/nginx/", "-e", f"{cfg['dir']}/logs/nginx-error.log"]
    subprocess.run([NGINX, *prefix, "-t", "-q", "-c", conf], check=True)  # noqa: S603
    if not launch(cfg, "nginx", f"exec {NGINX} {' '.join(prefix)} -c {conf}", os.environ.copy()):
        os.kill(running(cfg["dir"] / "pids" / "nginx.pid"), signal.SIGHUP)  # reload its config
    wait_for_port(cfg["https_port"])
    wait_for_port(cfg["http_port"])
    media = cfg["app_env"]
    print(f"""
The stack runs (logs and pids in {cfg["dir"]}):
  nginx        {cfg["site"]}/  (TLS, self-signed: {cfg["dir"]}/tls/cert.pem)
               http://127.0.0.1:{cfg["http_port"]}/ redirects to it
  gunicorn     {", ".join(f"127.0.0.1:{p}" for p in cfg["app_ports"])} (behind nginx)
  task worker  RQ on {media["TASKS_REDIS_URL"]}, scheduler: run_scheduler
  metrics      {", ".join(f"http://127.0.0.1:{p}/metrics" for p in cfg["app_ports"])}
  S3 (moto)    {media["AWS_S3_ENDPOINT_URL"]}, bucket {media["AWS_STORAGE_BUCKET_NAME"]}
               (served at {cfg["site"]}/media/)
  PostgreSQL   {cfg["app_env"]["DATABASE_URL"]}
  replica      {cfg["app_env"]["DATABASE_REPLICA_URL"] or "none"}
  Redis        {cfg["app_env"]["CACHE_URL"]}
Stop it all: make stack-stop""")


def stop(cfg):
    """Stop every process group start started (SIGTERM, then SIGKILL)."""
    pids = {}
    for pid_file in sorted((cfg["dir"] / "pids").glob("*.pid")):
        if pid_file.stem in PG_SERVERS:
            continue  # after the app servers, below
        if pid := running(pid_file):
            os.killpg(pid, signal.SIGTERM)
            pids[pid_file] = pid
        else:
            pid_file.unlink()
    deadline = time.monotonic() + 20
    while pids and time.monotonic() < deadline:
        time.sleep(0.2)
        for pid_file, pid in list(pids.items()):
            if not group_alive(pid):
                pid_file.unlink()
                del pids[pid_file]
    for pid_file, pid in pids.items():
        os.killpg(pid, signal.SIGKILL)
        pid_file.unlink()
    postgres_stop(cfg)
    print("stack stopped")


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action not in ("start", "stop"):
        raise SystemExit("usage: stack.py start|stop")
    (start if action == "start" else stop)(config())
