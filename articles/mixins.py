"""The view mixins every public page shares (the partners app's pages too):
page-cache keys and headers, the publication rule, the capped paginator."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from .models import Article
from .pagecache import fragments_fetch, pages_show, pages_show_articles, row_name


class PublicPageMixin:
    """Public pages are the same for every visitor: kept rendered on the
    server until what they show changes (pagecache.py: ``page_keys`` names
    it), and cacheable by browsers and proxies for a short while."""

    page_keys = ()

    def get_page_keys(self):
        return self.page_keys

    def get_kept_names(self) -> list[str]:
        """Other fragments the page reads (pagecache.kept), fetched with its
        rows and chrome."""
        return []

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages_show(self.request, self.get_page_keys())
        for name in ("object_list", "latest", "top_stories"):
            rows = context.get(name)
            if rows is not None:
                pages_show_articles(self.request, [a for a in rows if isinstance(a, Article)])
        # The listing's rows and the chrome, in one round trip.
        rows = context.get("object_list") or []
        names = [row_name(a) for a in rows if isinstance(a, Article)]
        fragments_fetch(self.request, names + self.get_kept_names())
        return context


class ArchivePaginator(Paginator):
    """Pages a listing up to `max_pages` deep. Older news is read through the
    dated archive, so no request counts or skips through the whole archive:
    the count stops at the cap and the deepest OFFSET is bounded."""

    max_pages = 50

    @cached_property
    def count(self):
        # Unordered: how many there are up to the cap does not depend on the
        # order, and without it the database stops at the cap instead of
        # sorting every match first.
        return self.object_list.order_by()[: self.per_page * self.max_pages].count()

    @property
    def is_capped(self):
        return self.count == self.per_page * self.max_pages


class PublishedArticleMixin(PublicPageMixin):
    """What every public article view shares: the publication rule, the date
    field of the dated views and the related rows a listing shows."""

    model = Article
    date_field = "published_at"
    month_format = "%m"
    allow_future = False
    allow_empty = True
    paginate_by = 20
    paginator_class = ArchivePaginator

    def get_queryset(self):
        # Listings show rows: no text, no search vector.
        return (
            Article.objects.published()
            .in_edition(self.request.edition)
            .select_related("section__parent")
            .defer("body", "search_vector")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if page := context.get("page_obj"):
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        return context
