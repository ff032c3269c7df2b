from django.contrib.sitemaps import views as sitemap_views
from django.views.decorators.cache import cache_control
from django.views.generic import ArchiveIndexView, DateDetailView, ListView, TemplateView

from .models import Article
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
