"""Text out is exact: a headline and lead full of & ' " < >, non-Latin
scripts and emoji read the same in every feed we publish (as feedparser, and
so a feed reader, takes them) as on the article's page."""

import feedparser
import lxml.html
import pytest

from articles.models import Section
from tests.factories import ArticleFactory, PartnerFactory

HEADLINES = [
    "Q&A: the minister's \"plan\" for <2027> & 'beyond'",
    "Лукашенко: «Беларусь & Китай» — партнёры; ў і ё",
    '中国与白俄罗斯签署"一带一路"协议 <第二阶段>',
    "مصر & الأردن: «خطة» جديدة > 2026",
    'שלום & "ברכה" <חדשות>',
    "🎉🇧🇾 Emoji & 1 < 2 > 0, naïve café ‘smart’ “quotes”",
]
LEAD = 'Tom & Jerry\'s "deal": a < b > c; Минск 北京 😀'
FEEDS = {
    "rss": "/feeds/rss/",
    "atom": "/feeds/atom/",
    "section": "/section/economics/rss/",
    "partner": "/api/v1/feeds/rss/",
}


def text_of_html(markup):
    """What a reader shows for an HTML summary."""
    return lxml.html.fragment_fromstring(markup, create_parent="div").text_content()


@pytest.fixture
def articles(db):
    economics = Section.objects.get(edition="en", slug="economics")
    source = PartnerFactory(name='Smith & "Sons" <Wire>', allows_redistribution=True)
    return [
        ArticleFactory(headline=headline, lead=LEAD, section=economics, source=source)
        for headline in HEADLINES
    ]


@pytest.mark.parametrize("name", FEEDS)
def test_headlines_and_leads_read_exactly_as_on_the_page(client, api_client, articles, name):
    response = (api_client if name == "partner" else client).get(FEEDS[name])
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    by_link = {entry.link: entry for entry in feed.entries}
    for article in articles:
        page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
        on_page = page.findtext(".//h1").strip()
        assert on_page == article.headline
        entry = by_link[f"http://testserver{article.get_absolute_url()}"]
        assert entry.title == on_page
        lead_on_page = " ".join(page.find_class("article__lead")[0].text_content().split())
        summary = text_of_html(entry.summary)
        if name == "partner":  # the lead, then the whole text
            summary = text_of_html(entry.summary.partition("</p>")[0])
        assert summary == lead_on_page == f"{article.dateline} – {LEAD}"
        assert entry.author == article.source.name


def test_quotes_are_not_turned_into_entities(client, articles):
    """Readers that show a description as text (some do) see no &#x27;."""
    content = client.get(FEEDS["rss"]).content.decode()
    assert "&amp;#x27;" not in content and "&amp;quot;" not in content
    assert 'minister\'s "plan" for &lt;2027&gt;' in content
