from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Section
from tests.factories import ArticleFactory, PartnerFactory

NOW = datetime(2026, 3, 23, 11, 54, tzinfo=UTC)  # 14:54 in Minsk
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]


def test_published_rule_hides_drafts_reviews_withdrawn_and_future():
    visible = ArticleFactory(published_at=NOW - timedelta(minutes=1))
    at_now = ArticleFactory(published_at=NOW)
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW - timedelta(days=1))
    ArticleFactory(status=Article.Status.IN_REVIEW, published_at=NOW - timedelta(days=1))
    ArticleFactory(status=Article.Status.WITHDRAWN, published_at=NOW - timedelta(days=1))
    ArticleFactory(published_at=NOW + timedelta(microseconds=1))
    ArticleFactory(published_at=None, status=Article.Status.DRAFT)

    assert set(Article.objects.published()) == {visible, at_now}


def test_scheduled_article_appears_when_its_time_comes_without_a_job(clock):
    article = ArticleFactory(published_at=NOW + timedelta(hours=2))
    with clock.at(NOW):
        assert not Article.objects.published().filter(pk=article.pk).exists()
    with clock.at(NOW + timedelta(hours=2)):
        assert Article.objects.published().filter(pk=article.pk).exists()


def test_publication_date_and_url_use_the_site_time_zone():
    # 00:30 in Minsk on 24 March is still 23 March in UTC.
    article = ArticleFactory(
        slug="night-news", published_at=datetime(2026, 3, 23, 21, 30, tzinfo=UTC)
    )
    assert str(article.publication_date) == "2026-03-24"
    assert article.get_absolute_url() == "/news/2026/03/24/night-news/"


def test_slug_is_unique_per_publication_day_only():
    ArticleFactory(slug="same", published_at=NOW)
    clash = Article(
        headline="Other",
        slug="same",
        section=Section.objects.get(edition="en", slug="world"),
        status=Article.Status.PUBLISHED,
        published_at=NOW + timedelta(hours=3),
    )
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "slug" in error.value.message_dict

    next_day = Article(
        headline="Other",
        slug="same",
        section=Section.objects.get(edition="en", slug="world"),
        status=Article.Status.PUBLISHED,
        published_at=NOW + timedelta(days=1),
    )
    next_day.full_clean()
    next_day.save()


def test_default_section_tree_exists_after_migrate():
    top = list(Section.objects.filter(edition="en", parent=None).values_list("name", flat=True))
    assert top[:2] == ["Projects", "Government Bodies"]
    for name in ["Politics", "Economics", "Society", "Regions", "World", "Culture", "Sport"]:
        assert name in top
    children = Section.objects.filter(edition="en", parent__slug="government-bodies").values_list(
        "name", flat=True
    )
    assert list(children) == ["President", "Government", "Parliament"]


def test_section_cannot_be_its_own_ancestor():
    parent = Section.objects.get(edition="en", slug="government-bodies")
    parent.parent = Section.objects.get(edition="en", slug="president")
    with pytest.raises(ValidationError):
        parent.full_clean()


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">click</a>', "javascript:"),
        ('<svg onload="alert(1)"><circle/></svg>', "<svg"),
        ('<p onclick="steal()">text</p>', "onclick"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ],
)
def test_body_is_sanitised_on_save(dirty, forbidden):
    article = ArticleFactory(body=dirty)
    article.refresh_from_db()
    assert forbidden not in article.body.lower()


def test_sanitiser_keeps_harmless_markup():
    html = (
        "<h2>Heading</h2><p>A <strong>bold</strong> and <em>soft</em> "
        '<a href="https://example.org/x">link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>Quote</p></blockquote>"
    )
    article = ArticleFactory(body=html)
    article.refresh_from_db()
    for fragment in [
        "<h2>",
        "<strong>bold</strong>",
        "<em>soft</em>",
        'href="https://example.org/x"',
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        "<blockquote>",
    ]:
        assert fragment in article.body


def test_dateline_names_place_day_and_sources(settings):
    settings.AGENCY_SHORT_NAME = "BelTA"
    partner = PartnerFactory(attribution_label="China Daily")
    article = ArticleFactory(
        dateline_place="Pyongyang",
        source=partner,
        published_at=datetime(2020, 3, 23, 11, 54, tzinfo=UTC),
    )
    assert article.dateline == "PYONGYANG, 23 March (BelTA - China Daily)"
    article.source = None
    article.dateline_place = "Minsk"
    assert article.dateline == "MINSK, 23 March (BelTA)"
