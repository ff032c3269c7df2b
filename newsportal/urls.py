from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from editions.urls import edition_patterns
from newsportal import health, metrics

admin.site.site_header = f"{settings.AGENCY_NAME} newsroom"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("partners.api_urls")),
    # The public site, in each edition under its prefix (/ru/…).
    *edition_patterns(
        path("", include("articles.urls")),
        path("", include("partners.urls")),
        path("subscribe/", include("subscriptions.urls")),
    ),
]

if settings.SERVE_MEDIA:
    # Uploaded photos from the local disk, for development and single-host
    # runs; deployments serve media from object storage or the proxy.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
