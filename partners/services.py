import hashlib
import hmac
import logging
from datetime import UTC, datetime, timedelta

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article, Section
from articles.services import article_publish
from articles.slugs import slug_for
from editions.selectors import edition_get

from .models import (
    FeedRun,
    ImportedItem,
    Partner,
    PartnerAPIKey,
    PartnerFeed,
    WebhookDelivery,
)
from .parsing import FeedEntry, FeedParseError, ninjs_parse, rss_parse
from .safehttp import AddressRefused, FetchError, url_fetch, url_post
from .selectors import (
    partner_feed_due_list,
    webhook_delivery_due_list,
)

logger = logging.getLogger(__name__)

ACCEPT = {
    PartnerFeed.Format.RSS: "application/rss+xml, application/atom+xml, application/xml;q=0.9",
    PartnerFeed.Format.NINJS: "application/json",
}
PARSERS = {PartnerFeed.Format.RSS: rss_parse, PartnerFeed.Format.NINJS: ninjs_parse}
# How many item errors a run keeps in its error text.
MAX_ERRORS_KEPT = 20
# How many runs of each feed are kept for the admin (older ones are deleted).
RUNS_KEPT = 200


def api_key_issue(
    *, partner: Partner, name: str, expiry_date: datetime | None = None
) -> tuple[PartnerAPIKey, str]:
    """A new API key for ``partner``: the stored record (hashed) and the key
    itself, which is shown once and cannot be recovered."""
    return PartnerAPIKey.objects.create_key(partner=partner, name=name, expiry_date=expiry_date)


def _uses_key(pk: int) -> str:
    return f"partners:api-key-uses:{pk}"


def api_key_use_record(*, api_key: PartnerAPIKey, now: datetime | None = None) -> None:
    """Count one request made with ``api_key``: one increment in the cache,
    added to the key's row by api_key_uses_flush (every minute), so busy
    partners do not queue on their key's row. With the cache down it is
    counted in the row at once."""
    try:
        cache.incr(_uses_key(api_key.pk))
        return
    except ValueError:  # the first since the last flush, or the cache is down
        if cache.add(_uses_key(api_key.pk), 1, None):
            return
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(
        request_count=F("request_count") + 1, last_used_at=now or timezone.now()
    )


def api_key_uses_flush(*, now: datetime | None = None) -> int:
    """Add the requests counted in the cache to the keys' rows (and note the
    time as their last use); returns how many were added."""
    now = now or timezone.now()
    pks = list(PartnerAPIKey.objects.filter(revoked=False).values_list("pk", flat=True))
    counted = cache.get_many([_uses_key(pk) for pk in pks])
    added = 0
    for pk in pks:
        uses = counted.get(_uses_key(pk)) or 0
        if uses:
            # Take away what is added, leaving what came in meanwhile.
            cache.decr(_uses_key(pk), uses)
            PartnerAPIKey.objects.filter(pk=pk).update(
                request_count=F("request_count") + uses, last_used_at=now
            )
            added += uses
    return added


def partner_feeds_import(*, now: datetime | None = None) -> list[FeedRun]:
    """Import every feed that is due. Each feed is claimed first (its last
    run time moved on in one conditional UPDATE), so two schedulers or
    workers running at once do not both import it."""
    now = now or timezone.now()
    runs = []
    for feed in partner_feed_due_list(now=now):
        claimed = PartnerFeed.objects.filter(pk=feed.pk, last_run_at=feed.last_run_at).update(
            last_run_at=now
        )
        if claimed:
            runs.append(partner_feed_import(feed=feed, now=now))
    return runs


class ItemSkipped(Exception):
    """An item left out on purpose; the message says why."""


class FeedMisconfigured(Exception):
    """The feed cannot be imported as it is set up; the message says why."""


def partner_feed_import(*, feed: PartnerFeed, now: datetime | None = None) -> FeedRun:
    """Fetch ``feed`` and create or update the articles it lists, credited to
    its partner; record the run (new/updated/skipped/failed counts, errors
    and notes).

    An item is known by its GUID/URI and never imported twice, also when two
    runs of the same feed overlap; a GUID repeated within the feed is
    imported once, as it first appears. New items are published or left in
    review as the feed says, unless dated outside PARTNER_FEED_MAX_AGE_DAYS;
    a known item whose text changed is updated, leaving its status and dates
    to the editors. Whatever goes wrong is recorded on the run and never
    raised, so one feed cannot stop the import of the others.
    """
    now = now or timezone.now()
    run = FeedRun.objects.create(feed=feed, started_at=now)
    errors = []
    try:
        if feed.section.edition_id != feed.edition_id:  # the admin refuses it; code might not
            raise FeedMisconfigured("its section is not in its edition: choose one that is")
        fetched = url_fetch(url=feed.url, accept=ACCEPT[feed.format])
        entries = PARSERS[feed.format](fetched.content, url=fetched.url, charset=fetched.charset)
        seen = set()
        for entry in entries:
            name = entry.guid[:200] or "an item"
            try:
                if entry.guid and entry.guid in seen:
                    raise ItemSkipped("repeated in the feed: the first one is imported")
                seen.add(entry.guid)
                outcome, note = _entry_import(feed=feed, entry=entry, now=now)
            except ItemSkipped as skipped:
                run.items_skipped += 1
                errors.append(f"{name}: skipped, {skipped}")
            except (ValueError, DatabaseError) as error:
                run.items_failed += 1
                errors.append(f"{name}: {error}")
            else:
                run.items_new += outcome == "new"
                run.items_updated += outcome == "updated"
                if note:
                    errors.append(f"{name}: {note}")
        run.status = FeedRun.Status.OK
    except (FetchError, FeedParseError, FeedMisconfigured) as error:
        run.status = FeedRun.Status.FAILED
        errors.insert(0, str(error))
    except Exception as error:
        # A bug, not the feed's fault: logged in full, and the other feeds go on.
        logger.exception("Importing %s failed", feed.url)
        run.status = FeedRun.Status.FAILED
        errors.insert(0, f"unexpected error: {error!r}")
    finally:
        run.error = "\n".join(errors[:MAX_ERRORS_KEPT])
        run.finished_at = timezone.now()
        run.save()
        PartnerFeed.objects.filter(pk=feed.pk).update(last_run_at=now)
        old_runs = feed.runs.order_by("-started_at", "-pk").values_list("pk", flat=True)
        FeedRun.objects.filter(pk__in=list(old_runs[RUNS_KEPT:])).delete()
        logger.info(
            "Imported %s: %s, %d new, %d updated, %d skipped, %d failed",
            feed.url,
            run.status,
            run.items_new,
            run.items_updated,
            run.items_skipped,
            run.items_failed,
        )
    return run


def _entry_import(*, feed: PartnerFeed, entry: FeedEntry, now: datetime) -> tuple[str, str]:
    """Import one entry: ("new", "updated" or "unchanged", a note or "")."""
    if not entry.guid:
        raise ValueError("no GUID, URI or link")
    if len(entry.guid) > ImportedItem._meta.get_field("guid").max_length:
        raise ValueError("GUID too long")
    if not entry.headline:
        raise ValueError("no headline")
    with transaction.atomic():
        # The row for the GUID is claimed first: a concurrent run inserting
        # the same GUID waits on the unique constraint, then finds this one.
        item, created = ImportedItem.objects.select_for_update().get_or_create(
            partner=feed.partner,
            guid=entry.guid,
            defaults={"digest": entry.digest, "first_seen_at": now, "changed_at": now},
        )
        if created:
            # Raising ItemSkipped here rolls the new row back with the rest.
            published_at, note = _entry_time(entry=entry, now=now)
            edition, section_id, filed = _entry_place(feed=feed, entry=entry)
            item.article = _article_create(
                feed=feed,
                entry=entry,
                published_at=published_at,
                edition=edition,
                section_id=section_id,
            )
            item.save(update_fields=["article"])
            return "new", "; ".join(filter(None, [note, filed]))
        if item.digest == entry.digest or item.article_id is None:
            return "unchanged", ""  # same text, or the editors deleted the article
        article = item.article
        article.headline = entry.headline[:250]
        article.lead = entry.lead
        article.body = entry.body
        article.dateline_place = entry.located[:100]
        article.save(update_fields=["headline", "lead", "body", "dateline_place", "updated_at"])
        item.digest, item.changed_at = entry.digest, now
        item.save(update_fields=["digest", "changed_at"])
        return "updated", ""


def _entry_time(*, entry: FeedEntry, now: datetime) -> tuple[datetime, str]:
    """When a new item goes public, and a note when its own date was not
    believed. Older than PARTNER_FEED_MAX_AGE_DAYS: not news (or a date
    such as 1900 that no news has), skipped. Later than now by more than
    PARTNER_FEED_FUTURE_SKEW_MINUTES: the partner's clock or a slip, so it
    is dated now. A partner's embargo is kept: the article is public then."""
    if entry.embargoed_until and entry.embargoed_until > now:
        return entry.embargoed_until, ""
    moment = entry.published_at or now
    oldest = now - timedelta(days=settings.PARTNER_FEED_MAX_AGE_DAYS)
    if moment < oldest:
        raise ItemSkipped(
            f"dated {moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC, older than "
            f"{settings.PARTNER_FEED_MAX_AGE_DAYS} days"
        )
    if moment > now + timedelta(minutes=settings.PARTNER_FEED_FUTURE_SKEW_MINUTES):
        when = f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"
        return now, f"dated {when} UTC, in the future: dated at its import"
    return min(moment, now), ""


def _declared_edition(language: str) -> str | None:
    """The code of the active edition in ``language`` as a feed writes it
    ("ru", "ru-RU", "RU_ru"), or None."""
    tag = language.strip().lower().replace("_", "-")
    edition = edition_get(tag) or edition_get(tag.split("-", 1)[0])
    return edition.code if edition else None


def _entry_place(*, feed: PartnerFeed, entry: FeedEntry) -> tuple[str, int, str]:
    """Where a new item goes: (edition code, section id, a note or "").

    The feed's edition and section, unless the item declares the language
    of another active edition: then that edition, in its section of the
    feed's section's slug (each edition's tree has the same slugs). An item
    in a language no edition has, or whose edition lacks the section, stays
    in the feed's edition."""
    declared = _declared_edition(entry.language)
    if declared is None or declared == feed.edition_id:
        return feed.edition_id, feed.section_id, ""
    slug = feed.section.slug
    section_id = (
        Section.objects.filter(edition=declared, slug=slug).values_list("pk", flat=True).first()
    )
    if section_id is None:
        note = f"in {entry.language}, but that edition has no section {slug!r}: filed in the feed's"
        return feed.edition_id, feed.section_id, note
    return declared, section_id, ""


def _article_create(
    *,
    feed: PartnerFeed,
    entry: FeedEntry,
    published_at: datetime,
    edition: str,
    section_id: int,
) -> Article:
    article = Article(
        edition_id=edition,
        headline=entry.headline[:250],
        lead=entry.lead,
        body=entry.body,
        dateline_place=entry.located[:100],
        section_id=section_id,
        source_id=feed.partner_id,
        status=Article.Status.IN_REVIEW,
        published_at=published_at,
    )
    article.slug = _slug_free(entry, timezone.localdate(published_at), edition)
    if feed.publish:
        return article_publish(article=article)
    article.save()
    return article


def _slug_free(entry: FeedEntry, day, edition: str) -> str:
    """A slug from the headline (transliterated, in the edition's
    language) that no article of the edition has on that day yet."""
    base = slug_for(entry.headline, edition)
    if not base:  # a headline without a letter or digit we can write in Latin
        base = f"item-{hashlib.sha256(entry.guid.encode()).hexdigest()[:12]}"
    taken = set(
        Article.objects.filter(
            edition=edition, publication_date=day, slug__startswith=base
        ).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# Push on publish -------------------------------------------------------------

SIGNATURE_HEADER = "X-Signature-256"
DELIVERY_HEADER = "X-Delivery-Id"
WEBHOOK_USER_AGENT = "newsportal-webhooks/1"


def webhook_signature(*, secret: str, body: bytes) -> str:
    """The signature header's value: "sha256=" and the hex HMAC-SHA256 of
    the body under the webhook's secret (what the partner checks)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_delivery_send(*, delivery_pk: int, now: datetime | None = None) -> str:
    """Make one attempt at a delivery that is due; returns its status after.

    The delivery is claimed first (its next attempt moved past the request's
    time limit in one conditional UPDATE), so the task and the retry sweep
    never send it twice at once. A 2xx answer delivers it; anything else is
    tried again after PARTNER_WEBHOOK_RETRY_SECONDS, doubled each time, up
    to PARTNER_WEBHOOK_ATTEMPTS attempts; an address the guard refuses fails
    at once (the webhook needs fixing, then "send again")."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=3 * settings.PARTNER_FEED_TIMEOUT)
    due = Q(next_attempt_at=None) | Q(next_attempt_at__lte=now)
    claimed = (
        WebhookDelivery.objects.filter(due, pk=delivery_pk)
        .filter(status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING])
        .update(next_attempt_at=lease, attempts=F("attempts") + 1)
    )
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_pk)
    if not claimed:
        return delivery.status
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": WEBHOOK_USER_AGENT,
        DELIVERY_HEADER: str(delivery.delivery_id),
        SIGNATURE_HEADER: webhook_signature(secret=delivery.webhook.secret, body=body),
    }
    error, final = "", False
    try:
        status = url_post(url=delivery.webhook.url, body=body, headers=headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except AddressRefused as refused:
        error, final = f"address refused: {refused}", True
    except FetchError as failure:
        error = str(failure)
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            WebhookDelivery.Status.DELIVERED,
            timezone.now(),
            None,
        )
    elif final or delivery.attempts >= settings.PARTNER_WEBHOOK_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        backoff = settings.PARTNER_WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=backoff)
    delivery.last_error = error
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_error"])
    return delivery.status


def webhook_deliveries_due_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send every delivery that is due (retries, and ones whose task was
    lost); counts the outcomes by status."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    for pk in webhook_delivery_due_list(now=now):
        status = webhook_delivery_send(delivery_pk=pk, now=now)
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes


def websub_hub_notify(*, urls: list[str]) -> list[str]:
    """Tell the WebSub hub (WEBSUB_HUB_URL) that these feeds changed, one
    publish ping each; returns the errors (the hub fetches the feeds itself,
    so a lost ping costs only delay). The hub is ours to configure: no
    address guard."""
    errors = []
    for url in urls:
        try:
            response = requests.post(
                settings.WEBSUB_HUB_URL,
                data={"hub.mode": "publish", "hub.url": url},
                timeout=settings.PARTNER_FEED_TIMEOUT,
            )
            if response.status_code >= 300:
                errors.append(f"{url}: HTTP {response.status_code}")
        except requests.RequestException as error:
            errors.append(f"{url}: {error}")
    for error in errors:
        logger.warning("WebSub hub ping failed: %s", error)
    return errors
