"""RSS 2.0 and Atom feeds of the latest news, built on django.contrib.syndication."""

import html
import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from editions.selectors import edition_current

from .models import Article, Section
from .names import agency_name

FEED_LENGTH = 50


def publication_name(edition=None) -> str:
    """The agency's name as an edition's feeds and Google News sitemap give
    it: in the active language ("Национальное информационное агентство"),
    and where that is the main edition's name for another edition (its feed
    for partners, in English), with the edition's name ("National News
    Agency (Русский)"), so that a reader or an aggregator holding several
    tells them apart."""
    edition = edition or edition_current()
    name = agency_name()
    if edition.is_main or name != settings.AGENCY_NAME:
        return name
    return f"{name} ({edition.name})"


def article_feed_summary(article) -> str:
    """The one place an article's dateline and lead become feed text: HTML,
    as RSS descriptions and our Atom summaries are read, with only what HTML
    needs escaped (& < >), so readers that show it as text see no
    entities for quotes. Titles need nothing: they are plain text, and the
    feed's XML writer escapes them once."""
    text = f"{article.dateline} – {article.lead}" if article.lead else article.dateline
    return html.escape(text, quote=False)


def with_item_details(articles):
    """Everything a feed item shows, fetched in a fixed number of queries."""
    return articles.select_related("section", "source", "main_image").prefetch_related(
        "tags", "authors"
    )


class WebSubRssFeed(Rss201rev2Feed):
    """RSS 2.0 naming the WebSub hub, if the feed has one (beside the
    atom:link rel="self" Django writes)."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})


class WebSubAtomFeed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("link", None, {"rel": "hub", "href": self.feed["hub"]})


class LatestArticlesFeed(Feed):
    """/feeds/rss/: the latest published news of the edition, newest first,
    in its language (RSS <language>, Atom xml:lang: Django writes the
    language active while the edition's page renders)."""

    feed_type = WebSubRssFeed
    item_guid_is_permalink = True  # the guid is the article's absolute URL
    # Subscribers may learn of changes from settings.WEBSUB_HUB_URL, which
    # the partners app tells of every change of the news.
    websub = True

    def feed_extra_kwargs(self, obj):
        return {"hub": settings.WEBSUB_HUB_URL} if self.websub else {}

    def title(self):
        return _("%(agency)s: latest news") % {"agency": publication_name()}

    def description(self):
        return _("The latest news from %(agency)s.") % {"agency": publication_name()}

    def link(self):
        return reverse("articles:archive")

    def author_name(self):
        return publication_name()

    def items(self):
        newest = (
            Article.objects.published()
            .in_edition(edition_current())
            .order_by("-published_at", "-pk")
        )
        return with_item_details(newest)[:FEED_LENGTH]

    def item_title(self, article):
        # Plain text. Django's default escapes it as HTML, and the XML writer
        # then escapes it again: "Q&amp;A" in every reader.
        return article.headline

    def item_description(self, article):
        return article_feed_summary(article)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        authors = sorted(article.authors.all(), key=lambda user: user.pk)
        if authors:
            return ", ".join(user.get_full_name() or user.get_username() for user in authors)
        # No byline: the news is the partner's, or the agency's own.
        return article.source.name if article.source_id else agency_name()

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_enclosures(self, article):
        image = article.main_image
        if image is None or not image.file:
            return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        # The size is kept on the row: no storage call per item.
        return [Enclosure(image.file.url, str(image.filesize or 0), mime_type)]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Syndication makes item links absolute but leaves enclosure URLs as
        # the storage gives them; a feed needs them absolute too.
        for item in feed.items:
            for enclosure in item["enclosures"]:
                enclosure.url = request.build_absolute_uri(enclosure.url)
        return feed


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """/feeds/atom/: the same news as Atom."""

    feed_type = WebSubAtomFeed

    def subtitle(self):
        return self.description()


class SectionFeed(LatestArticlesFeed):
    """/section/<slug>/rss/: a section's news, its children's included."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, edition=edition_current(), slug=slug)

    def title(self, section):
        return _("%(agency)s: %(section)s") % {
            "agency": publication_name(),
            "section": section.name,
        }

    def description(self, section):
        return _("The latest news in %(section)s from %(agency)s.") % {
            "agency": publication_name(),
            "section": section.name,
        }

    def link(self, section):
        return reverse("articles:section", args=[section.slug])

    def items(self, section):
        return with_item_details(
            Article.objects.published()
            .in_edition(edition_current())
            .in_section(section)[:FEED_LENGTH]
        )
