import calendar
import datetime
import functools

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)
from taggit.models import Tag

from editions.selectors import (
    edition_get,
    edition_home,
    edition_url,
    editions_all,
    editions_of_user,
)

from .feeds import publication_name
from .forms import SearchForm
from .mixins import PublicPageMixin, PublishedArticleMixin
from .models import Article, Author, Section
from .mostread import VIEWED_HEADER
from .pagecache import (
    fragments_fetch,
    kept,
    pages_show,
    part_name,
    public_page,
    row_name,
    shown_when_used,
)
from .selectors import (
    article_in_section_after,
    article_in_section_before,
    article_moved_find,
    article_related,
    article_search,
    article_search_snippet,
    article_translations,
    article_withdrawn_find,
    home_articles,
    month_news_days,
    section_block_articles,
    tag_article_ids,
)
from .services import article_preview_resolve
from .sitemaps import ArticleSitemaps, NewsSitemap
from .structured_data import article_jsonld, author_jsonld, home_jsonld

# How long crawlers may keep a sitemap or robots.txt before asking again.
hourly = cache_control(max_age=60 * 60, public=True)
every_five_minutes = cache_control(max_age=5 * 60, public=True)


def month_calendar(month_start: datetime.date, news_days: set[datetime.date]):
    """Weeks of the month (Monday first) as (date, has_news) pairs; days of
    the neighbouring months are None."""
    weeks = calendar.Calendar().monthdatescalendar(month_start.year, month_start.month)
    return [
        [(day, day in news_days) if day.month == month_start.month else None for day in week]
        for week in weeks
    ]


class CalendarMixin:
    """A calendar of the month being shown, linking the days that have news."""

    def calendar_month(self):
        return timezone.localdate().replace(day=1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = self.calendar_month()
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        pages_show(self.request, [f"month-{month:%Y-%m}"])
        context["calendar_month"] = month
        context["calendar_weeks"] = month_calendar(
            month, month_news_days(month=month, edition=self.request.edition)
        )
        context.setdefault("previous_month", (month - datetime.timedelta(days=1)).replace(day=1))
        context.setdefault("next_month", next_month if next_month <= timezone.localdate() else None)
        return context


class HomeView(PublicPageMixin, TemplateView):
    template_name = "articles/home.html"
    page_keys = ("home", "latest")

    def get_context_data(self, **kwargs):
        edition = self.request.edition
        sections = list(
            Section.objects.filter(edition=edition, parent=None).prefetch_related("children")
        )

        # Each section's block is kept on its own ({% keep %}): after a
        # publish only the blocks of its sections are rendered again.
        def block(section):
            return shown_when_used(
                self.request,
                lambda: list(section_block_articles(section=section)),
                [f"section-{section.pk}"],
            )

        # Every edition's home is this page's equivalent.
        self.request.alternates = {e.code: edition_home(e) for e in editions_all()}
        prefix = f"home-{edition.pk}-{self.request.scheme}-{self.request.get_host()}"
        fragments_fetch(self.request, [part_name(prefix, "block", s.pk) for s in sections])
        return super().get_context_data(
            keep_prefix=prefix,
            **home_articles(edition=edition),
            section_blocks=[(section, block(section)) for section in sections],
            jsonld=home_jsonld(self.request),
            **kwargs,
        )


class ArticleArchiveView(CalendarMixin, PublishedArticleMixin, ArchiveIndexView):
    """'All news': newest first, grouped under the days they were published."""

    template_name = "articles/article_archive.html"
    page_keys = ("archive", "latest")

    def get_dated_items(self):
        # Django lists every year with news first: a scan of the whole table
        # at a million articles, for a list this page does not show.
        return (None, self.get_dated_queryset(), {})


# No news in the archive is older than this; earlier years (down to year 1,
# whose start in Minsk is not a moment UTC can hold) are 404 without a query.
FIRST_ARCHIVE_YEAR = 1900


class ArchiveDatesMixin:
    """A date in the address before FIRST_ARCHIVE_YEAR or after this year has
    no news: 404 before any date arithmetic (which overflows at the ends of
    the calendar)."""

    def dispatch(self, request, *args, **kwargs):
        if "year" in kwargs and not (
            FIRST_ARCHIVE_YEAR <= int(kwargs["year"]) <= timezone.localdate().year
        ):
            raise Http404("No news on that date.")
        return super().dispatch(request, *args, **kwargs)


class NoFutureDatesMixin(ArchiveDatesMixin):
    """A day, month or year that has not begun yet has no news to show: 404."""

    def get_dated_items(self):
        date_list, items, extra = super().get_dated_items()
        start = extra.get("day") or extra.get("month") or extra["year"]
        if start > timezone.localdate():
            raise Http404("That date is in the future.")
        return date_list, items, extra


class ArticleYearArchiveView(NoFutureDatesMixin, PublishedArticleMixin, YearArchiveView):
    template_name = "articles/article_archive_year.html"

    def get_page_keys(self):
        return [f"year-{self.get_year()}", "latest"]


class RequestedMonthCalendarMixin(CalendarMixin):
    """The calendar of the month in the address, not of today."""

    def calendar_month(self):
        return datetime.date(int(self.get_year()), int(self.get_month()), 1)


class ArticleMonthArchiveView(
    NoFutureDatesMixin, RequestedMonthCalendarMixin, PublishedArticleMixin, MonthArchiveView
):
    template_name = "articles/article_archive_month.html"

    def get_page_keys(self):
        return [f"month-{self.get_year()}-{self.get_month()}", "latest"]

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return None  # the calendar lists the days with news


class ArticleDayArchiveView(
    NoFutureDatesMixin, RequestedMonthCalendarMixin, PublishedArticleMixin, DayArchiveView
):
    template_name = "articles/article_archive_day.html"

    def get_page_keys(self):
        return [f"day-{self.get_year()}-{self.get_month()}-{self.get_day()}", "latest"]


# The authors with their profiles and photos in one query, for the bylines:
# in a fixed order (as the feeds and the API name them), not the database's.
BYLINE_AUTHORS = Prefetch(
    "authors",
    queryset=get_user_model().objects.select_related("author_profile__photo").order_by("pk"),
)


def article_bylines(article, request) -> list:
    """The article's authors, for a part of the page that names them: that
    part (and the page) then follows their names and profiles."""
    authors = list(article.authors.all())
    pages_show(request, [f"author-{author.pk}" for author in authors])
    return authors


class ArticleDetailView(ArchiveDatesMixin, PublishedArticleMixin, DateDetailView):
    def get_page_keys(self):
        # Its previous and next in the section are found among the section's
        # news; its translations are linked from it.
        article = self.object
        return [
            f"article-{article.pk}",
            f"section-{article.section_id}",
            f"translations-{article.translation_of_id or article.pk}",
            "latest",
        ]

    # The parts of the page kept on their own ({% keep %}): its head and
    # text, which change with the article, and the news around it (previous
    # and next in its section, related news), which changes with them.
    kept_parts = ("head", "text", "around")

    def get_queryset(self):
        return (
            Article.objects.published()
            .in_edition(self.request.edition)
            .select_related("section__parent", "source", "main_image")
            .defer("search_vector")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            try:
                day = datetime.date(int(kwargs["year"]), int(kwargs["month"]), int(kwargs["day"]))
            except ValueError:
                raise Http404("No such date") from None
            edition = request.edition
            moved = article_moved_find(day=day, slug=kwargs["slug"], edition=edition)
            if moved is not None:
                return HttpResponsePermanentRedirect(moved.get_absolute_url())
            withdrawn = article_withdrawn_find(day=day, slug=kwargs["slug"], edition=edition)
            if withdrawn is None:
                raise
            return render(
                request, "articles/article_withdrawn.html", {"article": withdrawn}, status=410
            )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context.get("is_preview"):
            response[VIEWED_HEADER] = str(self.object.pk)  # counted: mostread.py
        return response

    def get_context_data(self, **kwargs):
        article, request = self.object, self.request
        prefix = f"article-{article.pk}-v{article.version}-{request.scheme}-{request.get_host()}"
        parts = [part_name(prefix, part) for part in self.kept_parts]
        missing = fragments_fetch(request, [*parts, f"alternates-{article.pk}"])
        if missing.intersection(parts) or kwargs.get("is_preview"):
            prefetch_related_objects([article], "tags", BYLINE_AUTHORS, "corrections")

        request.alternates = kept(
            f"alternates-{article.pk}",
            [f"translations-{article.translation_of_id or article.pk}"],
            lambda: article_alternates(article),
            request=request,
        )
        section_key = f"section-{article.section_id}"
        return super().get_context_data(
            keep_prefix=prefix,
            keep_keys=[f"article-{article.pk}", "sections"]
            + ([f"image-{article.main_image_id}"] if article.main_image_id else []),
            related=shown_when_used(
                request,
                lambda: article_related(article=article),
                lambda: [section_key, *(f"tag-{tag.pk}" for tag in article.tags.all())],
                rows=functools.partial(row_name, with_day=True),
            ),
            previous_in_section=shown_when_used(
                request, lambda: article_in_section_before(article=article), [section_key]
            ),
            next_in_section=shown_when_used(
                request, lambda: article_in_section_after(article=article), [section_key]
            ),
            jsonld=functools.cache(lambda: article_jsonld(article, request)),
            bylines=lambda: article_bylines(article, request),
            **kwargs,
        )


def article_alternates(article) -> dict[str, str]:
    """The addresses of the article and its translations, by edition; empty
    for an article with none."""
    translations = article_translations(article=article)
    if not translations:
        return {}
    return {a.edition_id: a.get_absolute_url() for a in [article, *translations]}


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    """The article exactly as its public page will show it, for newsroom
    staff holding a signed, expiring link; 404 for any other token."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response

    def get(self, request, *args, **kwargs):
        self.object = article_preview_resolve(token=kwargs["token"])
        if self.object is None or self.object.edition_id not in editions_of_user(request.user):
            raise Http404("This preview link is not valid or has expired.")
        # In the article's edition, as its readers will see it.
        request.edition = edition_get(self.object.edition_id) or request.edition
        with translation.override(request.edition.code):
            return self.render_to_response(self.get_context_data(is_preview=True)).render()


class SectionView(PublishedArticleMixin, ListView):
    """A section's news; a parent section includes its children's."""

    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(
            Section.objects.select_related("parent").prefetch_related("children"),
            edition=self.request.edition,
            slug=self.kwargs["slug"],
        )
        return super().get_queryset().in_section(self.section)

    def get_page_keys(self):
        return [f"section-{self.section.pk}", "latest"]

    def get_kept_names(self):
        return [f"counterparts-{self.section.slug}"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(section=self.section, **kwargs)
        # Its counterparts: the sections of its slug in the other editions.
        slug = self.section.slug
        self.request.alternates = kept(
            f"counterparts-{slug}",
            ["sections"],
            lambda: {
                s.edition_id: s.get_absolute_url()
                for s in Section.objects.filter(
                    slug=slug, edition__in=[e.code for e in editions_all()]
                ).only("edition", "slug")
            },
            request=self.request,
        )
        return context


class AuthorView(PublishedArticleMixin, ListView):
    """An author's page: who they are and their published news, newest
    first; 404 for an unknown author or one with nothing published."""

    template_name = "articles/author_detail.html"
    allow_empty = False

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.select_related("user", "photo"), slug=self.kwargs["slug"]
        )
        # A semi-join, as for tags: the publication index, stopping after a page.
        bylines = Article.authors.through.objects.filter(user_id=self.author.user_id)
        return super().get_queryset().filter(pk__in=bylines.values("article_id"))

    def get_page_keys(self):
        return [f"author-{self.author.user_id}", "latest"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author=self.author, jsonld=author_jsonld(self.author, self.request), **kwargs
        )


class TagView(PublishedArticleMixin, ListView):
    template_name = "articles/tag_detail.html"
    rare_tag_items = 5000

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        tagged = tag_article_ids(tag=self.tag, rare_items=self.rare_tag_items)
        return super().get_queryset().filter(pk__in=tagged)

    def get_page_keys(self):
        return [f"tag-{self.tag.pk}", "latest"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleSearchView(PublishedArticleMixin, ListView):
    template_name = "articles/search.html"
    paginate_by = 30
    page_keys = ("search",)

    def get(self, request, *args, **kwargs):
        # No "q" at all is a visit to the search page, not an empty search.
        self.form = SearchForm(request.GET if "q" in request.GET else None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        articles = Article.objects.published().select_related("section__parent", "source")
        return article_search(query=self.query, articles=articles, edition=self.request.edition)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        for article in context["page_obj"]:
            article.snippet = article_search_snippet(article=article, query=self.query)
        return context


@hourly
@public_page("sitemaps")
def sitemap_index(request):
    return sitemap_views.index(
        request, ArticleSitemaps(), sitemap_url_name="articles:sitemap-section"
    )


@hourly
@public_page("sitemaps")
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, ArticleSitemaps(), section=section)


@every_five_minutes
@public_page("sitemaps")
def news_sitemap(request):
    """Google News: the edition's last two days, as its publication (its
    name and language)."""
    response = sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="sitemaps/news.xml"
    )
    response.context_data["publication_name"] = publication_name()
    return response


class RobotsView(TemplateView):
    """robots.txt names the sitemaps and search pages of the editions on its
    host: with editions on their own hosts, the host's edition; under
    prefixes of one host (where crawlers read only /robots.txt), all."""

    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        if settings.EDITION_ROUTING == "host":
            editions = [self.request.edition]
        else:
            editions = editions_all()
        searches, sitemaps = [], []
        for edition in editions:
            with translation.override(edition.code):
                searches.append(reverse("articles:search"))
                sitemaps += [
                    edition_url(edition, reverse(name), self.request)
                    for name in ("articles:sitemap", "articles:sitemap-news")
                ]
        return super().get_context_data(searches=searches, sitemaps=sitemaps, **kwargs)


robots_txt = hourly(RobotsView.as_view())
