from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_articles():
    """Enough articles, with images, partners, authors and tags, to expose an N+1."""
    now = timezone.now()
    partner = PartnerFactory()
    articles = []
    for n in range(12):
        article = ArticleFactory(
            published_at=now - timedelta(hours=n * 5),
            main_image=ImageFactory() if n % 2 else None,
            source=partner if n % 3 == 0 else None,
        )
        article.tags.add(f"tag{n}", "common")
        articles.append(article)
    return articles


def test_home_lists_only_published_articles(client, many_articles):
    hidden = [
        ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT),
        ArticleFactory(
            headline="Embargoed story", published_at=timezone.now() + timedelta(hours=1)
        ),
        ArticleFactory(headline="Pulled story", status=Article.Status.WITHDRAWN),
    ]
    page = client.get(reverse("articles:home")).content.decode()
    for article in many_articles:
        assert article.get_absolute_url() in page
    for article in hidden:
        assert article.headline not in page


def test_home_query_count_is_fixed(client, many_articles, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("articles:home")).status_code == 200


def test_all_news_groups_by_local_day(client, many_articles, django_assert_num_queries):
    with django_assert_num_queries(3):  # days with news + count + page
        response = client.get(reverse("articles:archive"))
    page = response.content.decode()
    day = timezone.localtime(many_articles[-1].published_at)
    assert f"{day:%A}, {day.day} {day:%B %Y}" in page
    assert page.count('class="news-row"') == 12


def test_all_news_bad_page_is_404_not_500(client, many_articles):
    for page in ["999", "abc", "-1", "0"]:
        assert client.get(reverse("articles:archive"), {"page": page}).status_code == 404


def test_article_page_shows_dateline_and_is_hidden_until_published(
    client, django_assert_num_queries
):
    partner = PartnerFactory(attribution_label="China Daily")
    article = ArticleFactory(dateline_place="Pyongyang", source=partner, main_image=ImageFactory())
    article.tags.add("korea", "trade")
    with django_assert_num_queries(3):  # article + tags + authors
        response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert (
        f"PYONGYANG, {timezone.localtime(article.published_at):%-d %B} (NNA - China Daily)" in page
    )
    assert "korea" in page and article.main_image.file.url in page
    assert '<link rel="canonical" href="http://testserver' in page

    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_article_url_is_404(client):
    assert client.get("/news/2026/13/40/nothing/").status_code == 404
    assert client.get("/news/2026/01/01/nothing/").status_code == 404
