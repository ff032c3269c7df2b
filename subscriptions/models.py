import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import main_edition


def new_key():
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    """A reader's address, choices and proof of consent (personal data:
    nothing more is kept, and "forget" deletes it with its deliveries)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Breaking news, as it happens")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    # Normalised: stripped and lower-cased, so one reader is one row.
    email = models.EmailField(max_length=254, unique=True)
    # The edition subscribed to: its sections, its news, mails in its language.
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.PROTECT,
        default=main_edition,
        related_name="subscribers",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    sections = models.ManyToManyField(
        "articles.Section",
        blank=True,
        related_name="subscribers",
        help_text="None: every section of the edition. A section includes its child sections.",
    )
    # Signed into the preferences and unsubscribe links; never changes.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    # Signed into the confirmation link; emptied when it is used (single use).
    confirm_key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Consent: what the form said, when and from where it was asked for and
    # given (the confirmation button).
    consent_text = models.TextField(blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The last "you are already subscribed" mail: at most one a day.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "frequency"], name="subscriber_sending_idx")]

    def __str__(self):
        return self.email


class Delivery(models.Model):
    """One subscriber's digest of a period ("daily:2026-11-29",
    "weekly:2026-W48") or alert ("alert:42"). The unique key is what makes
    sending exactly-once: the row is inserted in the transaction that sends.
    A digest with nothing to send is recorded too, without ``sent_at``, so
    later runs of the period pass that subscriber by."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=40)
    # For digests, the end of the window covered: the next digest starts there.
    until = models.DateTimeField(null=True, blank=True)
    article_count = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "key"], name="delivery_once_per_key")
        ]

    def __str__(self):
        return f"{self.key} to {self.subscriber_id}"
