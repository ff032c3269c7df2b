from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from subscriptions import services, tasks
from subscriptions.models import Delivery, Subscriber, new_key
from subscriptions.selectors import digest_period, manage_token
from tests.clock import NOW
from tests.factories import ArticleFactory

from .conftest import SubscriberFactory, section

pytestmark = pytest.mark.django_db

# The daily period that has ended at NOW: 28 Nov 07:00 to 29 Nov 07:00 Minsk.
DAY_END = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


def in_yesterday(hours_before_end, **fields):
    return ArticleFactory(published_at=DAY_END - timedelta(hours=hours_before_end), **fields)


def headlines(message):
    return [line for line in message.body.splitlines() if line.startswith("Story ")]


def mails_to(email):
    return [m for m in mail.outbox if m.to == [email]]


# Periods


@pytest.mark.parametrize(
    "frequency, now, key, start, end",
    [
        # Sunday 12:00 Minsk: today's 07:00 has passed.
        ("daily", NOW, "daily:2026-11-29", "2026-11-28 04:00", "2026-11-29 04:00"),
        # 06:59 Minsk: still yesterday's period.
        (
            "daily",
            datetime(2026, 11, 29, 3, 59, tzinfo=UTC),
            "daily:2026-11-28",
            "2026-11-27 04:00",
            "2026-11-28 04:00",
        ),
        # The week ends on Monday 07:00.
        ("weekly", NOW, "weekly:2026-W48", "2026-11-16 04:00", "2026-11-23 04:00"),
        (
            "weekly",
            datetime(2026, 11, 30, 4, 0, tzinfo=UTC),
            "weekly:2026-W49",
            "2026-11-23 04:00",
            "2026-11-30 04:00",
        ),
    ],
)
def test_digest_periods(frequency, now, key, start, end):
    period = digest_period(frequency=frequency, now=now)
    assert period.key == key
    assert period.start.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == start
    assert period.end.astimezone(UTC).strftime("%Y-%m-%d %H:%M") == end


# What a digest holds


@pytest.fixture
def yesterday():
    """Stories of the ended daily period in several sections, and around it."""
    return {
        "politics": in_yesterday(1, headline="Story politics", section=section("politics")),
        "president": in_yesterday(2, headline="Story president", section=section("president")),
        "economics": in_yesterday(
            3,
            headline="Story economics",
            lead="Grain <exports> & more.",
            section=section("economics"),
        ),
        "sport": in_yesterday(4, headline="Story sport", section=section("sport")),
        "too old": in_yesterday(25, headline="Story too old"),
        "after the end": ArticleFactory(
            headline="Story today", published_at=DAY_END + timedelta(seconds=1)
        ),
        "draft": in_yesterday(1, headline="Story draft", status=Article.Status.DRAFT),
        "withdrawn": in_yesterday(1, headline="Story pulled", status=Article.Status.WITHDRAWN),
    }


def test_a_daily_digest_holds_the_period_s_stories_of_the_subscriber_s_sections(yesterday):
    SubscriberFactory(email="all@example.org")
    SubscriberFactory(email="economics@example.org", sections=["economics"])
    # A parent section includes its children's stories.
    SubscriberFactory(email="bodies@example.org", sections=["government-bodies", "sport"])

    assert services.digest_send(frequency="daily") == 3

    [everything] = mails_to("all@example.org")
    assert headlines(everything) == [
        "Story politics",
        "Story president",
        "Story economics",
        "Story sport",
    ]
    assert everything.subject == "National News Agency: your daily digest, 29 November 2026"
    [economics] = mails_to("economics@example.org")
    assert headlines(economics) == ["Story economics"]
    article = yesterday["economics"]
    assert "Grain <exports> & more." in economics.body
    assert f"http://127.0.0.1:8000{article.get_absolute_url()}" in economics.body
    html = economics.alternatives[0].content
    assert "Grain &lt;exports&gt; &amp; more." in html
    assert f'href="http://127.0.0.1:8000{article.get_absolute_url()}"' in html
    [bodies] = mails_to("bodies@example.org")
    assert headlines(bodies) == ["Story president", "Story sport"]


def test_secondary_sections_count_too(yesterday):
    yesterday["politics"].secondary_sections.add(section("culture"))
    SubscriberFactory(email="culture@example.org", sections=["culture"])
    services.digest_send(frequency="daily")
    assert headlines(mails_to("culture@example.org")[0]) == ["Story politics"]


def test_a_digest_holds_at_most_the_newest_n_stories(yesterday, settings):
    settings.SUBSCRIPTIONS_DIGEST_MAX_ARTICLES = 2
    SubscriberFactory(email="all@example.org")
    services.digest_send(frequency="daily")
    assert headlines(mail.outbox[0]) == ["Story politics", "Story president"]


def test_no_stories_no_mail_and_later_runs_pass_the_subscriber_by(
    yesterday, django_assert_num_queries
):
    SubscriberFactory(email="culture@example.org", sections=["culture"])
    assert services.digest_send(frequency="daily") == 0
    assert mail.outbox == []
    [record] = Delivery.objects.all()
    assert (record.key, record.sent_at, record.article_count) == ("daily:2026-11-29", None, 0)
    with django_assert_num_queries(1):
        assert services.digest_send(frequency="daily") == 0


def test_unconfirmed_and_unsubscribed_addresses_get_no_digest(yesterday):
    SubscriberFactory(status="pending", confirm_key=new_key(), confirmed_at=None)
    SubscriberFactory(status="unsubscribed", unsubscribed_at=NOW - timedelta(days=1))
    SubscriberFactory(frequency="weekly")
    SubscriberFactory(frequency="immediate")
    assert services.digest_send(frequency="daily") == 0
    assert mail.outbox == []


def test_every_mail_has_the_one_click_unsubscribe_headers(yesterday, client):
    subscriber = SubscriberFactory(email="reader@example.org")
    services.digest_send(frequency="daily")
    [message] = mail.outbox
    token = manage_token(subscriber=subscriber)
    url = f"http://127.0.0.1:8000{reverse('subscriptions:unsubscribe', args=[token])}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe (one click): {url}" in message.body
    assert f'href="{url}"' in message.alternatives[0].content
    preferences = reverse("subscriptions:preferences", args=[token])
    assert f"http://127.0.0.1:8000{preferences}" in message.body
    # The headers travel with the message.
    assert message.message()["List-Unsubscribe"] == f"<{url}>"


def test_preferences_change_what_the_next_digest_contains(yesterday, clock):
    subscriber = SubscriberFactory(email="reader@example.org", sections=["economics"])
    services.digest_send(frequency="daily")
    assert headlines(mail.outbox[0]) == ["Story economics"]

    url = reverse("subscriptions:preferences", args=[manage_token(subscriber=subscriber)])
    Client().post(url, {"frequency": "daily", "sections": [section("sport").pk]})
    end = DAY_END + timedelta(days=1)
    ArticleFactory(headline="Story economics 2", section=section("economics"), published_at=end)
    ArticleFactory(headline="Story sport 2", section=section("sport"), published_at=end)
    clock.advance(days=1)
    mail.outbox.clear()

    assert services.digest_send(frequency="daily") == 1
    assert headlines(mail.outbox[0]) == ["Story sport 2"]

    Client().post(url, {"frequency": "weekly"})
    clock.advance(days=1)
    ArticleFactory(published_at=end + timedelta(hours=1))
    assert services.digest_send(frequency="daily") == 0


def test_a_story_is_never_in_two_digests_when_the_frequency_changes(clock):
    """Daily, then weekly from the Wednesday: the weekly digest starts where
    the last daily one ended."""
    subscriber = SubscriberFactory(email="reader@example.org")
    monday = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 07:00 Minsk
    ArticleFactory(headline="Story of Monday", published_at=monday + timedelta(hours=2))
    ArticleFactory(headline="Story of Tuesday", published_at=monday + timedelta(days=1, hours=2))
    ArticleFactory(headline="Story of Friday", published_at=monday + timedelta(days=4, hours=2))
    clock.move_to(monday + timedelta(days=1, hours=1))
    services.digest_send(frequency="daily")
    clock.move_to(monday + timedelta(days=2, hours=1))
    services.digest_send(frequency="daily")
    assert [headlines(m) for m in mail.outbox] == [["Story of Monday"], ["Story of Tuesday"]]

    subscriber.frequency = "weekly"
    subscriber.save()
    mail.outbox.clear()
    clock.move_to(monday + timedelta(days=7, hours=1))
    assert services.digest_send(frequency="weekly") == 1
    assert headlines(mail.outbox[0]) == ["Story of Friday"]


def test_a_finished_run_sends_nothing_when_run_again(yesterday, django_assert_num_queries):
    for _ in range(3):
        SubscriberFactory()
    assert services.digest_send(frequency="daily") == 3
    with django_assert_num_queries(1):  # no one is due: no article is read
        assert services.digest_send(frequency="daily") == 0
    assert len(mail.outbox) == 3
    assert (
        sorted(Delivery.objects.values_list("key", "article_count"))
        == [("daily:2026-11-29", 4)] * 3
    )


def test_weekly_digest(clock):
    SubscriberFactory(email="weekly@example.org", frequency="weekly")
    SubscriberFactory(email="daily@example.org")
    week_end = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    ArticleFactory(headline="Story of the week", published_at=week_end - timedelta(days=3))
    ArticleFactory(headline="Story of this week", published_at=week_end + timedelta(days=1))
    assert services.digest_send(frequency="weekly") == 1
    assert mail.outbox[0].to == ["weekly@example.org"]
    assert headlines(mail.outbox[0]) == ["Story of the week"]
    assert mail.outbox[0].subject == "National News Agency: your weekly digest, 23 November 2026"


def test_the_send_digests_command_prints_how_many_went_out(yesterday, capsys):
    SubscriberFactory()
    SubscriberFactory(frequency="weekly")
    call_command("send_digests", frequency="daily")
    assert capsys.readouterr().out == "1 mail(s) sent.\n"
    call_command("send_digests", frequency="daily")
    assert capsys.readouterr().out == "0 mail(s) sent.\n"


def test_the_command_refuses_an_unknown_frequency():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_digests", frequency="hourly")


def test_the_periodic_tasks_are_scheduled_and_send(yesterday, settings, capsys):
    SubscriberFactory(frequency="daily")
    paths = [path for path, _ in settings.PERIODIC_TASKS]
    assert {
        "subscriptions.tasks.daily_digest_send",
        "subscriptions.tasks.weekly_digest_send",
        "subscriptions.tasks.breaking_alerts_send",
    } <= set(paths)
    call_command("run_scheduler", once=True)
    assert len(mail.outbox) == 1
    assert tasks.daily_digest_send.enqueue().return_value == 0


def test_a_digest_run_for_1000_subscribers_uses_a_bounded_number_of_queries(settings):
    """Per batch of subscribers: who is due, and their sections; per mail:
    the claim and the delivery record. Never per article."""
    sections = [section(slug) for slug in ("politics", "economics", "sport", "president")]
    for n in range(40):
        ArticleFactory(
            published_at=DAY_END - timedelta(minutes=20 * n + 1),
            section=sections[n % 4],
        ).secondary_sections.add(sections[(n + 1) % 4])
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.org",
            status="confirmed",
            frequency="daily",
            key=new_key(),
            confirmed_at=NOW,
        )
        for n in range(1000)
    )
    Through = Subscriber.sections.through
    Through.objects.bulk_create(
        Through(subscriber_id=subscriber.pk, section_id=sections[n % 5].pk)
        for n, subscriber in enumerate(subscribers)
        if n % 5 < 4
    )

    with CaptureQueriesContext(connection) as queries:
        assert services.digest_send(frequency="daily") == 1000
    batches = 1000 // settings.SUBSCRIPTIONS_MAIL_BATCH + 1  # the last one finds none
    sql = [query["sql"] for query in queries]
    assert sum('FROM "articles_article"' in q for q in sql) == 1
    # The articles and their secondary sections; per batch, who is due and
    # their sections (and the last batch finds no one); per mail, in a
    # savepoint each (the test runs in a transaction), the claim and record.
    assert len(sql) == 2 + 2 * (batches - 1) + 1 + 4 * 1000
    assert len(mail.outbox) == 1000
    assert {m.body.count("/news/2026/") for m in mail.outbox} == {20}


# Breaking news alerts


@pytest.fixture
def alert_readers():
    return {
        "all": SubscriberFactory(email="all@example.org", frequency="immediate"),
        "politics": SubscriberFactory(
            email="politics@example.org", frequency="immediate", sections=["politics"]
        ),
        "sport": SubscriberFactory(
            email="sport@example.org", frequency="immediate", sections=["sport"]
        ),
        "daily": SubscriberFactory(email="daily@example.org"),
        "pending": SubscriberFactory(
            email="pending@example.org", frequency="immediate", status="pending"
        ),
    }


def test_publishing_a_breaking_story_alerts_immediate_subscribers_once(
    alert_readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            headline="Earthquake", is_breaking=True, section=section("politics"), published_at=NOW
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.org", "politics@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Breaking: Earthquake"
    assert f"http://127.0.0.1:8000{article.get_absolute_url()}" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Corrections to it, and the periodic task, send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        article.lead = "Corrected."
        article.save()
    assert services.breaking_alerts_send() == 0
    assert len(mail.outbox) == 2


def test_a_story_flagged_breaking_later_is_alerted(
    alert_readers, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Earthquake", section=section("sport"))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        article.is_breaking = True
        article.save()
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.org", "sport@example.org"]


def test_a_scheduled_breaking_story_is_alerted_when_its_time_comes(
    alert_readers, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ArticleFactory(
            headline="Embargoed", is_breaking=True, published_at=NOW + timedelta(hours=1)
        )
    # Nothing alerted at the save (the page cache's own callbacks may run).
    assert all(getattr(c, "func", None) != tasks.breaking_alert_send.enqueue for c in callbacks)
    assert mail.outbox == []
    assert services.breaking_alerts_send() == 0
    clock.advance(minutes=59)
    assert services.breaking_alerts_send() == 0
    clock.advance(minutes=1)
    assert services.breaking_alerts_send() == 2
    assert services.breaking_alerts_send() == 0
    assert tasks.breaking_alerts_send.enqueue().return_value == 0
    assert len(mail.outbox) == 2


def test_a_scheduled_breaking_story_is_alerted_when_it_is_announced(
    alert_readers, clock, django_capture_on_commit_callbacks
):
    from articles.services import article_publications_announce

    ArticleFactory(headline="Embargoed", is_breaking=True, published_at=NOW + timedelta(hours=1))
    clock.advance(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert article_publications_announce() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.org", "politics@example.org"]
    assert services.breaking_alerts_send() == 0


def test_alerts_read_only_the_subscribers_of_the_story_s_sections(
    alert_readers, django_assert_num_queries
):
    ArticleFactory(is_breaking=True, section=section("culture"), published_at=NOW)
    # The breaking stories and their sections; the subscribers due (of all
    # sections, or of culture) and their sections; a savepoint, the claim,
    # the record and the release for the one mail; no one else is due.
    with django_assert_num_queries(2 + 2 + 4 + 1):
        assert services.breaking_alerts_send() == 1
    assert mail.outbox[0].to == ["all@example.org"]


def test_old_and_ordinary_stories_send_no_alert(alert_readers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(is_breaking=True, published_at=NOW - timedelta(hours=2, seconds=1))
        ArticleFactory(is_breaking=False, published_at=NOW)
        ArticleFactory(is_breaking=True, published_at=NOW, status=Article.Status.IN_REVIEW)
    assert services.breaking_alerts_send() == 0
    assert mail.outbox == []
