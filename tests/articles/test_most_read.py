""" "Most read": views counted per article and hour in the cache, folded into
the database by a task; no cookie, no tracker, bots not counted."""

import re
import time

import pytest
from django.test import override_settings

from articles import mostread, pagecache
from articles.models import ArticleHourlyViews
from articles.tasks import most_read_fold
from newsportal import cache as fail_open
from tests.factories import ArticleFactory
from tests.servers import RedisServer, needs_redis_server

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True  # cached pages are counted too


def read(client, article, times, user_agent=FIREFOX):
    for _ in range(times):
        response = client.get(article.get_absolute_url(), HTTP_USER_AGENT=user_agent)
        assert response.status_code == 200
        assert not response.cookies and "Set-Cookie" not in response
        assert mostread.VIEWED_HEADER not in response


def most_read(client):
    response = client.get("/", HTTP_USER_AGENT=FIREFOX)
    assert not response.cookies and "Set-Cookie" not in response
    block = response.content.decode().split('id="most-read-title"')
    if len(block) == 1:
        return []
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', block[1].split("</ol>")[0])


def test_most_read_follows_the_views_counted(client, clock):
    first, second, third = (ArticleFactory(headline=h) for h in ("First", "Second", "Third"))
    read(client, first, 3)
    read(client, second, 5, IPHONE)
    read(client, third, 1)
    read(client, third, 10, GOOGLEBOT)  # not a reader
    read(client, first, 10, "")  # no user agent: a script
    hit = client.get(third.get_absolute_url(), HTTP_USER_AGENT=FIREFOX)
    assert hit["X-Page-Cache"] == "hit"  # served from the page cache, and counted
    assert most_read(client) == []  # nothing folded yet

    assert most_read_fold.call() == 3 + 5 + 1 + 1
    assert ArticleHourlyViews.objects.get(article=second).views == 5
    # The home page was kept without it: rendered again once it goes stale.
    clock.advance(seconds=301)
    assert most_read(client) == ["Second", "First", "Third"]


def test_folds_add_up_and_old_views_drop_out(client, clock):
    story, other = ArticleFactory(headline="Story"), ArticleFactory(headline="Other")
    read(client, story, 2)
    assert mostread.most_read_fold() == 2
    assert mostread.most_read_fold() == 0  # taken out of the cache once
    read(client, story, 1)
    read(client, other, 4)
    assert mostread.most_read_fold() == 5
    assert ArticleHourlyViews.objects.get(article=story).views == 3

    clock.advance(hours=23)
    read(client, story, 2)
    mostread.most_read_fold()
    clock.advance(seconds=301)  # the block, kept with the article pages read, goes stale
    assert most_read(client) == ["Story", "Other"]  # 5 and 4
    clock.advance(hours=1)  # the first hour's views are 24 hours old now
    assert most_read(client) == ["Story"]


def test_a_withdrawn_story_leaves_most_read_at_once(client, clock):
    gone, kept = ArticleFactory(headline="Gone"), ArticleFactory(headline="Kept")
    read(client, gone, 3)
    read(client, kept, 1)
    mostread.most_read_fold()
    clock.advance(seconds=301)
    assert most_read(client) == ["Gone", "Kept"]
    gone.status = gone.Status.WITHDRAWN
    gone.save()
    assert most_read(client) == ["Kept"]  # at once: a withdrawal drops every page


@pytest.mark.parametrize(
    ("user_agent", "bot"),
    [
        (FIREFOX, False),
        (IPHONE, False),
        (GOOGLEBOT, True),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("TelegramBot (like TwitterBot)", True),
        ("curl/8.5.0", True),
        ("python-requests/2.32.3", True),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0", True),
        ("", True),
    ],
)
def test_bots_are_told_by_their_user_agent(user_agent, bot):
    assert mostread.is_bot(user_agent) is bot


@needs_redis_server
def test_counts_on_redis_and_folds_them(client, monkeypatch):
    monkeypatch.setattr(fail_open, "_clients", {})
    server = RedisServer()
    server.start()
    try:
        caches = {
            "default": {"BACKEND": "newsportal.cache.FailOpenRedisCache", "LOCATION": server.url}
        }
        with override_settings(CACHES=caches):
            first, second = ArticleFactory(headline="First"), ArticleFactory(headline="Second")
            read(client, first, 2)
            read(client, second, 3)
            read(client, first, 4, GOOGLEBOT)
            assert mostread.most_read_fold() == 5
            assert mostread.most_read_fold() == 0
            # Redis keeps its own time: drop what the clock would have let go stale.
            pagecache.pages_invalidate({pagecache.EVERY_PAGE})
            assert most_read(client) == ["Second", "First"]
    finally:
        server.cleanup()


def test_the_fold_runs_every_minute(settings):
    assert ("articles.tasks.most_read_fold", 60) in settings.PERIODIC_TASKS
    # Outside the page cache, so cached pages count too (the request log
    # alone comes before it).
    middleware = settings.MIDDLEWARE
    assert middleware.index("articles.mostread.ViewCountMiddleware") < middleware.index(
        "articles.pagecache.PageCacheMiddleware"
    )


def test_views_are_added_up_in_the_process_and_written_together(client, settings, monkeypatch):
    """A busy process writes its counts at most every MOST_READ_FLUSH_SECONDS,
    in one round trip, not one per view."""
    settings.MOST_READ_FLUSH_SECONDS = 3600
    monkeypatch.setattr(mostread, "_flushed_at", time.monotonic())
    monkeypatch.setattr(mostread, "_pending", {})
    article = ArticleFactory(headline="Busy story")
    read(client, article, 4)
    assert most_read_fold.call() == 0  # still in the process
    # The interval has passed (measured from now: a machine up for less than
    # an hour has a monotonic clock below it).
    monkeypatch.setattr(mostread, "_flushed_at", time.monotonic() - 3601)
    read(client, article, 1)
    assert most_read_fold.call() == 5
    assert ArticleHourlyViews.objects.get(article=article).views == 5
