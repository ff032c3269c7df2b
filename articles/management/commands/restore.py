"""Restore a backup into a fresh database and media storage (articles/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Check an archive made by `backup` against its manifest, then restore its database "
        "into a fresh database and its files into the media storage."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the archive folder `backup` printed")
        parser.add_argument(
            "--database-url",
            help="restore into this database (created when missing; must have no tables) "
            "instead of DATABASE_URL's",
        )

    def handle(self, *, archive, database_url, **options):
        try:
            manifest = backup_restore(archive=archive, database_url=database_url)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["database"]["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows in {len(manifest['database']['rows'])} tables "
            f"and {len(manifest['media'])} media files from {archive}."
        )
