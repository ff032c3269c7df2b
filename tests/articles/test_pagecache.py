"""The server-side cache of public pages, and that it never outlives a change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Correction, Section
from tests.factories import ArticleFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_cached_page_is_served_without_queries(client, django_assert_num_queries):
    ArticleFactory(headline="Cached story")
    first = text(client, "/news/")
    with django_assert_num_queries(0):
        again = client.get("/news/")
    assert again.content.decode() == first and "Cached story" in first
    assert "public" in again["Cache-Control"] and again["ETag"]


def test_editing_an_article_drops_the_cached_pages(client):
    article = ArticleFactory(headline="First words")
    url = article.get_absolute_url()
    assert "First words" in text(client, url) and "First words" in text(client, "/")
    article.headline = "Second words"
    article.save()
    assert "Second words" in text(client, url)
    assert "Second words" in text(client, "/")


def test_withdrawing_is_seen_at_once(client):
    article = ArticleFactory(headline="Soon gone")
    assert "Soon gone" in text(client, "/news/")
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert "Soon gone" not in text(client, "/news/")
    assert client.get(article.get_absolute_url()).status_code == 410


def test_corrections_tags_sections_and_partners_drop_the_cache(client):
    partner = PartnerFactory(name="Danube Press Agency")
    article = ArticleFactory(source=partner)
    url = article.get_absolute_url()
    text(client, url)
    Correction.objects.create(article=article, text="The figure was wrong.")
    assert "The figure was wrong." in text(client, url)
    article.tags.add("harvest")
    assert 'href="/tag/harvest/"' in text(client, url)
    politics = Section.objects.get(slug="politics")
    politics.name = "Politics and power"
    politics.save()
    assert "Politics and power" in text(client, url)
    partner_url = f"/partners/{partner.slug}/"
    text(client, partner_url)
    partner.description = "A press agency on the Danube."
    partner.save()
    assert "A press agency on the Danube." in text(client, partner_url)


def test_missing_pages_are_not_kept(client):
    article = ArticleFactory(slug="coming", status=Article.Status.DRAFT)
    article.published_at = timezone.now() - timedelta(minutes=1)
    article.save()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    article.status = Article.Status.PUBLISHED
    article.save()
    assert client.get(url).status_code == 200


def test_a_scheduled_article_appears_when_the_cached_page_expires(client, settings, clock):
    ArticleFactory(headline="Already out")
    ArticleFactory(headline="Under embargo", published_at=timezone.now() + timedelta(seconds=30))
    assert "Under embargo" not in text(client, "/news/")
    later = timezone.now() + timedelta(seconds=settings.PUBLIC_CACHE_SECONDS + 1)
    clock.move_to(later)  # the local-memory cache reads the same clock
    assert "Under embargo" in text(client, "/news/")


def test_previews_are_never_kept(client, editor):
    article = ArticleFactory(
        headline="Secret draft", status=Article.Status.DRAFT, published_at=None
    )
    client.force_login(editor)
    form = text(client, f"/admin/articles/article/{article.pk}/change/")
    link = form.split('href="/preview/')[1].split('"')[0]
    text(client, f"/preview/{link}")
    client.logout()
    assert client.get(f"/preview/{link}").status_code == 302  # not served from a cache
