"""Every time a reader sees outside a day heading says its day."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from articles.templatetags.articles_tags import with_day
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()


def local(*args):
    return datetime(*args, tzinfo=TZ)


def times_in(html):
    """The text of every <time> element, in order."""
    return re.findall(r"<time[^>]*>([^<]*)</time>", html)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (local(2026, 11, 29, 8, 5), "Today, 08:05"),
        (local(2026, 11, 28, 20, 38), "Yesterday, 20:38"),
        (local(2026, 11, 28, 0, 0), "Yesterday, 00:00"),
        (local(2026, 11, 27, 23, 59), "27 November, 23:59"),
        (local(2026, 11, 3, 7, 48), "3 November, 07:48"),
        (local(2025, 12, 31, 22, 0), "31 December 2025, 22:00"),
    ],
)
def test_a_time_says_its_day(moment, shown):
    # NOW is Sunday 29 November 2026, 12:00 in Minsk.
    assert with_day(moment) == shown


def test_a_time_is_read_in_the_sites_time_zone():
    # 22:30 UTC on the 28th is already 01:30 on the 29th in Minsk.
    assert with_day(datetime(2026, 11, 28, 22, 30, tzinfo=UTC)) == "Today, 01:30"


def test_latest_recent_and_related_news_say_their_day(client):
    story = ArticleFactory(headline="Main story", published_at=local(2026, 11, 29, 11, 0))
    ArticleFactory(headline="Last night", published_at=local(2026, 11, 28, 20, 38))
    ArticleFactory(headline="Weeks ago", published_at=local(2026, 11, 3, 7, 48))
    for article in story.__class__.objects.all():
        article.tags.add("harvest")

    home = client.get("/").content.decode()
    latest = home.split('id="latest-title"')[1]
    assert times_in(latest) == ["Today, 11:00", "Yesterday, 20:38", "3 November, 07:48"]

    page = client.get(story.get_absolute_url()).content.decode()
    related = page.split('id="related-title"')[1].split("</section>")[0]
    assert times_in(related) == ["Yesterday, 20:38", "3 November, 07:48"]
    recent = page.split('id="recent-news-title"')[1]
    assert times_in(recent) == ["Today, 11:00", "Yesterday, 20:38", "3 November, 07:48"]


def test_rows_under_a_day_heading_keep_the_bare_time(client):
    ArticleFactory(headline="Last night", published_at=local(2026, 11, 28, 20, 38))
    main = client.get("/news/").content.decode().split('class="sidebar"')[0]
    assert "Saturday, 28 November 2026" in main
    assert times_in(main) == ["20:38"]


def test_kept_rows_and_fragments_say_yesterday_after_midnight(client, clock, settings):
    """The page cache keeps rows per version and fragments for a while: the
    rows and the "Recent news" shown after midnight are not those of the day
    before."""
    settings.PUBLIC_PAGE_CACHE = True
    midnight = datetime.combine(timezone.localdate() + timedelta(days=1), time(), TZ)
    clock.move_to(midnight - timedelta(minutes=2))
    story = ArticleFactory(headline="Main story", published_at=midnight - timedelta(hours=2))
    evening = ArticleFactory(headline="Evening", published_at=midnight - timedelta(hours=4))
    story.tags.add("harvest")
    evening.tags.add("harvest")

    def shown():
        page = client.get(story.get_absolute_url()).content.decode()
        related = page.split('id="related-title"')[1].split("</section>")[0]
        recent = page.split('id="recent-news-title"')[1]
        return times_in(related), times_in(recent)

    assert shown() == (["Today, 20:00"], ["Today, 22:00", "Today, 20:00"])
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    clock.move_to(midnight + timedelta(minutes=1))
    assert shown() == (["Yesterday, 20:00"], ["Yesterday, 22:00", "Yesterday, 20:00"])
