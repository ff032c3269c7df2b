"""Language editions: each edition's pages under its prefix (or host), in
its language, linked to their equivalents in the others."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.utils import IntegrityError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html

from articles.models import Article, Section
from editions.models import Edition
from editions.selectors import editions_all
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def section(code, slug="politics"):
    return Section.objects.get(edition=code, slug=slug)


def page(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, path
    return html.fromstring(response.content)


def alternates(tree):
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')
    }


def test_the_migrations_make_three_editions_each_with_its_section_tree():
    assert [(e.code, e.prefix) for e in editions_all()] == [("en", ""), ("ru", "ru"), ("be", "be")]
    assert section("ru", "government-bodies").name == "Органы власти"
    assert section("be", "government-bodies").name == "Органы ўлады"
    assert section("be", "president").parent == section("be", "government-bodies")
    for code in ("en", "ru", "be"):
        assert Section.objects.filter(edition=code).count() == 12


def test_home_pages_list_every_edition_and_answer_in_their_language(client):
    homes = {
        "en": "http://testserver/",
        "ru": "http://testserver/ru/",
        "be": "http://testserver/be/",
    }
    for code, url in homes.items():
        tree = page(client, url)
        assert tree.get("lang") == code
        assert alternates(tree) == {**homes, "x-default": homes["en"]}
        switcher = tree.xpath('//nav[@class="editions"]//a')
        assert {a.get("hreflang"): a.get("href") for a in switcher} == homes
        current = [a.get("hreflang") for a in switcher if a.get("aria-current")]
        assert current == [code]


def test_an_edition_lists_only_its_own_articles(client):
    ArticleFactory(headline="Parliament passes the budget", section=section("en"))
    ArticleFactory(
        edition_id="ru", headline="Парламент принял бюджет", slug="parlament", section=section("ru")
    )
    english, russian = client.get("/").content.decode(), client.get("/ru/").content.decode()
    assert "Parliament passes the budget" in english and "Парламент принял бюджет" not in english
    assert "Парламент принял бюджет" in russian and "Parliament passes the budget" not in russian
    assert "Парламент принял бюджет" in client.get("/ru/news/").content.decode()
    assert "Parliament passes" not in client.get("/ru/section/politics/").content.decode()


def test_an_article_lives_only_under_its_edition(client):
    article = ArticleFactory(edition_id="ru", slug="vystavka", section=section("ru"))
    url = article.get_absolute_url()
    assert url.startswith("/ru/news/")
    assert page(client, url).get("lang") == "ru"
    assert client.get(url.removeprefix("/ru")).status_code == 404
    assert client.get(url.replace("/ru/", "/be/")).status_code == 404


def test_translations_link_each_other_both_ways(client):
    original = ArticleFactory(headline="Exhibition opens", slug="exhibition", section=section("en"))
    russian = ArticleFactory(
        edition_id="ru",
        headline="Выставка открылась",
        slug="vystavka",
        section=section("ru"),
        translation_of=original,
        translated_version=original.version,
    )
    alone = ArticleFactory(headline="Only in English", section=section("en"))
    links = {
        "en": "http://testserver" + original.get_absolute_url(),
        "ru": "http://testserver" + russian.get_absolute_url(),
    }
    for article in (original, russian):
        tree = page(client, article.get_absolute_url())
        assert alternates(tree) == {**links, "x-default": links["en"]}
        switcher = {
            a.get("hreflang"): a.get("href") for a in tree.xpath('//nav[@class="editions"]//a')
        }
        assert switcher["ru"] == links["ru"] and switcher["en"] == links["en"]
        assert switcher["be"] == "http://testserver/be/"  # no translation: the edition's home
    assert alternates(page(client, alone.get_absolute_url())) == {}


def test_a_translation_published_later_shows_on_the_original_s_cached_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE = True
    original = ArticleFactory(slug="exhibition", section=section("en"))
    assert alternates(page(client, original.get_absolute_url())) == {}
    russian = ArticleFactory(
        edition_id="ru",
        slug="vystavka",
        section=section("ru"),
        status=Article.Status.DRAFT,
        published_at=None,
        translation_of=original,
    )
    russian.status, russian.published_at = Article.Status.PUBLISHED, timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        russian.save()
    assert set(alternates(page(client, original.get_absolute_url()))) == {"en", "ru", "x-default"}


def test_section_fronts_link_their_counterparts(client):
    tree = page(client, "/ru/section/government-bodies/")
    assert tree.get("lang") == "ru"
    assert alternates(tree) == {
        "en": "http://testserver/section/government-bodies/",
        "ru": "http://testserver/ru/section/government-bodies/",
        "be": "http://testserver/be/section/government-bodies/",
        "x-default": "http://testserver/section/government-bodies/",
    }
    Section.objects.create(edition_id="ru", name="Только у нас", slug="tolko-u-nas")
    assert alternates(page(client, "/ru/section/tolko-u-nas/")) == {}
    assert client.get("/section/tolko-u-nas/").status_code == 404


def test_every_page_of_an_edition_keeps_its_prefix(client):
    tree = page(client, "/be/")
    internal = [
        href
        for href in tree.xpath("//body//a/@href")
        if href.startswith("/") and not href.startswith("/static/")
    ]
    assert internal and all(href.startswith("/be/") for href in internal), internal
    assert tree.xpath('//link[@type="application/rss+xml"]/@href') == ["/be/feeds/rss/"]


def test_reverse_follows_the_active_language():
    assert reverse("articles:archive") == "/news/"
    with translation.override("ru"):
        assert reverse("articles:archive") == "/ru/news/"
    assert reverse("admin:index") == "/admin/"
    with translation.override("be"):
        assert reverse("admin:index") == "/admin/"  # the newsroom has no prefix


def test_an_inactive_or_unknown_prefix_is_a_404_and_a_bare_prefix_redirects(client):
    assert client.get("/de/").status_code == 404
    assert client.get("/ru").status_code == 301 and client.get("/ru")["Location"] == "/ru/"
    Edition.objects.filter(code="be").update(is_active=False)
    Edition.objects.get(code="ru").save()  # any save: the process reads them again
    assert client.get("/be/").status_code == 404
    assert "/be/" not in client.get("/").content.decode()


def test_an_edition_added_in_the_admin_is_served(client, admin_client):
    response = admin_client.post(
        reverse("admin:editions_edition_add"),
        {"code": "de", "name": "Deutsch", "prefix": "de", "host": "", "search_config": "german",
         "date_format": "", "datetime_format": "", "position": 3, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    tree = page(client, "/de/")
    assert tree.get("lang") == "de"
    assert "http://testserver/de/" in alternates(page(client, "/")).values()


def test_edition_rules_are_form_errors_not_500s(admin_client):
    for data, field in [
        ({"code": "fr", "name": "Français", "prefix": ""}, "prefix"),  # only the main has none
        ({"code": "fr", "name": "Français", "prefix": "ru"}, "prefix"),  # taken
    ]:
        response = admin_client.post(
            reverse("admin:editions_edition_add"),
            {"host": "", "search_config": "simple", "position": 4, **data},
        )
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    with pytest.raises(ValidationError):
        Edition(code="en", name="English", prefix="en").full_clean()


def test_an_article_s_section_and_original_belong_to_the_right_editions():
    article = Article(edition_id="ru", headline="x", slug="x", section=section("en"))
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "section" in error.value.message_dict
    original = ArticleFactory(section=section("en"))
    article = Article(headline="y", slug="y", section=section("en"), translation_of=original)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "translation_of" in error.value.message_dict


def test_slugs_repeat_across_editions_but_not_within_one():
    Section.objects.create(edition_id="be", name="Навука", slug="science")
    Section.objects.create(edition_id="ru", name="Наука", slug="science")
    with pytest.raises(IntegrityError):
        Section.objects.create(edition_id="ru", name="Наука 2", slug="science")


def test_an_edition_s_pages_cost_the_same_queries_as_the_main_one(client):
    for code in ("en", "ru"):
        for n in range(3):
            ArticleFactory(edition_id=code, slug=f"story-{code}-{n}", section=section(code))
    counts = {}
    for prefix in ("", "/ru"):
        cache.clear()  # rendered from nothing kept, each
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{prefix}/")
        counts[prefix] = len(captured)
    assert counts[""] == counts["/ru"]


@override_settings(EDITION_ROUTING="host", ALLOWED_HOSTS=["*"])
def test_editions_on_their_own_hosts(client):
    Edition.objects.filter(code="ru").update(host="ru.example.org")
    Edition.objects.filter(code="en").update(host="www.example.org")
    Edition.objects.get(code="be").save()  # read them again
    article = ArticleFactory(edition_id="ru", slug="vystavka", section=section("ru"))
    tree = page(client, "/", HTTP_HOST="ru.example.org")
    assert tree.get("lang") == "ru"
    assert alternates(tree)["ru"] == "http://ru.example.org/"
    assert alternates(tree)["en"] == "http://www.example.org/"
    path = article.get_absolute_url()
    assert path.startswith("/news/")  # no prefix: the host says the edition
    assert page(client, path, HTTP_HOST="ru.example.org").get("lang") == "ru"
    assert client.get(path, HTTP_HOST="www.example.org").status_code == 404
    assert client.get("/ru/", HTTP_HOST="ru.example.org").status_code == 404
    assert re.search(
        r'<html lang="en"', client.get("/", HTTP_HOST="www.example.org").content.decode()
    )


def test_each_edition_shows_its_own_chrome_after_another_was_served(client):
    """The menu, "Recent news" and the other pieces kept for every page are
    kept per edition: /ru/ never shows the English ones (or the reverse)."""
    ArticleFactory(headline="Parliament passes the budget", section=section("en"))
    ArticleFactory(
        edition_id="ru", headline="Парламент принял бюджет", slug="parlament", section=section("ru")
    )
    for first, second in (("/", "/ru/"), ("/ru/", "/")):
        cache.clear()
        client.get(first)
        text = page(client, second).text_content()
        if second == "/ru/":
            assert "Проекты" in text and "Projects" not in text
            assert "Parliament passes" not in text
        else:
            assert "Projects" in text and "Проекты" not in text
            assert "Парламент" not in text
