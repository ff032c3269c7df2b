from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from .validators import validate_image_upload

# What the body editor offers, and so what the sanitiser keeps: anything else
# (scripts, event handlers, javascript: links, inline SVG) is removed on save.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Strike": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "SpecialCharacters": True,
}


# PostgreSQL text search configuration (stemming, stop words) for the site's
# language: used for the stored search vector and for parsing queries.
SEARCH_CONFIG = "english"

# A change to any of these fields computes the search vector again.
SEARCH_FIELDS = {"headline", "lead", "body"}


def search_document():
    """The weighted text an article is found by: headline > lead > body."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("lead", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


class Section(models.Model):
    """A node of the section tree ("Government Bodies" > "President")."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A section cannot be inside itself."})
            ancestor = ancestor.parent


class Image(models.Model):
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF.",
    )
    alt_text = models.CharField(
        max_length=250, help_text="What the photo shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer / copyright.")
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    # Kept so that feeds (enclosure length) never ask the storage per item.
    filesize = models.PositiveBigIntegerField(editable=False, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.filesize = self.file.size
        super().save(*args, **kwargs)

    @property
    def thumbnail_url(self):
        return self.file.url if self.file else None


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one publication rule: status published and the publication time
        reached. A future ``published_at`` is an embargo that lifts by itself."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_partners(self):
        """What partner agencies may receive: everything published, plus
        scheduled articles an editor released to partners ahead of their
        time (partners get them marked as embargoed until then)."""
        return self.published() | self.filter(
            status=Article.Status.PUBLISHED, released_to_partners=True
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250, help_text="Part of the web address; unique for its publication date."
    )
    lead = models.TextField(help_text="The standfirst: one or two sentences.", blank=True)
    body = ProseEditorField(config={"extensions": BODY_EXTENSIONS}, sanitize=True, blank=True)
    dateline_place = models.CharField(
        max_length=100, blank=True, help_text='Where the story was filed, e.g. "MINSK".'
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    secondary_sections = models.ManyToManyField(
        Section, blank=True, related_name="secondary_articles"
    )
    tags = TaggableManager(blank=True)
    main_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="articles")
    source = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="The partner agency this came from; empty for our own news.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A time in the future schedules the article: it appears by itself then.",
    )
    # The local calendar day of published_at: the day in the article's URL,
    # and with the slug what identifies a published article.
    publication_date = models.DateField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_breaking = models.BooleanField("breaking", default=False)
    is_top_story = models.BooleanField("top story", default=False)
    released_to_partners = models.BooleanField(
        default=False,
        help_text="Partner agencies receive a scheduled article before its time, "
        "marked as embargoed until then. The public still sees it only at that time.",
    )
    # Full-text search on PostgreSQL (GIN-indexed there); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and withdraw articles")]
        constraints = [
            models.UniqueConstraint(
                fields=["publication_date", "slug"], name="article_slug_unique_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Sanitise on every save, not only through forms: imports and scripts
        # write bodies too.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        self.publication_date = self._local_publication_date()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "published_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "publication_date"}
        super().save(*args, **kwargs)
        if update_fields is None or SEARCH_FIELDS & set(update_fields):
            self._update_search_vector()

    def get_absolute_url(self):
        if self.publication_date is None:
            return None
        return reverse(
            "articles:detail",
            kwargs={
                "year": self.publication_date.year,
                "month": f"{self.publication_date.month:02d}",
                "day": f"{self.publication_date.day:02d}",
                "slug": self.slug,
            },
        )

    def _update_search_vector(self):
        # Computed by the database from the saved row: one UPDATE, and only
        # PostgreSQL has text search; other databases search without it.
        if connections[self._state.db].vendor == "postgresql":
            Article.objects.using(self._state.db).filter(pk=self.pk).update(
                search_vector=search_document()
            )

    def _local_publication_date(self):
        if self.published_at is None:
            return None
        return timezone.localdate(self.published_at)

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.publication_date = self._local_publication_date()
        if (
            self.publication_date
            and self.slug
            and Article.objects.filter(publication_date=self.publication_date, slug=self.slug)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"slug": "Another article published on that day already has this slug."}
            )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def dateline(self):
        """'PYONGYANG, 23 March (NNA - China Daily)': place, local day and sources."""
        sources = [settings.AGENCY_SHORT_NAME]
        if self.source_id:
            sources.append(self.source.attribution_label)
        parts = []
        if self.dateline_place:
            parts.append(self.dateline_place.upper())
        if self.published_at:
            local = timezone.localtime(self.published_at)
            parts.append(f"{local.day} {local:%B}")
        return f"{', '.join(parts)} ({' - '.join(sources)})"
