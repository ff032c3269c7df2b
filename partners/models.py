import secrets
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey

from articles.models import main_edition
from articles.validators import validate_image_upload


class Partner(models.Model):
    """A partner agency: we republish its news and it takes ours."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    attribution_label = models.CharField(
        max_length=100,
        help_text='Shown in datelines after our agency\'s name, e.g. "China Daily".',
    )
    website = models.URLField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    logo = models.ImageField(upload_to="partners/", blank=True, validators=[validate_image_upload])
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    allows_redistribution = models.BooleanField(
        "licence allows redistribution",
        default=False,
        help_text="Whether we may pass this agency's news on to other partners (API and "
        "partner feeds). Our site shows it with attribution either way.",
    )
    usage_terms = models.TextField(
        blank=True,
        help_text="Usage terms passed on with this agency's news; empty for our own terms.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerAPIKey(AbstractAPIKey):
    """A key a partner uses for the API and its feeds: shown once, stored
    hashed, revocable, with an optional expiry."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    request_count = models.PositiveBigIntegerField("requests", default=0, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"


class PartnerFeed(models.Model):
    """A partner's feed that we import from, into one edition: its items
    are filed there, or in the edition of the language an item declares."""

    class Format(models.TextChoices):
        RSS = "rss", "RSS or Atom"
        NINJS = "ninjs", "ninjs (JSON)"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField("URL", max_length=500)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.RSS)
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.PROTECT,
        default=main_edition,
        related_name="+",
        help_text="Where its items go, unless an item declares the language of another edition.",
    )
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the imported articles are filed: a section of the feed's edition "
        "(an item in another edition's language goes to that edition's section of the same slug).",
    )
    publish = models.BooleanField(
        "publish imported news",
        default=False,
        help_text="Publish new items at once; otherwise they wait for an editor, in review.",
    )
    is_active = models.BooleanField("active", default=True)
    interval = models.PositiveIntegerField(
        "interval (minutes)", default=15, validators=[MinValueValidator(1)]
    )
    last_run_at = models.DateTimeField("last run", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["partner__name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "url"], name="partner_feed_unique_url")
        ]

    def __str__(self):
        return f"{self.partner}: {self.url}"

    def clean(self):
        if self.section_id and self.edition_id and self.section.edition_id != self.edition_id:
            raise ValidationError({"section": "Choose a section of the feed's edition."})

    def is_due(self, now=None) -> bool:
        if self.last_run_at is None:
            return True
        return self.last_run_at + timedelta(minutes=self.interval) <= (now or timezone.now())


class FeedRun(models.Model):
    """One import of a feed: what it brought and what went wrong."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    feed = models.ForeignKey(PartnerFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    items_new = models.PositiveIntegerField("new", default=0)
    items_updated = models.PositiveIntegerField("updated", default=0)
    items_skipped = models.PositiveIntegerField(
        "skipped", default=0, help_text="Left out on purpose: a repeated GUID, or too old."
    )
    items_failed = models.PositiveIntegerField("failed", default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="feed_run_feed_started_idx")]

    def __str__(self):
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"


class ImportedItem(models.Model):
    """An item a partner's feed brought, by its GUID/URI: seen once, imported
    once. The unique constraint is what keeps concurrent runs from creating
    the same article twice."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="imported_items")
    guid = models.CharField("GUID", max_length=500)
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_item",
    )
    # A digest of the imported text: a change means the partner updated it.
    digest = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "guid"], name="imported_item_unique_guid")
        ]

    def __str__(self):
        return self.guid


class MediaTopic(models.Model):
    """The IPTC Media Topic a section's news goes to partners under
    (https://cv.iptc.org/newscodes/mediatopic/). A section without one takes
    its parent's; editors change the table in the admin."""

    section = models.OneToOneField(
        "articles.Section", on_delete=models.CASCADE, related_name="media_topic"
    )
    code = models.CharField(
        max_length=8,
        validators=[RegexValidator(r"^[0-9]{8}$", "Eight digits, e.g. 11000000.")],
        help_text="The Media Topic's number, e.g. 11000000 for politics.",
    )
    name = models.CharField(max_length=200, help_text='Its IPTC name, e.g. "politics".')

    class Meta:
        ordering = ["section__position", "section__name"]

    def __str__(self):
        return f"{self.section}: medtop:{self.code} ({self.name})"

    @property
    def qcode(self) -> str:
        return f"medtop:{self.code}"

    @property
    def uri(self) -> str:
        return f"http://cv.iptc.org/newscodes/mediatopic/{self.code}"


def webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An address of a partner's that we POST each change of our news to,
    as ninjs, signed with the shared secret (see partners/webhooks.py)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField("URL", max_length=500, help_text="Where the items are POSTed.")
    secret = models.CharField(
        max_length=100,
        default=webhook_secret,
        help_text="Shared with the partner: it signs every delivery (HMAC-SHA256).",
    )
    sections = models.ManyToManyField(
        "articles.Section",
        blank=True,
        related_name="+",
        help_text="The sections it takes (a parent takes its children); none takes all.",
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["partner__name", "url"]

    def __str__(self):
        return f"{self.partner}: {self.url}"


class WebhookDelivery(models.Model):
    """One version of one item for one webhook: sent until the partner
    answers 2xx, with backoff between attempts, and logged for the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    delivery_id = models.UUIDField("delivery id", default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField()
    pub_status = models.CharField("pubStatus", max_length=10)
    # The item as it was at that version (ninjs JSON): every attempt sends
    # the same bytes.
    payload = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField("last error", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField("next attempt", null=True, blank=True)
    delivered_at = models.DateTimeField("delivered", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "article", "version"], name="webhook_delivery_once_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx")
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version} to {self.webhook}"


class Place(models.Model):
    """A dateline place and its country, as partners' items give them:
    "MINSK" is located "Minsk, Belarus", with the ISO 3166 country code."""

    name = models.CharField(max_length=100, help_text='As written in datelines, any case: "Minsk".')
    country = models.CharField(max_length=100, help_text='"Belarus"')
    country_code = models.CharField(
        "ISO 3166 code",
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, e.g. BY.")],
        help_text="ISO 3166-1 alpha-2, e.g. BY.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="place_unique_name")]

    def __str__(self):
        return f"{self.name}, {self.country}"
