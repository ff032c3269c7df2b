"""Syndication per edition: the partner API's ?language= and ninjs language,
each edition's feeds, sitemaps, robots.txt and JSON-LD in its language, and
the importer filing partners' items into the right edition."""

import json
from datetime import timedelta
from types import SimpleNamespace

import feedparser
import pytest
from django.test import override_settings
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree, html

from articles.models import Article, Section
from articles.slugs import slug_for
from editions.models import Edition
from partners import pushes
from partners.models import PartnerFeed
from partners.services import api_key_issue, partner_feed_import
from tests.clock import NOW
from tests.factories import ArticleFactory, PartnerFactory
from tests.partners.conftest import STANDARDS, FeedServer

pytestmark = pytest.mark.django_db

LIST = "/api/v1/items/"
NINJS = Draft202012Validator(
    json.loads((STANDARDS / "ninjs" / "ninjs-schema_3.1.json").read_text()),
    format_checker=FormatChecker(),
)
NAR = {"n": "http://iptc.org/std/nar/2006-10-01/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITEMAP = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def wire():
    return PartnerFactory(name="Baltic Wire", slug="baltic-wire")


@pytest.fixture
def api(client, wire):
    """The test client with a partner's key."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_key_issue(partner=wire, name='t')[1]}"
    return client


@pytest.fixture
def server(settings):
    """A feed server the importer may reach."""
    with FeedServer() as running:
        settings.PARTNER_FEED_ALLOWED_HOSTS = [running.host]
        yield running


@pytest.fixture(scope="module")
def newsml():
    return etree.XMLSchema(
        etree.parse(str(STANDARDS / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd"))
    )


def section(code, slug="politics"):
    return Section.objects.get(edition=code, slug=slug)


def story(code, n=0, **extra):
    """A published article of edition ``code``, an hour (and n minutes) old."""
    return ArticleFactory(
        edition_id=code,
        headline=f"Story {code} {n}",
        slug=f"story-{code}-{n}",
        section=section(code),
        published_at=NOW - timedelta(hours=1, minutes=n),
        **extra,
    )


@pytest.fixture
def three_editions():
    """Two stories in each edition, tagged."""
    articles = {code: [story(code, n) for n in range(2)] for code in ("en", "ru", "be")}
    for stories in articles.values():
        for article in stories:
            article.tags.add("common")
    return articles


def assert_ninjs(item):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in NINJS.iter_errors(item)]
    assert not errors, errors


def item_id(item):
    return int(next(alt["value"] for alt in item["altIds"] if alt["role"] == "id"))


# Partner API -------------------------------------------------------------------


def test_the_api_lists_one_edition_s_items_as_valid_ninjs_in_its_language(api, three_editions):
    response = api.get(LIST, {"language": "ru"})
    assert response.status_code == 200
    items = response.json()["results"]
    assert {item_id(item) for item in items} == {a.pk for a in three_editions["ru"]}
    for item in items:
        assert_ninjs(item)
        assert item["language"] == "ru"
        # Its pages are the Russian edition's.
        url = next(alt["value"] for alt in item["altIds"] if alt["role"] == "url")
        assert url.startswith("http://testserver/ru/news/")
        sections = [s["uri"] for s in item["subjects"] if s["rel"] == "section"]
        assert sections == ["http://testserver/ru/section/politics/"]
        tags = [s["uri"] for s in item["subjects"] if s["rel"] == "tag"]
        assert tags == ["http://testserver/ru/tag/common/"]
    # Upper case is the same language; without one, every edition's items,
    # each saying its own.
    assert api.get(LIST, {"language": "RU"}).json()["results"] == items
    every = api.get(LIST).json()["results"]
    languages = {item_id(item): item["language"] for item in every}
    assert languages == {a.pk: code for code, arts in three_editions.items() for a in arts}
    # A blank one is none, as for the other filters.
    assert len(api.get(LIST, {"language": ""}).json()["results"]) == 6


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("xx", "No edition in this language: use one of en, ru, be."),
        ("de-DE", "No edition in this language: use one of en, ru, be."),
        ("<script>alert(1)</script>", "Not a language code: use one of en, ru, be."),
        ("ru'--", "Not a language code: use one of en, ru, be."),
    ],
)
def test_a_bad_language_is_a_400_in_json_that_does_not_repeat_it(api, value, message):
    for path in (LIST, reverse("api:feed-rss")):
        response = api.get(path, {"language": value})
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"language": [message]}
        assert "<script>" not in response.content.decode()


def test_an_inactive_edition_is_a_400(api):
    Edition.objects.filter(code="be").update(is_active=False)
    Edition.objects.get(code="ru").save()  # read the editions again
    try:
        response = api.get(LIST, {"language": "be"})
    finally:  # the process's copy as it was, whatever happens
        Edition.objects.filter(code="be").update(is_active=True)
        Edition.objects.get(code="ru").save()
    assert response.status_code == 400
    assert response.json() == {"language": ["No edition in this language: use one of en, ru."]}


def test_each_language_s_list_is_kept_and_tagged_apart(api, three_editions):
    """The kept pages and their ETags are per address, language included:
    a poll of one edition never gets another's page or a false 304."""
    russian = api.get(LIST, {"language": "ru"})
    belarusian = api.get(LIST, {"language": "be"})
    assert russian["ETag"] != belarusian["ETag"]
    assert {i["language"] for i in belarusian.json()["results"]} == {"be"}
    again = api.get(LIST, {"language": "be"}, HTTP_IF_NONE_MATCH=russian["ETag"])
    assert again.status_code == 200 and again.content == belarusian.content
    assert api.get(LIST, {"language": "ru"}).content == russian.content
    polled = api.get(LIST, {"language": "ru"}, HTTP_IF_NONE_MATCH=russian["ETag"])
    assert polled.status_code == 304


def test_one_language_costs_the_queries_of_all(api, three_editions, django_assert_num_queries):
    api.get(LIST)  # the key and the next publication, then cached
    # items, tags, authors, corrections: the same as without a language
    with django_assert_num_queries(4):
        response = api.get(LIST, {"language": "be"})
    assert len(response.json()["results"]) == 2


def test_newsml_items_carry_their_edition_s_language(api, three_editions, newsml):
    for code in ("ru", "be"):
        article = three_editions[code][0]
        response = api.get(reverse("api:item-newsml", args=[article.pk]))
        document = etree.fromstring(response.content)
        assert newsml.validate(document), newsml.error_log
        assert document.get(XML_LANG) == code
        assert document.find("n:contentMeta/n:language", NAR).get("tag") == code
        assert api.get(reverse("api:item-detail", args=[article.pk])).json()["language"] == (code)


def test_the_partner_rss_feed_of_one_language(api, three_editions):
    response = api.get(reverse("api:feed-rss"), {"language": "be"})
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.feed.language == "be"
    assert feed.feed.title == "National News Agency (Беларуская): news for partners"
    assert {e.title for e in feed.entries} == {a.headline for a in three_editions["be"]}
    assert len(feedparser.parse(api.get(reverse("api:feed-rss")).content).entries) == 6


@override_settings(EDITION_ROUTING="host", ALLOWED_HOSTS=["*"])
def test_items_link_their_edition_s_own_host(api):
    Edition.objects.filter(code="ru").update(host="ru.example.org")
    Edition.objects.filter(code="en").update(host="www.example.org")
    Edition.objects.get(code="be").save()  # read them again
    article = story("ru")
    item = api.get(
        reverse("api:item-detail", args=[article.pk]), HTTP_HOST="www.example.org"
    ).json()
    assert item["language"] == "ru"
    url = next(alt["value"] for alt in item["altIds"] if alt["role"] == "url")
    assert url == f"http://ru.example.org{article.get_absolute_url()}"
    sections = [s["uri"] for s in item["subjects"] if s["rel"] == "section"]
    assert sections == ["http://ru.example.org/section/politics/"]
    assert item["uri"].startswith("http://www.example.org/api/v1/items/")
    feed = feedparser.parse(api.get(reverse("api:feed-rss"), HTTP_HOST="www.example.org").content)
    assert [entry.link for entry in feed.entries] == [url]


def test_the_hub_hears_of_the_feeds_of_the_article_s_edition(monkeypatch):
    pinged = []
    queue = SimpleNamespace(enqueue=lambda urls: pinged.append(urls))
    monkeypatch.setattr(pushes, "websub_hub_notify", queue)
    article = ArticleFactory(edition_id="be", slug="x", section=section("be", "president"))
    pushes._websub_enqueue(article)
    assert pinged == [
        [
            "http://127.0.0.1:8000/be/feeds/rss/",
            "http://127.0.0.1:8000/be/feeds/atom/",
            "http://127.0.0.1:8000/be/section/government-bodies/rss/",
            "http://127.0.0.1:8000/be/section/president/rss/",
        ]
    ]


def test_the_openapi_document_describes_the_language_parameter(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/items/", "/api/v1/feeds/rss/"):
        parameters = document["paths"][path]["get"]["parameters"]
        language = next(p for p in parameters if p["name"] == "language")
        assert language["in"] == "query" and not language.get("required")
        assert '"ru"' in language["description"]


# Feeds, sitemaps, robots.txt -------------------------------------------------


# The agency's name in each edition's language (its catalog).
AGENCY = {
    "en": "National News Agency",
    "ru": "Национальное информационное агентство",
    "be": "Нацыянальнае інфармацыйнае агенцтва",
}
LATEST = {"en": "latest news", "ru": "последние новости", "be": "апошнія навіны"}


@pytest.mark.parametrize(("code", "prefix"), [("en", ""), ("ru", "/ru"), ("be", "/be")])
def test_each_edition_s_feeds_are_in_its_language(client, three_editions, code, prefix):
    rss = etree.fromstring(client.get(f"{prefix}/feeds/rss/").content)
    assert rss.findtext("channel/language") == code
    titles = {item.findtext("title") for item in rss.iterfind("channel/item")}
    assert titles == {a.headline for a in three_editions[code]}
    assert rss.findtext("channel/title") == f"{AGENCY[code]}: {LATEST[code]}"
    assert rss.findtext("channel/link") == f"http://testserver{prefix}/news/"
    atom = etree.fromstring(client.get(f"{prefix}/feeds/atom/").content)
    assert atom.get(XML_LANG) == code
    section_feed = feedparser.parse(client.get(f"{prefix}/section/politics/rss/").content)
    assert section_feed.feed.language == code
    assert section_feed.feed.title.endswith(section(code).name)
    # The edition's pages link its feeds.
    page = html.fromstring(client.get(f"{prefix}/").content)
    assert page.xpath('//head/link[@type="application/rss+xml"]/@href') == [f"{prefix}/feeds/rss/"]
    assert page.xpath('//head/link[@type="application/atom+xml"]/@href') == [
        f"{prefix}/feeds/atom/"
    ]


@pytest.mark.parametrize(("code", "prefix"), [("en", ""), ("ru", "/ru"), ("be", "/be")])
def test_each_edition_s_sitemaps_list_its_own_pages(client, three_editions, code, prefix):
    news = etree.fromstring(client.get(f"{prefix}/sitemap-news.xml").content)
    assert {url.findtext("sm:loc", namespaces=SITEMAP) for url in news} == {
        f"http://testserver{a.get_absolute_url()}" for a in three_editions[code]
    }
    publication = news.find("sm:url/news:news/news:publication", SITEMAP)
    assert publication.findtext("news:language", namespaces=SITEMAP) == code
    assert publication.findtext("news:name", namespaces=SITEMAP) == AGENCY[code]

    index = etree.fromstring(client.get(f"{prefix}/sitemap.xml").content)
    maps = [loc.text for loc in index.iterfind(".//sm:loc", SITEMAP)]
    assert maps and all(m.startswith(f"http://testserver{prefix}/sitemap-") for m in maps)
    pages = set()
    for address in maps:
        sitemap = etree.fromstring(client.get(address.removeprefix("http://testserver")).content)
        pages |= {loc.text for loc in sitemap.iterfind(".//sm:loc", SITEMAP)}
    assert {f"http://testserver{a.get_absolute_url()}" for a in three_editions[code]} <= pages
    assert f"http://testserver{prefix}/section/politics/" in pages
    others = [a for c, arts in three_editions.items() if c != code for a in arts]
    assert not {f"http://testserver{a.get_absolute_url()}" for a in others} & pages
    assert all(page.startswith(f"http://testserver{prefix}/") for page in pages)


def test_robots_txt_names_every_edition_s_sitemaps_under_one_host(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for prefix in ("", "/ru", "/be"):
        assert f"Sitemap: http://testserver{prefix}/sitemap.xml" in lines
        assert f"Sitemap: http://testserver{prefix}/sitemap-news.xml" in lines
        assert f"Disallow: {prefix}/search/" in lines
    assert "Disallow: /admin/" in lines


@override_settings(EDITION_ROUTING="host", ALLOWED_HOSTS=["*"])
def test_robots_txt_on_an_edition_s_own_host_names_its_sitemaps(client):
    Edition.objects.filter(code="ru").update(host="ru.example.org")
    Edition.objects.filter(code="en").update(host="www.example.org")
    Edition.objects.get(code="be").save()  # read them again
    article = story("ru")
    lines = client.get("/robots.txt", HTTP_HOST="ru.example.org").content.decode().splitlines()
    sitemaps = [line for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [
        "Sitemap: http://ru.example.org/sitemap.xml",
        "Sitemap: http://ru.example.org/sitemap-news.xml",
    ]
    assert "Disallow: /search/" in lines
    news = etree.fromstring(client.get("/sitemap-news.xml", HTTP_HOST="ru.example.org").content)
    assert [url.findtext("sm:loc", namespaces=SITEMAP) for url in news] == [
        f"http://ru.example.org{article.get_absolute_url()}"
    ]
    english = client.get("/robots.txt", HTTP_HOST="www.example.org").content.decode()
    assert "Sitemap: http://www.example.org/sitemap.xml" in english
    assert "ru.example.org" not in english


# JSON-LD ---------------------------------------------------------------------


def jsonld(client, path):
    tree = html.fromstring(client.get(path).content)
    return [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_an_article_and_its_edition_s_home_say_their_language(client, code):
    article = story(code)
    (data,) = jsonld(client, article.get_absolute_url())
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == code
    assert data["articleSection"] == section(code).name
    home = edition_home_path(code)
    (site,) = jsonld(client, home)
    website = next(node for node in site["@graph"] if node["@type"] == "WebSite")
    assert website["inLanguage"] == code
    assert website["url"] == f"http://testserver{home}"


def edition_home_path(code):
    return "/" if code == "en" else f"/{code}/"


# The importer ----------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Wire</title><link>https://wire.example/</link><description>News</description>
{language}{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><guid isPermaLink="false">wire-{n}</guid>
<description>Lead {n}.</description>{extra}<pubDate>Sun, 29 Nov 2026 07:{n:02d}:00 GMT</pubDate>
</item>"""


def rss(*items, language=""):
    channel = f"<language>{language}</language>" if language else ""
    return RSS.format(language=channel, items="".join(items)).encode()


def item(n, title=None, extra=""):
    return ITEM.format(n=n, title=title or f"Wire story {n}", extra=extra)


def feed_of(wire, server, edition="en", slug="world", **extra):
    return PartnerFeed.objects.create(
        partner=wire,
        url=server.url("/feed"),
        edition_id=edition,
        section=section(edition, slug),
        **extra,
    )


def filed(guid_number):
    article = Article.objects.get(imported_item__guid=f"wire-{guid_number}")
    return article.edition_id, article.section.edition_id, article.section.slug


def test_a_russian_feed_s_items_go_to_the_russian_edition(client, wire, server):
    feed = feed_of(wire, server, "ru", publish=True)
    server.routes["/feed"] = (200, {}, rss(item(1, "Выставка открылась в Минске")))
    run = partner_feed_import(feed=feed)
    assert (run.status, run.items_new) == ("ok", 1), run.error
    article = Article.objects.get()
    assert filed(1) == ("ru", "ru", "world")
    assert article.slug == "vystavka-otkrylas-v-minske"
    assert article.get_absolute_url() == "/ru/news/2026/11/29/vystavka-otkrylas-v-minske/"
    page = html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.get("lang") == "ru"
    assert "Выставка открылась в Минске" in page.findtext(".//h1")


def test_an_item_goes_to_the_edition_of_the_language_it_declares(wire, server):
    feed = feed_of(wire, server, "en", slug="economics")
    server.routes["/feed"] = (
        200,
        {},
        rss(
            item(1, "Plain English story"),
            item(2, "Выстава адкрылася ў Мінску", "<dc:language>be</dc:language>"),
            item(3, "Eine deutsche Meldung", "<dc:language>de</dc:language>"),
        ),
    )
    run = partner_feed_import(feed=feed)
    assert run.items_new == 3, run.error
    assert filed(1) == ("en", "en", "economics")
    assert filed(2) == ("be", "be", "economics")
    assert Article.objects.get(edition="be").slug == "vystava-adkrylasia-u-minsku"
    # No German edition: the feed's.
    assert filed(3) == ("en", "en", "economics")


def test_a_feed_s_declared_language_files_its_items(wire, server):
    """RSS <language> (as "ru-RU"), Atom xml:lang and ninjs "language"."""
    feed = feed_of(wire, server, "en")
    server.routes["/feed"] = (200, {}, rss(item(1), item(2), language="ru-RU"))
    partner_feed_import(feed=feed)
    assert filed(1) == filed(2) == ("ru", "ru", "world")

    server.routes["/feed"] = (
        200,
        {},
        b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="be"><title>Wire</title><id>urn:w</id>
<updated>2026-11-29T08:00:00Z</updated>
<entry><id>wire-3</id><title>Belarusian story</title><updated>2026-11-29T07:15:00Z</updated>
<summary>Lead.</summary></entry>
<entry xml:lang="en"><id>wire-4</id><title>English story</title>
<updated>2026-11-29T07:16:00Z</updated><summary>Lead.</summary></entry></feed>""",
    )
    partner_feed_import(feed=feed, now=NOW + timedelta(minutes=1))
    assert filed(3) == ("be", "be", "world")
    assert filed(4) == ("en", "en", "world")

    ninjs = {
        "uri": "wire-5",
        "language": "ru",
        "headlines": [{"value": "Новость"}],
        "bodies": [{"contentType": "text/html", "value": "<p>Текст.</p>"}],
    }
    server.routes["/feed"] = (200, {}, json.dumps([ninjs]).encode())
    feed.format = PartnerFeed.Format.NINJS
    feed.save()
    partner_feed_import(feed=feed, now=NOW + timedelta(minutes=2))
    assert filed(5) == ("ru", "ru", "world")
    assert Article.objects.get(imported_item__guid="wire-5").slug == "novost"


def test_an_edition_without_the_feed_s_section_leaves_the_item_in_the_feed_s(wire, server):
    own = Section.objects.create(edition_id="en", name="Baltic", slug="baltic")
    feed = PartnerFeed.objects.create(
        partner=wire, url=server.url("/feed"), edition_id="en", section=own
    )
    server.routes["/feed"] = (
        200,
        {},
        rss(item(1, extra="<dc:language>ru</dc:language>")),
    )
    run = partner_feed_import(feed=feed)
    assert run.items_new == 1
    assert filed(1) == ("en", "en", "baltic")
    assert "no section 'baltic'" in run.error


def test_a_feed_whose_section_is_in_another_edition_fails_its_run(wire, server):
    server.routes["/feed"] = (200, {}, rss(item(1)))
    feed = PartnerFeed.objects.create(
        partner=wire, url=server.url("/feed"), edition_id="ru", section=section("en")
    )
    run = partner_feed_import(feed=feed)
    assert run.status == "failed" and "its section is not in its edition" in run.error
    assert not Article.objects.exists() and server.hits == []


def test_slugs_of_one_day_are_free_per_edition(wire, server):
    ArticleFactory(slug="vystavka", published_at=NOW - timedelta(hours=2))  # English
    feed = feed_of(wire, server, "ru")
    server.routes["/feed"] = (200, {}, rss(item(1, "Выставка"), item(2, "Выставка")))
    partner_feed_import(feed=feed)
    assert {a.slug for a in Article.objects.filter(edition="ru")} == {"vystavka", "vystavka-2"}


def test_a_feed_s_section_must_be_of_its_edition(admin_client, wire):
    data = {
        "partner": wire.pk,
        "url": "https://wire.example/rss",
        "format": "rss",
        "edition": "ru",
        "section": section("en").pk,
        "interval": 15,
        "is_active": "on",
    }
    response = admin_client.post(reverse("admin:partners_partnerfeed_add"), data)
    assert response.status_code == 200
    assert "Choose a section of the feed&#x27;s edition." in response.content.decode()
    assert not PartnerFeed.objects.exists()
    data["section"] = section("ru").pk
    response = admin_client.post(reverse("admin:partners_partnerfeed_add"), data)
    assert response.status_code == 302
    assert PartnerFeed.objects.get().edition_id == "ru"


def test_transliterated_slugs():
    assert slug_for("Выставка открылась в Минске", "ru") == "vystavka-otkrylas-v-minske"
    assert slug_for("Съезд «Ёлки» — 2026!", "ru") == "sezd-elki-2026"
    assert slug_for("Гомель і Брэст: сустрэча", "be") == "homiel-i-brest-sustrecha"
    assert slug_for("Выстава адкрылася ў Мінску", "be") == "vystava-adkrylasia-u-minsku"
    assert slug_for("Парламент", "de") == "parlament"  # Cyrillic in any language
    assert slug_for("Parliament passes the budget", "en") == "parliament-passes-the-budget"
    assert slug_for("今日新闻", "en") == ""
    assert len(slug_for("Слово " * 100, "ru")) <= 200


def test_an_agency_name_the_catalogs_do_not_know_names_the_edition(client, settings):
    """Set as it is (``AGENCY_NAME=BelTA``), the agency's name is one for all
    editions: each edition's feed adds its own name, so they stay apart."""
    settings.AGENCY_NAME = "BelTA"
    rss = etree.fromstring(client.get("/ru/feeds/rss/").content)
    assert rss.findtext("channel/title") == "BelTA (Русский): последние новости"
    rss = etree.fromstring(client.get("/feeds/rss/").content)
    assert rss.findtext("channel/title") == "BelTA: latest news"
