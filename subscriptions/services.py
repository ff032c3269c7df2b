"""Writes for subscriptions: confirming, changing and cancelling a
subscription, and sending its mails exactly once (the tasks run these;
asking for a subscription, which queues a mail, is in signup.py)."""

import datetime
import itertools
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article

from . import selectors
from .models import Delivery, Subscriber

logger = logging.getLogger(__name__)

# A breaking story is alerted for this long after its publication; a worker
# or scheduler that was down longer does not send stale "breaking" news.
ALERT_WINDOW = datetime.timedelta(hours=2)

# A digest's subject and heading, by frequency.
DIGEST_TITLES = {
    Subscriber.Frequency.DAILY: (
        gettext_lazy("%(agency)s: your daily digest, %(date)s"),
        gettext_lazy("Your daily digest"),
    ),
    Subscriber.Frequency.WEEKLY: (
        gettext_lazy("%(agency)s: your weekly digest, %(date)s"),
        gettext_lazy("Your weekly digest"),
    ),
}


def subscription_confirm(*, subscriber: Subscriber, ip: str | None) -> bool:
    """The button on the confirmation page: consent given, the link used up.
    False if the link was used (or the address unsubscribed) meanwhile."""
    return bool(
        Subscriber.objects.filter(
            pk=subscriber.pk,
            status=Subscriber.Status.PENDING,
            confirm_key=subscriber.confirm_key,
        ).update(
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            confirmed_ip=ip,
            confirm_key="",
            unsubscribed_at=None,
        )
    )


def subscription_update(*, subscriber: Subscriber, frequency: str, section_ids: list[int]) -> None:
    """New choices from the preferences page; the next mail follows them."""
    with transaction.atomic():
        subscriber.frequency = frequency
        subscriber.save(update_fields=["frequency"])
        subscriber.sections.set(section_ids)


def subscription_cancel(*, subscriber: Subscriber) -> None:
    """Unsubscribe, at once: no mail is sent from this moment (senders check
    the status in the transaction that sends). Pending links die too."""
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), confirm_key=""
    )
    subscriber.refresh_from_db(fields=["status", "unsubscribed_at", "confirm_key"])


def subscribers_forget(*, subscribers: QuerySet[Subscriber]) -> int:
    """Delete addresses on request, with their delivery history and choices."""
    _, deleted = Subscriber.objects.filter(pk__in=subscribers.values("pk")).delete()
    return deleted.get(Subscriber._meta.label, 0)


# Mails


def subscriber_message(
    *, subscriber: Subscriber, subject: str, template: str, context: dict | None = None
) -> EmailMultiAlternatives:
    """A mail to one subscriber from ``subscriptions/email/<template>.txt``
    and ``.html``, with the one-click unsubscribe headers of RFC 8058. Call
    it in the subscriber's edition's language (``subscriber_language``):
    strings, dates and links are rendered in the language active."""
    urls = selectors.subscriber_urls(subscriber=subscriber)
    context = {
        "subscriber": subscriber,
        "AGENCY_NAME": settings.AGENCY_NAME,
        "SITE_URL": selectors.subscriber_site(subscriber=subscriber),
        "LANGUAGE_CODE": subscriber.edition_id,
        **urls,
        **(context or {}),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/email/{template}.txt", context),
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/email/{template}.html", context), "text/html"
    )
    return message


def subscriber_language(subscriber: Subscriber):
    """The subscriber's edition's language, active while its mail is built."""
    return translation.override(subscriber.edition_id)


def confirmation_mail_send(*, subscriber_id: int) -> bool:
    """The confirmation mail, if the address is still waiting for one."""
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING)
        .exclude(confirm_key="")
        .first()
    )
    if subscriber is None:
        return False
    with subscriber_language(subscriber):
        message = subscriber_message(
            subscriber=subscriber,
            subject=_("Confirm your subscription to %(agency)s") % {"agency": settings.AGENCY_NAME},
            template="confirm",
            context={"max_age_days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE // 86400},
        )
    message.send()
    return True


def reminder_mail_send(*, subscriber_id: int) -> bool:
    """Tell a confirmed subscriber who signed up again that they already are,
    with the preferences link."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.CONFIRMED
    ).first()
    if subscriber is None:
        return False
    with subscriber_language(subscriber):
        message = subscriber_message(
            subscriber=subscriber,
            subject=_("You are already subscribed to %(agency)s")
            % {"agency": settings.AGENCY_NAME},
            template="reminder",
        )
    message.send()
    return True


def _send_once(
    *,
    connection,
    subscriber: Subscriber,
    key: str,
    message: EmailMultiAlternatives,
    until: datetime.datetime | None = None,
    article_count: int = 0,
) -> bool:
    """Send ``message`` unless ``subscriber`` already has the delivery ``key``.

    One transaction claims the subscriber (row lock, skipping rows another
    worker holds), inserts the delivery record and hands the mail to SMTP;
    it commits only once the mail is accepted. A crash before the commit
    rolls the record back, so a rerun sends that mail; a commit means it went
    out, so a rerun skips it. Two workers never both send: the second one
    skips the locked row, or finds the record, or trips the unique key. (The
    one window left is a crash between SMTP accepting and the commit, a few
    milliseconds: that mail would go out twice, never zero times.)
    """
    try:
        with transaction.atomic():
            claimed = list(
                Subscriber.objects.select_for_update(skip_locked=True)
                .filter(
                    pk=subscriber.pk,
                    status=Subscriber.Status.CONFIRMED,
                    frequency=subscriber.frequency,
                )
                .exclude(deliveries__key=key)
                .values_list("pk", flat=True)
            )
            if not claimed:
                return False
            Delivery.objects.create(
                subscriber_id=subscriber.pk,
                key=key,
                until=until,
                article_count=article_count,
                sent_at=timezone.now(),
            )
            connection.send_messages([message])
    except IntegrityError:
        return False  # another worker sent it meanwhile
    except smtplib.SMTPRecipientsRefused:
        # This address is refused; the others still get theirs. No record:
        # the next run of the period tries it again.
        logger.warning("Mail %s refused for subscriber %s", key, subscriber.pk)
        return False
    return True


def _send_batch(*, batch: list[tuple[Subscriber, str, EmailMultiAlternatives, dict]]) -> int:
    """Send prepared mails over one SMTP connection; returns how many went."""
    if not batch:
        return 0
    sent = 0
    with get_connection() as connection:
        for subscriber, key, message, record in batch:
            sent += _send_once(
                connection=connection, subscriber=subscriber, key=key, message=message, **record
            )
    return sent


def _due_batches(
    *, frequency: str, key: str, section_ids: set[int] | None = None, edition: str | None = None
):
    """Batches of the subscribers still due ``key``, in primary key order."""
    after_pk = 0
    while subscribers := selectors.subscribers_due(
        frequency=frequency,
        key=key,
        section_ids=section_ids,
        edition=edition,
        after_pk=after_pk,
        limit=settings.SUBSCRIPTIONS_MAIL_BATCH,
    ):
        yield subscribers
        after_pk = subscribers[-1].pk


def digest_send(*, frequency: str, now: datetime.datetime | None = None) -> int:
    """Send the daily or weekly digest of the latest ended period to every
    confirmed subscriber of ``frequency`` who has not had it: the articles of
    their edition and sections published since their last digest (at most
    SUBSCRIPTIONS_DIGEST_MAX_ARTICLES, newest first). Safe to run again, or
    twice at once. Returns the number of mails sent."""
    now = now or timezone.now()
    period = selectors.digest_period(frequency=frequency, now=now)
    batches = _due_batches(frequency=frequency, key=period.key)
    first = next(batches, None)
    if first is None:
        return 0  # the usual case between periods: no article is loaded
    articles = selectors.digest_articles(start=period.start, end=period.end)
    if not articles:
        return 0
    subject, title = DIGEST_TITLES[frequency]
    date = timezone.localtime(period.end)
    sent = 0
    for subscribers in itertools.chain([first], batches):
        batch, nothing = [], []
        for subscriber in subscribers:
            chosen = selectors.articles_for(
                subscriber=subscriber,
                articles=articles,
                since=max(period.start, subscriber.last_until or period.start),
                limit=settings.SUBSCRIPTIONS_DIGEST_MAX_ARTICLES,
            )
            if chosen:
                with subscriber_language(subscriber):
                    message = subscriber_message(
                        subscriber=subscriber,
                        subject=subject
                        % {
                            "agency": settings.AGENCY_NAME,
                            "date": formats.date_format(date, "j E Y"),
                        },
                        template="digest",
                        context={"articles": chosen, "title": title},
                    )
                record = {"until": period.end, "article_count": len(chosen)}
                batch.append((subscriber, period.key, message, record))
            else:
                nothing.append(Delivery(subscriber=subscriber, key=period.key, until=period.end))
        Delivery.objects.bulk_create(nothing, ignore_conflicts=True)
        sent += _send_batch(batch=batch)
    return sent


def alert_send(*, article_id: int, now: datetime.datetime | None = None) -> int:
    """Alert the immediate subscribers of its edition and sections to a
    breaking article, once each, if it is public and not older than
    ALERT_WINDOW."""
    now = now or timezone.now()
    articles = selectors.digest_articles(start=now - ALERT_WINDOW, end=now, ids=[article_id])
    if not articles or not articles[0].is_breaking:
        return 0
    return _alert_send(article=articles[0])


def _alert_send(*, article: Article) -> int:
    key = f"alert:{article.pk}"
    sent = 0
    for subscribers in _due_batches(
        frequency=Subscriber.Frequency.IMMEDIATE,
        key=key,
        section_ids=article.section_ids,
        edition=article.edition_id,
    ):
        batch = []
        for subscriber in subscribers:
            with subscriber_language(subscriber):
                message = subscriber_message(
                    subscriber=subscriber,
                    subject=_("Breaking: %(headline)s") % {"headline": article.headline},
                    template="alert",
                    context={"article": article},
                )
            batch.append((subscriber, key, message, {"article_count": 1}))
        sent += _send_batch(batch=batch)
    return sent


def breaking_alerts_send(*, now: datetime.datetime | None = None) -> int:
    """Alerts for every breaking article of the last ALERT_WINDOW not yet
    sent: each is normally sent once its publication is announced
    (article_published, also at a scheduled time; see signals.py); this
    catches any a worker or the queue missed."""
    now = now or timezone.now()
    articles = selectors.digest_articles(start=now - ALERT_WINDOW, end=now, breaking=True)
    return sum(_alert_send(article=article) for article in articles)
