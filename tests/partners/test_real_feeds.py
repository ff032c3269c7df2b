"""What real partners send: legacy encodings, HTML entities, RSS 0.91's
DOCTYPE, relative links, odd dates, repeated GUIDs, markup in titles; and
one broken feed among good ones. Served by a loopback server (conftest)."""

import gzip
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from partners.models import FeedRun, ImportedItem, PartnerFeed
from partners.services import partner_feed_import
from tests.clock import NOW
from tests.factories import PartnerFactory

from .test_import import canary, reached


@pytest.fixture
def feed(partner, feed_server):
    return PartnerFeed.objects.create(
        partner=partner,
        url=feed_server.url("/feed"),
        section=Section.objects.get(edition="en", slug="world"),
    )


def serve(server, body, content_type="application/rss+xml", path="/feed", **headers):
    server.routes[path] = (200, {"Content-Type": content_type, **headers}, body)


def rss(items, *, declaration='<?xml version="1.0" encoding="utf-8"?>', version="2.0", doctype=""):
    return (
        f'{declaration}{doctype}<rss version="{version}"><channel><title>Wire</title>'
        f"<link>https://wire.example/</link><description>News</description>{items}"
        "</channel></rss>"
    )


def item(title, guid, *, description="", date="Sun, 29 Nov 2026 08:00:00 GMT", extra=""):
    return (
        f'<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>'
        f"<description>{description}</description><pubDate>{date}</pubDate>{extra}</item>"
    )


def imported(guid):
    return Article.objects.get(imported_item__guid=guid)


def assert_run(run, new=0, updated=0, skipped=0, failed=0):
    counts = (run.status, run.items_new, run.items_updated, run.items_skipped, run.items_failed)
    assert counts == ("ok", new, updated, skipped, failed), run.error


# Encodings -----------------------------------------------------------------

TAIPEI = "台北市政府宣布新的交通計畫"
MINSK = 'В Минске открылась выставка "Беларусь-2026"'


def test_a_big5_feed_imports(feed, feed_server):
    document = rss(
        item(TAIPEI, "tw-1", description="市民歡迎這項計畫。"),
        declaration='<?xml version="1.0" encoding="Big5"?>',
    )
    serve(feed_server, document.encode("big5"), "text/xml")
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("tw-1").headline == TAIPEI
    assert imported("tw-1").body == "市民歡迎這項計畫。"


@pytest.mark.parametrize("encoding", ["euc-kr", "gb2312", "shift_jis", "euc-jp", "iso-8859-7"])
def test_declared_multibyte_and_legacy_encodings_import(feed, feed_server, encoding):
    title = {
        "euc-kr": "서울시, 새 교통 계획 발표",
        "gb2312": "北京市政府宣布新的交通计划",
        "shift_jis": "東京都が新しい交通計画を発表",
        "euc-jp": "大阪府が新しい経済対策を発表",
        "iso-8859-7": "Η Αθήνα ανακοινώνει νέο σχέδιο",
    }[encoding]
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    serve(feed_server, rss(item(title, "g-1"), declaration=declaration).encode(encoding))
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("g-1").headline == title


def test_a_windows_1251_feed_with_only_an_http_charset_imports(feed, feed_server):
    document = rss(item(MINSK, "by-1"), declaration='<?xml version="1.0"?>')
    serve(
        feed_server, document.encode("windows-1251"), 'application/rss+xml; charset="windows-1251"'
    )
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("by-1").headline == MINSK


def test_the_declaration_comes_before_the_http_charset(feed, feed_server):
    document = rss(item(MINSK, "by-1"), declaration='<?xml version="1.0" encoding="koi8-r"?>')
    serve(feed_server, document.encode("koi8-r"), "text/xml; charset=windows-1251")
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("by-1").headline == MINSK


def test_a_wrong_utf8_declaration_falls_back_to_the_http_charset(feed, feed_server):
    serve(feed_server, rss(item(MINSK, "by-1")).encode("windows-1251"), "text/xml; charset=cp1251")
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("by-1").headline == MINSK


@pytest.mark.parametrize("encoding", ["koi8-r", "windows-1251", "shift_jis", "euc-jp", "gb2312"])
def test_undeclared_legacy_encodings_are_detected(feed, feed_server, encoding):
    text = {
        "koi8-r": (
            MINSK,
            "Выставка продлится до конца декабря, вход для всех посетителей свободный.",
        ),
        "windows-1251": (MINSK, "Выставка продлится до конца декабря, вход свободный для всех."),
        "shift_jis": (
            "東京都が新しい交通計画を発表",
            "都民の生活を便利にするための新しい計画です。",
        ),
        "euc-jp": ("大阪府が新しい経済対策を発表", "府民の生活を支えるための新しい対策です。"),
        "gb2312": ("北京市政府宣布新的交通计划", "这项计划将改善市民的日常生活和出行。"),
    }[encoding]
    document = rss(item(text[0], "d-1", description=text[1]), declaration="")
    serve(feed_server, document.encode(encoding), "application/xml")
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("d-1").headline == text[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-le", "utf-8-sig"])
def test_unicode_encodings_with_or_without_a_byte_order_mark(feed, feed_server, encoding):
    declaration = f'<?xml version="1.0" encoding="{encoding.removesuffix("-sig")}"?>'
    serve(feed_server, rss(item(MINSK + " 🎉", "u-1"), declaration=declaration).encode(encoding))
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("u-1").headline == MINSK + " 🎉"


def test_a_gzipped_feed_imports(feed, feed_server):
    body = gzip.compress(rss(item(MINSK, "z-1")).encode())
    serve(feed_server, body, **{"Content-Encoding": "gzip"})
    assert_run(partner_feed_import(feed=feed), new=1)


# Entities and DOCTYPEs -------------------------------------------------------


def test_html_entities_are_read_as_html_reads_them(feed, feed_server):
    title = "Minsk&nbsp;&mdash; Vilnius&hellip; &laquo;AT&T&raquo; &amp; &copy;&#150; &bogus;"
    serve(
        feed_server, rss(item(title, "e-1", description="caf&eacute;&nbsp;au&nbsp;lait")).encode()
    )
    assert_run(partner_feed_import(feed=feed), new=1)
    article = imported("e-1")
    assert article.headline == "Minsk — Vilnius… «AT&T» & ©– &bogus;"
    assert article.body == "café&nbsp;au&nbsp;lait"


NETSCAPE = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n "{system}">'


def test_rss_091_with_its_doctype_imports_without_fetching_it(feed, feed_server):
    with canary() as (port, listener):
        doctype = NETSCAPE.format(system=f"http://127.0.0.1:{port}/rss-0.91.dtd")
        items = (
            "<item><title>Old&nbsp;style &eacute;t&eacute;</title>"
            "<link>https://wire.example/1</link><description>One</description></item>"
        )
        document = rss(
            items,
            version="0.91",
            doctype=doctype,
            declaration='<?xml version="1.0" encoding="ISO-8859-1"?>',
        )
        serve(feed_server, document.encode("latin-1"))
        assert_run(partner_feed_import(feed=feed), new=1)
        assert not reached(listener)
    assert imported("https://wire.example/1").headline == "Old style été"


@pytest.mark.parametrize(
    "doctype",
    [
        # The known public DTD, but with an internal subset declaring entities.
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd" '
        '[<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss PUBLIC "-//Other//DTD RSS//EN" "http://127.0.0.1:{port}/x.dtd">',
        '<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/x.dtd">',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/x">%remote;]>',
    ],
)
def test_other_dtds_are_still_refused_with_nothing_read(feed, feed_server, doctype):
    with canary() as (port, listener):
        items = item("&xxe; &nbsp;", "x-1")
        serve(feed_server, rss(items, doctype=doctype.format(port=port)).encode())
        run = partner_feed_import(feed=feed)
        assert run.status == FeedRun.Status.FAILED and "DTDForbidden" in run.error
        assert not reached(listener)
    assert not Article.objects.exists()


def test_control_characters_and_leading_white_space_do_not_refuse_a_feed(feed, feed_server):
    document = "\n\n  " + rss(item("Vertical\x0btab\x00 and &#1; bell\x07", "c-1"))
    serve(feed_server, document.encode())
    assert_run(partner_feed_import(feed=feed), new=1)
    assert imported("c-1").headline == "Verticaltab and bell"


# Links, text, dates, GUIDs ---------------------------------------------------


def test_relative_links_are_resolved_against_the_items_or_the_feeds_base(feed, feed_server):
    atom = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>'
        "<updated>2026-11-29T08:00:00Z</updated>"
        '<entry xml:base="https://cdn.wire.example/2026/"><id>urn:wire:a-1</id>'
        "<title>Based</title><updated>2026-11-29T08:00:00Z</updated>"
        '<content type="html">&lt;p&gt;&lt;a href="story.html"&gt;more&lt;/a&gt;&lt;/p&gt;'
        "</content>"
        "</entry>"
        "<entry><id>urn:wire:a-2</id><title>Unbased</title><updated>2026-11-29T08:00:00Z</updated>"
        '<content type="html">&lt;p&gt;&lt;a href="/news/2"&gt;more&lt;/a&gt;&lt;/p&gt;</content>'
        "</entry></feed>"
    )
    serve(feed_server, atom.encode(), "application/atom+xml", path="/partner/atom.xml")
    feed.url = feed_server.url("/partner/atom.xml")
    feed.save()
    assert_run(partner_feed_import(feed=feed), new=2)
    assert (
        imported("urn:wire:a-1").body
        == '<p><a href="https://cdn.wire.example/2026/story.html">more</a></p>'
    )
    assert (
        imported("urn:wire:a-2").body == f'<p><a href="{feed_server.url("/news/2")}">more</a></p>'
    )
    assert (
        ImportedItem.objects.filter(guid__in=["urn:wire:a-1", "urn:wire:a-2"]).count() == 2
    )  # GUIDs as sent


def test_script_style_and_comments_leave_no_text_in_titles(feed, feed_server):
    titles = [
        ("Crazy HTML -- &lt;!-- &lt;script&gt;function executeMe() {}&lt;/script&gt; --&gt;Can"
         " Your Regex Parse This?", "Crazy HTML -- Can Your Regex Parse This?"),
        ("&lt;b&gt;Bold&lt;/b&gt; &lt;style&gt;b{color:red}&lt;/style&gt;move",
         "Bold move"),
        ("Budget &lt;script&gt;alert(1)&lt;/script&gt;passes", "Budget passes"),
        ("Prices up 5% &lt; 2025's &amp; rising", "Prices up 5% < 2025's & rising"),
    ]  # fmt: skip
    items = "".join(item(raw, f"s-{n}") for n, (raw, _) in enumerate(titles))
    serve(feed_server, rss(items).encode())
    assert_run(partner_feed_import(feed=feed), new=4)
    assert [imported(f"s-{n}").headline for n in range(4)] == [clean for _, clean in titles]


def test_dates_outside_the_window_are_skipped_or_dated_now(feed, feed_server, settings):
    settings.PARTNER_FEED_MAX_AGE_DAYS = 30
    dates = {
        "1900": "Mon, 01 Jan 1900 00:00:00 GMT",
        "epoch": "Thu, 01 Jan 1970 00:00:00 GMT",
        "old": "Wed, 28 Oct 2026 08:00:00 GMT",  # 32 days before NOW
        "month": "Mon, 02 Nov 2026 08:00:00 GMT",
        "future": "Fri, 01 Jan 2100 00:00:00 GMT",
        "skew": "Sun, 29 Nov 2026 09:10:00 GMT",  # 10 minutes ahead of us
        "nonsense": "sometime last week",
    }
    items = "".join(item(f"Dated {name}", name, date=date) for name, date in dates.items())
    serve(feed_server, rss(items).encode())
    run = partner_feed_import(feed=feed)
    assert_run(run, new=4, skipped=3)
    assert "1900: skipped, dated 1900-01-01 00:00 UTC, older than 30 days" in run.error
    assert "future: dated 2100-01-01 00:00 UTC, in the future: dated at its import" in run.error
    assert imported("month").published_at == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert imported("future").published_at == NOW
    assert imported("skew").published_at == NOW
    assert imported("nonsense").published_at == NOW
    assert not ImportedItem.objects.filter(guid__in=["1900", "epoch", "old"]).exists()
    assert Article.objects.filter(published_at__year__lt=2026).count() == 0
    # An item already imported is still updated once it is older than the window.
    with_change = items.replace("Dated month", "Dated month, updated")
    serve(feed_server, rss(with_change).encode())
    settings.PARTNER_FEED_MAX_AGE_DAYS = 1
    assert_run(partner_feed_import(feed=feed), updated=1, skipped=3)
    assert imported("month").headline == "Dated month, updated"


def test_a_guid_repeated_in_one_feed_is_imported_once_first_wins(feed, feed_server, client):
    items = item("First text", "dup") + item("Other", "solo") + item("Second text", "dup")
    serve(feed_server, rss(items).encode())
    run = partner_feed_import(feed=feed)
    assert_run(run, new=2, skipped=1)
    assert "dup: skipped, repeated in the feed: the first one is imported" in run.error
    for _ in range(2):
        assert_run(partner_feed_import(feed=feed), skipped=1)
    assert imported("dup").headline == "First text"
    assert Article.objects.count() == 2


# One feed's failure ----------------------------------------------------------


def test_a_broken_feed_never_stops_the_others_and_the_exit_status_says_so(db, feed_server, capsys):
    world = Section.objects.get(edition="en", slug="world")
    paths = ["/good-1", "/broken", "/crash", "/good-2"]
    for path in paths:
        partner = PartnerFactory()
        PartnerFeed.objects.create(partner=partner, url=feed_server.url(path), section=world)
    serve(feed_server, rss(item("One", "g1")).encode(), path="/good-1")
    serve(feed_server, b"<rss><channel>", path="/broken")
    # Valid JSON where XML was expected, and a title feedparser cannot take.
    serve(feed_server, b'{"uri": "x"}', path="/crash")
    serve(feed_server, rss(item("Two", "g2")).encode("big5"), path="/good-2")
    call_command("import_partner_feeds", "--all")
    output = capsys.readouterr().out
    assert output.count(": ok, 1 new") == 2 and output.count(": failed") == 2
    assert Article.objects.count() == 2
    with pytest.raises(CommandError, match="2 of 4 feed") as raised:
        call_command("import_partner_feeds", "--all", "--fail-on-error")
    assert raised.value.returncode == 1
    assert FeedRun.objects.filter(status="ok").count() == 4


def test_an_unexpected_error_is_recorded_and_logged(feed, feed_server, caplog, monkeypatch):
    serve(feed_server, rss(item("One", "g1")).encode())
    monkeypatch.setattr("partners.services._slug_free", lambda *args: 1 / 0)
    run = partner_feed_import(feed=feed)
    assert run.status == FeedRun.Status.FAILED
    assert "unexpected error: ZeroDivisionError" in run.error
    assert "Importing" in caplog.text and "ZeroDivisionError" in caplog.text
