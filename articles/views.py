from django.views.generic import ArchiveIndexView, DateDetailView, ListView

from .models import Article


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
