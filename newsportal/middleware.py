"""Site-wide middleware."""

import logging
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
LOG_SECONDS = 60.0


class DatabaseUnavailableMiddleware:
    """The database down (refused, restarting, gone mid-query) is an outage,
    not a bug: 503 with Retry-After and a page rendered without the database
    (no context processors, no menus), never the 500 page. Pages still in
    the page cache are served before any query, so they stay up."""

    logged_at = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        now = time.monotonic()
        cls = type(self)
        if cls.logged_at is None or now - cls.logged_at >= LOG_SECONDS:
            cls.logged_at = now
            logger.error("database unavailable: answering 503 (%s)", exception)
        message = "The service is briefly unavailable. Please try again in a minute."
        match = request.resolver_match
        if match is not None and match.namespace == "api":
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
