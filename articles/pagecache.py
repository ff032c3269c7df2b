"""A server-side cache of public pages, invalidated by what they show.

A public view says what its page shows with :func:`pages_show` (surrogate
keys such as ``article-12``, ``section-3``, ``home``); the middleware, first
in ``MIDDLEWARE``, keeps the finished response (headers, body and a gzip copy)
and files it under those keys. A change the public can see invalidates just
the pages under the changed keys (:func:`pages_invalidate`, from
``articles/signals.py``); a draft save invalidates nothing.

An invalidated or expired page is served stale while one request renders it
again (a short lock), so a hot page never sends every reader to the database
at once. No page stays fresh past local midnight (the calendar and "today"
move on) or past the next scheduled publication (an embargo lifts by itself,
with no save to invalidate anything), nor longer than
PUBLIC_PAGE_FRESH_SECONDS; a stale copy is kept PUBLIC_PAGE_STALE_SECONDS more
for the stampede and outage cases. A withdrawal purges: its pages are never
served stale.

The same keys go out in ``Surrogate-Key`` and ``Cache-Tag`` headers, for a
CDN or proxy in front that purges by key.
"""

import datetime
import functools
import gzip
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from prometheus_client import Counter

logger = logging.getLogger(__name__)

EVERY_PAGE = "pages"  # every cached page is filed under it too
INVALIDATIONS = "pc:invalidations"
NEXT_PUBLICATION = "pc:next-publication"
LOCK_SECONDS = 10
_NO_PUBLICATION = 0  # cached when nothing is scheduled

# Counted here rather than by a middleware around this one: a hit costs one
# counter increment, nothing more.
LOOKUPS = Counter(
    "newsportal_page_cache_requests_total",
    "Public page requests looked up in the page cache, by result (hit, stale, miss).",
    ["result"],
)
_LOOKUP_RESULTS = {state: LOOKUPS.labels(state) for state in ("hit", "stale", "miss")}


def _page_id(request) -> str:
    return hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]


def _wants_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def _entry_key(page_id: str, gzipped: bool) -> str:
    return f"pc:page:{page_id}:{'gzip' if gzipped else 'identity'}"


# What an edition's pages list as a whole (its latest news, home page, "All
# news" and its days, search, feeds, sitemaps) has a key per edition: a story
# published in one edition leaves the other editions' pages as they are.
_EDITION_WIDE = frozenset({"latest", "home", "archive", "search", "feeds", "sitemaps"})
_EDITION_WIDE_PREFIXES = ("day-", "month-", "year-")


def edition_scoped(key: str, code: str | None = None) -> str:
    """``key`` as the pages of edition ``code`` (by default the one of the
    active language, while a page renders) record it: "latest@ru"."""
    if "@" in key or not (key in _EDITION_WIDE or key.startswith(_EDITION_WIDE_PREFIXES)):
        return key
    return f"{key}@{code or translation.get_language()}"


def pages_show(request, keys) -> None:
    """Declare that the page being rendered shows what ``keys`` name, and so
    may be cached until one of them changes. A view that never calls it is
    never cached."""
    if not hasattr(request, "page_keys"):
        request.page_keys = {EVERY_PAGE}
    request.page_keys.update(map(edition_scoped, keys))


def pages_show_articles(request, articles) -> None:
    """The page shows these articles (rows, cards, related news)."""
    keys = []
    for article in articles:
        keys.append(f"article-{article.pk}")
        if article.main_image_id:
            keys.append(f"image-{article.main_image_id}")
    pages_show(request, keys)


def shown_when_used(request, fetch, keys=(), *, rows=None):
    """A callable for a template (templates call callables): ``fetch()``,
    the articles (a list, one or None) a part of the page shows, fetched the
    first time the part asks, and declared as shown with ``keys`` (or what
    calling ``keys`` gives) for that part. A kept part never asks. ``rows``
    names the kept row each article is shown as (row_name), fetched with
    them."""

    @functools.cache
    def load():
        found = fetch()
        found_rows = found if isinstance(found, list) else [found] if found else []
        pages_show(request, keys() if callable(keys) else keys)
        pages_show_articles(request, found_rows)
        if rows is not None:
            fragments_fetch(request, map(rows, found_rows))
        return found

    return load


def public_page(*keys):
    """Decorator for a function view whose page shows ``keys``."""

    def decorator(view):
        def wrapped(request, *args, **kwargs):
            pages_show(request, keys)
            return view(request, *args, **kwargs)

        wrapped.__wrapped__ = view
        return wrapped

    return decorator


# The index from surrogate keys to the pages filed under them. On Redis a set
# per key (one SADD per key on store, one SUNION on invalidation); on a
# local-memory cache a dict entry per key under a process lock. Errors are
# logged and swallowed: a cache outage must not break a page or a save (the
# cache API itself fails open in newsportal/cache.py; these use the raw
# client).
_index_lock = threading.Lock()


def _redis_client():
    client = getattr(cache, "_cache", None)
    return client.get_client(write=True) if hasattr(client, "get_client") else None


def _index_add(keys, page_id: str, timeout: int) -> None:
    try:
        if (client := _redis_client()) is not None:
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    name = cache.make_key(f"pc:key:{key}")
                    pipe.sadd(name, page_id)
                    pipe.expire(name, timeout)
                pipe.execute()
            return
        with _index_lock:
            for key in keys:
                members = cache.get(f"pc:key:{key}") or set()
                members.add(page_id)
                cache.set(f"pc:key:{key}", members, timeout)
    except Exception:
        logger.exception("page cache: could not file a page under its keys")


def _index_members(keys) -> set[str]:
    if (client := _redis_client()) is not None:
        names = [cache.make_key(f"pc:key:{key}") for key in keys]
        return {member.decode() for member in client.sunion(names)}
    with _index_lock:
        found = cache.get_many([f"pc:key:{key}" for key in keys])
    return set().union(*found.values())


def pages_invalidate(keys, *, purge: bool = False) -> None:
    """Mark every page showing any of ``keys`` as stale (re-rendered on its
    next request, served stale meanwhile); with ``purge``, drop them so that
    nothing of them is served again."""
    keys = set(keys)
    if not keys:
        return
    _local.clear()
    try:
        try:
            cache.incr(INVALIDATIONS)
        except ValueError:
            cache.set(INVALIDATIONS, 1, None)
        ids = _index_members(keys)
        doomed = [f"pc:{page_id}" for page_id in ids if page_id.startswith("fragment:")]
        ids = [page_id for page_id in ids if not page_id.startswith("fragment:")]
        doomed += [f"pc:fresh:{page_id}" for page_id in ids]
        if purge:
            doomed += [_entry_key(page_id, gz) for page_id in ids for gz in (True, False)]
        cache.delete_many(doomed)
    except Exception:
        logger.exception("page cache: could not invalidate %s", sorted(keys))


def pages_invalidate_committed(keys, *, purge: bool = False) -> None:
    """The invalidation after a commit, once the pages' readers can see it:
    PUBLIC_PAGE_COMMIT_WAIT names a function that waits for that (a
    read replica replaying the commit). A page rendered before it returns
    started before this invalidation, so it is kept stale, never fresh."""
    if settings.PUBLIC_PAGE_COMMIT_WAIT:
        import_string(settings.PUBLIC_PAGE_COMMIT_WAIT)()
    pages_invalidate(keys, purge=purge)


def next_publication():
    """When the next scheduled article goes public (None if none is): no
    cached page may stay fresh past it."""
    moment = cache.get(NEXT_PUBLICATION)
    if moment is None:
        from .models import Article  # the models import this module's users

        now = timezone.now()
        moment = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        timeout = settings.PUBLIC_PAGE_FRESH_SECONDS
        if moment is not None:
            timeout = max(1, min(timeout, int((moment - now).total_seconds()) + 1))
        cache.set(NEXT_PUBLICATION, moment or _NO_PUBLICATION, timeout)
    return moment or None


def next_publication_forget() -> None:
    """A schedule changed: look the next publication up again."""
    cache.delete(NEXT_PUBLICATION)


def fresh_seconds() -> int:
    """How long a page rendered now may be served as fresh."""
    now = timezone.now()
    midnight = datetime.datetime.combine(
        timezone.localdate(now) + datetime.timedelta(days=1),
        datetime.time(),
        timezone.get_current_timezone(),
    )
    limits = [settings.PUBLIC_PAGE_FRESH_SECONDS, (midnight - now).total_seconds()]
    if (scheduled := next_publication()) is not None:
        limits.append((scheduled - now).total_seconds())
    return max(0, int(min(limits)))


@dataclass(frozen=True, slots=True)
class _Entry:
    """What is kept of a response: status, headers and bytes, ready to send."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    etag: str

    def response(self, request, state: str):
        if request.META.get("HTTP_IF_NONE_MATCH") == self.etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(b"" if request.method == "HEAD" else self.body, self.status)
        for name, value in self.headers:
            response.headers[name] = value
        if response.status_code == 304:
            del response.headers["Content-Length"]
        response.headers["ETag"] = self.etag
        response.headers["X-Page-Cache"] = state
        return response


def _cacheable(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(request, "page_keys", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "cookie" not in response.get("Vary", "").lower()
        and not response.has_header("Content-Encoding")
    )


def _entries(response, keys):
    """The identity and gzip entries of a finished response."""
    body = response.content
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    patch_vary_headers(response, ["Accept-Encoding"])
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in ("etag", "content-length", "x-page-cache")
    ]
    tags = sorted(keys - {EVERY_PAGE})
    headers += [("Surrogate-Key", " ".join(tags)), ("Cache-Tag", ",".join(tags))]
    squeezed = gzip.compress(body, compresslevel=6, mtime=0)
    return (
        _Entry(200, [*headers, ("Content-Length", str(len(body)))], body, f'"{digest}"'),
        _Entry(
            200,
            [*headers, ("Content-Encoding", "gzip"), ("Content-Length", str(len(squeezed)))],
            squeezed,
            f'"{digest}-gzip"',
        ),
    )


# Each process also keeps the pages it has just served from the shared cache
# for PUBLIC_PAGE_LOCAL_SECONDS (0: off), answering them with no round trip
# at all; an invalidation made in this process empties it at once, one made
# elsewhere is seen here within that time.
_local: dict[str, tuple[float, "_Entry"]] = {}
_LOCAL_MAX = 1000


def _local_get(entry_key: str):
    kept = _local.get(entry_key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    return None


def _local_put(entry_key: str, entry) -> None:
    if settings.PUBLIC_PAGE_LOCAL_SECONDS > 0:
        if len(_local) >= _LOCAL_MAX:
            _local.clear()
        _local[entry_key] = (time.monotonic() + settings.PUBLIC_PAGE_LOCAL_SECONDS, entry)


class PageCacheMiddleware:
    """Answers a cached public page before the rest of the middleware runs:
    from this process's memory if it served the page a moment ago, else with
    one cache round trip (the page, its freshness and the invalidation
    counter in one ``get_many``); the stored bytes and headers are sent as
    they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PUBLIC_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or "HTTP_AUTHORIZATION" in request.META  # answers for one client: never kept
        ):
            return self.get_response(request)
        response = self._answer(request)
        state = response.headers.get("X-Page-Cache")
        # A miss counts for public pages only (a view that declared its keys).
        if state != "miss" or getattr(request, "page_keys", None) is not None:
            _LOOKUP_RESULTS.get(state, _LOOKUP_RESULTS["miss"]).inc()
        return response

    def _answer(self, request):
        page_id = _page_id(request)
        gzipped = _wants_gzip(request)
        entry_key, fresh_key = _entry_key(page_id, gzipped), f"pc:fresh:{page_id}"
        if (entry := _local_get(entry_key)) is not None:
            return entry.response(request, "hit")
        try:
            found = cache.get_many([entry_key, fresh_key, INVALIDATIONS])
        except Exception:  # e.g. an entry stored by an older release that no longer unpickles
            logger.exception("page cache: lookup failed")
            found = {}
        entry = found.get(entry_key)
        if entry is not None:
            if fresh_key in found:
                _local_put(entry_key, entry)
                return entry.response(request, "hit")
            # Stale: the first request re-renders it, the others get the
            # copy they would have had a moment ago.
            if not self._lock(page_id):
                return entry.response(request, "stale")
        started = found.get(INVALIDATIONS, 0)
        response = self.get_response(request)
        if response.status_code >= 500 and entry is not None:
            return entry.response(request, "stale")  # e.g. the database is down
        if _cacheable(request, response):
            return self._store(request, response, page_id, gzipped, started)
        if entry is not None and response.status_code != 304:
            cache.delete_many([_entry_key(page_id, True), _entry_key(page_id, False)])
        response.headers["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _lock(page_id: str) -> bool:
        # A cache that is down adds nothing: the stale copy is served and
        # the page is rendered once the cache is back.
        return cache.add(f"pc:lock:{page_id}", 1, LOCK_SECONDS)

    def _store(self, request, response, page_id, gzipped, started):
        identity, squeezed = _entries(response, request.page_keys)
        fresh = fresh_seconds()
        keep = fresh + settings.PUBLIC_PAGE_STALE_SECONDS
        entries = {_entry_key(page_id, False): identity, _entry_key(page_id, True): squeezed}
        cache.set_many(entries, keep)
        _index_add(request.page_keys, page_id, keep)
        # Invalidated while it was rendering: keep it, but as stale, so the
        # next request renders it again.
        if fresh and cache.get(INVALIDATIONS, 0) == started:
            cache.set(f"pc:fresh:{page_id}", 1, fresh)
        cache.delete(f"pc:lock:{page_id}")
        return (squeezed if gzipped else identity).response(request, "miss")


# Fragments: pieces of chrome every page shows (menus, "Recent news", the
# subscribe form), and parts of one page kept on their own (the article
# page's text, the news around it, the home page's section blocks), so that
# a page the cache must render again after a publish reuses what did not
# change. A page asks for all of its fragments in one cache round trip
# (fragments_fetch): its own parts and the chrome this process has served.

_chrome: set[str] = set()


def _fragment_key(name: str) -> str:
    # Per language: each edition's menu, sidebars and strings are its own.
    return f"pc:fragment:{translation.get_language()}:{name}"


def part_name(prefix: str, part: str, *vary) -> str:
    """The name of part ``part`` (one per ``vary`` values) of a page whose
    parts are kept under ``prefix``."""
    return ":".join([prefix, part, *map(str, vary)])


def fragments_fetch(request, names=()) -> set[str]:
    """Look up this page's kept parts ``names`` (and, the first time, the
    chrome fragments) in one cache round trip, for kept/kept_shown to use;
    the ``names`` that are missing."""
    fetched, found = getattr(request, "kept_fragments", (set(), {}))
    wanted = {*map(_fragment_key, names), *map(_fragment_key, _chrome), INVALIDATIONS} - fetched
    if wanted:
        # The invalidation counter as first read: what is built for this
        # page is kept only if nothing was invalidated since.
        found = cache.get_many(list(wanted)) | found
        fetched |= wanted
    request.kept_fragments = (fetched, found)
    return {name for name in names if _fragment_key(name) not in found}


def row_name(article, *, with_day: bool = False) -> str:
    """The kept row of an article in a listing, one per version; a row that
    says its day ("Yesterday, 20:38", outside a day heading) one per local
    date too, since "Today" turns into "Yesterday" at midnight."""
    name = f"row-{article.pk}-v{article.version}"
    return f"{name}-{timezone.localdate():%Y%m%d}" if with_day else name


def _lookup(request, cache_key: str) -> dict:
    """What the cache holds under ``cache_key`` (and the invalidation
    counter), from what this request fetched when it asked for it."""
    if request is not None:
        fetched, found = getattr(request, "kept_fragments", ((), None))
        if cache_key in fetched:
            return found
    found = cache.get_many([cache_key, INVALIDATIONS])
    if request is not None and hasattr(request, "kept_fragments"):
        fetched, memo = request.kept_fragments
        fetched.add(cache_key)
        if cache_key in found:
            memo[cache_key] = found[cache_key]
    return found


def _keep(request, cache_key: str, value, keys, timeout: int, counter) -> None:
    if request is not None and hasattr(request, "kept_fragments"):
        request.kept_fragments[1][cache_key] = value  # the page's next use of it
    # Built from data an invalidation has since replaced: not kept.
    if timeout and cache.get(INVALIDATIONS, 0) == counter:
        cache.set(cache_key, value, timeout)
        fragment_id = f"fragment:{cache_key.removeprefix('pc:fragment:')}"
        _index_add(map(edition_scoped, keys), fragment_id, timeout)


def kept(name: str, keys, build, timeout: int | None = None, *, request=None):
    """The cached value ``name``, built by ``build()`` when missing, kept
    until any of ``keys`` changes (or ``timeout`` seconds, by default
    PUBLIC_PAGE_FRESH_SECONDS; a callable is asked only when building)."""
    cache_key = _fragment_key(name)
    found = _lookup(request, cache_key)
    value = found.get(cache_key)
    if value is None:
        value = build()
        timeout = settings.PUBLIC_PAGE_FRESH_SECONDS if timeout is None else timeout
        timeout = timeout() if callable(timeout) else timeout
        _keep(request, cache_key, value, keys, timeout, found.get(INVALIDATIONS, 0))
    return value


def fragment(name: str, keys, render, *, request=None, timeout=None) -> str:
    """The cached HTML of fragment ``name``, rendered by ``render()`` when
    missing; dropped with the pages when any of ``keys`` changes (or after
    ``timeout``, as for kept()). With the ``request``, fetched with the
    page's other fragments from then on."""
    if request is not None:
        _chrome.add(name)
    html = kept(name, keys, render, timeout, request=request)
    return mark_safe(html)  # noqa: S308 (our own template)


def kept_shown(request, name: str, render) -> str:
    """The kept HTML of part ``name`` of the page, rendered by ``render()``
    when missing and kept until anything it declared it shows changes (and
    no longer than a page rendered now may stay fresh); each use declares
    those keys again for the page."""
    cache_key = _fragment_key(name)
    found = _lookup(request, cache_key)
    if (kept_value := found.get(cache_key)) is not None:
        html, keys = kept_value
    else:
        outer = getattr(request, "page_keys", None)
        request.page_keys = set()
        try:
            html = render()
        finally:
            keys, request.page_keys = frozenset(request.page_keys), outer
            if outer is None:
                del request.page_keys
        counter = found.get(INVALIDATIONS, 0)
        _keep(request, cache_key, (html, keys), {*keys, EVERY_PAGE}, fresh_seconds(), counter)
    if getattr(request, "page_keys", None) is not None:
        pages_show(request, keys)
    return mark_safe(html)  # noqa: S308 (rendered by our own template)
