from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Edition(models.Model):
    """One language site of the agency (English, Russian, Belarusian…): a
    newsroom of its own with its own articles, sections and tags, home page,
    archive, search, feeds and subscribers. Reached under its URL prefix
    (``/ru/``) or, with ``EDITION_ROUTING = "host"``, on its own host."""

    code = models.CharField(
        "language code",
        max_length=10,
        primary_key=True,
        help_text='The language\'s code, as in <html lang> and hreflang: "en", "ru", "be".',
    )
    name = models.CharField(max_length=50, help_text='In its own language: "Русский".')
    prefix = models.SlugField(
        "URL prefix",
        max_length=20,
        blank=True,
        help_text='Where its pages live ("ru" for /ru/…); empty for the main edition.',
    )
    host = models.CharField(
        max_length=200,
        blank=True,
        help_text='Its own host name ("ru.example.org"), used when editions are served by host.',
    )
    search_config = models.CharField(
        "text search configuration",
        max_length=30,
        default="simple",
        help_text='PostgreSQL\'s configuration for its language ("english", "russian"); '
        '"simple" where PostgreSQL has no stemmer (then inflected words are found by similarity).',
    )
    # Empty: the language's own formats (Django's, or newsportal/formats).
    date_format = models.CharField(
        max_length=30,
        blank=True,
        help_text='As Django writes dates ("j E Y" is "2 декабря 2026"); '
        "empty for the language's own.",
    )
    datetime_format = models.CharField(
        max_length=30, blank=True, help_text='"j E Y, H:i" is "2 декабря 2026, 14:54".'
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    # Its desk: the journalists and editors who write for it.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="editions", verbose_name="desk"
    )

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix"], name="edition_prefix_unique", condition=~models.Q(prefix="")
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        taken = Edition.objects.filter(prefix=self.prefix).exclude(pk=self.pk)
        if self.prefix and taken.exists():
            raise ValidationError({"prefix": "Another edition has this prefix."})
        if self.pk == settings.LANGUAGE_CODE and self.prefix:
            raise ValidationError({"prefix": "The main edition lives at the site's root."})
        if self.pk != settings.LANGUAGE_CODE and not self.prefix:
            raise ValidationError({"prefix": "Every edition but the main one needs a prefix."})

    @property
    def is_main(self) -> bool:
        return self.pk == settings.LANGUAGE_CODE
