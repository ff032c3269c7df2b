"""docker-compose.yml and the Dockerfile are checked by reading them: no Docker
engine runs here, so the same services are tested natively elsewhere."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_brings_up_web_postgres_and_redis():
    services = load_compose()["services"]
    assert {"web", "db", "redis", "migrate", "worker", "scheduler"} <= set(services)
    worker, scheduler = services["worker"], services["scheduler"]
    assert worker["command"][:4] == ["python", "manage.py", "keep_running", "db_worker"]
    assert scheduler["command"] == ["python", "manage.py", "keep_running", "run_scheduler"]
    assert worker["restart"] == scheduler["restart"] == "unless-stopped"
    assert services["worker"]["environment"] == services["web"]["environment"]
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
    for folder in ["newsportal", "articles", "partners", "subscriptions", "templates", "static"]:
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "collectstatic" in dockerfile and "USER newsportal" in dockerfile


def test_the_procfile_runs_the_web_server_worker_and_scheduler():
    processes = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert processes["web"].startswith("gunicorn newsportal.wsgi --bind $BIND")
    assert "do python manage.py keep_running db_worker" in processes["worker"]
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
