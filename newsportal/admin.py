"""The newsroom's admin site: Django's, with autocomplete results that can
carry a thumbnail, so photos are chosen by sight."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.shortcuts import render


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


def client_ip(request):
    """The client's address for the login lockout: the proxy header the rate
    limits use (RATELIMIT_IP_META_KEY) or REMOTE_ADDR."""
    return request.META.get(settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR") or None


def login_locked_out(request, original_response, credentials):
    """django-axes' answer to a locked-out login: a plain page saying why and
    for how long, status 429."""
    from axes.helpers import get_client_username

    return render(
        request,
        "registration/locked_out.html",
        {
            "username": get_client_username(request, credentials) or "",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
