"""Which edition a request, an article or a language belongs to.

Editions change rarely and every request needs them: each process keeps
them for ``EDITIONS_CACHE_SECONDS`` (and forgets them at once when one is
saved in this process), so that resolving an edition costs no query."""

import time

from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation

from .models import Edition

# What the site falls back to when the database cannot say (it is down, or
# not migrated yet): the editions the first migration creates.
BUILT_IN = [
    Edition(code="en", name="English", prefix="", search_config="english", position=0),
    Edition(code="ru", name="Русский", prefix="ru", search_config="russian", position=1),
    Edition(code="be", name="Беларуская", prefix="be", search_config="simple", position=2),
]  # fmt: skip

_loaded = {"at": -1e9, "editions": None, "changed": False}


def editions_all() -> list[Edition]:
    """Every active edition, the main one first."""
    if (
        _loaded["editions"] is None
        or time.monotonic() - _loaded["at"] > settings.EDITIONS_CACHE_SECONDS
    ):
        try:
            editions = list(Edition.objects.filter(is_active=True))
        except DatabaseError:
            editions = _loaded["editions"] or BUILT_IN
        else:
            _loaded["at"] = time.monotonic()
        editions.sort(key=lambda e: (not e.is_main, e.position, e.code))
        _loaded["editions"] = editions
    return _loaded["editions"]


def editions_forget() -> None:
    _loaded["editions"] = None
    _loaded["changed"] = True


def edition_main() -> Edition:
    editions = editions_all()
    if editions and editions[0].is_main:
        return editions[0]
    return next(e for e in BUILT_IN if e.is_main)


def edition_get(code: str | None) -> Edition | None:
    """The active edition of language ``code``, or None."""
    return next((e for e in editions_all() if e.code == code), None)


def edition_current() -> Edition:
    """The edition of the language active now (the request's, while a page
    renders; the main one elsewhere)."""
    return edition_get(translation.get_language()) or edition_main()


def edition_for_request(request) -> Edition:
    """The edition a request is for: by its host when editions are served by
    host (EDITION_ROUTING = "host"), else by the first part of its path
    (``/ru/…``); the main edition otherwise."""
    editions = editions_all()
    if settings.EDITION_ROUTING == "host":
        host = request.get_host().rsplit(":", 1)[0].lower()
        found = next((e for e in editions if e.host and e.host.lower() == host), None)
    else:
        first = request.path_info.lstrip("/").split("/", 1)[0]
        found = next((e for e in editions if e.prefix and e.prefix == first), None)
    return found or edition_main()


def editions_of_user(user) -> list[str]:
    """The codes of the editions whose desks ``user`` works on: every edition
    for a superuser; the main edition for staff on no desk."""
    if user.is_superuser:
        return [e.code for e in editions_all()]
    return list(user.editions.values_list("code", flat=True)) or [settings.LANGUAGE_CODE]


def editions_of_request(request) -> list[str]:
    """editions_of_user for the requesting user, read once per request."""
    if not hasattr(request, "desks"):
        request.desks = editions_of_user(request.user)
    return request.desks


def edition_home(edition: Edition) -> str:
    """The path of the edition's home page."""
    with translation.override(edition.code):
        return reverse("articles:home")


def edition_prefix(edition: Edition) -> str:
    """What the edition's paths start with, after the leading slash."""
    if settings.EDITION_ROUTING == "host" or not edition.prefix:
        return ""
    return f"{edition.prefix}/"


def edition_url(edition: Edition, path: str, request=None) -> str:
    """The absolute address of ``path`` (reversed in ``edition``) for
    readers: on the edition's own host when editions are served by host."""
    if settings.EDITION_ROUTING == "host" and edition.host:
        scheme = request.scheme if request is not None else settings.SITE_URL.split(":", 1)[0]
        return f"{scheme}://{edition.host}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
