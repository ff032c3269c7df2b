"""Sitemaps on django.contrib.sitemaps: an index of monthly article sitemaps,
so that no request counts or OFFSETs through the whole archive, and a Google
News sitemap of the last two days."""

import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from editions.selectors import edition_current

from .models import Article, Section
from .selectors import month_lastmod

logger = logging.getLogger(__name__)


class StaticSitemap(Sitemap):
    """The pages that are not articles: home, "All news" and the sections."""

    changefreq = "hourly"

    def items(self):
        sections = Section.objects.filter(edition=edition_current()).values_list("slug", flat=True)
        return [reverse("articles:home"), reverse("articles:archive")] + [
            reverse("articles:section", args=[slug]) for slug in sections
        ]

    def location(self, url):
        return url

    def get_latest_lastmod(self):
        """These pages change with the latest news: its last change."""
        newest = (
            Article.objects.published()
            .in_edition(edition_current())
            .order_by("-published_at", "-pk")
            .values_list("published_at", "updated_at")
            .first()
        )
        return max(newest) if newest else None


class ArticleMonthSitemap(Sitemap):
    """The articles published in one local calendar month, oldest first.

    A range on ``published_at`` (the status/published_at index), so an old
    month costs the same as this one. A month is one file of at most
    ``limit`` URLs, the protocol's maximum (about 1,600 articles a day), so
    that the index can list it without counting its rows.
    """

    limit = 50_000

    def __init__(self, year, month):
        tz = timezone.get_current_timezone()
        self.start = datetime(year, month, 1, tzinfo=tz)
        self.end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)

    def items(self):
        return (
            Article.objects.published()
            .in_edition(edition_current())
            .filter(published_at__gte=self.start, published_at__lt=self.end)
            .order_by("published_at", "pk")
            .only("edition", "slug", "publication_date", "updated_at")
        )

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Not Django's default, which reads every article of the month: one
        # aggregate, kept until an article of the month changes.
        return month_lastmod(month=self.start.date(), edition=edition_current())

    @property
    def paginator(self):
        paginator = super().paginator
        paginator.count = self.limit  # one page, whatever the month holds: no COUNT
        return paginator

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        if len(urls) >= self.limit:
            logger.warning(
                "Sitemap for %s is full (%s URLs): later articles are left out.",
                f"{self.start:%Y-%m}",
                self.limit,
            )
        return urls


class ArticleSitemaps(Mapping):
    """The sections of /sitemap.xml: "static", then "articles-YYYY-MM" for
    each month from the first published article to now, newest first.

    Listing them is one query (the oldest publication time, read off the
    status/published_at index); looking one up parses its name.
    """

    MONTH = re.compile(r"articles-(\d{4})-(\d{2})")

    def __getitem__(self, key):
        if key == "static":
            return StaticSitemap()
        match = self.MONTH.fullmatch(key)
        if match is None:
            raise KeyError(key)
        try:
            return ArticleMonthSitemap(int(match[1]), int(match[2]))
        except ValueError:  # no such month: 2026-13, 0000-01, 9999-12
            raise KeyError(key) from None

    def __iter__(self):
        yield "static"
        first = (
            Article.objects.published()
            .in_edition(edition_current())
            .aggregate(first=Min("published_at"))["first"]
        )
        if first is None:
            return
        first = timezone.localtime(first)
        now = timezone.localtime()
        for index in range(now.year * 12 + now.month - 1, first.year * 12 + first.month - 2, -1):
            year, month = divmod(index, 12)
            yield f"articles-{year}-{month + 1:02d}"

    def __len__(self):
        return sum(1 for _ in self)


class NewsSitemap(Sitemap):
    """Google News: the articles of the last two days, at most 1,000."""

    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .in_edition(edition_current())
            .filter(published_at__gte=timezone.now() - timedelta(days=2))
            .order_by("-published_at", "-pk")
            .only("edition", "headline", "slug", "publication_date", "published_at", "updated_at")[
                : self.limit
            ]
        )

    def lastmod(self, article):
        return article.updated_at
