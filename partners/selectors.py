import hashlib
import hmac
from datetime import datetime

from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from articles.models import Article

from .models import PartnerAPIKey, PartnerFeed, Place, Webhook, WebhookDelivery


def article_syndication_list(
    *,
    section: str = "",
    tag: str = "",
    partner: str = "",
    language: str = "",
    since: datetime | None = None,
    embargoed: bool = True,
    withdrawn: bool = False,
) -> QuerySet[Article]:
    """The articles partners may receive, newest first, with everything an
    item shows fetched in a fixed number of queries.

    That is ``Article.objects.for_partners()`` (published, or released to
    partners ahead of its time when ``embargoed``), less the news of partner
    agencies whose licence forbids passing it on. ``section`` (a slug) takes
    its child sections too (in every edition, or in the edition of
    ``language``: a section's slug is the same in each); ``since`` means
    created, changed or published since then.

    Withdrawn articles partners may have had are kill notices: in the list
    when ``withdrawn`` or ``since`` is given (a partner keeping in step
    learns of the withdrawal), never in a plain listing.
    """
    articles = Article.objects.for_partners() if embargoed else Article.objects.published()
    if withdrawn or since is not None:
        articles |= Article.objects.filter(
            Q(published_at__lte=timezone.now()) | Q(released_to_partners=True),
            status=Article.Status.WITHDRAWN,
            published_at__isnull=False,
        )
    articles = articles.filter(Q(source=None) | Q(source__allows_redistribution=True))
    if language:
        articles = articles.in_edition(language)
    if section:
        articles = articles.in_section(section)
    if tag:
        articles = articles.filter(tags__slug=tag)
    if partner:
        articles = articles.filter(source__slug=partner)
    if since is not None:
        # Changed since, or published since: a scheduled article goes public
        # at its time without being saved again. Each side on an index (of
        # updated_at; of status and published_at, hence the statuses written
        # out), so the database reads only the rows that changed.
        articles = articles.filter(
            Q(updated_at__gte=since)
            | Q(
                status__in=[Article.Status.PUBLISHED, Article.Status.WITHDRAWN],
                published_at__gte=since,
            )
        )
    # The dateline's place and country (partners/models.Place), in the same
    # query: the table has no foreign key to follow.
    place = Place.objects.filter(name__iexact=OuterRef("dateline_place"))
    articles = articles.annotate(
        **{
            f"place_{field}": Subquery(place.values(field)[:1])
            for field in ("name", "country", "country_code")
        }
    )
    return (
        articles.select_related(
            "section__media_topic", "section__parent__media_topic", "source", "main_image"
        )
        .prefetch_related("tags", "authors", "corrections")
        .defer("search_vector")
        .order_by("-published_at", "-pk")
    )


def partner_feed_active_list() -> QuerySet[PartnerFeed]:
    """The feeds to import: active feeds of active partners."""
    return PartnerFeed.objects.filter(is_active=True, partner__is_active=True).select_related(
        "partner", "section"
    )


def partner_feed_due_list(*, now: datetime | None = None) -> list[PartnerFeed]:
    """Active feeds of active partners whose interval has passed since their
    last run."""
    now = now or timezone.now()
    return [feed for feed in partner_feed_active_list() if feed.is_due(now)]


API_KEY_CACHE_SECONDS = 300


def _api_key_cache_key(prefix: str) -> str:
    return f"partners:api-key:{prefix}"


def api_key_find(*, key: str) -> PartnerAPIKey | None:
    """The usable key matching ``key``: not revoked, not expired, of an
    active partner. None for anything else, whatever the reason.

    Checking a key against its stored hash is slow on purpose (a password
    hasher), so a key once checked is kept in the cache by its prefix with
    a SHA-256 of the whole key: a request with it costs one cache read.
    Revoking a key, or changing it or its partner, forgets it
    (partners/signals.py)."""
    prefix, dot, _secret = key.partition(".")
    if not dot or not prefix:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()
    kept = cache.get(_api_key_cache_key(prefix))
    if kept is not None and hmac.compare_digest(kept[0], digest):
        api_key = kept[1]
        return None if api_key.has_expired else api_key
    api_key = (
        PartnerAPIKey.objects.select_related("partner")
        .filter(prefix=prefix, revoked=False, partner__is_active=True)
        .first()
    )
    if api_key is None or api_key.has_expired or not api_key.is_valid(key):
        return None
    cache.set(_api_key_cache_key(prefix), (digest, api_key), API_KEY_CACHE_SECONDS)
    return api_key


def api_key_forget(*, prefixes) -> None:
    cache.delete_many([_api_key_cache_key(prefix) for prefix in prefixes])


def webhook_list_for(*, article: Article) -> list[Webhook]:
    """The active webhooks of active partners that take ``article``: those
    naming its section or the section's parent, and those naming none."""
    sections = Q(sections=None) | Q(sections=article.section_id)
    if article.section.parent_id:
        sections |= Q(sections=article.section.parent_id)
    return list(
        Webhook.objects.filter(sections, is_active=True, partner__is_active=True)
        .distinct()
        .order_by("pk")
    )


def webhook_delivery_due_list(*, now: datetime | None = None) -> list[int]:
    """The ids of deliveries waiting to be sent: new ones and retries whose
    time has come, oldest first."""
    now = now or timezone.now()
    due = Q(next_attempt_at=None) | Q(next_attempt_at__lte=now)
    return list(
        WebhookDelivery.objects.filter(
            due, status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING]
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
