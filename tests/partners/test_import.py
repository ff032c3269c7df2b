"""Importing partner feeds, against HTTP servers the tests start on 127.0.0.1
(allowed by PARTNER_FEED_ALLOWED_HOSTS for that host and port only)."""

import json
import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.models import Article, Section
from partners.models import FeedRun, ImportedItem, PartnerFeed
from partners.services import partner_feed_import, partner_feeds_import
from partners.tasks import partner_feeds_import as partner_feeds_import_task
from tests.clock import NOW
from tests.factories import SectionFactory

from .conftest import drip, flood

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Baltic Wire</title><link>https://wire.example/</link><description>News</description>
{items}
</channel></rss>"""
RSS_ITEM = """<item><title>{title}</title><link>https://wire.example/{n}</link>
<guid isPermaLink="false">wire-{n}</guid><description>{lead}</description>
<content:encoded><![CDATA[{body}]]></content:encoded>
<pubDate>Sun, 29 Nov 2026 0{n}:30:00 GMT</pubDate></item>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Baltic Wire</title><id>urn:wire</id>
<updated>2026-11-29T08:00:00Z</updated>
<entry><id>urn:wire:atom-1</id><title>Port opens new terminal</title>
<published>2026-11-29T07:15:00Z</published><updated>2026-11-29T07:15:00Z</updated>
<summary>The port of Klaipeda opened a terminal.</summary>
<content type="html">&lt;p&gt;The terminal handles containers.&lt;/p&gt;</content></entry>
</feed>"""


def rss(*items):
    return RSS.format(items="".join(items)).encode()


def rss_item(n, title=None, body=None):
    return RSS_ITEM.format(
        n=n,
        title=title or f"Wire story {n}",
        lead=f"Lead of story {n}.",
        body=body or f"<p>Full text of story {n}.</p>",
    )


def ninjs_item(n, **extra):
    return {
        "uri": f"urn:wire:ninjs-{n}",
        "type": "text",
        "headlines": [{"role": "main", "value": f"Ninjs story {n}"}],
        "descriptions": [{"role": "summary", "value": f"Summary {n}."}],
        "bodies": [{"contentType": "text/html", "value": f"<p>Body {n}.</p>"}],
        "located": "RIGA",
        "firstCreated": "2026-11-29T06:00:00Z",
        **extra,
    }


@pytest.fixture
def feed(partner, feed_server):
    return PartnerFeed.objects.create(
        partner=partner,
        url=feed_server.url("/rss"),
        section=Section.objects.get(edition="en", slug="world"),
    )


@contextmanager
def canary():
    """A listening socket on loopback that no request may ever reach."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    try:
        yield listener.getsockname()[1], listener
    finally:
        listener.close()


def reached(listener):
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


# Formats ---------------------------------------------------------------------


def test_rss_import_with_attribution(feed, feed_server, partner, client):
    feed_server.routes["/rss"] = (
        200,
        {"Content-Type": "application/rss+xml"},
        rss(*map(rss_item, (1, 2, 3))),
    )
    run = partner_feed_import(feed=feed)
    assert (run.status, run.items_new, run.items_updated, run.items_failed) == ("ok", 3, 0, 0)
    assert run.error == ""
    article = Article.objects.get(imported_item__guid="wire-2")
    assert article.headline == "Wire story 2"
    assert article.lead == "Lead of story 2."
    assert article.body == "<p>Full text of story 2.</p>"
    assert article.source == partner and article.section.slug == "world"
    assert article.status == Article.Status.IN_REVIEW  # the feed's default: editors look first
    assert article.published_at == datetime(2026, 11, 29, 2, 30, tzinfo=UTC)
    feed.refresh_from_db()
    assert feed.last_run_at == NOW
    # Once an editor publishes it, the site credits the partner.
    Article.objects.update(status=Article.Status.PUBLISHED)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "(NNA - BW)" in page
    assert (
        "Wire story 2"
        in client.get(reverse("partners:detail", args=[partner.slug])).content.decode()
    )


def test_atom_import_published_at_once(feed, feed_server):
    feed.publish = True
    feed.save()
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/atom+xml"}, ATOM.encode())
    run = partner_feed_import(feed=feed)
    assert run.items_new == 1
    article = Article.objects.get()
    assert article.headline == "Port opens new terminal"
    assert article.lead == "The port of Klaipeda opened a terminal."
    assert article.body == "<p>The terminal handles containers.</p>"
    assert article.is_public


def test_an_import_that_publishes_announces_it_once(feed, feed_server, announcements):
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/atom+xml"}, ATOM.encode())
    partner_feed_import(feed=feed)  # for review: nothing public
    assert announcements == []
    Article.objects.all().delete()
    ImportedItem.objects.all().delete()
    feed.publish = True
    feed.save()
    partner_feed_import(feed=feed)
    partner_feed_import(feed=feed)  # the same item again: nothing new
    article = Article.objects.get()
    assert announcements == [("published", article.pk)]
    assert article.status_changes.get().to_status == Article.Status.PUBLISHED


def test_ninjs_import_keeps_the_partners_embargo(feed, feed_server):
    feed.format = PartnerFeed.Format.NINJS
    feed.publish = True
    feed.save()
    items = [
        ninjs_item(1),
        ninjs_item(2, embargoedUntil="2026-11-30T06:00:00Z"),
        ninjs_item(3, pubStatus="withheld"),
    ]
    feed_server.routes["/rss"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps({"items": items}).encode(),
    )
    run = partner_feed_import(feed=feed)
    assert (run.items_new, run.items_failed) == (2, 0)
    first = Article.objects.get(imported_item__guid="urn:wire:ninjs-1")
    assert (first.headline, first.lead, first.body, first.dateline_place) == (
        "Ninjs story 1",
        "Summary 1.",
        "<p>Body 1.</p>",
        "RIGA",
    )
    embargoed = Article.objects.get(imported_item__guid="urn:wire:ninjs-2")
    assert embargoed.published_at == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert not embargoed.is_public
    assert first.is_public


def test_our_own_api_output_imports(feed, feed_server, api_client):
    """A partner running this software: its /api/v1/items/ page is a feed."""
    from tests.factories import ArticleFactory

    headline, lead = 'Q&A: the "plan" for <2027> — Мінск 🎉', "Tom & Jerry's <deal>"
    ArticleFactory(headline=headline, lead=lead, published_at=NOW - timedelta(hours=1))
    page = api_client.get("/api/v1/items/").content
    Article.objects.all().delete()
    feed.format = PartnerFeed.Format.NINJS
    feed.save()
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/json"}, page)
    assert partner_feed_import(feed=feed).items_new == 1
    assert (Article.objects.get().headline, Article.objects.get().lead) == (headline, lead)


def test_reimport_updates_and_never_duplicates(feed, feed_server):
    feed_server.routes["/rss"] = (200, {}, rss(*map(rss_item, (1, 2, 3))))
    partner_feed_import(feed=feed)
    ids = set(Article.objects.values_list("pk", flat=True))
    again = partner_feed_import(feed=feed)
    assert (again.items_new, again.items_updated) == (0, 0)
    feed_server.routes["/rss"] = (
        200,
        {},
        rss(rss_item(1), rss_item(2, title="Wire story 2, updated"), rss_item(3), rss_item(4)),
    )
    third = partner_feed_import(feed=feed)
    assert (third.items_new, third.items_updated, third.items_failed) == (1, 1, 0)
    assert Article.objects.count() == 4 and ids < set(Article.objects.values_list("pk", flat=True))
    assert Article.objects.get(imported_item__guid="wire-2").headline == "Wire story 2, updated"
    assert ImportedItem.objects.count() == 4
    assert list(FeedRun.objects.values_list("items_new", flat=True)) == [1, 0, 3]


def test_old_runs_are_pruned(feed, feed_server):
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1)))
    with mock.patch("partners.services.RUNS_KEPT", 2):
        runs = [partner_feed_import(feed=feed) for _ in range(3)]
    assert list(FeedRun.objects.order_by("pk")) == runs[1:]


def test_deleted_article_is_not_imported_again(feed, feed_server):
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1)))
    partner_feed_import(feed=feed)
    Article.objects.all().delete()
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1, title="Changed")))
    run = partner_feed_import(feed=feed)
    assert (run.items_new, run.items_updated) == (0, 0)
    assert not Article.objects.exists()


def test_imported_html_is_sanitised(feed, feed_server):
    nasty = (
        '<p onclick="steal()">Text <a href="javascript:alert(1)">link</a></p>'
        "<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=//evil></iframe>"
    )
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1, body=nasty)))
    partner_feed_import(feed=feed)
    feed.format = PartnerFeed.Format.NINJS
    feed.save()
    item = ninjs_item(9, bodies=[{"contentType": "text/html", "value": nasty}])
    feed_server.routes["/rss"] = (200, {}, json.dumps([item]).encode())
    partner_feed_import(feed=feed)
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert "Text" in article.body
        for bad in ["<script", "onerror", "onclick", "javascript:", "<iframe", "alert"]:
            assert bad not in article.body, (bad, article.body)


def test_bad_items_fail_alone(feed, feed_server):
    feed.format = PartnerFeed.Format.NINJS
    feed.save()
    items = [
        ninjs_item(1),
        {"headlines": [{"value": "No URI"}]},
        ninjs_item(2, uri="u" * 600),
        "text",
        ninjs_item(3, headlines=[]),
    ]
    feed_server.routes["/rss"] = (200, {}, json.dumps(items).encode())
    run = partner_feed_import(feed=feed)
    assert (run.status, run.items_new, run.items_failed) == ("ok", 1, 4)
    assert "no GUID" in run.error and "GUID too long" in run.error and "no headline" in run.error


def test_non_latin_headlines_get_a_slug_and_clashing_slugs_a_suffix(feed, feed_server):
    feed_server.routes["/rss"] = (
        200,
        {},
        rss(
            rss_item(1, title="Новости дня"),
            rss_item(2, title="Same"),
            rss_item(3, title="Same"),
            rss_item(4, title="今日新闻"),
        ),
    )
    run = partner_feed_import(feed=feed)
    assert run.items_new == 4
    slugs = set(Article.objects.values_list("slug", flat=True))
    # Cyrillic is transliterated; what has no Latin letters gets a made-up slug.
    assert "novosti-dnia" in slugs and "same" in slugs and "same-2" in slugs
    assert any(slug.startswith("item-") for slug in slugs)


# What the importer refuses -------------------------------------------------


@pytest.mark.parametrize(
    "status, headers, body, message",
    [
        (500, {}, b"oops", "HTTP 500"),
        (200, {}, b"<html><body>Not a feed</body></html>", "not an RSS or Atom feed"),
        (200, {}, b"<rss><channel>", "not well-formed"),
        (200, {}, b"", "the document is empty"),
    ],
)
def test_failed_fetch_or_parse_is_recorded(feed, feed_server, status, headers, body, message):
    feed_server.routes["/rss"] = (status, headers, body)
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED
    assert message in run.error
    assert run.finished_at is not None
    assert not Article.objects.exists()


def test_external_entities_are_refused_with_nothing_read(feed, feed_server):
    with canary() as (port, listener):
        for target in ["file:///etc/passwd", f"http://127.0.0.1:{port}/secret"]:
            xxe = (
                '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "' + target + '">]>'
                '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title>'
                "<guid>x</guid></item></channel></rss>"
            ).encode()
            feed_server.routes["/rss"] = (200, {}, xxe)
            run = partner_feed_import(feed=feed)
            assert run.status == FeedRun.Status.FAILED
            assert "DTDForbidden" in run.error
        assert not reached(listener)
    assert not Article.objects.exists()


def test_billion_laughs_is_refused(feed, feed_server):
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{entities}]>'
        '<rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>'
    ).encode()
    feed_server.routes["/rss"] = (200, {}, bomb)
    started = time.monotonic()
    run = partner_feed_import(feed=feed)
    assert time.monotonic() - started < 5
    assert run.status == FeedRun.Status.FAILED and "DTDForbidden" in run.error
    assert not Article.objects.exists()


def test_a_50_mb_body_is_cut_at_the_limit(feed, feed_server, settings):
    settings.PARTNER_FEED_MAX_BYTES = 1024 * 1024
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml"}, flood)
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED
    assert "larger than 1048576 bytes" in run.error
    assert feed_server.hung_up.wait(10)  # the importer hung up...
    assert feed_server.bytes_sent < 50 * 1024 * 1024  # ...long before 50 MB


def test_a_declared_oversize_body_is_not_read(feed, feed_server, settings):
    settings.PARTNER_FEED_MAX_BYTES = 1000
    feed_server.routes["/rss"] = (200, {}, b"<rss>" + b" " * 5000 + b"</rss>")
    run = partner_feed_import(feed=feed)
    assert "larger than 1000 bytes" in run.error


def test_a_slow_drip_is_stopped_at_the_deadline(feed, feed_server, settings):
    settings.PARTNER_FEED_TOTAL_TIMEOUT = 0.5
    feed_server.routes["/rss"] = (200, {}, drip)  # a byte every 50 ms, for 20 s
    started = time.monotonic()
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED
    assert "took too long" in run.error
    assert time.monotonic() - started < 5
    assert feed_server.hung_up.wait(5)


def test_a_silent_server_times_out(feed, feed_server, settings):
    settings.PARTNER_FEED_TIMEOUT = 0.3
    feed_server.routes["/rss"] = (200, {}, partial(drip, interval=2, limit=2))
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED and "timed out" in run.error.lower()


def test_loopback_without_the_allowance_is_refused(feed, settings):
    with canary() as (port, listener):
        feed.url = f"http://127.0.0.1:{port}/rss"
        run = partner_feed_import(feed=feed)
        assert run.status == FeedRun.Status.FAILED and "not public" in run.error
        assert not reached(listener)


def test_redirect_to_a_loopback_port_not_allowed_is_refused(feed, feed_server):
    with canary() as (port, listener):
        for location in [
            f"http://127.0.0.1:{port}/rss",
            f"http://localhost:{feed_server.port}/rss",
        ]:
            feed_server.routes["/rss"] = (302, {"Location": location}, b"")
            run = partner_feed_import(feed=feed)
            assert run.status == FeedRun.Status.FAILED and "not public" in run.error
        feed_server.routes["/rss"] = (301, {"Location": "file:///etc/passwd"}, b"")
        assert "scheme is not allowed" in partner_feed_import(feed=feed).error
        assert not reached(listener)


def test_up_to_three_redirects_are_followed(feed, feed_server):
    for hop in range(4):
        feed_server.routes[f"/r{hop}"] = (302, {"Location": f"/r{hop + 1}"}, b"")
    feed_server.routes["/r4"] = (200, {}, rss(rss_item(1)))
    feed.url = feed_server.url("/r1")
    assert partner_feed_import(feed=feed).items_new == 1
    feed.url = feed_server.url("/r0")
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED and "more than 3 redirects" in run.error
    assert "/r4" in feed_server.hits and feed_server.hits.count("/r4") == 1


# Scheduling ------------------------------------------------------------------


def test_due_feeds_are_imported_by_the_periodic_task(feed, feed_server, partner, settings, clock):
    assert ("partners.tasks.partner_feeds_import", 60) in settings.PERIODIC_TASKS
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1)))
    feed_server.routes["/other"] = (200, {}, rss(rss_item(2)))
    other = PartnerFeed.objects.create(
        partner=partner, url=feed_server.url("/other"), section=feed.section, interval=60,
        last_run_at=NOW - timedelta(minutes=30),
    )  # fmt: skip
    PartnerFeed.objects.create(
        partner=partner, url=feed_server.url("/off"), section=feed.section, is_active=False
    )
    result = partner_feeds_import_task.enqueue()
    assert result.return_value == {"runs": [{"feed": feed.pk, "status": "ok", "new": 1}]}
    assert feed_server.hits == ["/rss"]
    assert partner_feeds_import() == []  # nothing due now
    with clock.at(NOW + timedelta(minutes=30)):
        runs = partner_feeds_import()
    assert {run.feed for run in runs} == {feed, other}


def test_import_command(feed, feed_server, capsys):
    feed_server.routes["/rss"] = (200, {}, rss(rss_item(1)))
    call_command("import_partner_feeds")
    assert "ok, 1 new, 0 updated, 0 skipped, 0 failed" in capsys.readouterr().out
    call_command("import_partner_feeds")
    assert "No feed to import." in capsys.readouterr().out
    call_command("import_partner_feeds", "--all")
    assert "ok, 0 new" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_each_item_once(partner, feed_server):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    feed = PartnerFeed.objects.create(
        partner=partner, url=feed_server.url("/rss"), section=SectionFactory()
    )
    body = rss(*map(rss_item, range(1, 9)))
    both_asked = threading.Barrier(2, timeout=10)

    def together(handler, server):
        both_asked.wait()  # answer only when both runs are waiting: they import at once
        handler.wfile.write(body)

    feed_server.routes["/rss"] = (200, {}, together)
    runs, errors = [], []

    def run_import():
        try:
            runs.append(partner_feed_import(feed=feed))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and len(runs) == 2
    assert sum(run.items_new for run in runs) == 8
    assert sum(run.items_failed for run in runs) == 0
    assert Article.objects.count() == ImportedItem.objects.count() == 8
