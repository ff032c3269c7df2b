"""docker-compose.yml and the Dockerfile are checked by reading them: no Docker
engine runs here, so the same services are tested natively elsewhere."""

import importlib.util
import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_brings_up_web_postgres_and_redis():
    services = load_compose()["services"]
    assert {"web", "db", "redis", "migrate", "worker", "scheduler"} <= set(services)
    worker, scheduler = services["worker"], services["scheduler"]
    assert worker["command"] == ["python", "manage.py", "task_worker"]
    assert scheduler["command"] == ["python", "manage.py", "keep_running", "run_scheduler"]
    assert worker["restart"] == scheduler["restart"] == "unless-stopped"
    assert services["worker"]["environment"] == services["web"]["environment"]
    # The queue: RQ in a Redis of its own that keeps its jobs across a restart.
    env = services["web"]["environment"]
    assert env["TASKS_BACKEND"] == "django_tasks_rq.RQBackend"
    assert env["TASKS_REDIS_URL"] == "redis://queue:6379/0"
    assert "--appendonly" in services["queue"]["command"]
    assert services["worker"]["depends_on"]["queue"]["condition"] == "service_healthy"
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:")
    web = services["web"]
    assert web["build"] == "."
    env = web["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379")
    assert env["DEBUG"] == "false"
    assert "SECRET_KEY" in env
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_environment_variable_is_one_the_settings_read():
    settings_source = (ROOT / "newsportal" / "settings.py").read_text()
    for name in load_compose()["services"]["web"]["environment"]:
        assert f'"{name}"' in settings_source, name


def test_dockerfile_serves_with_gunicorn_and_copies_every_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert '"gunicorn", "newsportal.wsgi"' in dockerfile
    # Every installed app of ours (a folder here), the templates, the
    # catalogs of the editions' languages and the CSS.
    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS}
    ours = sorted(app for app in apps if (ROOT / app / "__init__.py").exists())
    assert {"newsportal", "articles", "partners", "subscriptions", "demo"} <= set(ours)
    catalogs = [str(Path(path).relative_to(ROOT)) for path in settings.LOCALE_PATHS]
    for folder in [*ours, *catalogs, "templates", "static"]:
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "collectstatic" in dockerfile and "USER newsportal" in dockerfile


def test_the_procfile_runs_the_web_server_worker_and_scheduler():
    processes = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert processes["web"].startswith("gunicorn newsportal.wsgi --bind $BIND")
    assert "do python manage.py task_worker;" in processes["worker"]
    assert "do python manage.py keep_running run_scheduler;" in processes["scheduler"]


def test_mail_links_point_at_the_address_make_run_and_make_serve_listen_on():
    import subprocess

    for target in ("run", "serve"):
        dry_run = subprocess.run(  # noqa: S603
            ["make", "-n", "-C", str(ROOT), target, "HOST=127.0.0.2", "PORT=8101"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "SITE_URL=${SITE_URL:-http://127.0.0.2:8101}" in dry_run, target


def compose_nginx_config():
    """deploy/nginx.conf filled in the way the compose nginx service's command
    fills it (its sed expressions, with Compose's $$ read as $)."""
    command = load_compose()["services"]["nginx"]["command"][-1].replace("$$", "$")
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in re.findall(r"-e 's\|@(\w+)@\|([^|]*)\|g'", command):
        text = text.replace(f"@{name}@", value)
    return text


def placeholders(text):
    code = "\n".join(line.split("#")[0] for line in text.splitlines())
    return set(re.findall(r"@(\w+)@", code))


def test_compose_puts_nginx_in_front_of_web_as_make_stack_does():
    services = load_compose()["services"]
    nginx, web = services["nginx"], services["web"]
    assert "./deploy/nginx.conf:/deploy/nginx.conf:ro" in nginx["volumes"]
    assert placeholders((ROOT / "deploy" / "nginx.conf").read_text())  # it is a template
    config = compose_nginx_config()
    assert placeholders(config) == set()  # the command fills every one
    assert "server web:8000 " in config  # the port the image's gunicorn binds
    assert '"--bind", "0.0.0.0:8000"' in (ROOT / "Dockerfile").read_text()
    listens = re.findall(r"listen (\d+)", config)
    assert sorted(port.split(":")[1] for port in nginx["ports"]) == sorted(listens)
    assert "return 301 https://$host$request_uri;" in config
    assert "ports" not in web  # only nginx reaches the app servers
    static = next(v for v in web["volumes"] if v.startswith("static:"))
    assert static == "static:/app/staticfiles"  # STATIC_ROOT in the image
    assert "static:/srv/static:ro" in nginx["volumes"] and "alias /srv/static/" in config
    # Media from the MinIO bucket the app stores them in.
    env = web["environment"]
    assert env["MEDIA_STORAGE"] == "s3" and env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    assert f"proxy_pass http://minio:9000/{bucket}/;" in config
    assert services["minio"]["image"].startswith("minio/minio:")
    assert "media_bucket" in services["migrate"]["command"][-1]
    assert not any("media" in volume for volume in web.get("volumes", []))


def test_the_app_behind_nginx_trusts_what_nginx_sets_in_compose_and_make_stack():
    spec = importlib.util.spec_from_file_location("deploy_stack", ROOT / "deploy" / "stack.py")
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    native = stack.config()["app_env"]
    env = load_compose()["services"]["web"]["environment"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for name in (
        "SECURE_PROXY_SSL_HEADER",
        "RATELIMIT_IP_META_KEY",
        "SERVE_MEDIA",
        "MEDIA_STORAGE",
        "AWS_STORAGE_BUCKET_NAME",
    ):
        assert env[name] == native[name], name
    assert env["RATELIMIT_IP_META_KEY"] == "HTTP_X_REAL_IP"
    assert "proxy_set_header X-Real-IP $remote_addr;" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    settings_source = (ROOT / "newsportal" / "settings.py").read_text()
    procfile = (ROOT / "Procfile").read_text()
    for name in native:  # read by the settings, or by the Procfile's commands
        assert f'"{name}"' in settings_source or f"${{{name}" in procfile, name
    assert stack.nginx_config(stack.config()).count("server 127.0.0.1:") == 2


def test_compose_runs_a_streaming_replica_that_the_app_reads_from():
    services = load_compose()["services"]
    db, replica = services["db"], services["db-replica"]
    assert replica["image"] == db["image"]  # the same major version: physical replication
    command = replica["command"][-1]
    assert "pg_basebackup -h db -U newsportal" in command and " -R " in command
    assert "exec postgres" in command and "hot_standby=on" in command
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(v.startswith("pgreplica:") for v in replica["volumes"])
    assert "pgreplica" in load_compose()["volumes"]
    # The primary lets the replica's user stream from the network.
    init = next(v for v in db["volumes"] if "docker-entrypoint-initdb.d" in v)
    script = (ROOT / init.split(":")[0]).read_text()
    assert "host replication ${POSTGRES_USER} all scram-sha-256" in script
    assert replica["environment"]["PGPASSWORD"] == "${POSTGRES_PASSWORD:-newsportal}"
    env = services["web"]["environment"]
    assert env["DATABASE_REPLICA_URL"] == env["DATABASE_URL"].replace("@db:", "@db-replica:")
    # Nothing waits for the replica: reads fall back to the primary without it.
    assert "db-replica" not in services["web"]["depends_on"]
    assert services["worker"]["environment"] == env


def test_make_stack_runs_its_own_primary_and_replica_unless_told_a_database(monkeypatch):
    spec = importlib.util.spec_from_file_location("deploy_stack", ROOT / "deploy" / "stack.py")
    stack = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stack)
    monkeypatch.delenv("STACK_DATABASE_URL", raising=False)
    monkeypatch.setenv("STACK_PG_PORT", "9301")
    monkeypatch.setenv("STACK_PG_REPLICA_PORT", "9302")
    cfg = stack.config()
    assert cfg["app_env"]["DATABASE_URL"] == "postgres://postgres@127.0.0.1:9301/newsportal"
    assert cfg["app_env"]["DATABASE_REPLICA_URL"].endswith("@127.0.0.1:9302/newsportal")
    assert cfg["postgres"]["dir"] == cfg["dir"] / "postgres"  # the stack's throwaway folder
    monkeypatch.setenv("STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elsewhere")
    cfg = stack.config()
    assert cfg["postgres"] is None and cfg["app_env"]["DATABASE_REPLICA_URL"] == ""
