"""Backups: the database (pg_dump -Fc) and the media files (through Django's
storage API, so the same for a folder or an S3 bucket) into one archive
folder with a manifest of checksums; and the restore of both into a fresh
database and a fresh media storage (`manage.py backup`, `manage.py restore`).

An archive folder holds:

    manifest.json     what is in it: sizes and SHA-256 of every file, the
                      row count of every table when it was taken
    database.dump     pg_dump's custom format (pg_restore reads it)
    media/<name>      each file of the media storage, under its own name

The row counts and the dump come from one snapshot of the database
(pg_export_snapshot, pg_dump --snapshot), so they agree however busy the
site is while it runs.
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import environ
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason."""


def backup_create(*, destination: Path, alias: str = "default") -> Path:
    """Dump the database ``alias`` and copy the media storage into a new
    folder under ``destination``; its path."""
    database = settings.DATABASES[alias]
    _require_postgresql(database)
    folder = Path(destination) / f"newsportal-{timezone.now():%Y%m%dT%H%M%S%fZ}"
    folder.mkdir(parents=True)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        rows = {table: _count(cursor, table) for table in _tables()}
        _pg("pg_dump", database, "-Fc", "--snapshot", snapshot, "-f", folder / DUMP)
    media = [_media_copy(name, folder / MEDIA) for name in _media_names("")]
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {**_digest(folder / DUMP), "file": DUMP, "rows": rows},
        "media": media,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return folder


def backup_verify(*, archive: Path) -> dict:
    """The archive's manifest once every file in it matches its checksum."""
    archive = Path(archive)
    try:
        manifest = json.loads((archive / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive}: no readable {MANIFEST} ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown archive format {manifest.get('format')!r}")
    files = [(DUMP, manifest["database"])]
    files += [(f"{MEDIA}/{_safe_name(entry['name'])}", entry) for entry in manifest["media"]]
    for name, entry in files:
        path = archive / name
        if not path.is_file():
            raise BackupError(f"{archive}: {name} is missing")
        if _digest(path)["sha256"] != entry["sha256"]:
            raise BackupError(f"{archive}: {name} does not match its checksum")
    return manifest


def backup_restore(*, archive: Path, database_url: str | None = None) -> dict:
    """Restore ``archive`` into a fresh (empty or missing) database, by
    default the site's own, and into the media storage; checked against the
    manifest's row counts and checksums. The manifest."""
    archive = Path(archive)
    manifest = backup_verify(archive=archive)
    database = (
        environ.Env.db_url_config(database_url) if database_url else settings.DATABASES["default"]
    )
    _require_postgresql(database)
    _database_create_empty(database)
    _pg("pg_restore", database, "--no-owner", "--no-privileges", "--exit-on-error", archive / DUMP)
    restored = _connect(database)
    try:
        with restored.cursor() as cursor:
            for table, expected in manifest["database"]["rows"].items():
                if (found := _count(cursor, table)) != expected:
                    raise BackupError(f"restored {table} has {found} rows, the backup {expected}")
    finally:
        restored.close()
    for entry in manifest["media"]:
        _media_restore(archive / MEDIA, entry)
    return manifest


def _require_postgresql(database):
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("backups need PostgreSQL (pg_dump); this database is not")


def _tables():
    """Every table of the installed apps (many-to-many tables too)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )


def _count(cursor, table):
    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (our own table names)
    return cursor.fetchone()[0]


def _pg(program, database, *args):
    """pg_dump or pg_restore on ``database`` (its connection settings as
    libpq's environment variables, the password never on the command line)."""
    env = {
        **os.environ,
        "PGHOST": database.get("HOST") or "localhost",
        "PGPORT": str(database.get("PORT") or 5432),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    if program == "pg_restore":
        args = ("-d", database["NAME"], *args)
    result = subprocess.run(  # noqa: S603
        [_pg_bin(program), *map(str, args)], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def _pg_bin(program):
    """The newest PostgreSQL's ``program`` (a pg_dump as new as the server)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    return found[-1] if found else shutil.which(program) or program


def _connect(database, name=None):
    import psycopg2

    connection = psycopg2.connect(
        host=database.get("HOST") or "localhost",
        port=database.get("PORT") or 5432,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        dbname=name or database["NAME"],
    )
    return connection


def _database_create_empty(database):
    """Create the target database if it is missing; refuse one with tables."""
    import psycopg2

    name = database["NAME"]
    try:
        connection = _connect(database)
    except psycopg2.OperationalError:
        server = _connect(database, name="postgres")
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        server.close()
        return
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        tables = cursor.fetchone()[0]
    connection.close()
    if tables:
        raise BackupError(f"the database {name} has {tables} tables: restore into a fresh one")


def _media_names(folder):
    """Every file name in the media storage under ``folder``."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += _media_names(f"{folder}{sub}/")
    return sorted(names)


def _media_copy(name, media):
    target = media / _safe_name(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
        shutil.copyfileobj(source, copy)
    return {"name": name, **_digest(target)}


def _media_restore(media, entry):
    name = _safe_name(entry["name"])
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(media / name, "rb") as source:
        saved = default_storage.save(name, File(source, name=PurePosixPath(name).name))
    if saved != name:
        raise BackupError(f"the media storage kept {name} as {saved}")
    with default_storage.open(name, "rb") as stored:
        if _digest(stored)["sha256"] != entry["sha256"]:
            raise BackupError(f"the media storage's {name} does not match its checksum")


def _safe_name(name):
    """A storage name that stays inside the archive's media folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"refusing the media name {name!r}")
    return str(path)


def _digest(source):
    """{"bytes", "sha256"} of a path or an open binary file."""
    digest, size = hashlib.sha256(), 0
    handle = open(source, "rb") if isinstance(source, Path) else source  # noqa: SIM115
    try:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    finally:
        if handle is not source:
            handle.close()
    return {"bytes": size, "sha256": digest.hexdigest()}
