"""Pushes to partners: a change of the news becomes a webhook delivery per
partner (and a WebSub ping), sent by tasks (partners/tasks.py). Called by
the receivers of the articles app's announcements and by the admin."""

import json
import logging
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from articles.models import Article
from editions.selectors import edition_get, edition_url

from .models import WebhookDelivery
from .selectors import article_syndication_list, webhook_list_for
from .syndication import article_ninjs
from .tasks import webhook_deliver, websub_hub_notify

logger = logging.getLogger(__name__)


class _SiteRequest:
    """What article_ninjs needs of a request, outside any: absolute links
    on SITE_URL (workers and commit hooks have no request)."""

    @staticmethod
    def build_absolute_uri(location: str) -> str:
        return urljoin(settings.SITE_URL.rstrip("/") + "/", location)

    @property
    def scheme(self) -> str:
        return settings.SITE_URL.split(":", 1)[0]


def article_change_push(*, article_id: int) -> list[WebhookDelivery]:
    """Tell partners that an article changed (published, updated, corrected
    or withdrawn): one delivery of its ninjs item per webhook taking its
    section, once per version, sent by the webhook_deliver task; and the
    WebSub hub, when the public feeds changed. Nothing for an article
    partners may not have (a draft, a closed licence), and a kill notice
    only where the item was delivered before. Called after the commit."""
    article = article_syndication_list(withdrawn=True).filter(pk=article_id).first()
    if article is None:
        return []
    canceled = article.status == Article.Status.WITHDRAWN
    if settings.WEBSUB_HUB_URL and (canceled or article.is_public):
        _websub_enqueue(article)
    webhooks = webhook_list_for(article=article)
    if canceled:
        webhooks = [hook for hook in webhooks if hook.deliveries.filter(article=article).exists()]
    if not webhooks:
        return []
    item = article_ninjs(article, request=_SiteRequest())
    payload = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    created = []
    for webhook in webhooks:
        delivery, is_new = WebhookDelivery.objects.get_or_create(
            webhook=webhook,
            article=article,
            version=article.version,
            defaults={"pub_status": item["pubStatus"], "payload": payload},
        )
        if is_new:
            created.append(delivery)
    for delivery in created:
        _delivery_enqueue(delivery)
    return created


def _delivery_enqueue(delivery: WebhookDelivery) -> None:
    try:
        webhook_deliver.enqueue(delivery_pk=delivery.pk)
    except Exception:  # the queue is down: webhook_deliveries_retry sends it
        logger.exception("could not enqueue webhook delivery %s", delivery.pk)


def _websub_enqueue(article: Article) -> None:
    """Tell the hub of the feeds the article is in: its edition's."""
    edition, request = edition_get(article.edition_id), _SiteRequest()

    def site(path):
        return edition_url(edition, path, request) if edition else request.build_absolute_uri(path)

    with translation.override(article.edition_id):
        urls = [site(reverse("articles:feed-rss")), site(reverse("articles:feed-atom"))]
        for section in filter(None, [article.section.parent, article.section]):
            urls.append(site(reverse("articles:section-feed", args=[section.slug])))
    try:
        websub_hub_notify.enqueue(urls=urls)
    except Exception:
        logger.exception("could not enqueue the WebSub notification")


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Send a delivery again (the admin's "send again"): a new round of
    attempts, with the same delivery id and bytes, so the partner can tell
    it is the same."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=None, attempts=0
    )
    _delivery_enqueue(delivery)
