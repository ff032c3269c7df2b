"""Our items as a newsroom system ingests them: IPTC's own NewsML-G2 reader,
an XHTML parser on the body, kill notices, versions and corrections."""

from datetime import timedelta

import NewsMLG2
import pytest
from django.urls import reverse
from lxml import etree

from articles.models import Article, Correction, Section
from partners.models import MediaTopic
from tests.clock import NOW
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory, UserFactory

from .test_api import LIST, assert_ninjs, item_uri, uris

pytestmark = pytest.mark.django_db

NAR = {"n": "http://iptc.org/std/nar/2006-10-01/", "x": "http://www.w3.org/1999/xhtml"}


def ninjs(api_client, article):
    response = api_client.get(reverse("api:item-detail", args=[article.pk]))
    assert response.status_code == 200
    item = response.json()
    assert_ninjs(item)
    return item


def newsml(api_client, article, schema):
    response = api_client.get(reverse("api:item-newsml", args=[article.pk]))
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    return response.content, document


@pytest.fixture
def varied():
    """Articles of every shape an item takes."""
    wire = PartnerFactory(name="Open Wire", slug="open-wire", allows_redistribution=True)
    anna = UserFactory(first_name="Anna", last_name="Kovalenko")
    pavel = UserFactory(first_name="Pavel", last_name="Grinevich")
    articles = [
        ArticleFactory(main_image=ImageFactory(caption="The hall"), source=wire),
        ArticleFactory(
            section=Section.objects.get(edition="en", slug="president")
        ),  # parent's topic
        ArticleFactory(section=Section.objects.get(edition="en", slug="world")),  # no topic
        ArticleFactory(
            published_at=NOW + timedelta(hours=2), released_to_partners=True
        ),  # embargoed
        ArticleFactory(status=Article.Status.WITHDRAWN, withdrawn_reason="Legal"),
        ArticleFactory(
            body="<p>Tom &amp; Jerry&nbsp;&lt;3</p><p>Line<br>two <strong>bold</strong></p>"
        ),
    ]
    articles[0].authors.add(anna, pavel)
    articles[0].tags.add("energy")
    Correction.objects.create(article=articles[1], text="The minister's name was misspelt.")
    return articles


def test_iptc_reader_takes_every_item_with_a_qcode_on_each_subject(
    api_client, varied, newsml_schema
):
    topics = []
    for article in varied:
        content, _ = newsml(api_client, article, newsml_schema)
        item = NewsMLG2.NewsMLG2Document(content).get_item()
        assert item.guid == item_uri(article)
        article.refresh_from_db()
        assert item.version == str(article.version)
        meta = item.contentmeta
        qcodes = [subject.qcode for subject in meta.subject]
        assert all(code and code.startswith("medtop:") for code in qcodes), qcodes
        topics.append(qcodes)
        assert [genre.qcode for genre in meta.genre] == ["genre:Current"]
    assert topics == [
        ["medtop:11000000"],
        ["medtop:11000000"],  # President takes Government Bodies' topic
        [],
        ["medtop:11000000"],
        ["medtop:11000000"],
        ["medtop:11000000"],
    ]
    # The table is the editors': a new topic for World is in the next item.
    MediaTopic.objects.create(
        section=Section.objects.get(edition="en", slug="world"),
        code="16000000",
        name="conflict, war and peace",
    )
    content, _ = newsml(api_client, varied[2], newsml_schema)
    meta = NewsMLG2.NewsMLG2Document(content).get_item().contentmeta
    assert [subject.qcode for subject in meta.subject] == ["medtop:16000000"]


def test_an_xhtml_parser_gets_the_paragraphs_back(api_client, varied, newsml_schema):
    _, document = newsml(api_client, varied[5], newsml_schema)
    (inline,) = document.findall("n:contentSet/n:inlineXML", NAR)
    assert inline.get("contenttype") == "application/xhtml+xml"
    assert inline.get("wordcount") == "7"
    assert document.findall("n:contentSet/n:inlineData", NAR) == []
    # The body alone, as an ingest system takes it out and parses it.
    (html,) = inline
    xhtml = etree.fromstring(etree.tostring(html))
    assert xhtml.tag == "{http://www.w3.org/1999/xhtml}html"
    paragraphs = ["".join(p.itertext()) for p in xhtml.iterfind("x:body/x:p", NAR)]
    assert paragraphs == ["Tom & Jerry\xa0<3", "Linetwo bold"]
    assert xhtml.find("x:body/x:p/x:br", NAR) is not None
    assert xhtml.findtext("x:body/x:p/x:strong", namespaces=NAR) == "bold"


def test_authors_sources_and_picture(api_client, varied, newsml_schema):
    article = varied[0]
    item = ninjs(api_client, article)
    assert item["people"] == [
        {"name": "Anna Kovalenko", "rel": "author"},
        {"name": "Pavel Grinevich", "rel": "author"},
    ]
    assert item["by"] == "Anna Kovalenko, Pavel Grinevich"
    _, document = newsml(api_client, article, newsml_schema)
    creators = [
        (creator.get("role"), creator.findtext("n:name", namespaces=NAR))
        for creator in document.iterfind("n:contentMeta/n:creator", NAR)
    ]
    assert creators == [
        ("cpprole:author", "Anna Kovalenko"),
        ("cpprole:author", "Pavel Grinevich"),
    ]
    sources = [
        (source.get("role"), source.get("literal"))
        for source in document.iterfind("n:contentMeta/n:infoSource", NAR)
    ]
    assert sources == [("cpprole:originfo", "open-wire"), ("cpprole:distributor", "NNA")]
    assert [k.text for k in document.iterfind("n:contentMeta/n:keyword", NAR)] == [
        "Politics",
        "energy",
    ]
    # The picture ninjs carries, every rendition of it, is linked.
    picture_hrefs = [r["href"] for r in item["associations"][0]["renditions"]]
    links = document.findall("n:itemMeta/n:link", NAR)
    assert [link.get("href") for link in links] == picture_hrefs
    assert picture_hrefs[0].startswith("http://testserver/media/images/")
    assert links[0].get("contenttype") == "image/jpeg"
    assert links[0].findtext("n:title", namespaces=NAR) == "The hall"


def test_a_second_save_raises_the_version_in_both_formats(api_client, varied, newsml_schema, clock):
    article = Article.objects.get(pk=varied[1].pk)  # as the admin loads it
    first = ninjs(api_client, article)
    with clock.at(NOW + timedelta(minutes=5)):
        article.headline = "Second version"
        article.save()
        second = ninjs(api_client, article)
        _, document = newsml(api_client, article, newsml_schema)
    assert int(second["version"]) == int(first["version"]) + 1
    assert document.get("version") == second["version"]
    assert second["versionCreated"] == "2026-11-29T09:05:00Z"
    assert document.findtext("n:itemMeta/n:firstCreated", namespaces=NAR) == first["firstCreated"]
    assert second["firstCreated"] <= second["versionCreated"]


def test_first_created_never_after_the_version(api_client, newsml_schema, clock):
    # Written yesterday, embargoed to tomorrow, released to partners today.
    with clock.at(NOW - timedelta(days=1)):
        article = ArticleFactory(published_at=NOW + timedelta(days=1), released_to_partners=True)
    item = ninjs(api_client, article)
    assert item["firstCreated"] == item["contentCreated"] == "2026-11-28T09:00:00Z"
    assert item["firstCreated"] < item["versionCreated"] < item["embargoedUntil"]
    _, document = newsml(api_client, article, newsml_schema)
    assert document.findtext("n:contentMeta/n:contentCreated", namespaces=NAR) == (
        "2026-11-28T09:00:00Z"
    )


def test_a_withdrawn_item_is_a_kill_notice_in_both_formats(api_client, newsml_schema, clock):
    article = ArticleFactory(published_at=NOW - timedelta(hours=3))
    assert ninjs(api_client, article)["pubStatus"] == "usable"
    with clock.at(NOW + timedelta(hours=1)):
        article.status = Article.Status.WITHDRAWN
        article.withdrawn_reason = "The court barred publication."
        article.save()
        item = ninjs(api_client, article)
        assert item["pubStatus"] == "canceled"
        assert item["edNote"] == "Withdrawn: The court barred publication."
        assert "bodies" not in item and "descriptions" not in item
        assert item["headlines"] == [{"role": "main", "value": article.headline}]
        _, document = newsml(api_client, article, newsml_schema)
        assert document.find("n:itemMeta/n:pubStatus", NAR).get("qcode") == "stat:canceled"
        assert document.findtext("n:itemMeta/n:edNote", namespaces=NAR) == (
            "Withdrawn: The court barred publication."
        )
        assert document.find("n:contentSet", NAR) is None
        # In step with since=, a partner learns of it; a plain listing no longer shows it.
        since = (NOW + timedelta(minutes=30)).isoformat()
        response = api_client.get(LIST, {"since": since})
        assert uris(response) == [item_uri(article)]
        assert response.json()["results"][0]["pubStatus"] == "canceled"
        assert uris(api_client.get(LIST)) == []
        assert uris(api_client.get(LIST, {"since": (NOW + timedelta(hours=2)).isoformat()})) == []


def test_corrections_carry_an_editorial_note(api_client, varied, newsml_schema):
    article = varied[1]
    item = ninjs(api_client, article)
    assert item["pubStatus"] == "usable"
    assert item["edNote"] == (
        "Correction of 2026-11-29T09:00:00Z: The minister's name was misspelt."
    )
    _, document = newsml(api_client, article, newsml_schema)
    assert document.findtext("n:itemMeta/n:edNote", namespaces=NAR) == item["edNote"]
    assert "edNote" not in ninjs(api_client, varied[2])


def test_located_as_city_and_country(api_client, newsml_schema):
    known = ArticleFactory(dateline_place="PYONGYANG")
    unknown = ArticleFactory(dateline_place="SLUTSK")
    item = ninjs(api_client, known)
    assert item["located"] == "Pyongyang, North Korea"
    assert item["places"][1]["uri"] == "https://www.iso.org/obp/ui/#iso:code:3166:KP"
    _, document = newsml(api_client, known, newsml_schema)
    located = document.find("n:contentMeta/n:located", NAR)
    assert located.findtext("n:name", namespaces=NAR) == "Pyongyang"
    broader = located.find("n:broader", NAR)
    assert broader.get("uri") == "https://www.iso.org/obp/ui/#iso:code:3166:KP"
    assert broader.findtext("n:name", namespaces=NAR) == "North Korea"
    # A place the table does not know: its name, not shouted, and no places.
    item = ninjs(api_client, unknown)
    assert item["located"] == "Slutsk" and "places" not in item
    _, document = newsml(api_client, unknown, newsml_schema)
    assert document.findtext("n:contentMeta/n:located/n:name", namespaces=NAR) == "Slutsk"
