import importlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from articles.models import Article, Section
from articles.selectors import article_search
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory

NOW = datetime(2026, 3, 23, 11, 54, tzinfo=UTC)  # 14:54 in Minsk
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
fallback_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the fallback serves other databases"
)


def search(client, q, **params):
    return client.get(reverse("articles:search"), {"q": q, **params})


def found(client, q):
    """Headlines on the first results page, in order."""
    response = search(client, q)
    assert response.status_code == 200
    return [article.headline for article in response.context["page_obj"]]


@pytest.fixture
def three_places():
    return [
        ArticleFactory(headline="Zeppelin lands in Minsk"),
        ArticleFactory(headline="Jam makers meet", lead="Marmalade exports doubled."),
        ArticleFactory(headline="Zoo news", body="<p>A young <em>quokka</em> arrived.</p>"),
    ]


def test_finds_words_in_headline_lead_and_body(client, three_places):
    assert found(client, "zeppelin") == ["Zeppelin lands in Minsk"]
    assert found(client, "Marmalade") == ["Jam makers meet"]
    assert found(client, "quokka") == ["Zoo news"]
    assert found(client, "zeppelin quokka") == []  # every word must be there


def test_never_finds_unpublished_articles(client):
    ArticleFactory(headline="Walrus visible", published_at=NOW - timedelta(minutes=1))
    ArticleFactory(headline="Walrus draft", status=Article.Status.DRAFT)
    ArticleFactory(headline="Walrus review", status=Article.Status.IN_REVIEW)
    ArticleFactory(headline="Walrus withdrawn", status=Article.Status.WITHDRAWN)
    ArticleFactory(headline="Walrus embargo", published_at=NOW + timedelta(minutes=1))

    assert found(client, "walrus") == ["Walrus visible"]
    assert [a.headline for a in article_search(query="walrus")] == ["Walrus visible"]


def test_result_shows_time_section_source_link_and_highlighted_snippet(client):
    article = ArticleFactory(
        headline="Harbour report",
        lead="Ships came in.",
        body="<p>Rain &amp; wind: a <strong>walrus</strong> said &lt;b&gt;hello&lt;/b&gt;.</p>",
        published_at=NOW - timedelta(hours=1),
        source=PartnerFactory(attribution_label="China Daily"),
    )
    page = search(client, "walrus").content.decode()

    assert "1 article found." in page
    assert '<time datetime="2026-03-23T13:54:00+03:00">23 March 2026, 13:54</time>' in page
    assert "Politics" in page and "China Daily" in page
    assert f'<a href="{article.get_absolute_url()}">Harbour report</a>' in page
    assert "<mark>walrus</mark>" in page
    # The body's own markup and entities come out as text, never as tags.
    assert "Rain &amp; wind" in page and "&lt;b&gt;hello&lt;/b&gt;" in page
    assert "<strong>" not in page and "<b>" not in page
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Type a word or two to search for."),
        ("   ", "Type a word or two to search for."),
        (("walrus " * 715)[:5000], "use at most 200 characters"),
        ("\x00", "cannot be typed"),
        ("wal\x00rus", "cannot be typed"),
        ("!!!", "punctuation alone finds nothing"),
        ("«»—?!", "punctuation alone finds nothing"),
    ],
)
def test_bad_queries_get_a_message_not_an_error(client, q, message):
    ArticleFactory(headline="Walrus in town")
    response = search(client, q)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Walrus in town" not in page


def test_markup_in_the_query_is_escaped(client):
    ArticleFactory(headline="Alert raised over script", body="<p>alert script</p>")
    response = search(client, "<script>alert(1)</script>")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page
    assert "Search results for “&lt;script&gt;alert(1)&lt;/script&gt;”" in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_search_page_without_a_query_shows_help_and_asks_nothing(client, django_assert_num_queries):
    ArticleFactory(headline="Walrus in town")
    client.get(reverse("articles:search"))  # the section menu is cached from now on
    with django_assert_num_queries(0):
        response = client.get(reverse("articles:search"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Type the words you are looking for" in page
    assert "errorlist" not in page and "Walrus in town" not in page


@pytest.fixture
def many_matches():
    """35 matching articles with tags, photos and partners: an N+1 would show."""
    partners = [PartnerFactory(), PartnerFactory()]
    articles = []
    for n in range(35):
        article = ArticleFactory(
            headline=f"Harvest report {n}",
            published_at=NOW - timedelta(hours=n),
            main_image=ImageFactory(),
            source=partners[n % 2],
        )
        article.tags.add(f"tag{n}", "farming")
        articles.append(article)
    return articles


def test_query_count_does_not_grow_with_results(client, many_matches, django_assert_num_queries):
    search(client, "harvest")  # the section menu is cached from now on
    with django_assert_num_queries(2):  # count + page
        response = search(client, "harvest")
    page = response.content.decode()
    assert "35 articles found." in page
    assert page.count('class="search-result"') == 30
    assert many_matches[0].source.attribution_label in page
    assert many_matches[1].source.attribution_label in page


def test_results_are_paginated_keeping_the_query(client, many_matches):
    first = search(client, "harvest").content.decode()
    assert 'href="?q=harvest&amp;page=2"' in first
    second = search(client, "harvest", page="2")
    assert second.status_code == 200
    assert second.content.decode().count('class="search-result"') == 5


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1"])
def test_bad_page_is_404_not_500(client, many_matches, page):
    assert search(client, "harvest", page=page).status_code == 404


@postgresql_only
def test_headline_match_ranks_above_lead_and_body_matches():
    ArticleFactory(headline="Markets", body="<p>A walrus at the bourse.</p>")
    ArticleFactory(headline="Zoo", lead="A walrus arrived.", published_at=NOW - timedelta(hours=2))
    ArticleFactory(headline="Walrus in the harbour", published_at=NOW - timedelta(hours=3))
    # Newest first would give the opposite order.
    assert [a.headline for a in article_search(query="walrus")] == [
        "Walrus in the harbour",
        "Zoo",
        "Markets",
    ]


@postgresql_only
def test_websearch_syntax_phrases_exclusions_and_stemming(client):
    ArticleFactory(headline="Grain harvest begins")
    ArticleFactory(headline="Harvest of grain ends", body="<p>Elections in spring.</p>")

    assert found(client, '"grain harvest"') == ["Grain harvest begins"]
    assert found(client, "harvest -begins") == ["Harvest of grain ends"]
    assert found(client, "election") == ["Harvest of grain ends"]  # stemmed
    assert len(found(client, "begins or ends")) == 2


@postgresql_only
def test_search_vector_follows_edits():
    article = ArticleFactory(headline="Walrus in town")
    article.headline = "Seal in town"
    article.save()
    assert not article_search(query="walrus").exists()
    assert article_search(query="seal").get() == article


@postgresql_only
def test_gin_index_exists_on_the_search_vector():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            ["articles_article", "article_search_vector_idx"],
        )
        (indexdef,) = cursor.fetchone()
    assert "USING gin (search_vector)" in indexdef


@postgresql_only
def test_migration_fills_the_search_vector_of_existing_articles():
    migration = importlib.import_module("articles.migrations.0005_article_search_vector")
    ArticleFactory(headline="Walrus in town")
    Article.objects.update(search_vector=None)  # as before the migration
    assert not article_search(query="walrus").exists()

    migration.fill_search_vector(apps, SimpleNamespace(connection=connection))
    assert article_search(query="walrus").exists()


@fallback_only
def test_fallback_matches_words_anywhere_newest_first_and_honours_minus(client):
    ArticleFactory(headline="Older walrus news", published_at=NOW - timedelta(hours=3))
    ArticleFactory(headline="Newer walruses", published_at=NOW - timedelta(hours=1))
    ArticleFactory(headline="Walrus and seal", published_at=NOW - timedelta(hours=2))

    assert found(client, "WALRUS") == ["Newer walruses", "Walrus and seal", "Older walrus news"]
    assert found(client, "walrus -seal") == ["Newer walruses", "Older walrus news"]


@fallback_only
def test_fallback_snippet_starts_near_the_match(client):
    before = " ".join(f"before{n}" for n in range(100))
    after = " ".join(f"after{n}" for n in range(100))
    ArticleFactory(headline="Long story", body=f"<p>{before} the walrus spoke {after}</p>")
    page = search(client, "walrus").content.decode()
    assert "… before90 before91" in page and "the <mark>walrus</mark> spoke after0" in page
    assert "after21 …" in page
    assert "before89" not in page and "after22" not in page


@pytest.fixture
def places_tags_sections():
    """Stories found by their dateline place, a tag or a section name only."""
    grodno = ArticleFactory(headline="Bridge opens", dateline_place="GRODNO")
    tagged = ArticleFactory(headline="Yields rise", dateline_place="BREST")
    tagged.tags.add("Agro-industrial complex")
    president = ArticleFactory(
        headline="Decree signed",
        dateline_place="BREST",
        section=Section.objects.get(edition="en", slug="president"),
    )
    return grodno, tagged, president


def test_finds_the_dateline_place_tags_and_section_names(client, places_tags_sections):
    assert found(client, "grodno") == ["Bridge opens"]
    assert found(client, "GRODNO") == ["Bridge opens"]
    assert found(client, "agro-industrial") == ["Yields rise"]
    assert found(client, "brest complex") == ["Yields rise"]
    # Its own section and the section above it ("Government Bodies").
    assert found(client, "president") == ["Decree signed"]
    assert found(client, "government bodies") == ["Decree signed"]
    assert found(client, "grodno -bridge") == []


def test_the_dateline_minsk_is_found(client):
    ArticleFactory(headline="Bridge opens", dateline_place="MINSK")
    ArticleFactory(headline="Port reopens", dateline_place="KLAIPEDA")
    assert found(client, "minsk") == ["Bridge opens"]


def test_search_follows_tag_section_and_dateline_changes(client, places_tags_sections):
    grodno, tagged, president = places_tags_sections
    tagged.tags.clear()
    assert found(client, "agro-industrial") == []
    grodno.tags.add("Bridges")
    assert found(client, "bridges") == ["Bridge opens"]
    tag = grodno.tags.get()
    tag.name = "Viaducts"
    tag.save()
    assert found(client, "viaducts") == ["Bridge opens"]
    section = Section.objects.get(edition="en", slug="president")
    section.name = "Head of State"
    section.save()
    assert found(client, "head of state") == ["Decree signed"]
    grodno.dateline_place = "LIDA"
    grodno.save()
    assert found(client, "lida") == ["Bridge opens"]


@postgresql_only
def test_a_headline_match_ranks_above_a_tag_or_dateline_match():
    ArticleFactory(headline="Markets", dateline_place="GOMEL")
    ArticleFactory(headline="Gomel fair", published_at=NOW - timedelta(hours=2))
    ArticleFactory(headline="Prices", published_at=NOW - timedelta(hours=3)).tags.add("Gomel")
    found_headlines = [a.headline for a in article_search(query="gomel")]
    assert found_headlines[0] == "Gomel fair"
    assert set(found_headlines) == {"Gomel fair", "Markets", "Prices"}


@postgresql_only
def test_migration_adds_places_tags_and_sections_to_existing_vectors():
    migration = importlib.import_module(
        "articles.migrations.0015_search_vector_places_tags_sections"
    )
    ArticleFactory(headline="Bridge opens", dateline_place="GRODNO").tags.add("Viaducts")
    editor = SimpleNamespace(connection=connection)
    migration.restore_search_vector(apps, editor)  # as before the migration
    assert not article_search(query="grodno").exists()
    assert not article_search(query="viaducts").exists()

    migration.fill_search_vector(apps, editor)
    assert article_search(query="grodno").exists()
    assert article_search(query="viaducts").exists()
