"""Import partner feeds now, in this process (no worker needed).

Every feed is tried, whatever happens to the others; each run is recorded.
The exit status is 0 when every feed was tried, even if some failed (their
runs say why), so a scheduler does not retry the lot for one partner's
broken feed. With --fail-on-error it is 1 when any run failed, for
monitoring that wants to hear about it.
"""

from django.core.management.base import BaseCommand, CommandError

from partners.models import FeedRun
from partners.selectors import partner_feed_active_list
from partners.services import partner_feed_import, partner_feeds_import


class Command(BaseCommand):
    help = "Import the partner feeds that are due (or all active ones with --all) and report."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every active feed, due or not")
        parser.add_argument(
            "--fail-on-error",
            action="store_true",
            help="exit with status 1 if any feed's run failed (all are still tried)",
        )

    def handle(self, *, all, fail_on_error, **options):
        if all:
            runs = [partner_feed_import(feed=feed) for feed in partner_feed_active_list()]
        else:
            runs = partner_feeds_import()
        for run in runs:
            self.stdout.write(
                f"{run.feed.url}: {run.status}, {run.items_new} new, {run.items_updated} "
                f"updated, {run.items_skipped} skipped, {run.items_failed} failed"
                + (f" ({run.error.splitlines()[0]})" if run.error else "")
            )
        if not runs:
            self.stdout.write("No feed to import.")
        failed = sum(run.status == FeedRun.Status.FAILED for run in runs)
        if fail_on_error and failed:
            raise CommandError(f"{failed} of {len(runs)} feed(s) failed", returncode=1)
