from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from editions.models import Edition

from .names import agency_short_name
from .renditions import (
    SHARE_CROPS,
    Rendition,
    rendition_key,
    rendition_list,
)
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


# A change to any of these fields computes the search vector again (and to
# its tags or its sections' names: articles/signals.py).
SEARCH_FIELDS = {"headline", "lead", "body", "dateline_place", "section", "edition"}


def search_document():
    """The weighted text an article is found by: headline > lead, dateline
    place, section names and tag names > body, parsed with its edition's
    text search configuration (Edition.search_config: stemming and stop
    words of its language). An expression for an UPDATE of articles
    (subqueries, no joins), computed by the database."""
    tag_names = (
        TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=models.OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(names=StringAgg("tag__name", " "))
        .values("names")
    )
    section = Section.objects.filter(pk=models.OuterRef("section_id"))
    parent = Section.objects.filter(children=models.OuterRef("section_id"))
    # (Coalesce: a Func, whose SQL parameters SearchVector can add to.)
    config = Coalesce(
        models.Subquery(
            Edition.objects.filter(pk=models.OuterRef("edition_id")).values("search_config")
        ),
        models.Value("simple"),
    )
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector(
            "lead",
            "dateline_place",
            models.Subquery(section.values("name")),
            models.Subquery(parent.values("name")),
            models.Subquery(tag_names),
            weight="B",
            config=config,
        )
        + SearchVector("body", weight="C", config=config)
    )


def search_vectors_update(articles) -> None:
    """Compute the search vector of ``articles`` (a queryset) again, after
    a change to what it is made of; only PostgreSQL has text search."""
    if connections[articles.db].vendor == "postgresql":
        articles.update(search_vector=search_document())


def main_edition():
    """The main edition's code: what content is in unless it says otherwise."""
    return settings.LANGUAGE_CODE


class Section(models.Model):
    """A node of an edition's section tree ("Government Bodies" >
    "President"). The sections of the same slug in other editions are its
    counterparts ("Органы власти" is /ru/section/government-bodies/)."""

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.PROTECT, default=main_edition, related_name="sections"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "slug"], name="section_slug_unique_per_edition"
            )
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        with translation.override(self.edition_id):
            return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def menu_section(self):
        """The section of the site's menu this one is in (itself, or its
        parent): what a story's section label says and links to, so that
        readers find it in the menu ("Government Bodies", not "Government").
        Load the parent with it (``select_related("section__parent")``)."""
        return self.parent if self.parent_id else self

    def clean(self):
        if self.parent_id and self.parent.edition_id != self.edition_id:
            raise ValidationError({"parent": "A section's parent is in its own edition."})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A section cannot be inside itself."})
            ancestor = ancestor.parent


class Image(models.Model):
    # Saved through articles/images.py image_save, which prepares an upload
    # (no metadata kept) and deletes and makes files after the commit. Width
    # and height are set on upload, turned the way EXIF says (not by
    # ImageField's width_field, which reads the file again on every form save
    # and ignores orientation).
    file = models.ImageField(
        upload_to="images/%Y/%m/",
        validators=[validate_image_upload],
        help_text="JPEG, PNG, WebP or GIF.",
    )
    alt_text = models.CharField(
        max_length=250, help_text="What the photo shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer / copyright.")
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right edge.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom edge.",
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    # Kept so that feeds (enclosure length) never ask the storage per item.
    filesize = models.PositiveBigIntegerField(editable=False, null=True)
    # Which renditions are on the storage (see renditions.py); empty until the
    # first ones are made, and pages show the original meanwhile.
    renditions_key = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.caption or self.alt_text

    @property
    def renditions_source_key(self):
        return rendition_key(self.file.name, self.focal_x, self.focal_y)

    def renditions(self, crop="full"):
        """The renditions of a crop ("full", "card"), smallest first; empty until made."""
        return rendition_list(self, crop)

    @property
    def largest(self):
        """The version to give crawlers and share cards: the largest JPEG
        rendition (no EXIF, so no GPS position), or the original until the
        renditions are made."""
        if made := self.renditions():
            return made[-1]
        return Rendition(self.width, self.height, self.file.url, "")

    @property
    def share_images(self) -> list[Rendition]:
        """What search engines are given: the largest JPEG of each crop they
        take (16:9, 4:3, 1:1; a crop the picture already has once), when the
        renditions of the current file and crops are made; the largest
        version there is until then."""
        if self.renditions_key and self.renditions_key == self.renditions_source_key:
            largest = {}
            for crop in SHARE_CROPS:
                if made := self.renditions(crop):
                    largest.setdefault(made[-1].url, made[-1])
            return list(largest.values())
        return [self.largest]

    @property
    def thumbnail_url(self):
        if made := self.renditions():
            return made[0].webp_url
        return self.file.url if self.file else None


class Author(models.Model):
    """The public face of a newsroom user who writes: a page of their own
    (``/author/<slug>/``) that bylines link to. Made for every user when the
    user is created (articles/signals.py); the name is the user's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_profile"
    )
    slug = models.SlugField(
        max_length=150, unique=True, help_text="Part of the address of the author's page."
    )
    role = models.CharField(
        max_length=100, blank=True, help_text='What they do, e.g. "Economics correspondent".'
    )
    photo = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


# What a save compares with the loaded row: the workflow status (for the
# status log) and the address (for redirects from an old one).
# What a save compares with the row as loaded: the status history, old
# addresses, and which public pages the article was on (articles/signals.py).
HISTORY_FIELDS = ("status", "slug", "publication_date", "published_at", "section_id")
# What readers read: a change to it once public is shown as "Updated".
TEXT_FIELDS = {"headline", "lead", "body"}


# The article's fields by role, named once: the copy and its placement (what
# a revision restores; the workflow stays as it is now), and the workflow
# fields only editors may set (publication time, flags, takedown, release).
COPY_FIELDS = [
    "headline",
    "slug",
    "lead",
    "body",
    "dateline_place",
    "section",
    "main_image",
    "source",
    "via_agencies",
]
COPY_M2M_FIELDS = ["secondary_sections", "authors"]
EDITOR_ONLY_FIELDS = [
    "published_at",
    "is_breaking",
    "is_top_story",
    "withdrawn_reason",
    "released_to_partners",
]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one publication rule: status published and the publication time
        reached. A future ``published_at`` is an embargo that lifts by itself."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_edition(self, edition):
        """An edition's articles (an Edition or its code): each article is
        in one edition, and its pages list only their own."""
        return self.filter(edition=edition)

    def scheduled(self):
        """Published for a time still to come: it goes public by itself then
        (``Article.is_scheduled`` for one article)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_partners(self):
        """What partner agencies may receive: everything published, plus
        scheduled articles an editor released to partners ahead of their
        time (partners get them marked as embargoed until then)."""
        return self.published() | self.filter(
            status=Article.Status.PUBLISHED, released_to_partners=True
        )

    def in_section(self, section: "Section | str"):
        """The one rule of what a section holds: articles filed under it or
        one of its children, as their primary or a secondary section
        (``Article.section_ids`` is the same rule seen from an article).
        ``section`` is a Section or a slug (an unknown slug holds nothing).

        A filter on the row (its section among the section's ids) or an
        EXISTS probe of its secondary sections: PostgreSQL walks the
        publication index and checks both per row from hashed sets, stopping
        after a page. A ``pk IN (primary ids UNION secondary ids)`` made it
        join the whole union against the index walk row by row (31 ms against
        1 ms on 5,000 articles, growing with the square of the archive)."""
        if isinstance(section, Section):
            sections = Section.objects.filter(Q(pk=section.pk) | Q(parent=section.pk))
        else:
            sections = Section.objects.filter(Q(slug=section) | Q(parent__slug=section))
        section_ids = sections.order_by().values("pk")
        secondary = Article.secondary_sections.through.objects.filter(
            article=models.OuterRef("pk"), section__in=section_ids
        )
        return self.filter(Q(section__in=section_ids) | models.Exists(secondary))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.PROTECT, default=main_edition, related_name="articles"
    )
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
    via_agencies = models.CharField(
        "further sources",
        max_length=200,
        blank=True,
        help_text="Agencies the source had it from, in order, separated by commas "
        '(the dateline reads "(NNA - source - these)").',
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
    # When the headline, lead or body last changed while the article was
    # public: the page says "Updated" then.
    text_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_breaking = models.BooleanField("breaking", default=False)
    is_top_story = models.BooleanField("top story", default=False)
    withdrawn_reason = models.TextField(
        blank=True, help_text="Why the article was taken down (kept in the newsroom only)."
    )
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: every save increments it; a form saved from an
    # older version is refused (see ArticleAdminForm).
    version = models.PositiveIntegerField(default=1, editable=False)
    released_to_partners = models.BooleanField(
        default=False,
        help_text="Partner agencies receive a scheduled article before its time, "
        "marked as embargoed until then. The public still sees it only at that time.",
    )
    # Full-text search on PostgreSQL (GIN-indexed there); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    # Whether the rest of the system was told it is public (article_published
    # sent, article_withdrawn not since): what makes each signal go out once,
    # also when a scheduled time is reached with no save (articles/services.py).
    announced_public = models.BooleanField(default=False, editable=False)

    # A translation names its original (in another edition), and the
    # original's version it was last brought up to date with.
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The article this one translates, in another edition.",
    )
    translated_version = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Can publish, schedule and withdraw articles")]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "publication_date", "slug"], name="article_slug_unique_per_day"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # An edition's listings: its own news only, not the other
            # editions' filtered out one by one.
            models.Index(
                fields=["edition", "status", "-published_at"], name="article_edition_pub_idx"
            ),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
            # The home page's top stories and breaking banner: a few flagged
            # rows, not a week's news filtered one by one.
            models.Index(
                fields=["-published_at"],
                name="article_top_story_idx",
                condition=models.Q(is_top_story=True, status="published"),
            ),
            models.Index(
                fields=["-published_at"],
                name="article_breaking_idx",
                condition=models.Q(is_breaking=True, status="published"),
            ),
            # The scheduler's look for publications not yet announced: only
            # scheduled articles (and a moment's worth of new ones) are in it.
            models.Index(
                fields=["published_at"],
                name="article_unannounced_idx",
                condition=Q(status="published", announced_public=False),
            ),
            # The partner API's since=: what changed lately.
            models.Index(fields=["updated_at"], name="article_updated_idx"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Sanitise on every save, not only through forms: imports and scripts
        # write bodies too.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        self.publication_date = self._local_publication_date()
        self.version = (self.version or 0) + 1 if self.pk else 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"version", "last_changed_by"}
            if "published_at" in update_fields:
                extra.add("publication_date")
            kwargs["update_fields"] = {*update_fields, *extra}
        elif not self._state.adding:
            # The announcement flag is only compared and set in the database
            # (services.article_public_announce): saving a copy loaded before
            # an announcement must not put the old value back.
            kwargs["update_fields"] = (
                {field.attname for field in self._meta.concrete_fields if not field.primary_key}
                - self.get_deferred_fields()
                - {"announced_public"}
            )
        loaded = getattr(self, "_loaded", {})
        if self._text_changed_in_public(loaded):
            self.text_updated_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "text_updated_at"}
        with transaction.atomic(using=kwargs.get("using") or self._state.db or "default"):
            super().save(*args, **kwargs)
            self._record_history(loaded)
        self._loaded = {name: getattr(self, name) for name in HISTORY_FIELDS}
        self._loaded["text"] = self._text()
        if update_fields is None or SEARCH_FIELDS & set(update_fields):
            self._update_search_vector()

    def get_absolute_url(self):
        """Its address in its edition (``/ru/news/…`` for a Russian article)."""
        if self.publication_date is None:
            return None
        kwargs = {
            "year": self.publication_date.year,
            "month": f"{self.publication_date.month:02d}",
            "day": f"{self.publication_date.day:02d}",
            "slug": self.slug,
        }
        if self.edition_id == translation.get_language():
            return reverse("articles:detail", kwargs=kwargs)
        with translation.override(self.edition_id):
            return reverse("articles:detail", kwargs=kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # What the row held when loaded: a save compares against it to record
        # status changes and keep old addresses working.
        article._loaded = {
            name: getattr(article, name) for name in HISTORY_FIELDS if name in field_names
        }
        if TEXT_FIELDS <= set(field_names):  # not when the body was deferred
            article._loaded["text"] = article._text()
        return article

    def _text(self):
        return tuple(getattr(self, name) for name in sorted(TEXT_FIELDS))

    def _text_changed_in_public(self, loaded) -> bool:
        """The text differs from what readers could read when it was loaded."""
        was_public = (
            loaded.get("status") == self.Status.PUBLISHED
            and loaded.get("published_at") is not None
            and loaded["published_at"] <= timezone.now()
        )
        return was_public and loaded.get("text", self._text()) != self._text()

    def _record_history(self, loaded):
        """Log a status change, and remember a published address that changed."""
        old_status = loaded.get("status")
        if old_status != self.status:
            StatusChange.objects.create(
                article=self,
                changed_by=self.last_changed_by,
                from_status=old_status or "",
                to_status=self.status,
            )
        old_date, old_slug = loaded.get("publication_date"), loaded.get("slug")
        if (
            old_status == self.Status.PUBLISHED
            and old_date is not None
            and (old_date, old_slug) != (self.publication_date, self.slug)
        ):
            ArticleRedirect.objects.update_or_create(
                publication_date=old_date, slug=old_slug, defaults={"article": self}
            )
            # Moved back to an earlier address: it is the article's own again.
            ArticleRedirect.objects.filter(
                publication_date=self.publication_date, slug=self.slug
            ).delete()

    def _update_search_vector(self):
        # Computed by the database from the saved row: one UPDATE.
        search_vectors_update(Article.objects.using(self._state.db).filter(pk=self.pk))

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
            and Article.objects.filter(
                edition=self.edition_id, publication_date=self.publication_date, slug=self.slug
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"slug": "Another article published on that day already has this slug."}
            )
        if self.section_id and self.section.edition_id != self.edition_id:
            raise ValidationError({"section": "Choose a section of the article's edition."})
        if self.translation_of_id and self.translation_of.edition_id == self.edition_id:
            raise ValidationError(
                {"translation_of": "A translation is in another edition than its original."}
            )

    @property
    def is_public(self):
        return _public(self.status, self.published_at)

    @property
    def is_scheduled(self) -> bool:
        """``Article.objects.scheduled()`` for this article."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_public(self) -> bool:
        """Whether the row as it was loaded is public by the clock now (the
        same as ``is_public`` until a save changes the status or the time)."""
        loaded = getattr(self, "_loaded", {})
        return _public(loaded.get("status"), loaded.get("published_at"))

    @cached_property
    def section_ids(self) -> set[int]:
        """The sections the article counts under: its own and its secondary
        sections, and their parents; the rule of ``in_section`` seen from the
        article (prefetch ``secondary_sections`` to read it without a query)."""
        sections = [self.section, *self.secondary_sections.all()]
        return {s.pk for s in sections} | {s.parent_id for s in sections if s.parent_id}

    @property
    def sources(self) -> list[str]:
        """The source chain, ours first: ["NNA", "China Daily", ...]."""
        chain = [agency_short_name()]
        if self.source_id:
            chain.append(self.source.attribution_label)
        chain += [name.strip() for name in self.via_agencies.split(",") if name.strip()]
        return chain

    @property
    def dateline(self):
        """'PYONGYANG, 23 March (NNA - China Daily)': place, local day and
        sources, in the language of the article's edition ('МИНСК, 23 марта
        (НИА)'), wherever it is shown (pages, feeds, the partner API)."""
        with translation.override(self.edition_id):
            return dateline_line(
                place=self.dateline_place, moment=self.published_at, sources=self.sources
            )


def _public(status, published_at) -> bool:
    """``Article.objects.published()`` for one row."""
    return (
        status == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= timezone.now()
    )


def dateline_line(*, place: str, moment, sources: list[str]) -> str:
    """The dateline of a story: 'PYONGYANG, 23 March (NNA - China Daily)'.

    The one formatting of datelines: pages, feeds and the partner API call it
    (through Article.dateline)."""
    parts = [place.strip().upper()] if place and place.strip() else []
    if moment is not None:
        # The month as the active language writes a day ("23 марта"); not
        # the edition's own date format, which is for whole dates.
        parts.append(dateformat.format(timezone.localtime(moment), get_format("MONTH_DAY_FORMAT")))
    return f"{', '.join(parts)} ({' - '.join(sources)})"


class StatusChange(models.Model):
    """One step of an article's workflow: who moved it from which status to which."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=Article.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Article.Status.choices)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or 'new'} → {self.get_to_status_display()}"


class Correction(models.Model):
    """A dated correction note, shown under the article's text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Correction of {self.created_at:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The article changed: its dateModified, feeds' updated date and caches.
        Article.objects.filter(pk=self.article_id).update(updated_at=timezone.now())


class ArticleRedirect(models.Model):
    """An address a published article had before its slug or date changed."""

    publication_date = models.DateField()
    slug = models.SlugField(max_length=250)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication_date", "slug"], name="article_redirect_unique"
            )
        ]

    def __str__(self):
        return f"{self.publication_date}/{self.slug}"


class ArticleHourlyViews(models.Model):
    """How many times an article was read in one hour (the hour's start):
    counted in the cache per request, folded in here by a periodic task
    (articles/mostread.py). No reader, cookie or address is kept."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="article_hourly_views_once")
        ]
        indexes = [models.Index(fields=["hour"], name="article_hourly_views_hour")]

    def __str__(self):
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}:00: {self.views}"


# Changes to published copy go through review (issue 14): the model of a
# change waiting for review; its services are in articles/revisions.py.
from .review_models import PendingRevision  # noqa: E402, F401, I001
