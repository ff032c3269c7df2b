"""The newsroom's admin site: Django's, with autocomplete results that can
carry a thumbnail, so photos are chosen by sight."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse


class NewsroomAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "get_full_name"):  # a user (an article's authors): by name
            result["text"] = obj.get_full_name() or obj.get_username()
        if thumbnail := getattr(obj, "thumbnail_url", None):
            result["thumbnail"] = thumbnail
        return result


class NewsroomAdminSite(admin.AdminSite):
    site_title = "Newsroom"
    index_title = "Newsroom"

    def autocomplete_view(self, request):
        return NewsroomAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        # Before Django's own "view on site" redirect, which 500s on an object
        # without a public address (a draft with no publication time).
        view = self.admin_view(self.view_on_site, cacheable=False)
        route = "r/<path:content_type_id>/<path:object_id>/"
        from articles import planning

        return [
            path(route, view, name="view_on_site"),
            path(
                "articles/planning/",
                self.admin_view(planning.planning_view),
                name="articles_planning",
            ),
            path(
                "articles/planning/<int:article_id>/reschedule/",
                self.admin_view(planning.reschedule_view),
                name="articles_planning_reschedule",
            ),
            *super().get_urls(),
        ]

    def get_app_list(self, request, app_label=None):
        """The newsroom's apps, with the planning calendar among the articles."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            if app["app_label"] == "articles" and request.user.has_perm("articles.view_article"):
                app["models"].append(
                    {
                        "name": "Planning",
                        "object_name": "Planning",
                        "admin_url": reverse("admin:articles_planning"),
                        "add_url": None,
                        "view_only": True,
                        "perms": {"view": True},
                    }
                )
        return app_list

    def view_on_site(self, request, content_type_id, object_id):
        """Where a model admin's own view_on_site says (the preview of an
        article readers cannot see yet), else Django's shortcut."""
        # Imported here: this module is loaded with the app registry (AdminConfig).
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404("No such content type.") from None
        model_admin = self._registry.get(model)
        if model_admin is None or not callable(model_admin.view_on_site):
            return contenttype_views.shortcut(request, content_type_id, object_id)
        obj = model_admin.get_object(request, object_id)
        if obj is None:
            raise Http404("No such object.")
        return HttpResponseRedirect(model_admin.get_view_on_site_url(obj))


# The admin's headings in the newsroom's words, not the packages' names.
APP_NAMES = {
    "auth": "Users and permissions",
    "taggit": "Tags",
    "django_tasks_database": "Background jobs",
    "django_rq": "Job queues",
    "axes": "Login lockouts",
    "rest_framework_api_key": "Partner API keys",
    "reversion": "Revisions",
}


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsportal.admin.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from django.apps import apps

        for label, name in APP_NAMES.items():
            try:
                apps.get_app_config(label).verbose_name = name
            except LookupError:  # not installed here (django_rq without Redis)
                continue


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
