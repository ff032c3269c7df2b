from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleArchiveView.as_view(), name="archive"),
    path("search/", views.ArticleSearchView.as_view(), name="search"),
    path(
        "news/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    # Before "sitemap-<section>.xml", which would match it too.
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
