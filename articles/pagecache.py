"""A server-side cache of public pages, dropped whenever the news changes.

Every cached page is filed under the current content version; any save or
delete of news (articles, their tags and sections, corrections, photos,
partners) moves the version on, so no page is served from before it. A
scheduled article goes public without a save: pages are kept at most
PUBLIC_CACHE_SECONDS, so it appears within that time, never before its time.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "articles:content-version"


def content_version() -> int:
    """The current version of the site's news (1 after a cache flush)."""
    return cache.get_or_set(VERSION_KEY, 1, None)


def content_changed(**kwargs) -> None:
    """Move the version on: every page cached so far is stale. Usable as a
    signal receiver."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted or flushed): start afresh
        cache.set(VERSION_KEY, 2, None)


def page_cache_key(request) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"articles:page:{content_version()}:{url}"


def cached_page(request):
    """The cached response for this request, if any."""
    if not settings.PUBLIC_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return None
    return cache.get(page_cache_key(request))


def cache_page_response(request, response) -> None:
    """Keep a successful public page once it is rendered."""
    if not settings.PUBLIC_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return
    if response.status_code != 200 or response.streaming:
        return
    key = page_cache_key(request)

    def store(rendered):
        cache.set(key, rendered, settings.PUBLIC_CACHE_SECONDS)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(store)
    else:
        store(response)
