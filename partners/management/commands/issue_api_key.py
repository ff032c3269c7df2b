"""Issue an API key to a partner and print it, once: it is stored hashed."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners.models import Partner
from partners.services import api_key_issue


class Command(BaseCommand):
    help = "Issue a new API key to the partner with this slug and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("partner_slug")
        parser.add_argument("--name", default="", help="what the key is for (default: the date)")
        parser.add_argument("--days", type=int, help="expire after this many days")

    def handle(self, *, partner_slug, name, days, **options):
        try:
            partner = Partner.objects.get(slug=partner_slug)
        except Partner.DoesNotExist:
            raise CommandError(f"No partner with the slug {partner_slug!r}.") from None
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        now = timezone.now()
        api_key, key = api_key_issue(
            partner=partner,
            name=(name or f"Issued {now:%Y-%m-%d}")[:50],
            expiry_date=now + timedelta(days=days) if days else None,
        )
        self.stderr.write(
            f"API key {api_key.prefix} for {partner.name}. Store it now: it cannot be shown again."
        )
        self.stdout.write(key)
