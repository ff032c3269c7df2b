from django.urls import path, re_path

from . import feeds, views
from .pagecache import public_page

app_name = "articles"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>[0-9]{2})", r"(?P<day>[0-9]{2})"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleArchiveView.as_view(), name="archive"),
    path("search/", views.ArticleSearchView.as_view(), name="search"),
    re_path(rf"^news/{YEAR}/$", views.ArticleYearArchiveView.as_view(), name="archive-year"),
    re_path(
        rf"^news/{YEAR}/{MONTH}/$", views.ArticleMonthArchiveView.as_view(), name="archive-month"
    ),
    re_path(
        rf"^news/{YEAR}/{MONTH}/{DAY}/$", views.ArticleDayArchiveView.as_view(), name="archive-day"
    ),
    re_path(
        rf"^news/{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/$",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("preview/<str:token>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    # Tag slugs are in the tag's own script ("выставка": taggit keeps
    # Unicode letters), so not <slug:…>, which takes ASCII only.
    re_path(r"^tag/(?P<slug>[-\w]+)/$", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("feeds/rss/", public_page("feeds")(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", public_page("feeds")(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "section/<slug:slug>/rss/", public_page("feeds")(feeds.SectionFeed()), name="section-feed"
    ),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    # Before "sitemap-<section>.xml", which would match it too.
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", public_page("robots")(views.robots_txt), name="robots"),
]
