from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="list"),
    path("partners/<slug:slug>/", views.PartnerView.as_view(), name="detail"),
]
