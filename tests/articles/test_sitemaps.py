import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.sitemaps import ArticleMonthSitemap
from tests.clock import at
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory

NOW = datetime(2026, 3, 23, 11, 54, tzinfo=UTC)  # 14:54 in Minsk
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def article_at(when, **kwargs):
    """An article published, and last changed, at ``when``."""
    with at(when):
        return ArticleFactory(published_at=when, **kwargs)


def url_of(article):
    return f"http://testserver{article.get_absolute_url()}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def locs(root):
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


@pytest.fixture
def archive():
    """Published news in January, February and March 2026 (local time), and
    unpublished articles in March that no sitemap may show."""
    return {
        "january": [article_at(datetime(2026, 1, 10, 9, tzinfo=UTC))],
        "february": [
            article_at(datetime(2026, 2, 1, 8, tzinfo=UTC)),
            article_at(datetime(2026, 2, 28, 20, 59, tzinfo=UTC)),  # 23:59 in Minsk
        ],
        "march": [
            article_at(datetime(2026, 2, 28, 21, 30, tzinfo=UTC)),  # 1 March 00:30 in Minsk
            article_at(NOW - timedelta(days=1)),
            article_at(NOW - timedelta(hours=1)),
        ],
        "hidden": [
            ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT),
            ArticleFactory(headline="Pulled story", status=Article.Status.WITHDRAWN),
            ArticleFactory(headline="Embargoed story", published_at=NOW + timedelta(hours=3)),
        ],
    }


def test_index_lists_static_and_every_month_since_the_first_article(client, archive):
    response = client.get(reverse("articles:sitemap"))
    root = parse(response)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    base = "http://testserver/sitemap-"
    assert locs(root) == [
        f"{base}static.xml",
        f"{base}articles-2026-03.xml",
        f"{base}articles-2026-02.xml",
        f"{base}articles-2026-01.xml",
    ]
    assert "max-age=3600" in response["Cache-Control"]

    article_at(datetime(2025, 11, 30, 12, tzinfo=UTC))
    index = locs(parse(client.get(reverse("articles:sitemap"))))
    assert index[-3:] == [
        f"{base}articles-2026-01.xml",
        f"{base}articles-2025-12.xml",  # a month without news is an empty file
        f"{base}articles-2025-11.xml",
    ]
    empty = parse(client.get(reverse("articles:sitemap-section", args=["articles-2025-12"])))
    assert locs(empty) == []


def test_index_of_an_empty_site_lists_the_static_pages(client):
    ArticleFactory(status=Article.Status.DRAFT)
    assert locs(parse(client.get(reverse("articles:sitemap")))) == [
        "http://testserver/sitemap-static.xml"
    ]


def test_month_sitemap_lists_only_that_months_published_articles(client, archive):
    for month, key in [("january", "2026-01"), ("february", "2026-02"), ("march", "2026-03")]:
        root = parse(client.get(reverse("articles:sitemap-section", args=[f"articles-{key}"])))
        assert root.tag == f"{{{NS['sm']}}}urlset"
        assert locs(root) == [url_of(article) for article in archive[month]]
        for url, article in zip(root.iterfind("sm:url", NS), archive[month], strict=True):
            lastmod = url.findtext("sm:lastmod", namespaces=NS)
            assert lastmod == str(timezone.localdate(article.updated_at))


def test_full_month_sitemap_is_one_file_and_says_so_in_the_log(client, archive, caplog):
    march = reverse("articles:sitemap-section", args=["articles-2026-03"])
    with mock.patch.object(ArticleMonthSitemap, "limit", 2):
        assert f"http://testserver{march}" in locs(parse(client.get(reverse("articles:sitemap"))))
        assert not [
            loc for loc in locs(parse(client.get(reverse("articles:sitemap")))) if "?p=" in loc
        ]
        root = parse(client.get(march))
        assert client.get(march, {"p": 2}).status_code == 404
    assert locs(root) == [url_of(article) for article in archive["march"][:2]]
    assert "Sitemap for 2026-03 is full (2 URLs)" in caplog.text


def test_static_sitemap_lists_home_all_news_and_sections(client):
    root = parse(client.get(reverse("articles:sitemap-section", args=["static"])))
    urls = locs(root)
    assert urls[:2] == ["http://testserver/", "http://testserver/news/"]
    assert "http://testserver/section/government-bodies/" in urls
    assert "http://testserver/section/parliament/" in urls
    assert len(urls) == 2 + Section.objects.filter(edition="en").count()


@pytest.mark.parametrize(
    "section",
    [
        "articles-2026-13",
        "articles-2026-00",
        "articles-0000-01",
        "articles-9999-12",
        "articles-26-03",
        "articles-2026-3",
        "other",
    ],
)
def test_unknown_sitemap_section_is_404(client, section):
    assert client.get(reverse("articles:sitemap-section", args=[section])).status_code == 404


def test_news_sitemap_has_google_news_tags_for_the_last_two_days(client, archive):
    old = article_at(NOW - timedelta(days=2, minutes=1))
    edge = article_at(NOW - timedelta(days=2), headline="Tom & Jerry <meet>")
    response = client.get(reverse("articles:sitemap-news"))
    root = parse(response)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    expected = [archive["march"][2], archive["march"][1], edge]
    assert locs(root) == [url_of(article) for article in expected]
    assert url_of(old) not in locs(root)
    for url, article in zip(root.iterfind("sm:url", NS), expected, strict=True):
        news = url.find("news:news", NS)
        assert news.findtext("news:publication/news:name", namespaces=NS) == "National News Agency"
        assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
        published = news.findtext("news:publication_date", namespaces=NS)
        assert published.endswith("+03:00")
        assert datetime.fromisoformat(published) == article.published_at
        assert news.findtext("news:title", namespaces=NS) == article.headline
    assert "max-age=300" in response["Cache-Control"]


def test_news_sitemap_holds_at_most_1000_newest(client, django_assert_num_queries):
    section = Section.objects.get(edition="en", slug="politics")
    times = [NOW - timedelta(minutes=n) for n in range(1005)]
    Article.objects.bulk_create(
        Article(
            headline=f"Bulk {n}",
            slug=f"bulk-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=when,
            publication_date=timezone.localdate(when),
        )
        for n, when in enumerate(times)
    )
    with django_assert_num_queries(2):  # count + page
        root = parse(client.get(reverse("articles:sitemap-news")))
    titles = [title.text for title in root.iterfind(".//news:title", NS)]
    assert titles == [f"Bulk {n}" for n in range(1000)]


def test_unpublished_articles_are_in_no_sitemap_until_their_time(client, archive):
    def every_sitemap():
        yield parse(client.get(reverse("articles:sitemap-news")))
        index = parse(client.get(reverse("articles:sitemap")))
        for loc in locs(index):
            yield parse(client.get(loc.removeprefix("http://testserver")))

    def listed():
        return {loc for root in every_sitemap() for loc in locs(root)}

    hidden = {url_of(article) for article in archive["hidden"] if article.publication_date}
    assert hidden and not hidden & listed()
    assert url_of(archive["march"][2]) in listed()

    with at(NOW + timedelta(hours=3)):
        assert hidden & listed() == {url_of(archive["hidden"][2])}


@pytest.fixture
def busy_month():
    """32 published articles in March with tags, photos and partners, one in February."""
    article_at(datetime(2026, 2, 10, 9, tzinfo=UTC))
    partner = PartnerFactory()
    for n in range(32):
        article = ArticleFactory(
            published_at=NOW - timedelta(hours=n + 1),
            main_image=ImageFactory() if n % 2 else None,
            source=partner if n % 3 == 0 else None,
        )
        article.tags.add(f"tag{n}", "common")


@pytest.mark.parametrize(
    ("name", "args", "queries", "urls"),
    [
        # The first publication time, the sections, the newest article and
        # each month's last change (kept: test_sitemap_index_has_lastmod).
        ("articles:sitemap", [], 5, 3),
        ("articles:sitemap-section", ["articles-2026-03"], 1, 32),
        ("articles:sitemap-section", ["articles-2026-02"], 1, 1),
        ("articles:sitemap-section", ["static"], 1, 14),  # home, all news, 12 sections
        ("articles:sitemap-news", [], 2, 32),  # count + page
    ],
)
def test_sitemap_query_counts_are_fixed(
    client, busy_month, django_assert_num_queries, name, args, queries, urls
):
    with django_assert_num_queries(queries):
        root = parse(client.get(reverse(name, args=args)))
    assert len(locs(root)) == urls


def test_robots_txt_points_at_both_sitemaps(client):
    response = client.get(reverse("articles:robots"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "max-age=3600" in response["Cache-Control"]
