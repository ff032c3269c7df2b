"""What a section holds is one rule (Article.objects.in_section): the section
page, its home block, its RSS, the digest of its subscribers and the partner
API's ?section= all show the same articles, secondary sections included."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.core import mail
from django.urls import reverse
from lxml import html

from articles.models import Article, Section
from partners.services import api_key_issue
from subscriptions import services as subscription_services
from tests.factories import ArticleFactory, PartnerFactory
from tests.subscriptions.conftest import SubscriberFactory

pytestmark = pytest.mark.django_db

# Inside the daily digest period that has ended at the test clock's now.
DAY_END = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)


def section(slug):
    return Section.objects.get(edition="en", slug=slug)


@pytest.fixture
def filed():
    """Articles of the last day: filed in Economics with Government (a child
    of Government Bodies) as a secondary section, filed in a child, filed in
    Government Bodies itself, and one elsewhere only."""
    moment = DAY_END - timedelta(hours=1)
    secondary = ArticleFactory(
        headline="Budget debated", section=section("economics"), published_at=moment
    )
    secondary.secondary_sections.add(section("government"))
    return {
        "secondary": secondary,
        "child": ArticleFactory(
            headline="Parliament sits",
            section=section("parliament"),
            published_at=moment - timedelta(hours=1),
        ),
        "own": ArticleFactory(
            headline="Ministry reorganised",
            section=section("government-bodies"),
            published_at=moment - timedelta(hours=2),
        ),
        "elsewhere": ArticleFactory(
            headline="Match won", section=section("sport"), published_at=moment
        ),
    }


def section_page(client, slug):
    page = html.fromstring(client.get(reverse("articles:section", args=[slug])).content)
    return {a.text_content().strip() for a in page.xpath("//main//a[@class='news-row__headline']")}


def home_block(client, slug):
    page = html.fromstring(client.get("/").content)
    (block,) = page.xpath(f"//section[@aria-labelledby='block-{slug}']")
    return {a.text_content().strip() for a in block.xpath(".//ul//a")}


def section_rss(client, slug):
    feed = feedparser.parse(client.get(reverse("articles:section-feed", args=[slug])).content)
    return {entry.title for entry in feed.entries}


def digest(slug):
    email = f"{slug}@example.org"
    SubscriberFactory(email=email, sections=[slug])
    subscription_services.digest_send(frequency="daily")
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return {line.strip() for line in message.body.splitlines()}


def api_section(client, slug):
    _, key = api_key_issue(partner=PartnerFactory(), name="in-section test")
    response = client.get("/api/v1/items/", {"section": slug}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return {item["headlines"][0]["value"] for item in response.json()["results"]}


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("government-bodies", {"secondary", "child", "own"}),
        ("government", {"secondary"}),
        ("economics", {"secondary"}),
        ("parliament", {"child"}),
    ],
)
def test_a_section_holds_the_same_articles_everywhere(client, filed, slug, expected):
    headlines = {filed[name].headline for name in expected}
    others = {a.headline for name, a in filed.items() if name not in expected}
    shown = {
        "section page": section_page(client, slug),
        "home block": home_block(client, slug) if section(slug).parent_id is None else None,
        "section RSS": section_rss(client, slug),
        "API ?section=": api_section(client, slug),
    }
    for where, titles in shown.items():
        if titles is None:  # only top-level sections have a home block
            continue
        assert headlines <= titles, where
        assert not others & titles, where
    lines = digest(slug)
    assert headlines <= lines, "digest"
    assert not others & lines, "digest"


def test_in_section_agrees_with_the_articles_own_sections(filed):
    for each in Section.objects.all():
        held = set(Article.objects.in_section(each).values_list("pk", flat=True))
        counted = {a.pk for a in Article.objects.all() if each.pk in a.section_ids}
        assert held == counted, each.slug
    assert set(Article.objects.in_section("government-bodies")) == set(
        Article.objects.in_section(section("government-bodies"))
    )
    assert not Article.objects.in_section("no-such-section").exists()
