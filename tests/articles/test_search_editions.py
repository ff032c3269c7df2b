"""Search per edition: each edition finds only its own articles, in its
language (PostgreSQL's "russian" stemmer for ru; "simple" plus pg_trgm
trigram similarity for be, which PostgreSQL has no stemmer for)."""

import importlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.models import Section
from articles.selectors import article_search
from editions.models import Edition
from tests.factories import ArticleFactory

NOW = datetime(2026, 3, 23, 11, 54, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stemming and trigram similarity need PostgreSQL (the fallback matches substrings)",
)


def article(code, headline, **fields):
    section = Section.objects.get(edition=code, slug="culture")
    return ArticleFactory(edition_id=code, section=section, headline=headline, **fields)


def search_url(code):
    with translation.override(code):
        return reverse("articles:search")


def found(client, code, q):
    """Headlines on the edition's first results page, in order."""
    response = client.get(search_url(code), {"q": q})
    assert response.status_code == 200
    return [a.headline for a in response.context["page_obj"]]


@pytest.fixture
def exhibitions():
    return {
        "en": article("en", "Exhibition opens in Minsk", lead="Paintings and photographs."),
        "en-ru": article("en", "Выставка: the word for an exhibition", lead="A Russian lesson."),
        "ru": article("ru", "Выставка открылась в Минске", lead="Картины и фотографии."),
        "be": article("be", "Выстава адкрылася ў Мінску", lead="Карціны і фотаздымкі."),
    }


def test_the_search_pages_of_the_editions_live_under_their_prefixes():
    assert [search_url(code) for code in ("en", "ru", "be")] == [
        "/search/",
        "/ru/search/",
        "/be/search/",
    ]


def test_an_edition_never_shows_another_editions_articles(client):
    for code in ("en", "ru", "be"):
        article(code, f"Zeppelin {code}", lead=f"Zeppelin lead {code}")
    for code in ("en", "ru", "be"):
        assert found(client, code, "zeppelin") == [f"Zeppelin {code}"]
        assert [a.headline for a in article_search(query="zeppelin", edition=code_of(code))] == [
            f"Zeppelin {code}"
        ]


def code_of(code):
    return Edition.objects.get(pk=code)


def test_article_search_defaults_to_the_edition_of_the_active_language():
    for code in ("en", "ru"):
        article(code, f"Zeppelin {code}")
    assert [a.headline for a in article_search(query="zeppelin")] == ["Zeppelin en"]
    with translation.override("ru"):
        assert [a.headline for a in article_search(query="zeppelin")] == ["Zeppelin ru"]


@postgresql_only
def test_russian_finds_inflected_forms_and_no_english_articles(client, exhibitions):
    assert found(client, "ru", "выставки") == ["Выставка открылась в Минске"]
    assert found(client, "ru", "Минск") == ["Выставка открылась в Минске"]
    assert found(client, "ru", "картина") == ["Выставка открылась в Минске"]  # the lead
    assert found(client, "ru", "выставки -минск") == []
    page = client.get(search_url("ru"), {"q": "выставки"}).content.decode()
    assert '<html lang="ru"' in page
    assert "Выстава адкрылася" not in page and "the word for an exhibition" not in page


@postgresql_only
def test_belarusian_finds_inflected_forms_by_trigram_similarity(client, exhibitions):
    assert found(client, "be", "выставы") == ["Выстава адкрылася ў Мінску"]
    assert found(client, "be", "Мінск") == ["Выстава адкрылася ў Мінску"]
    assert found(client, "be", "выставу ў Мінску") == ["Выстава адкрылася ў Мінску"]
    assert found(client, "be", "выставы з Мінска") == ["Выстава адкрылася ў Мінску"]
    assert found(client, "be", "выставы -Мінск") == []
    assert found(client, "be", "карціну") == ["Выстава адкрылася ў Мінску"]  # the lead
    # Similar is not anything: an unrelated word finds nothing.
    assert found(client, "be", "трактар") == []
    assert found(client, "be", "выставки") == ["Выстава адкрылася ў Мінску"]
    assert "Выставка открылась" not in found(client, "be", "выставка")


@postgresql_only
def test_belarusian_ranks_the_closer_headline_first():
    article("be", "Кірмаш у Гродне", published_at=NOW - timedelta(minutes=5))
    article("be", "Выстава адкрылася", published_at=NOW - timedelta(hours=2))
    article("be", "Выставачны цэнтр", published_at=NOW - timedelta(minutes=10))
    results = [a.headline for a in article_search(query="выставы", edition=code_of("be"))]
    assert results == ["Выстава адкрылася", "Выставачны цэнтр"]


@postgresql_only
def test_english_search_is_unchanged(client, exhibitions):
    assert set(found(client, "en", "exhibitions")) == {
        "Выставка: the word for an exhibition",
        "Exhibition opens in Minsk",
    }
    assert found(client, "en", "paintings") == ["Exhibition opens in Minsk"]
    # English has no trigram matching: a near miss finds nothing.
    assert found(client, "en", "exhibitxon") == []
    assert found(client, "en", "выставки") == []


@postgresql_only
def test_each_vector_is_built_with_its_editions_configuration(exhibitions):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM articles_article WHERE id = %s",
            [exhibitions["ru"].pk],
        )
        (vector,) = cursor.fetchone()
    assert "'выставк':1A" in vector  # the Russian stem, not the word
    assert "'в'" not in vector  # a Russian stop word


@postgresql_only
def test_search_page_query_count_is_pinned_in_every_edition(client, django_assert_num_queries):
    for code, word in (("en", "harvest"), ("ru", "урожай"), ("be", "ураджай")):
        for n in range(3):
            article(code, f"{word} {n}").tags.add(f"{word}{n}")
        client.get(search_url(code), {"q": word})  # the section menu is cached from now on
        with django_assert_num_queries(2):  # count + page
            response = client.get(search_url(code), {"q": word})
        assert len(response.context["page_obj"]) == 3


@postgresql_only
def test_a_changed_search_configuration_rebuilds_the_editions_vectors(client):
    article("be", "Выставы і кірмашы")
    edition = Edition.objects.get(pk="be")
    edition.search_config = "russian"
    edition.save()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_vector::text FROM articles_article")
            (vector,) = cursor.fetchone()
        assert "'i'" not in vector and "'и'" not in vector
        assert "'выстав':1A" in vector
    finally:
        edition.search_config = "simple"
        edition.save()


@postgresql_only
def test_the_headline_and_lead_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (headline gin_trgm_ops)" in indexes["article_headline_trgm_idx"]
    assert "USING gin (lead gin_trgm_ops)" in indexes["article_lead_trgm_idx"]


@postgresql_only
def test_migration_rebuilds_existing_vectors_per_edition(exhibitions):
    migration = importlib.import_module("articles.migrations.0020_search_per_edition")
    editor = SimpleNamespace(connection=connection)
    migration.restore_search_vector(apps, editor)  # as before the migration
    ru = code_of("ru")
    assert not article_search(query="выставки", edition=ru).exists()

    migration.fill_search_vector(apps, editor)
    assert list(article_search(query="выставки", edition=ru)) == [exhibitions["ru"]]
    assert list(article_search(query="выставы", edition=code_of("be"))) == [exhibitions["be"]]


def test_the_fallback_and_postgresql_both_find_exact_cyrillic_words(client, exhibitions):
    assert found(client, "ru", "Выставка") == ["Выставка открылась в Минске"]
    assert found(client, "be", "Выстава") == ["Выстава адкрылася ў Мінску"]


def test_bad_queries_in_other_editions_get_a_message_not_an_error(client):
    for code in ("ru", "be"):
        response = client.get(search_url(code), {"q": "wal\x00rus"})
        assert response.status_code == 200
        response = client.get(search_url(code), {"q": "«»—?!"})
        assert response.status_code == 200
