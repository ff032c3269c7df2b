from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from . import api

app_name = "api"

urlpatterns = [
    path("items/", api.ItemListView.as_view(), name="item-list"),
    path("items/<int:pk>/", api.ItemDetailView.as_view(), name="item-detail"),
    path("items/<int:pk>.xml", api.ItemNewsMLView.as_view(), name="item-newsml"),
    path("feeds/rss/", api.PartnerFeedView.as_view(), name="feed-rss"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
]
