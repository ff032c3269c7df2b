import datetime
import functools
import html
import operator
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramStrictWordSimilarity,
)
from django.core.cache import cache
from django.db import connections, models
from django.db.models import F, Max, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from editions.models import Edition
from editions.selectors import edition_current

from .diffs import TEXT_NAMES, text_diff
from .models import (
    COPY_FIELDS,
    COPY_M2M_FIELDS,
    Article,
    ArticleHourlyViews,
    ArticleRedirect,
    Section,
)
from .pagecache import edition_scoped

# Marks around matched words while the snippet is still untrusted text:
# control characters that HTML escaping leaves alone. Only pairs become
# <mark>; a stray one (were an article to contain it) is dropped.
_START, _STOP = "\x02", "\x03"
_TAG = re.compile(r"<[^>]*>")
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
SNIPPET_WORDS = 35
SEARCH_CANDIDATES = 1000


def article_search(
    *, query: str, articles: QuerySet[Article] | None = None, edition: Edition | None = None
) -> QuerySet[Article]:
    """Published articles of ``edition`` matching ``query``, best first.

    ``edition`` defaults to the edition of the active language. ``articles``
    lets a view add its ``select_related``; it defaults to
    ``Article.objects.published()`` and must never be wider than that.

    On PostgreSQL: full-text search over the stored, weighted search vector
    (headline > lead, dateline place, section and tag names > body:
    models.search_document) with websearch syntax (``"a phrase"``, ``-word``,
    ``or``) parsed with the edition's text search configuration, ranked,
    then newest first; each result carries ``search_headline`` for
    :func:`article_search_snippet`. An edition with the "simple"
    configuration (no stemmer for its language: Belarusian) also finds
    headlines and leads with a word similar to the query's (pg_trgm
    trigrams: "выставы" finds "выстава"), ranked by that similarity too.
    Elsewhere: every word must appear in one of those (``-word`` must not),
    newest first.
    """
    edition = edition or edition_current()
    if articles is None:
        articles = Article.objects.published()
    articles = articles.in_edition(edition).defer("search_vector")
    if connections[articles.db].vendor == "postgresql":
        config = edition.search_config
        search_query = SearchQuery(query, search_type="websearch", config=config)
        matches = Q(search_vector=search_query)
        rank = SearchRank(F("search_vector"), search_query)
        if config == "simple":
            matches |= _similar(query)
            rank = rank + TrigramStrictWordSimilarity(query, "headline")
        # Rank the newest SEARCH_CANDIDATES matches, not every one: a common
        # word matches a large share of a million articles, and ranking them
        # all would take seconds. Readers want recent news first anyway.
        newest = articles.filter(matches).order_by("-published_at").values("pk")[:SEARCH_CANDIDATES]
        return (
            articles.filter(pk__in=newest)
            .defer("body")
            .annotate(
                rank=rank,
                search_headline=SearchHeadline(
                    Concat("lead", Value(" "), "body", output_field=TextField()),
                    search_query,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    wanted, unwanted = _words(query)
    for word in wanted:
        articles = articles.filter(_contains(word))
    for word in unwanted:
        articles = articles.exclude(_contains(word))
    return articles.order_by("-published_at", "-pk")


def _similar(query: str) -> Q:
    """The headline or the lead has a word like each of the query's words
    (pg_trgm's ``%>``: "выставы" is like "Выстава") and none like a word it
    leaves out (``-word``). Words of one letter ("ў", "і", "з") are left
    to the full-text match: a trigram of a letter is no likeness. Each
    condition has its trigram GIN index (migration 0020), combined with the
    vector's by bitmaps."""
    wanted, unwanted = ([word for word in words if len(word) > 1] for words in _words(query))
    if not wanted:
        return Q(pk__in=[])

    def like(word):
        return Q(TrigramWordSimilar(F("headline"), word)) | Q(TrigramWordSimilar(F("lead"), word))

    condition = Q()
    for word in wanted:
        condition &= like(word)
    for word in unwanted:
        condition &= ~like(word)
    return condition


def article_search_snippet(*, article: Article, query: str) -> SafeString:
    """A short excerpt of the lead and body with the query's words in <mark>.

    Everything but the <mark> tags is escaped. Uses the ``search_headline``
    that :func:`article_search` computed on PostgreSQL; elsewhere it finds the
    words itself, from the row already loaded (no query either way).
    """
    headline = getattr(article, "search_headline", None)
    if headline is not None:
        return _markup(_plain(headline))
    text = _plain(f"{article.lead} {article.body}")
    wanted, _ = _words(query)
    pattern = re.compile("|".join(re.escape(word) for word in wanted), re.IGNORECASE)
    words = text.split(" ")
    first = next((i for i, word in enumerate(words) if wanted and pattern.search(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    excerpt = " ".join(words[start : start + SNIPPET_WORDS])
    if wanted:
        excerpt = pattern.sub(lambda match: f"{_START}{match[0]}{_STOP}", excerpt)
    before = "… " if start else ""
    after = " …" if start + SNIPPET_WORDS < len(words) else ""
    return _markup(f"{before}{excerpt}{after}")


def _words(query: str) -> tuple[list[str], list[str]]:
    """The words of a query, and those a leading minus leaves out."""
    wanted, unwanted = {}, {}
    for token in query.split():
        target = unwanted if token.startswith("-") else wanted
        target.update(dict.fromkeys(re.findall(r"\w+", token)))
    return list(wanted), list(unwanted)


def _contains(word: str) -> Q:
    """What the search vector holds, as substring matches whatever the case
    (of any script: articles/apps.py gives SQLite a Unicode LOWER)."""
    word = word.lower()

    def has(field):  # a missing parent section is no text (not NULL: -word)
        return Q(Contains(Lower(Coalesce(field, Value(""), output_field=TextField())), word))

    tagged = TaggedItem.objects.filter(
        Contains(Lower("tag__name"), word),
        content_type__app_label="articles",
        content_type__model="article",
    )
    fields = ["headline", "lead", "body", "dateline_place"]
    fields += ["section__name", "section__parent__name"]
    return functools.reduce(operator.or_, map(has, fields)) | Q(pk__in=tagged.values("object_id"))


def _plain(markup: str) -> str:
    """Text of an HTML fragment: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _markup(text: str) -> SafeString:
    """Escape untrusted text, then turn the sentinel pairs into <mark> tags."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(escaped.replace(_START, "").replace(_STOP, ""))  # noqa: S308


def revision_tag_ids(version: Version) -> list[int]:
    """The tags the article had in a revision (its tagged items were followed)."""
    tagged = ContentType.objects.get_for_model(TaggedItem)
    return [
        item.field_dict["tag_id"]
        for item in version.revision.version_set.filter(content_type=tagged)
    ]


def article_revision_diff(*, older, newer) -> list[dict]:
    """The fields that differ between two revisions of an article, for people:
    names instead of ids, and for the headline, lead and body a word diff of
    the text readers read (articles/diffs.py), removed words in <del>, added
    ones in <ins>."""
    fields = map(Article._meta.get_field, [*COPY_FIELDS, *COPY_M2M_FIELDS])
    compared = [
        (
            field.name,
            field.verbose_name,
            field_readable(field, older.field_dict.get(field.name)),
            field_readable(field, newer.field_dict.get(field.name)),
        )
        for field in fields
    ]
    compared.append(("tags", "tags", _tag_names(older), _tag_names(newer)))
    return [
        {
            "name": name,
            "field": label,
            "before": before,
            "after": after,
            "diff": text_diff(name, before, after) if name in TEXT_NAMES else None,
        }
        for name, label, before, after in compared
        if before != after
    ]


def _tag_names(version: Version) -> str:
    names = Tag.objects.filter(pk__in=revision_tag_ids(version)).values_list("name", flat=True)
    return ", ".join(sorted(names))


def field_readable(field, value):
    """A stored value of ``field`` (a revision's, a pending change's) as a
    person reads it: names, not ids."""
    if field.many_to_many:
        return ", ".join(
            sorted(str(obj) for obj in field.related_model.objects.filter(pk__in=value or []))
        )
    if field.is_relation:
        return str(field.related_model.objects.filter(pk=value).first() or "—") if value else "—"
    return value or ""


def article_page_keys(*, article: Article, section_ids=(), day=None) -> set[str]:
    """The surrogate keys of every page that shows ``article`` while it is
    public: its own page, the front page and "All news" with its day, month
    and year, its sections (with their parents), its tags, authors and
    partner, the feeds and sitemaps. ``section_ids`` and ``day`` add where it was before a
    change, so the pages it leaves are refreshed too."""
    sections = {article.section_id, *section_ids}
    sections.update(article.secondary_sections.values_list("pk", flat=True))
    sections.update(
        Section.objects.filter(pk__in=sections, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    keys = {f"article-{article.pk}", "latest", "home", "archive", "search", "feeds", "sitemaps"}
    # The pages of its translations link to it (hreflang).
    keys.add(f"translations-{article.translation_of_id or article.pk}")
    keys.add("api")  # the partner API's lists
    keys.update(f"section-{pk}" for pk in sections if pk)
    keys.update(
        f"tag-{pk}"
        for pk in TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
        ).values_list("tag_id", flat=True)
    )
    keys.update(f"author-{pk}" for pk in article.authors.values_list("pk", flat=True))
    if article.source_id:
        keys.add(f"partner-{article.source_id}")
    for moment in {article.publication_date, day} - {None}:
        keys |= {f"day-{moment:%Y-%m-%d}", f"month-{moment:%Y-%m}", f"year-{moment:%Y}"}
    return {edition_scoped(key, article.edition_id) for key in keys}


def _month_key(month: datetime.date) -> str:
    return f"articles:calendar:{month:%Y-%m}"


def month_news_days(*, month: datetime.date, edition) -> set[datetime.date]:
    """The local days of ``month`` (its first day) with published news in
    ``edition``; kept until a day gains or loses its first story
    (month_news_days_forget)."""

    def days():
        start, end = _month_range(month)
        return {
            moment.date()
            for moment in Article.objects.published()
            .in_edition(edition)
            .filter(published_at__gte=start, published_at__lt=end)
            .datetimes("published_at", "day")
        }

    key = f"{_month_key(month)}:{getattr(edition, 'pk', edition)}"
    found = cache.get(key)
    if found is None:
        found = days()
        # Past midnight "today" moves on; a publication forgets the month.
        cache.set(key, found, settings.PUBLIC_PAGE_FRESH_SECONDS * 12)
    return found


def _month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    return (
        datetime.datetime.combine(month, datetime.time(), tz),
        datetime.datetime.combine(next_month, datetime.time(), tz),
    )


def month_lastmod(*, month: datetime.date, edition) -> datetime.datetime | None:
    """The last change to the published news of ``month`` (its first day),
    for the sitemap index; None for a month without news. Kept until an
    article of the month changes (month_news_days_forget), a past month a day
    at most, this month as long as its calendar."""
    key = f"{_month_key(month)}:lastmod:{getattr(edition, 'pk', edition)}"
    found = cache.get(key)
    if found is None:
        start, end = _month_range(month)
        latest = (
            Article.objects.published()
            .in_edition(edition)
            .filter(published_at__gte=start, published_at__lt=end)
            .aggregate(latest=Max("updated_at"), published=Max("published_at"))
        )
        found = max(filter(None, latest.values()), default=0)  # 0: no news
        this_month = timezone.localdate().replace(day=1) == month
        cache.set(key, found, settings.PUBLIC_PAGE_FRESH_SECONDS * 12 if this_month else 86400)
    return found or None


def month_news_days_forget(*, day: datetime.date | None, edition=None) -> None:
    if day is not None:
        key = _month_key(day.replace(day=1))
        edition = getattr(edition, "pk", edition) or settings.LANGUAGE_CODE
        cache.delete_many([f"{key}:lastmod:{edition}", f"{key}:{edition}"])


RELATED_WINDOW = datetime.timedelta(days=30)
RELATED_CANDIDATES = 200


def article_related(*, article: Article, limit: int = 4) -> list[Article]:
    """Published news near ``article`` (within RELATED_WINDOW of it) that
    shares its tags (most shared first) or its section, newest first.

    Candidates come from two index walks that stop early, by ids only: the
    newest tagged items of its tags (``tag_id IN``, no cast of taggit's
    ``object_id``) and the newest articles of its section around its time.
    The shared-tag counts are counted from those rows. What it costs does not
    grow with the archive.
    """
    moment = article.published_at or timezone.now()  # a preview may have no time yet
    window = (moment - RELATED_WINDOW, moment + RELATED_WINDOW)
    published = Article.objects.published()
    tag_ids = [tag.pk for tag in article.tags.all()]
    shared: dict[int, int] = {}
    if tag_ids:
        rows = (
            TaggedItem.objects.filter(
                tag_id__in=tag_ids, content_type=ContentType.objects.get_for_model(Article)
            )
            .exclude(object_id=article.pk)
            .order_by("-object_id")
            .values_list("object_id", flat=True)[:RELATED_CANDIDATES]
        )
        for object_id in rows:
            shared[object_id] = shared.get(object_id, 0) + 1
    in_section = (
        published.filter(section=article.section_id, published_at__range=window)
        .exclude(pk=article.pk)
        .values_list("pk", flat=True)[:limit]
    )
    candidates = (
        published.in_edition(article.edition_id)
        .filter(pk__in=[*shared, *in_section], published_at__range=window)
        .select_related("section__parent", "main_image")
        .defer("body", "search_vector")
    )
    ranked = sorted(
        candidates, key=lambda a: (shared.get(a.pk, 0), a.published_at, a.pk), reverse=True
    )
    return ranked[:limit]


def home_articles(*, edition) -> dict:
    """An edition's front page news: the breaking story of the past day, the
    top stories of the past week and the latest news."""
    published = (
        Article.objects.published()
        .in_edition(edition)
        .select_related("section__parent", "main_image")
    )
    now = timezone.now()
    return {
        "breaking": published.filter(
            is_breaking=True, published_at__gte=now - datetime.timedelta(hours=24)
        ).first(),
        # Top stories of the past week: the range keeps the query on the
        # publication index however rarely editors flag one.
        "top_stories": published.filter(
            is_top_story=True, published_at__gte=now - datetime.timedelta(days=7)
        )[:3],
        "latest": published[:15],
    }


def section_block_articles(*, section: Section, limit: int = 4) -> QuerySet[Article]:
    """A section's newest news for its block on the front page (``in_section``:
    children and secondary sections included)."""
    published = Article.objects.published().select_related("section", "main_image")
    return published.in_section(section)[:limit]


def _in_section_around(article: Article) -> tuple[QuerySet[Article], datetime.datetime]:
    in_section = Article.objects.published().filter(section=article.section_id)
    in_section = in_section.select_related("section").defer("body", "search_vector")
    return in_section, article.published_at or timezone.now()  # a preview may have no time yet


def article_translations(*, article: Article) -> list[Article]:
    """The published equivalents of ``article`` in other editions: its
    original and the original's translations (or, for an original, its own
    translations), one query by the translation index."""
    root = article.translation_of_id or article.pk
    return list(
        Article.objects.published()
        .filter(Q(pk=root) | Q(translation_of=root))
        .exclude(edition=article.edition_id)
        .only("edition", "slug", "publication_date")
    )


def article_in_section_before(*, article: Article) -> Article | None:
    """The published article of the article's section just before it."""
    in_section, moment = _in_section_around(article)
    return in_section.filter(published_at__lt=moment).first()


def article_in_section_after(*, article: Article) -> Article | None:
    """The published article of the article's section just after it."""
    in_section, moment = _in_section_around(article)
    return in_section.filter(published_at__gt=moment).order_by("published_at").first()


def article_moved_find(*, day: datetime.date, slug: str, edition) -> Article | None:
    """The public article of ``edition`` that had this address before its
    slug or date changed."""
    moved = (
        ArticleRedirect.objects.filter(publication_date=day, slug=slug, article__edition=edition)
        .select_related("article")
        .first()
    )
    return moved.article if moved is not None and moved.article.is_public else None


def article_withdrawn_find(*, day: datetime.date, slug: str, edition) -> Article | None:
    """The withdrawn article of ``edition`` that was published at this address."""
    return (
        Article.objects.in_edition(edition)
        .filter(status=Article.Status.WITHDRAWN, slug=slug, publication_date=day)
        .first()
    )


def tag_article_ids(*, tag: Tag, rare_items: int):
    """The ids of the articles tagged ``tag``: as a subquery, a semi-join
    rather than a join, so the database walks the publication index and
    stops after a page instead of sorting all the tag's news. For a tag on at
    most ``rare_items`` articles the walk would read the whole index before
    it found a page (a rare tag at a million articles: seconds), so their ids
    are read first and looked up instead."""
    tagged = TaggedItem.objects.filter(
        tag=tag, content_type=ContentType.objects.get_for_model(Article)
    ).values_list("object_id", flat=True)
    few = list(tagged.order_by()[: rare_items + 1])
    return few if len(few) <= rare_items else tagged


MOST_READ_HOURS = 24


def article_most_read(*, edition, limit: int = 5) -> list[Article]:
    """The published articles of ``edition`` read most in the last
    MOST_READ_HOURS hours (this one so far and the 23 before it), most read
    first, as folded in from the view counts (articles/mostread.py)."""
    this_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    since = this_hour - datetime.timedelta(hours=MOST_READ_HOURS - 1)
    totals = (
        ArticleHourlyViews.objects.filter(hour__gte=since)
        .values("article_id")
        .annotate(total=models.Sum("views"))
        .order_by("-total", "-article_id")
        .values_list("article_id", "total")[: limit * 2]  # some may be gone from public view
    )
    ranked = dict(totals)
    articles = (
        Article.objects.published()
        .in_edition(edition)
        .filter(pk__in=ranked)
        .defer("body", "search_vector")
    )
    return sorted(articles, key=lambda a: (-ranked[a.pk], -a.pk))[:limit]
