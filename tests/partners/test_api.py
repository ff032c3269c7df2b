import json
import logging
from datetime import timedelta
from unittest import mock

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree

from articles.models import Article, Correction, Section
from partners.api import KeyInURLFilter, PartnerKeyThrottle
from partners.models import PartnerAPIKey
from partners.services import api_key_issue, api_key_uses_flush
from tests.clock import NOW
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory, UserFactory

from .conftest import STANDARDS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/items/"
NINJS = Draft202012Validator(
    json.loads((STANDARDS / "ninjs" / "ninjs-schema_3.1.json").read_text()),
    format_checker=FormatChecker(),
)


def assert_ninjs(item):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in NINJS.iter_errors(item)]
    assert not errors, errors


def uris(response):
    return [item["uri"] for item in response.json()["results"]]


def item_uri(article):
    return f"http://testserver{reverse('api:item-detail', args=[article.pk])}"


@pytest.fixture
def newsroom():
    """Six published articles an hour apart (newest first in the list), with
    photos, tags, bylines and a partner that allows redistribution."""
    wire = PartnerFactory(name="Open Wire", slug="open-wire", allows_redistribution=True)
    author = UserFactory(first_name="Anna", last_name="Writer")
    articles = []
    for n in range(6):
        article = ArticleFactory(
            headline=f"Story {n}",
            published_at=NOW - timedelta(hours=n + 1),
            main_image=ImageFactory() if n % 2 else None,
            source=wire if n == 3 else None,
            is_breaking=n == 0,
        )
        article.tags.add(f"tag{n}", "common")
        article.authors.add(author)
        articles.append(article)
    return articles


# Keys ------------------------------------------------------------------------


def test_format_checks_are_really_on():
    # Without rfc3987 and rfc3339-validator these formats pass unchecked.
    assert {"uri", "date-time"} <= set(FormatChecker.checkers)
    assert list(NINJS.iter_errors({"uri": "not a uri"}))
    assert list(NINJS.iter_errors({"uri": "http://x.org/1", "versionCreated": "yesterday"}))


def test_every_kind_of_bad_key_gets_the_same_401(client, partner, api_key):
    _, good = api_key
    revoked, revoked_key = api_key_issue(partner=partner, name="old")
    revoked.revoked = True
    revoked.save()
    _, expired_key = api_key_issue(partner=partner, name="x", expiry_date=NOW - timedelta(days=1))
    dormant = PartnerFactory(is_active=False)
    _, dormant_key = api_key_issue(partner=dormant, name="d")
    prefix, _, secret = good.partition(".")
    headers = [
        {},
        {"HTTP_AUTHORIZATION": ""},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer nonsense"},
        {"HTTP_AUTHORIZATION": f"Bearer {prefix}.{'x' * len(secret)}"},  # right prefix
        {"HTTP_AUTHORIZATION": f"Api-Key {good}"},  # the library's scheme, not ours
        {"HTTP_AUTHORIZATION": f"Basic {good}"},
        {"HTTP_AUTHORIZATION": f"Bearer {revoked_key}"},
        {"HTTP_AUTHORIZATION": f"Bearer {expired_key}"},
        {"HTTP_AUTHORIZATION": f"Bearer {dormant_key}"},
        {"HTTP_X_API_KEY": good},
    ]
    bodies = set()
    for extra in headers:
        for url in [LIST, "/api/v1/items/1/", "/api/v1/items/1.xml", "/api/v1/feeds/rss/"]:
            response = client.get(url, **extra)
            assert response.status_code == 401, (extra, url)
            assert response["Content-Type"] == "application/json"
            assert response["WWW-Authenticate"].startswith("Bearer")
            bodies.add(response.content)
    assert len(bodies) == 1
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 200
    assert client.get(LIST, HTTP_AUTHORIZATION=f"bearer  {good} ").status_code == 200


def test_key_in_query_string_is_refused_and_not_logged(client, api_key, caplog):
    _, key = api_key
    caplog.set_level(logging.DEBUG)
    for query in [{"api_key": key}, {"key": key}, {"token": "anything"}, {"q": key}]:
        response = client.get(LIST, query, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 400
        assert "Authorization header" in response.json()["detail"]
        assert key not in response.content.decode()
    assert caplog.records  # Django logged the bad requests...
    assert not any(key in record.getMessage() for record in caplog.records)  # ...not the key
    assert PartnerAPIKey.objects.get().request_count == 0


def test_access_log_lines_lose_a_key_in_the_url():
    key = "AbCd1234." + "x" * 32
    runserver = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s %s',
        (f"GET /api/v1/items/?since=2026&api_key={key} HTTP/1.1", "400", "80"), None,
    )  # fmt: skip
    gunicorn = logging.LogRecord(
        "gunicorn.access", logging.INFO, "", 0, '"%(r)s" %(s)s %(q)s',
        ({"r": f"GET /api/v1/items/?k={key} HTTP/1.1", "s": "400", "q": f"k={key}"},), None,
    )  # fmt: skip
    harmless = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s"', ("GET /news/?page=2 HTTP/1.1",), None
    )
    for record in (runserver, gunicorn, harmless):
        assert KeyInURLFilter().filter(record)
    assert key not in runserver.getMessage() and "?[redacted]" in runserver.getMessage()
    assert key not in gunicorn.getMessage()
    assert harmless.getMessage() == '"GET /news/?page=2 HTTP/1.1"'
    assert any(isinstance(f, KeyInURLFilter) for f in logging.getLogger("django.server").filters)


def test_requests_are_counted_per_key(client, partner, api_key):
    record, key = api_key
    other, _ = api_key_issue(partner=partner, name="other")
    for _ in range(3):
        client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")
    record.refresh_from_db()
    assert record.request_count == 0  # counted in the cache so far
    assert api_key_uses_flush(now=NOW) == 3
    client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api_key_uses_flush(now=NOW) == 1
    assert api_key_uses_flush(now=NOW) == 0
    record.refresh_from_db()
    other.refresh_from_db()
    assert (record.request_count, record.last_used_at) == (4, NOW)
    assert other.request_count == 0


def test_throttle_per_key_with_retry_after(client, partner, api_key, settings):
    settings.PARTNER_API_RATE = "3/minute"
    _, key = api_key
    _, other_key = api_key_issue(partner=partner, name="other")
    # 1,000,020 s starts a minute (a multiple of 60): the window ends 60 s on.
    with mock.patch.object(PartnerKeyThrottle, "timer", return_value=1_000_020.0):
        statuses = [
            client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        refused = client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 60
        assert "throttled" in refused.json()["detail"].lower()
        assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 200
    with mock.patch.object(PartnerKeyThrottle, "timer", return_value=1_000_079.0):
        assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 429
    with mock.patch.object(PartnerKeyThrottle, "timer", return_value=1_000_081.0):
        assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


# Items -----------------------------------------------------------------------


def test_list_items_are_valid_ninjs_newest_first(api_client, newsroom):
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private"
    data = response.json()
    assert data["next"] is None
    assert uris(response) == [item_uri(article) for article in newsroom]
    for item in data["results"]:
        assert_ninjs(item)
    first = data["results"][0]
    assert first["type"] == "text" and first["pubStatus"] == "usable"
    assert first["urgency"] == 1 and data["results"][1]["urgency"] == 5  # breaking → high
    assert first["headlines"] == [{"role": "main", "value": "Story 0"}]
    assert first["versionCreated"] == "2026-11-29T09:00:00Z"
    # Created now, though it says it was published an hour ago: created
    # first all the same, never after the version it is.
    assert first["firstCreated"] == first["contentCreated"] == "2026-11-29T09:00:00Z"
    assert first["version"] == "1"
    assert first["genres"] == [
        {
            "name": "Current Events",
            "uri": "http://cv.iptc.org/newscodes/genre/Current",
            "literal": "genre:Current",
        }
    ]
    assert "embargoedUntil" not in first


def test_item_details(api_client, newsroom):
    article = newsroom[3]  # the partner's, with a photo
    response = api_client.get(reverse("api:item-detail", args=[article.pk]))
    assert response.status_code == 200
    item = response.json()
    assert_ninjs(item)
    assert item["uri"] == item_uri(article)
    assert item["by"] == "Anna Writer"
    assert item["located"] == "Minsk, Belarus"
    assert item["places"] == [
        {"name": "Minsk", "rel": "located"},
        {
            "name": "Belarus",
            "rel": "country",
            "literal": "BY",
            "uri": "https://www.iso.org/obp/ui/#iso:code:3166:BY",
        },
    ]
    assert item["language"] == "en"
    assert item["descriptions"][0]["value"] == article.lead
    assert item["bodies"] == [
        {"role": "richtext", "contentType": "text/html", "wordCount": 4, "value": article.body},
        {
            "role": "plaintext",
            "contentType": "text/plain",
            "wordCount": 4,
            "value": "First paragraph. Second paragraph.",
        },
    ]
    assert item["people"] == [{"name": "Anna Writer", "rel": "author"}]
    subjects = {(s["rel"], s["name"]) for s in item["subjects"]}
    assert subjects == {
        ("mediatopic", "politics"),
        ("section", "Politics"),
        ("tag", "tag3"),
        ("tag", "common"),
    }
    assert item["subjects"][0] == {
        "name": "politics",
        "rel": "mediatopic",
        "literal": "medtop:11000000",
        "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000",
    }
    assert [
        (source["name"], source["role"], source["literal"]) for source in item["infoSources"]
    ] == [
        ("Open Wire", "originfo", "open-wire"),
        ("National News Agency", "distributor", "NNA"),
    ]
    assert item["copyrightHolder"] == "Open Wire"
    assert item["usageTerms"]
    (picture,) = item["associations"]
    rendition = picture["renditions"][0]
    assert rendition["href"].startswith("http://testserver/media/images/")
    assert (rendition["width"], rendition["height"], rendition["contentType"]) == (
        64,
        48,
        "image/jpeg",
    )
    assert rendition["sizeInBytes"] == article.main_image.filesize
    assert {"role": "url", "value": f"http://testserver{article.get_absolute_url()}"} in item[
        "altIds"
    ]


def test_items_partners_must_not_get(api_client):
    past, future = NOW - timedelta(hours=2), NOW + timedelta(hours=2)
    closed = PartnerFactory(allows_redistribution=False)
    hidden = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=past),
        ArticleFactory(status=Article.Status.IN_REVIEW, published_at=past),
        ArticleFactory(status=Article.Status.WITHDRAWN, published_at=None),  # never out
        ArticleFactory(status=Article.Status.WITHDRAWN, published_at=future),
        ArticleFactory(published_at=future),  # scheduled, not released
        ArticleFactory(status=Article.Status.DRAFT, published_at=future, released_to_partners=True),
        ArticleFactory(source=closed, published_at=past),  # licence forbids
        ArticleFactory(source=closed, published_at=future, released_to_partners=True),
    ]
    visible = ArticleFactory(published_at=past)
    assert uris(api_client.get(LIST)) == [item_uri(visible)]
    for article in hidden:
        assert api_client.get(reverse("api:item-detail", args=[article.pk])).status_code == 404
        assert api_client.get(reverse("api:item-newsml", args=[article.pk])).status_code == 404


def test_embargo_release_reaches_partners_only(api_client, client, clock):
    at = NOW + timedelta(hours=3)
    released = ArticleFactory(headline="Budget under embargo", published_at=at)
    released.released_to_partners = True
    released.save()
    (item,) = api_client.get(LIST).json()["results"]
    assert item["uri"] == item_uri(released)
    assert item["embargoedUntil"] == "2026-11-29T12:00:00Z"
    assert_ninjs(item)
    # Nowhere public until that instant.
    public_client = type(client)()
    for url in ["/", "/news/", "/feeds/rss/", "/feeds/atom/", "/sitemap-news.xml", "/partners/"]:
        assert "Budget under embargo" not in public_client.get(url).content.decode(), url
    assert public_client.get(released.get_absolute_url()).status_code == 404
    with clock.at(at):
        (item,) = api_client.get(LIST).json()["results"]
        assert "embargoedUntil" not in item
        assert public_client.get(released.get_absolute_url()).status_code == 200


def test_newsml_item_is_valid(api_client, newsroom, newsml_schema):
    embargoed = ArticleFactory(
        headline="Embargoed & <special>",
        published_at=NOW + timedelta(hours=1),
        released_to_partners=True,
        main_image=ImageFactory(),
        source=newsroom[3].source,
    )
    for article in [newsroom[0], newsroom[3], embargoed]:
        response = api_client.get(reverse("api:item-newsml", args=[article.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.iptc.g2.newsitem+xml"
        document = etree.fromstring(response.content)
        assert newsml_schema.validate(document), newsml_schema.error_log
        nar = {"n": "http://iptc.org/std/nar/2006-10-01/"}
        assert document.get("guid") == item_uri(article)
        assert document.findtext("n:contentMeta/n:headline", namespaces=nar) == article.headline
        embargo = document.findtext("n:itemMeta/n:embargoed", namespaces=nar)
        assert embargo == ("2026-11-29T10:00:00Z" if article == embargoed else None)


def test_cursor_walks_every_item_once_while_news_is_published(api_client, settings):
    older = [ArticleFactory(published_at=NOW - timedelta(minutes=n)) for n in range(1, 8)]
    # Two articles at the very same instant: the cursor must not lose either.
    older += [ArticleFactory(published_at=NOW - timedelta(minutes=20)) for _ in range(2)]
    seen, url = [], LIST
    with mock.patch("partners.api.ItemCursorPagination.page_size", 2):
        while url:
            data = api_client.get(url).json()
            seen += [item["uri"] for item in data["results"]]
            ArticleFactory(published_at=NOW)  # breaking news keeps arriving on top
            url = data["next"]
    assert sorted(seen) == sorted(item_uri(article) for article in older)
    assert len(seen) == len(set(seen)) == 9


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"since": "garbage"}, "since"),
        ({"since": "2026-13-45T99:00:00Z"}, "since"),
        ({"since": "9999-12-31T23:59:59-12:00"}, "since"),
        ({"section": "../../"}, "section"),
        ({"tag": "\x00"}, "tag"),
        ({"tag": "a" * 300}, "tag"),
        ({"partner": "<script>"}, "partner"),
        ({"cursor": "garbage"}, "cursor"),
        ({"cursor": "cD1nYXJiYWdl"}, "cursor"),  # base64 of p=garbage
        ({"cursor": "cD05OTk5LTEyLTMxVDIzOjU5OjU5LTEyOjAw"}, "cursor"),  # out of range
    ],
)
def test_bad_filters_are_400_naming_the_parameter(api_client, query, parameter):
    response = api_client.get(LIST, query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_odd_urls_are_4xx_json(api_client, newsroom):
    article = newsroom[0]
    for url, status in [
        ("/api/v1/items/99999999999999999999/", 404),
        ("/api/v1/items/999999999999999999/", 404),
        ("/api/v1/items/-1/", 404),
        (f"/api/v1/items/{article.pk}/?format=xml", 404),
        ("/api/v1/items/?format=newsml", 404),
    ]:
        response = api_client.get(url)
        assert response.status_code == status, url
        if response["Content-Type"] == "application/json":
            assert "detail" in response.json()
    # The .xml URL answers XML whatever the client says it accepts.
    xml = api_client.get(f"/api/v1/items/{article.pk}.xml", HTTP_ACCEPT="application/json")
    assert xml.status_code == 200 and xml.content.startswith(b"<?xml")


def test_unknown_parameters_are_ignored_never_passed_to_the_orm(api_client):
    article = ArticleFactory(published_at=NOW - timedelta(hours=1))
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW - timedelta(hours=1))
    for query in [
        {"_connector": "OR"},
        {"status": "draft"},
        {"pk__gt": "0"},
        {"source__isnull": "true", "_negated": "1"},
        {"ordering": "-pk"},
    ]:
        response = api_client.get(LIST, query)
        assert response.status_code == 200
        assert uris(response) == [item_uri(article)]


def test_filters(api_client, clock):
    gov = Section.objects.get(edition="en", slug="government-bodies")
    president = Section.objects.get(edition="en", slug="president")
    wire = PartnerFactory(slug="open-wire", allows_redistribution=True)
    a = ArticleFactory(section=president, published_at=NOW - timedelta(hours=5))
    b = ArticleFactory(section=gov, source=wire, published_at=NOW - timedelta(hours=4))
    c = ArticleFactory(published_at=NOW - timedelta(hours=3))
    c.tags.add("Energy")
    with clock.at(NOW + timedelta(days=1)):
        a.save()  # corrected a day later
    assert uris(api_client.get(LIST, {"section": "government-bodies"})) == [
        item_uri(b),
        item_uri(a),
    ]
    assert uris(api_client.get(LIST, {"section": "president"})) == [item_uri(a)]
    assert uris(api_client.get(LIST, {"tag": "energy"})) == [item_uri(c)]
    assert uris(api_client.get(LIST, {"partner": "open-wire"})) == [item_uri(b)]
    assert uris(api_client.get(LIST, {"since": "2026-11-29T12:01:00+03:00"})) == [item_uri(a)]
    # Scheduled yesterday, public an hour from now: a partner polling with
    # "since" gets it once it goes public, though nobody saved it since.
    later = ArticleFactory(published_at=NOW + timedelta(hours=1))
    with clock.at(NOW + timedelta(hours=2)):
        response = api_client.get(LIST, {"since": "2026-11-29T12:30:00+03:00"})
        assert uris(response) == [item_uri(later), item_uri(a)]
        assert response.json()["results"][0]["versionCreated"] == "2026-11-29T10:00:00Z"
    assert uris(api_client.get(LIST, {"section": "nowhere"})) == []


def test_list_query_count_is_fixed(api_client, django_assert_num_queries):
    wire = PartnerFactory(allows_redistribution=True)
    authors = [UserFactory(), UserFactory()]
    for n in range(55):
        article = ArticleFactory(
            published_at=NOW - timedelta(minutes=n + 1),
            main_image=ImageFactory() if n % 2 else None,
            source=wire if n % 3 == 0 else None,
            section=Section.objects.get(edition="en", slug="president" if n % 2 else "sport"),
        )
        article.tags.add(f"tag{n}", "common")
        article.authors.add(*authors[: n % 3])
        if n % 5 == 0:
            Correction.objects.create(article=article, text=f"Fixed {n}.")
    # key (then cached), the next scheduled publication (then cached), items,
    # tags, authors, corrections
    with django_assert_num_queries(6):
        response = api_client.get(LIST)
    assert len(response.json()["results"]) == 50
    for item in response.json()["results"]:
        assert_ninjs(item)
    with django_assert_num_queries(4):
        api_client.get(response.json()["next"])
    with django_assert_num_queries(4):
        api_client.get(LIST, {"tag": "common", "section": "government-bodies"})
    # Kept once built (the request is counted in the cache).
    with django_assert_num_queries(0):
        again = api_client.get(LIST)
    assert again.content == response.content


def test_lists_are_built_once_per_change_and_polls_get_304(api_client):
    first = ArticleFactory(headline="First item")
    response = api_client.get(LIST)
    etag = response["ETag"]
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    draft = ArticleFactory(headline="Still a draft", status=Article.Status.DRAFT, published_at=None)
    assert api_client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    draft.status = Article.Status.PUBLISHED
    draft.published_at = NOW
    draft.save()
    changed = api_client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert [item["headlines"][0]["value"] for item in changed.json()["results"]][:2] == [
        "Still a draft",
        "First item",
    ]
    first.tags.add("harvest")
    tagged = api_client.get(LIST, {"tag": "harvest"}).json()["results"]
    assert [item["uri"] for item in tagged] == [item_uri(first)]
    first.headline = "First item, updated"
    first.save()
    assert "First item, updated" in api_client.get(LIST).content.decode()


# Partner feed ------------------------------------------------------------------


def test_partner_rss_has_full_text_and_respects_rights_and_embargo(api_client):
    closed = PartnerFactory(allows_redistribution=False)
    ours = ArticleFactory(body="<p>The whole story, paragraph one.</p><p>Two.</p>")
    ArticleFactory(headline="Not ours to give", source=closed)
    ArticleFactory(
        headline="Tomorrow's news", published_at=NOW + timedelta(hours=1), released_to_partners=True
    )
    response = api_client.get("/api/v1/feeds/rss/", HTTP_ACCEPT="application/rss+xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == ours.headline
    assert "paragraph one" in entry.description and "Two." in entry.description


# OpenAPI and the command ----------------------------------------------------


def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["components"]["securitySchemes"]["partnerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A partner API key, as issued by the agency.",
    }
    assert {"/api/v1/items/", "/api/v1/items/{id}/", "/api/v1/items/{id}.xml"} <= set(
        document["paths"]
    )
    names = {p["name"] for p in document["paths"]["/api/v1/items/"]["get"]["parameters"]}
    assert names == {"cursor", "language", "since", "section", "tag", "partner"}


def test_issue_api_key_prints_a_working_key_once(client, partner, capsys):
    ArticleFactory()
    call_command("issue_api_key", partner.slug, "--days", "30")
    out, err = capsys.readouterr()
    key = out.strip()
    record = PartnerAPIKey.objects.get()
    assert record.partner == partner and record.expiry_date is not None
    assert key not in err and record.prefix in err
    assert key not in record.hashed_key and key != record.pk
    response = client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_issue_api_key_for_an_unknown_partner_fails():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No partner"):
        call_command("issue_api_key", "nobody")


def test_a_checked_key_costs_one_cache_read_and_revoking_it_works_at_once(
    client, api_key, django_assert_num_queries
):
    record, key = api_key
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with mock.patch.object(PartnerAPIKey, "is_valid", side_effect=AssertionError("hashed")):
        # The kept list and key, the request counted in the cache: no query.
        with django_assert_num_queries(0):
            assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")  # the same prefix
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {wrong}").status_code == 401
    record.revoked = True
    record.save()
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
