"""The demo content of every edition, and tags in Cyrillic: their links work."""

from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from lxml import html
from taggit.models import Tag

from articles.models import Article, Section
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EDITIONS = {"en": "/", "ru": "/ru/", "be": "/be/"}


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return html.fromstring(response.content)


def links(tree, *parts):
    """The site's own links on a page that go to ``parts`` ("/tag/")."""
    found = set()
    for href in tree.xpath("//a/@href"):
        path = urlsplit(href).path
        if not urlsplit(href).netloc and any(part in path for part in parts):
            found.add(path)
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", articles=12, days=3)


def test_load_demo_writes_stories_in_every_edition_once(demo, capsys):
    for code in ("ru", "be"):
        articles = Article.objects.published().in_edition(code)
        assert articles.count() >= 8
        assert articles.values("section").distinct().count() >= 4
        assert all(a.section.edition_id == code for a in articles.select_related("section"))
        assert articles.filter(translation_of__isnull=True).exists()  # their own stories
        translations = articles.filter(translation_of__isnull=False).select_related(
            "translation_of"
        )
        assert translations.count() >= 4
        for article in translations:
            assert article.translation_of.edition_id == "en"
            assert article.translated_version == article.translation_of.version
    ru = Article.objects.get(edition="ru", headline__startswith="Выставка")
    assert ru.dateline_place == "МИНСК"
    assert set(ru.tags.names()) == {"выставка", "живопись", "музей"}
    be = Article.objects.get(edition="be", translation_of=ru.translation_of)
    assert be.dateline_place == "МІНСК" and "выстава" in be.tags.names()

    counts = {code: Article.objects.in_edition(code).count() for code in EDITIONS}
    call_command("load_demo", articles=12, days=3)
    assert {code: Article.objects.in_edition(code).count() for code in EDITIONS} == counts
    assert "not loaded again" in capsys.readouterr().out


def test_every_demo_page_and_its_tag_and_section_links_answer(client, demo):
    for code, home in EDITIONS.items():
        tree = page(client, home)
        assert tree.get("lang") == code
        on_home = links(tree, "/section/", "/tag/", "/news/")
        assert any("/section/" in path for path in on_home)
        assert all(path.startswith(home) for path in on_home)
        tag_links = set()
        for article in Article.objects.published().in_edition(code):
            tree = page(client, article.get_absolute_url())
            assert tree.get("lang") == code
            tag_links |= links(tree, "/tag/")
        assert len(tag_links) >= 5
        for path in on_home | tag_links:
            page(client, path)


def test_a_cyrillic_tag_has_a_working_page(client):
    culture = Section.objects.get(edition="ru", slug="culture")
    article = ArticleFactory(edition_id="ru", section=culture, headline="Выставка открылась")
    article.tags.add("выставка")
    tag = Tag.objects.get(name="выставка")
    assert tag.slug == "выставка"
    with translation.override("ru"):
        url = reverse("articles:tag", args=[tag.slug])
    assert unquote(url) == "/ru/tag/выставка/"

    tree = page(client, article.get_absolute_url())
    assert links(tree, "/tag/") == {url}
    tree = page(client, url)
    assert "Выставка открылась" in tree.text_content()


def test_a_missing_or_odd_tag_is_404_not_500(client):
    for path in ("/ru/tag/нет-такого/", "/ru/tag/%FF/", "/tag/a.b/", "/be/tag/вы%20става/"):
        assert client.get(path).status_code == 404, path
