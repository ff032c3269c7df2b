"""Draw the raster publisher logo and default share pictures (articles/branding.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.branding import brand_images_draw


class Command(BaseCommand):
    help = "Draw static/img/logo.png and the share pictures with the agency's name."

    def add_arguments(self, parser):
        parser.add_argument(
            "--folder",
            type=Path,
            default=Path(settings.BASE_DIR) / "static",
            help="Static files folder to write into (default: the project's static/).",
        )

    def handle(self, *args, folder, **options):
        for path in brand_images_draw(folder=folder, name=settings.AGENCY_NAME):
            self.stdout.write(f"wrote {path}")
