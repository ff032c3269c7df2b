"""Asking for a subscription (the form): the request stored, and the
confirmation or "already subscribed" mail queued as a task."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .models import Subscriber, new_key

# At most one "you are already subscribed" mail per address in this time.
REMINDER_INTERVAL = datetime.timedelta(days=1)


def subscription_request(
    *,
    email: str,
    edition: str,
    frequency: str,
    section_ids: list[int],
    ip: str | None,
    consent_text: str,
) -> None:
    """Someone asks for ``email`` to be subscribed to ``edition`` (the form
    of that edition's site, with its sections). Whatever the
    address's state, the caller answers the same; what differs is the mail:

    - new, pending or unsubscribed: the choices (the edition too) are stored as pending with
      the consent asked for, and a confirmation mail goes out;
    - confirmed: nothing changes, and an "already subscribed" mail goes out
      at most once a day.

    Mails are queued as tasks after the transaction, so an SMTP failure or
    delay never shows in the answer. Call it outside a transaction (views).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            mail, subscriber = _subscription_store(
                email=email,
                edition=edition,
                frequency=frequency,
                section_ids=section_ids,
                ip=ip,
                consent_text=consent_text,
                now=now,
            )
    except IntegrityError:
        return  # the same address sent at the same instant: that request mails

    if mail == "confirm":
        tasks.confirmation_mail_send.enqueue(subscriber.pk)
    elif mail == "reminder":
        tasks.reminder_mail_send.enqueue(subscriber.pk)


def _subscription_store(*, email, edition, frequency, section_ids, ip, consent_text, now):
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    created = subscriber is None
    if created:
        subscriber = Subscriber(email=email)
    elif subscriber.status == Subscriber.Status.CONFIRMED:
        if subscriber.reminded_at is not None and subscriber.reminded_at > now - REMINDER_INTERVAL:
            return None, subscriber
        subscriber.reminded_at = now
        subscriber.save(update_fields=["reminded_at"])
        return "reminder", subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.edition_id = edition
    subscriber.frequency = frequency
    subscriber.consent_text = consent_text
    subscriber.requested_at = now
    subscriber.requested_ip = ip
    # Earlier confirmation mails keep working until one is used.
    subscriber.confirm_key = subscriber.confirm_key or new_key()
    subscriber.save()
    if created:
        subscriber.sections.add(*section_ids)
    else:
        subscriber.sections.set(section_ids)
    return "confirm", subscriber
