from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import api

app_name = "api"

urlpatterns = [
    path("items/", api.ItemListView.as_view(), name="item-list"),
    # Ids of at most 18 digits: a longer one could not be a bigint anyway.
    re_path(r"^items/(?P<pk>[0-9]{1,18})/$", api.ItemDetailView.as_view(), name="item-detail"),
    re_path(r"^items/(?P<pk>[0-9]{1,18})\.xml$", api.ItemNewsMLView.as_view(), name="item-newsml"),
    path("feeds/rss/", api.PartnerFeedView.as_view(), name="feed-rss"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
]
