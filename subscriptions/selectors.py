"""Reads for subscriptions: signed links, the form's section choices, what a
digest period is and who and what goes into it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer, TimestampSigner
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Section
from editions.selectors import edition_get, edition_main, edition_url

from .models import Delivery, Subscriber

SECTION_CHOICES_KEY = "subscriptions:section-choices"
MANAGE_SALT = "subscriptions.manage"
CONFIRM_SALT = "subscriptions.confirm"


def section_choices_key(edition: str) -> str:
    return f"{SECTION_CHOICES_KEY}:{edition}"


def section_choices(*, edition: str) -> list[tuple[int, str]]:
    """Every section of ``edition`` (a code) as (id, label), parents followed
    by their children; cached, dropped when a section changes (see signals)."""
    return cache.get_or_set(section_choices_key(edition), lambda: _section_tree(edition), 3600)


def _section_tree(edition):
    sections = list(Section.objects.filter(edition=edition).select_related("parent"))
    children = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    return [
        (node.pk, str(node))
        for parent in children.get(None, [])
        for node in [parent, *children.get(parent.pk, [])]
    ]


# Links. The preferences/unsubscribe link signs the subscriber's permanent
# key and does not expire (RFC 8058 wants it to keep working); the
# confirmation link signs the one-time confirmation key, with a time.


def manage_token(*, subscriber: Subscriber) -> str:
    return Signer(salt=MANAGE_SALT).sign(subscriber.key)


def confirm_token(*, subscriber: Subscriber) -> str:
    return TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.confirm_key)


def subscriber_from_manage_token(*, token: str) -> Subscriber | None:
    """The subscriber a preferences or unsubscribe link is for, or None."""
    try:
        key = Signer(salt=MANAGE_SALT).unsign(token)
    except BadSignature:
        return None
    return Subscriber.objects.filter(key=key).first()


def subscriber_from_confirm_token(*, token: str) -> Subscriber | None:
    """The pending subscriber a confirmation link is for; None if the link is
    forged, expired (SUBSCRIPTIONS_CONFIRM_MAX_AGE) or already used."""
    try:
        key = TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE
        )
    except BadSignature:  # SignatureExpired included
        return None
    return (
        Subscriber.objects.filter(confirm_key=key, status=Subscriber.Status.PENDING)
        .prefetch_related("sections")
        .first()
    )


def subscriber_site(*, subscriber: Subscriber) -> str:
    """The address of the subscriber's edition's site, without the final
    slash (its own host when editions are served by host)."""
    edition = edition_get(subscriber.edition_id) or edition_main()
    return edition_url(edition, "/").rstrip("/")


def subscriber_urls(*, subscriber: Subscriber) -> dict[str, str]:
    """Absolute links for mails (sent outside any request: SITE_URL), in the
    subscriber's edition (/ru/… for a Russian subscriber)."""
    token = manage_token(subscriber=subscriber)
    site = subscriber_site(subscriber=subscriber)
    with translation.override(subscriber.edition_id):
        urls = {
            "preferences_url": site + reverse("subscriptions:preferences", args=[token]),
            "unsubscribe_url": site + reverse("subscriptions:unsubscribe", args=[token]),
        }
        if subscriber.confirm_key:
            urls["confirm_url"] = site + reverse(
                "subscriptions:confirm", args=[confirm_token(subscriber=subscriber)]
            )
    return urls


# Digests


@dataclass(frozen=True)
class DigestPeriod:
    """A digest's window of publication times, (start, end], and the key that
    names it in the delivery records."""

    key: str
    start: datetime.datetime
    end: datetime.datetime


def digest_period(*, frequency: str, now: datetime.datetime) -> DigestPeriod:
    """The latest period that has ended by ``now``. Periods end at
    SUBSCRIPTIONS_DIGEST_HOUR local time: every day, or every Monday."""
    local = timezone.localtime(now)
    end = local.replace(hour=settings.SUBSCRIPTIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if end > local:
        end -= datetime.timedelta(days=1)
    if frequency == Subscriber.Frequency.WEEKLY:
        end -= datetime.timedelta(days=end.weekday())
        year, week, _ = end.isocalendar()
        return DigestPeriod(f"weekly:{year}-W{week:02d}", end - datetime.timedelta(days=7), end)
    return DigestPeriod(f"daily:{end.date().isoformat()}", end - datetime.timedelta(days=1), end)


def digest_articles(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    ids: Iterable[int] | None = None,
    breaking: bool = False,
) -> list[Article]:
    """Published articles of (start, end] (only ``ids``, only breaking ones
    if asked), newest first, with what a mail shows and the sections they
    count under (``section_ids``)."""
    articles = Article.objects.published().filter(published_at__gt=start, published_at__lte=end)
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    if breaking:
        articles = articles.filter(is_breaking=True)
    articles = list(
        articles.select_related("section")
        .prefetch_related(Prefetch("secondary_sections", queryset=Section.objects.only("parent")))
        .only(
            "edition",
            "headline",
            "lead",
            "slug",
            "published_at",
            "publication_date",
            "is_breaking",
            "section__name",
            "section__parent",
        )
        .order_by("-published_at", "-pk")
    )
    return articles


def subscribers_due(
    *,
    frequency: str,
    key: str,
    section_ids: set[int] | None = None,
    edition: str | None = None,
    after_pk: int = 0,
    limit: int,
) -> list[Subscriber]:
    """The next ``limit`` confirmed subscribers of ``frequency`` after
    ``after_pk`` with no delivery for ``key`` yet (and, given ``section_ids``,
    who chose one of those or all; given ``edition``, of that edition), with
    their section ids (``section_ids``; empty for all) and the end of their
    last digest (``last_until``)."""
    last_digest = Delivery.objects.filter(subscriber=OuterRef("pk"), until__isnull=False)
    subscribers = Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED, frequency=frequency, pk__gt=after_pk
    ).exclude(deliveries__key=key)
    if edition is not None:
        subscribers = subscribers.filter(edition=edition)
    if section_ids is not None:
        chosen = Subscriber.sections.through.objects.filter(subscriber=OuterRef("pk"))
        subscribers = subscribers.filter(
            ~Exists(chosen) | Exists(chosen.filter(section__in=section_ids))
        )
    subscribers = list(
        subscribers.annotate(
            last_until=Subquery(last_digest.order_by("-until").values("until")[:1])
        )
        .prefetch_related(Prefetch("sections", queryset=Section.objects.only("pk")))
        .only("email", "edition", "key", "confirm_key", "frequency")
        .order_by("pk")[:limit]
    )
    for subscriber in subscribers:
        subscriber.section_ids = {section.pk for section in subscriber.sections.all()}
    return subscribers


def articles_for(
    *,
    subscriber: Subscriber,
    articles: list[Article],
    since: datetime.datetime,
    limit: int,
) -> list[Article]:
    """Of ``articles`` (newest first, each with ``section_ids``), those of the
    subscriber's edition and sections published after ``since``, at most
    ``limit``."""
    chosen = []
    for article in articles:
        if article.published_at <= since or len(chosen) == limit:
            break
        if article.edition_id != subscriber.edition_id:
            continue
        if not subscriber.section_ids or subscriber.section_ids & article.section_ids:
            chosen.append(article)
    return chosen
