"""Structured logs: one JSON object a line (LOG_FORMAT=json), each with the
id of the request it was written for, and one line per request with its
method, path, status and duration (RequestLogMiddleware).

The request id is the client's or proxy's ``X-Request-ID`` when it is a
sane token (nginx sets one per request: ``$request_id``), else a new one; it
goes back in the response's ``X-Request-ID``, so a reader's report, the
proxy's access log and the app's lines can be matched.
"""

import contextvars
import logging
import os
import re
import time
from datetime import UTC, datetime

import orjson

from .metrics import request_observe

request_id_var = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("newsportal.request")

_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# What every LogRecord has: the rest are the `extra` a call passed.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being handled ("-"
    outside a request: workers, commands)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time (UTC, ISO 8601), level, logger,
    message, the request id, whatever ``extra`` the call passed, and the
    traceback of an exception."""

    def format(self, record):
        fields = vars(record)
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC),  # orjson: RFC 3339
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in fields.keys() - _STANDARD - entry.keys():
            entry[name] = fields[name]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # orjson: several times faster than json, and this runs for every request.
        return orjson.dumps(entry, default=str).decode()


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives the request its id, and logs one line when
    the response is ready (page cache hits included), with the time taken.
    Kept to a clock read, a header and one log call, as it runs before the
    page cache's hits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _SANE_ID.fullmatch(given) else os.urandom(16).hex()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        duration = time.perf_counter() - started
        response.headers["X-Request-ID"] = request_id
        request_observe(request.method, response.status_code, duration)
        if request_logger.isEnabledFor(logging.INFO):
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 2),
                },
            )
        return response
