"""The newsroom's admin site: Django's, with autocomplete results that can
carry a thumbnail, so photos are chosen by sight."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class NewsroomAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if thumbnail := getattr(obj, "thumbnail_url", None):
            result["thumbnail"] = thumbnail
        return result


class NewsroomAdminSite(admin.AdminSite):
    site_title = "Newsroom"
    index_title = "Newsroom"

    def autocomplete_view(self, request):
        return NewsroomAutocompleteJsonView.as_view(admin_site=self)(request)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsportal.admin.NewsroomAdminSite"
