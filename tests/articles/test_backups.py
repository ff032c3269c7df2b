"""`manage.py backup` and `manage.py restore` (articles/backups.py): the
database and the media files round-tripped into a fresh PostgreSQL server
(started here, on a port of its own) and a fresh media folder, compared by
row counts and checksums; damaged archives and busy targets refused."""

import hashlib
import json
import os
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from articles.backups import _tables
from partners.services import api_key_issue
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory, default_content_restore
from tests.servers import PostgresServer, S3Server, needs_postgres_server, needs_s3_server

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are of PostgreSQL (pg_dump)"
)
pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def content(media):
    """Articles with photos and tags, a partner with a key, a file in a
    folder of its own: rows in many tables and files in several folders."""
    default_content_restore()
    for n in range(3):
        article = ArticleFactory(main_image=ImageFactory(), slug=f"backed-up-{n}")
        article.tags.add("economy", f"tag-{n}")
    api_key_issue(partner=PartnerFactory(), name="backed up", expiry_date=None)
    default_storage.save("documents/price list 2026.txt", ContentFile(b"a" * 100_000))


@pytest.fixture
def fresh_server():
    server = PostgresServer(start_port=9520)
    server.start()
    yield server
    server.cleanup()


def backup(tmp_path):
    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "archives"), stdout=out)
    return Path(out.getvalue().strip())


def files_under(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(root).rglob("*")
        if path.is_file()
    }


def row_counts(cursor):
    counts = {}
    for table in _tables():
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


@on_postgresql
@needs_postgres_server
def test_backup_and_restore_round_trip_rows_and_files(
    content, media, tmp_path, fresh_server, settings
):
    archive = backup(tmp_path)
    manifest = json.loads((archive / "manifest.json").read_text())
    with connection.cursor() as cursor:
        source_rows = row_counts(cursor)
    source_files = files_under(media)
    assert manifest["database"]["rows"] == source_rows
    assert source_rows["articles_article"] == 3 and source_rows["taggit_tag"] == 4
    assert {entry["name"]: entry["sha256"] for entry in manifest["media"]} == source_files
    assert "documents/price list 2026.txt" in source_files and len(source_files) >= 4

    restored_media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = str(restored_media)  # a fresh media location
    out = StringIO()
    url = fresh_server.url("newsportal_restored")
    call_command("restore", str(archive), "--database-url", url, stdout=out)
    assert f"and {len(source_files)} media files" in out.getvalue()

    restored = psycopg2.connect(url)
    with restored.cursor() as cursor:
        assert row_counts(cursor) == source_rows
        cursor.execute("SELECT slug FROM articles_article ORDER BY slug")
        assert [row[0] for row in cursor.fetchall()] == [
            "backed-up-0",
            "backed-up-1",
            "backed-up-2",
        ]
    restored.close()
    assert files_under(restored_media) == source_files


@on_postgresql
@needs_postgres_server
def test_a_damaged_archive_is_refused_before_anything_is_restored(content, tmp_path, fresh_server):
    archive = backup(tmp_path)
    photo = next(path for path in (archive / "media").rglob("*") if path.is_file())
    photo.write_bytes(photo.read_bytes()[:-1] + b"!")
    url = fresh_server.url("newsportal_restored")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(archive), "--database-url", url)
    names = fresh_server.sql("SELECT string_agg(datname, ',') FROM pg_database", "postgres")
    assert "newsportal_restored" not in names

    (archive / "database.dump").unlink()
    with pytest.raises(CommandError, match="database.dump is missing"):
        call_command("restore", str(archive), "--database-url", url)


@on_postgresql
@needs_postgres_server
def test_restore_refuses_a_database_that_has_tables(content, tmp_path, fresh_server):
    archive = backup(tmp_path)
    fresh_server.create_database("busy")
    fresh_server.sql("CREATE TABLE kept (id int)", "busy")
    with pytest.raises(CommandError, match="has 1 tables: restore into a fresh one"):
        call_command("restore", str(archive), "--database-url", fresh_server.url("busy"))
    assert fresh_server.sql("SELECT count(*) FROM kept", "busy") == 0


@on_postgresql
def test_a_manifest_naming_files_outside_the_archive_is_refused(content, tmp_path):
    archive = backup(tmp_path)
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["media"][0]["name"] = "../../etc/passwd"
    (archive / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="refusing the media name"):
        call_command("restore", str(archive), "--database-url", "postgres://127.0.0.1:1/none")


def test_an_archive_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no readable manifest.json"):
        call_command("restore", str(tmp_path))


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_backup_on_sqlite_says_it_needs_postgresql(tmp_path):
    with pytest.raises(CommandError, match="backups need PostgreSQL"):
        call_command("backup", "--output", str(tmp_path))
    assert not os.listdir(tmp_path)


def bucket_files(server, bucket):
    """Every object in ``bucket`` by name, with its SHA-256."""
    client = server.client()
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"]] = hashlib.sha256(body).hexdigest()
    return found


@on_postgresql
@needs_postgres_server
@needs_s3_server
def test_backup_and_restore_round_trip_the_media_bucket(tmp_path, fresh_server, settings):
    """Media in an S3 bucket (as in the deployment), on a real S3 server
    process: backed up through the storage API and restored into a fresh
    bucket, object for object."""
    from tests.test_media_storage import s3_storages

    server = S3Server(start_port=9590)
    server.start()
    try:
        server.create_bucket("media")
        settings.STORAGES = s3_storages(settings, server.endpoint, "media")
        default_content_restore()
        ArticleFactory(main_image=ImageFactory(), slug="backed-up-from-a-bucket")
        default_storage.save("documents/price list 2026.txt", ContentFile(b"b" * 50_000))
        source_files = bucket_files(server, "media")
        assert "documents/price list 2026.txt" in source_files and len(source_files) >= 2

        archive = backup(tmp_path)
        server.create_bucket("restored")
        settings.STORAGES = s3_storages(settings, server.endpoint, "restored")
        call_command("restore", str(archive), "--database-url", fresh_server.url("from_bucket"))
        assert bucket_files(server, "restored") == source_files
        assert fresh_server.sql("SELECT count(*) FROM articles_article", "from_bucket") == 1
    finally:
        server.stop()
