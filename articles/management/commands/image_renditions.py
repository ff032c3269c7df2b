"""Make the renditions that are missing or out of date: for images stored
before renditions existed, after renditions.VERSION changed, or when no task
worker was running when photos were uploaded."""

import time

from django.core.management.base import BaseCommand

from articles.models import Image
from articles.renditions import image_renditions_generate


class Command(BaseCommand):
    help = "Make missing or out-of-date image renditions (here, not in a task worker)."

    def handle(self, **options):
        started, made, failed = time.monotonic(), 0, 0
        for image in Image.objects.order_by("pk").iterator():
            try:
                made += image_renditions_generate(image=image)
            except (OSError, ValueError) as error:  # a missing or unreadable original
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Made renditions of {made} image(s) in {seconds:.1f} s; {failed} failed."
        )
