"""Send a digest run by hand: `manage.py send_digests --frequency daily`.

The scheduler runs the same as periodic tasks; running it again, or while a
worker runs it, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from subscriptions import services
from subscriptions.models import Subscriber


class Command(BaseCommand):
    help = "Send the latest daily or weekly digest, or pending breaking-news alerts (immediate)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=[value for value, _ in Subscriber.Frequency.choices],
        )

    def handle(self, *, frequency, **options):
        if frequency == Subscriber.Frequency.IMMEDIATE:
            sent = services.breaking_alerts_send()
        else:
            sent = services.digest_send(frequency=frequency)
        self.stdout.write(f"{sent} mail(s) sent.")
