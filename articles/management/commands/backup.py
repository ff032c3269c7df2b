"""Back the site up: the database and the media files (articles/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump -Fc) and copy the media storage into a new archive "
        "folder with a manifest of checksums; print its path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="the folder to make the archive in (default: BACKUP_DIR)",
        )

    def handle(self, *, output, **options):
        try:
            archive = backup_create(destination=output or Path(settings.BACKUP_DIR))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(archive))
