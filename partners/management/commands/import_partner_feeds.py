"""Import partner feeds now, in this process (no worker needed)."""

from django.core.management.base import BaseCommand

from partners.models import PartnerFeed
from partners.services import partner_feed_import, partner_feeds_import


class Command(BaseCommand):
    help = "Import the partner feeds that are due (or all active ones with --all) and report."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every active feed, due or not")

    def handle(self, *, all, **options):
        if all:
            feeds = PartnerFeed.objects.filter(is_active=True, partner__is_active=True)
            runs = [partner_feed_import(feed=feed) for feed in feeds.select_related("partner")]
        else:
            runs = partner_feeds_import()
        for run in runs:
            self.stdout.write(
                f"{run.feed.url}: {run.status}, {run.items_new} new, {run.items_updated} "
                f"updated, {run.items_failed} failed"
                + (f" ({run.error.splitlines()[0]})" if run.error else "")
            )
        if not runs:
            self.stdout.write("No feed to import.")
