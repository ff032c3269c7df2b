from django.contrib.sitemaps import views as sitemap_views
from django.views.decorators.cache import cache_control
from django.views.generic import ArchiveIndexView, DateDetailView, ListView, TemplateView

from .forms import SearchForm
from .models import Article
from .selectors import article_search, article_search_snippet
from .sitemaps import ArticleSitemaps, NewsSitemap

# How long crawlers may keep a sitemap or robots.txt before asking again.
hourly = cache_control(max_age=60 * 60, public=True)
every_five_minutes = cache_control(max_age=5 * 60, public=True)


class PublishedArticleMixin:
    """What every public article view shares: the publication rule, the date
    field of the dated views and the related rows a listing shows."""

    model = Article
    date_field = "published_at"
    month_format = "%m"
    allow_future = False

    def get_queryset(self):
        return Article.objects.published().select_related("section", "source", "main_image")


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "latest"

    def get_queryset(self):
        return super().get_queryset().order_by("-published_at")[:30]


class ArticleArchiveView(PublishedArticleMixin, ArchiveIndexView):
    paginate_by = 30
    allow_empty = True
    date_list_period = "day"


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags", "authors")


class ArticleSearchView(PublishedArticleMixin, ListView):
    template_name = "articles/search.html"
    paginate_by = 30

    def get(self, request, *args, **kwargs):
        # No "q" at all is a visit to the search page, not an empty search.
        self.form = SearchForm(request.GET if "q" in request.GET else None)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        return article_search(query=self.query, articles=super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        for article in context["page_obj"]:
            article.snippet = article_search_snippet(article=article, query=self.query)
        return context
@hourly
def sitemap_index(request):
    return sitemap_views.index(
        request, ArticleSitemaps(), sitemap_url_name="articles:sitemap-section"
    )


@hourly
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, ArticleSitemaps(), section=section)


@every_five_minutes
def news_sitemap(request):
    return sitemap_views.sitemap(request, {"news": NewsSitemap}, template_name="sitemaps/news.xml")


robots_txt = hourly(
    TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8")
)
