"""Background tasks of the partners app (Django's tasks API)."""

from django_tasks import task

from . import services
from .models import PartnerFeed


@task()
def partner_feeds_import() -> dict:
    """Import the partner feeds that are due; run every minute by the
    scheduler (settings.PERIODIC_TASKS). Returns the runs' outcomes."""
    runs = services.partner_feeds_import()
    return {
        "runs": [{"feed": run.feed_id, "status": run.status, "new": run.items_new} for run in runs]
    }


@task()
def api_key_uses_flush() -> int:
    """Add the API requests counted in the cache to the keys' rows; run
    every minute by the scheduler."""
    return services.api_key_uses_flush()


@task()
def partner_feed_import(feed_id: int) -> dict:
    """Import one feed now (the admin's "Import now")."""
    feed = PartnerFeed.objects.select_related("partner").get(pk=feed_id)
    run = services.partner_feed_import(feed=feed)
    return {"feed": run.feed_id, "status": run.status, "new": run.items_new}


@task()
def webhook_deliver(delivery_pk: int) -> str:
    """Make the first attempt at a webhook delivery; returns its status."""
    return services.webhook_delivery_send(delivery_pk=delivery_pk)


@task()
def webhook_deliveries_retry() -> dict:
    """Send the webhook deliveries that are due again; run every minute by
    the scheduler (settings.PERIODIC_TASKS)."""
    return services.webhook_deliveries_due_send()


@task()
def websub_hub_notify(urls: list[str]) -> dict:
    """Tell the WebSub hub that these feeds changed."""
    return {"errors": services.websub_hub_notify(urls=urls)}
