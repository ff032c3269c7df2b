"""The partner API's since= list reads the rows that changed through indexes,
not the whole table (PostgreSQL's plan, on a few thousand articles)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Section
from partners.selectors import article_syndication_list

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_since_uses_the_indexes_and_finds_what_changed():
    sections = list(Section.objects.filter(edition="en"))
    now = timezone.now()
    statuses = ["published"] * 27 + ["withdrawn", "draft", "review"]
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            section=sections[n % len(sections)],
            status=statuses[n % len(statuses)],
            published_at=now - timedelta(minutes=10 * n),
            publication_date=timezone.localdate(now - timedelta(minutes=10 * n)),
        )
        for n in range(4000)
    )
    # Changed a few minutes after publication; one old story edited just now.
    Article.objects.update(updated_at=F("published_at") + timedelta(minutes=5))
    edited = Article.objects.filter(status="published").order_by("published_at").first()
    Article.objects.filter(pk=edited.pk).update(updated_at=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")

    since = now - timedelta(hours=6)
    listed = article_syndication_list(since=since)
    plan = listed[:50].explain()
    assert "article_updated_idx" in plan and "article_status_pub_idx" in plan, plan
    assert "Seq Scan on articles_article" not in plan, plan

    expected = {
        a.pk
        for a in Article.objects.filter(status__in=["published", "withdrawn"])
        if a.published_at <= now and (a.updated_at >= since or a.published_at >= since)
    }
    assert {a.pk for a in listed} == expected and edited.pk in expected
    assert len(expected) > 30
