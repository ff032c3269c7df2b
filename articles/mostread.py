""" "Most read": article views counted without cookies or trackers.

A public article page says which article it is in a response header
(VIEWED_HEADER), kept with the page in the page cache; the middleware,
outside the page cache, counts a GET answered 200 with that header (served
from the cache or not), unless the user agent is a bot, and takes the
header off. The count is one number per article per hour in the cache (a
Redis hash per hour; a dict under a lock on the local-memory cache), and
the periodic task most_read_fold moves those numbers into
ArticleHourlyViews. Nothing about the reader is kept: no cookie, no
address, no user agent.
"""

import datetime
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .pagecache import _redis_client

logger = logging.getLogger(__name__)

VIEWED_HEADER = "X-Article-Viewed"
HOURS = "mr:hours"  # the hours that have counts not folded yet
BOT = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|fetch|monitor|scan|check|http|curl|wget|"
    r"python|java|go-http|okhttp|headless|phantom|lighthouse|facebookexternalhit",
    re.IGNORECASE,
)
_lock = threading.Lock()


def _hour_key(hour: datetime.datetime) -> str:
    return f"mr:hour:{hour:%Y%m%d%H}"


def _this_hour() -> datetime.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def is_bot(user_agent: str) -> bool:
    """A user agent that is no reader: a crawler, a link preview, a script, or none."""
    return not user_agent.strip() or bool(BOT.search(user_agent))


# Views are added up in the process and written to the cache at most every
# MOST_READ_FLUSH_SECONDS, in one round trip: a cached page served from this
# process's memory costs no cache call for its count. A process that stops
# loses at most that moment's counts.
_pending: dict[tuple[str, int], int] = {}
_flushed_at = 0.0


def article_view_count(*, article_id: int) -> None:
    """Count one view of the article in this hour. A cache outage loses the
    count, never the page."""
    global _flushed_at
    key = _hour_key(_this_hour())
    with _lock:
        _pending[key, article_id] = _pending.get((key, article_id), 0) + 1
        if time.monotonic() - _flushed_at < settings.MOST_READ_FLUSH_SECONDS:
            return
        _flushed_at = time.monotonic()
        counts = dict(_pending)
        _pending.clear()
    _write(counts)


def _write(counts: dict[tuple[str, int], int]) -> None:
    try:
        if (client := _redis_client()) is not None:
            hours = cache.make_key(HOURS)
            with client.pipeline(transaction=False) as pipe:
                for (key, article_id), views in counts.items():
                    name = cache.make_key(key)
                    pipe.hincrby(name, str(article_id), views)
                    pipe.expire(name, 3 * 24 * 3600)  # folded long before, unless the task stopped
                    pipe.sadd(hours, key)
                pipe.execute()
            return
        with _lock:
            for (key, article_id), views in counts.items():
                hour = cache.get(key) or {}
                hour[article_id] = hour.get(article_id, 0) + views
                cache.set(key, hour, 3 * 24 * 3600)
                cache.set(HOURS, (cache.get(HOURS) or set()) | {key}, None)
    except Exception:
        logger.exception("most read: could not count %d views", sum(counts.values()))


def _take(key: str) -> dict[int, int]:
    """The counts of one hour, taken out of the cache at once (views
    counted meanwhile start a new count)."""
    if (client := _redis_client()) is not None:
        name, hours = cache.make_key(key), cache.make_key(HOURS)
        with client.pipeline(transaction=True) as pipe:
            pipe.hgetall(name)
            pipe.delete(name)
            pipe.srem(hours, key)
            counts, _, _ = pipe.execute()
        return {int(k): int(v) for k, v in counts.items()}
    with _lock:
        counts = cache.get(key) or {}
        cache.delete(key)
        cache.set(HOURS, (cache.get(HOURS) or set()) - {key}, None)
    return counts


def _hours() -> list[str]:
    if (client := _redis_client()) is not None:
        return sorted(member.decode() for member in client.smembers(cache.make_key(HOURS)))
    with _lock:
        return sorted(cache.get(HOURS) or ())


def most_read_fold() -> int:
    """Move the views counted in the cache into ArticleHourlyViews; how many
    views were moved."""
    from .models import Article, ArticleHourlyViews

    moved = 0
    for key in _hours():
        hour = datetime.datetime.strptime(key.rsplit(":", 1)[1], "%Y%m%d%H").replace(
            tzinfo=datetime.UTC
        )
        counts = _take(key)
        existing = set(Article.objects.filter(pk__in=counts).values_list("pk", flat=True))
        for article_id, views in counts.items():
            if article_id not in existing:
                continue  # deleted since
            rows = ArticleHourlyViews.objects.filter(article_id=article_id, hour=hour)
            if not rows.update(views=models.F("views") + views):
                try:
                    with transaction.atomic():
                        ArticleHourlyViews.objects.create(
                            article_id=article_id, hour=hour, views=views
                        )
                except IntegrityError:  # created meanwhile
                    rows.update(views=models.F("views") + views)
            moved += views
    return moved


class ViewCountMiddleware:
    """Counts the views of article pages (see the module's docstring). First
    in MIDDLEWARE: outside the page cache, so that cached pages count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        article_id = response.get(VIEWED_HEADER)
        if article_id is None:
            return response
        del response[VIEWED_HEADER]
        if (
            request.method == "GET"
            and response.status_code == 200
            and not is_bot(request.META.get("HTTP_USER_AGENT", ""))
        ):
            article_view_count(article_id=int(article_id))
        return response
