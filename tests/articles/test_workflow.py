"""The workflow services and their announcements: article_published and
article_withdrawn go out once each time an article becomes or stops being
public, whichever path did it (admin action, the form, a script, the clock)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import tasks
from articles.models import Article, StatusChange
from articles.services import (
    article_publications_announce,
    article_publish,
    article_return_to_draft,
    article_withdraw,
)
from tests.clock import NOW
from tests.factories import ArticleFactory, article_post_data

pytestmark = pytest.mark.django_db


def changelist_action(client, action, *articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
    )


def test_the_publish_now_action_announces_once(editor_client, editor, announcements):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=NOW + timedelta(days=1))
    assert announcements == []
    changelist_action(editor_client, "publish_now", draft, scheduled)
    assert sorted(announcements) == sorted([("published", draft.pk), ("published", scheduled.pk)])
    for article in (draft, scheduled):
        article.refresh_from_db()
        assert article.is_public and article.published_at == NOW
        assert article.last_changed_by == editor
        assert article.status_changes.first().to_status == Article.Status.PUBLISHED
    # Publishing what is public already announces no publication.
    changelist_action(editor_client, "publish_now", draft)
    assert [name for name, _ in announcements].count("published") == 2


def test_send_back_to_draft_announces_the_withdrawal_once(editor_client, announcements):
    article = ArticleFactory()
    announcements.clear()
    changelist_action(editor_client, "send_back_to_draft", article)
    assert announcements == [("withdrawn", article.pk)]
    changelist_action(editor_client, "send_back_to_draft", article)  # already a draft
    assert announcements == [("withdrawn", article.pk)]
    article.refresh_from_db()
    assert (article.status, article.announced_public) == (Article.Status.DRAFT, False)


def test_the_form_publishes_edits_and_withdraws_through_the_services(editor_client, announcements):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, article_post_data(article, status="published"))
    assert response.status_code == 302
    assert announcements == [("published", article.pk)]
    article.refresh_from_db()
    editor_client.post(url, article_post_data(article, lead="Exports rose again."))
    assert announcements[-1] == ("updated", article.pk)
    article.refresh_from_db()
    editor_client.post(
        url, article_post_data(article, status="withdrawn", withdrawn_reason="Court order")
    )
    assert [a for a in announcements if a[0] != "updated"] == [
        ("published", article.pk),
        ("withdrawn", article.pk),
    ]
    assert list(
        StatusChange.objects.filter(article=article)
        .order_by("pk")
        .values_list("from_status", "to_status")
    ) == [("", "review"), ("review", "published"), ("published", "withdrawn")]


def test_a_scheduled_article_is_announced_when_its_time_comes_once(
    clock, announcements, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published_at=NOW + timedelta(hours=1))
    assert announcements == []
    assert article_publications_announce() == 0
    clock.advance(minutes=59)
    assert tasks.article_publications_announce.enqueue().return_value == 0
    clock.advance(minutes=1)
    assert tasks.article_publications_announce.enqueue().return_value == 1
    assert announcements == [("published", article.pk)]
    assert article_publications_announce() == 0
    # A save after its time is a change of a public article, not a publication.
    article.refresh_from_db()
    article.lead = "Corrected."
    article.save()
    assert announcements == [("published", article.pk), ("updated", article.pk)]


def test_a_save_after_the_time_and_before_the_scheduler_announces_once(clock, announcements):
    article = ArticleFactory(published_at=NOW + timedelta(hours=1))
    clock.advance(hours=2)
    article.lead = "Edited once public."
    article.save()
    assert announcements == [("published", article.pk)]
    assert article_publications_announce() == 0
    assert announcements == [("published", article.pk)]


def test_a_stale_copy_does_not_announce_twice(announcements):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    stale = Article.objects.get(pk=article.pk)
    article_publish(article=article)
    article_publish(article=stale)  # loaded before the publication
    assert announcements.count(("published", article.pk)) == 1


def test_withdrawing_needs_a_reason_and_announces_once(announcements):
    article = ArticleFactory()
    announcements.clear()
    with pytest.raises(ValueError, match="Say why"):
        article_withdraw(article=article, reason="  ")
    article.refresh_from_db()
    assert article.is_public and announcements == []
    article_withdraw(article=article, reason="Court order")
    article.withdrawn_reason = "Court order, upheld"
    article.save()
    assert announcements == [("withdrawn", article.pk)]
    article_return_to_draft(article=article)
    assert announcements == [("withdrawn", article.pk)]


def test_rescheduling_a_public_article_withdraws_it_until_then(clock, announcements):
    article = ArticleFactory()
    announcements.clear()
    article.published_at = NOW + timedelta(hours=1)
    article.save()
    assert announcements == [("withdrawn", article.pk)]
    clock.advance(hours=1)
    assert article_publications_announce() == 1
    assert announcements == [("withdrawn", article.pk), ("published", article.pk)]


def test_publishing_a_clashing_slug_is_refused_with_nothing_saved(announcements):
    public = ArticleFactory(slug="exports-grow")
    draft = ArticleFactory(status=Article.Status.DRAFT, slug="exports-grow", published_at=None)
    announcements.clear()
    with pytest.raises(ValidationError):
        article_publish(article=draft, immediately=True)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and announcements == []
    assert public.is_public


def test_saving_a_copy_loaded_before_the_announcement_announces_nothing_more(clock, announcements):
    article = ArticleFactory(published_at=NOW + timedelta(hours=1))
    editing = Article.objects.get(pk=article.pk)  # an editor's copy, still scheduled
    clock.advance(hours=1)
    assert article_publications_announce() == 1
    editing.lead = "Edited after its time."
    editing.save()
    assert announcements == [("published", article.pk), ("updated", article.pk)]
    assert Article.objects.get(pk=article.pk).announced_public
