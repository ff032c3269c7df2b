"""The ceiling for every benchmark figure: one bare Django view (no
middleware, no templates, no database) answering a body the size of a news
page, under the same gunicorn as the portal.

    .venv/bin/gunicorn bench.bare:application --bind 127.0.0.1:8031 --workers 2

BARE_BODY_BYTES sets the body's size (30,000 by default, about a rendered
article page).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

BODY = (b"<p>" + b"x" * 96 + b"</p>\n") * (int(os.environ.get("BARE_BODY_BYTES", 30_000)) // 104)


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-not-a-secret",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
