"""Changes to published copy go through review: a Journalist's edit of a
published article waits as a pending revision until an editor publishes it."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.diffs import text_words, word_diff
from articles.events import article_updated
from articles.models import Article, Image, PendingRevision, Section
from articles.revisions import pending_revision_publish
from tests.factories import ArticleFactory, article_post_data, image_bytes, staff_user

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def pending_url(revision):
    return reverse("admin:articles_article_pending", args=[revision.article_id, revision.pk])


def decide_url(revision, decision):
    return reverse(
        "admin:articles_article_pending_decide",
        args=[revision.article_id, revision.pk, decision],
    )


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def page_entries():
    return {key: value for key, value in cache._cache.items() if ":pc:" in key}


@pytest.fixture
def published():
    article = ArticleFactory(
        headline="Budget passed",
        lead="Parliament passed the budget.",
        body="<p>The vote was close.</p><p>Debate lasted a day.</p>",
    )
    article.tags.add("budget")
    return article


def row(article):
    live = Article.objects.get(pk=article.pk)
    return (
        live.headline,
        live.lead,
        live.body,
        live.version,
        live.updated_at,
        live.text_updated_at,
        sorted(live.tags.names()),
        list(live.secondary_sections.all()),
    )


def journalist_edit(client, article, **overrides):
    data = article_post_data(
        article,
        headline="Budget passed after long night",
        body="<p>The vote was very close.</p><p>Debate lasted a day.</p>",
        dateline_place=article.dateline_place,
        tags=[],
        new_tags="finance",
        secondary_sections=[Section.objects.get(edition="en", slug="economics").pk],
    )
    data.pop("published_at_0", None), data.pop("published_at_1", None)
    data.update(overrides)
    return client.post(change_url(article), data, follow=True)


def test_journalist_edit_of_a_published_article_waits_and_the_live_article_is_untouched(
    client, journalist, published, settings
):
    settings.PUBLIC_PAGE_CACHE = True
    before_page = page(client, published)
    before_row = row(published)
    before_cache = page_entries()
    assert before_cache
    client.force_login(journalist)

    response = journalist_edit(client, published)

    assert response.status_code == 200
    assert "Your change is waiting for an editor&#x27;s review" in response.content.decode()
    assert row(published) == before_row
    assert page_entries() == before_cache  # no page was invalidated
    assert Version.objects.get_for_object(published).count() == 0
    client.logout()
    assert page(client, published) == before_page
    assert "after long night" not in page(client, published)

    revision = PendingRevision.objects.get()
    assert (revision.article, revision.author, revision.status) == (
        published,
        journalist,
        PendingRevision.Status.PENDING,
    )
    assert revision.base_version == published.version
    assert revision.data["headline"] == "Budget passed after long night"
    assert revision.data["new_tags"] == "finance" and revision.data["tags"] == []


def test_journalist_reopening_sees_their_pending_text(journalist_client, published):
    journalist_edit(journalist_client, published)
    form = journalist_client.get(change_url(published)).content.decode()
    assert 'id="pending-mine"' in form
    assert 'value="Budget passed after long night"' in form
    revision = PendingRevision.objects.get()
    assert pending_url(revision) in form
    # Saving again replaces their change; it does not queue a second one.
    journalist_edit(journalist_client, published, headline="Budget passed at dawn")
    revision = PendingRevision.objects.get()
    assert revision.data["headline"] == "Budget passed at dawn"


def test_editor_sees_the_change_in_the_queue_compares_and_publishes_it(
    client, journalist, editor, published, settings
):
    settings.PUBLIC_PAGE_CACHE = True
    untouched = ArticleFactory(headline="Weather is fine")
    page(client, published)
    client.force_login(journalist)
    journalist_edit(client, published)
    revision = PendingRevision.objects.get()

    client.force_login(editor)
    queue = client.get(reverse("admin:articles_article_changelist"), {"view": "review"})
    assert [a.headline for a in queue.context["cl"].result_list] == ["Budget passed"]
    assert untouched not in queue.context["cl"].result_list
    form = client.get(change_url(published)).content.decode()
    assert 'id="pending-revisions"' in form and pending_url(revision) in form

    compare = client.get(pending_url(revision)).content.decode()
    assert "<del>Budget passed</del>" not in compare  # words, not the whole line
    assert "Budget passed <ins>after long night</ins>" in compare
    assert 'class="np-review__headline"' in compare
    assert "The vote was <ins>very</ins> close." in compare
    assert "&lt;p&gt;" not in compare and "np-diff__body" not in compare  # no raw markup
    assert "budget" in compare and "finance" in compare and "Economics" in compare
    assert "changed after this change was made" not in compare
    assert "Publish this change" in compare

    response = client.post(decide_url(revision, "publish"))
    assert response.status_code == 302
    live = Article.objects.get(pk=published.pk)
    assert live.headline == "Budget passed after long night"
    assert live.version == published.version + 1
    assert live.last_changed_by == editor
    assert live.text_updated_at == timezone.now()
    assert sorted(live.tags.names()) == ["finance"]
    assert [s.slug for s in live.secondary_sections.all()] == ["economics"]
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("published", editor)

    client.logout()
    text = page(client, published)  # the cached copy was dropped
    assert "Budget passed after long night" in text and "very close" in text

    # History (the factory's save kept none): the change, by the editor.
    versions = list(Version.objects.get_for_object(live))
    assert len(versions) == 1
    assert versions[0].revision.user == editor
    assert versions[0].field_dict["headline"] == "Budget passed after long night"
    assert "reviewed" in versions[0].revision.get_comment()


def test_history_records_the_text_before_and_after(client, journalist, editor):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), article_post_data(status="published"))
    article = Article.objects.get()
    client.force_login(journalist)
    journalist_edit(client, article)
    client.force_login(editor)
    client.post(decide_url(PendingRevision.objects.get(), "publish"))
    newer, older = Version.objects.get_for_object(article)
    assert older.field_dict["headline"] == "Exports grow"
    assert newer.field_dict["headline"] == "Budget passed after long night"
    assert (older.revision.user, newer.revision.user) == (editor, editor)
    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"older": older.pk, "newer": newer.pk},
    )
    assert "finance" in compare.content.decode()
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    proposed = history.content.decode().split('id="proposed-changes"')[1].split("</table>")[0]
    assert "journalist" in proposed and "Published" in proposed and "editor" in proposed


def test_discard_leaves_the_live_text(client, journalist, editor, published):
    before = row(published)
    client.force_login(journalist)
    journalist_edit(client, published)
    revision = PendingRevision.objects.get()
    client.force_login(editor)
    response = client.post(decide_url(revision, "discard"), follow=True)
    assert "Discarded the change by journalist" in response.content.decode()
    assert row(published) == before
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("discarded", editor)
    assert client.post(decide_url(revision, "publish"), follow=True).status_code == 200
    assert row(published) == before  # a decided change cannot be published after all
    queue = client.get(reverse("admin:articles_article_changelist"), {"view": "review"})
    assert list(queue.context["cl"].result_list) == []


def test_a_crafted_post_by_a_journalist_never_changes_the_live_row(journalist_client, published):
    before = row(published)
    data = article_post_data(
        published,
        headline="Hacked",
        slug="hacked",
        status="draft",
        is_top_story="on",
        published_at_0="2030-01-01",
        published_at_1="10:00:00",
        withdrawn_reason="gone",
    )
    journalist_client.post(change_url(published), data)
    journalist_client.post(change_url(published), {**data, "_continue": "1"})
    assert row(published) == before
    live = Article.objects.get(pk=published.pk)
    assert (live.status, live.slug, live.is_top_story) == ("published", published.slug, False)
    revision = PendingRevision.objects.get()
    assert revision.data["headline"] == "Hacked"
    assert not {"status", "is_top_story", "published_at", "withdrawn_reason"} & set(revision.data)


def test_a_scheduled_article_also_waits_for_review(journalist_client):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    before = row(scheduled)
    journalist_edit(journalist_client, scheduled)
    assert row(scheduled) == before
    assert PendingRevision.objects.filter(article=scheduled).exists()


def test_journalist_draft_edits_work_as_before(journalist_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = journalist_client.post(
        change_url(draft), article_post_data(draft, headline="Rewritten draft")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Rewritten draft"
    assert not PendingRevision.objects.exists()


def test_editors_own_edits_go_live_at_once(editor_client, published):
    data = article_post_data(published, headline="Budget passed, amended")
    assert editor_client.post(change_url(published), data).status_code == 302
    assert Article.objects.get(pk=published.pk).headline == "Budget passed, amended"
    assert not PendingRevision.objects.exists()


def test_an_unchanged_save_queues_nothing(journalist_client, published):
    data = article_post_data(published, dateline_place=published.dateline_place)
    data["tags"] = list(published.tags.values_list("pk", flat=True))
    response = journalist_client.post(change_url(published), data, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not PendingRevision.objects.exists()


def test_a_journalist_cannot_publish_or_discard_a_pending_revision(client, journalist, published):
    other = staff_user("Journalist", username="colleague")
    client.force_login(other)
    journalist_edit(client, published)
    revision = PendingRevision.objects.get()
    client.force_login(journalist)
    assert client.post(decide_url(revision, "publish")).status_code == 403
    assert client.post(decide_url(revision, "discard")).status_code == 403
    compare = client.get(pending_url(revision))
    assert compare.status_code == 200 and "Publish this change" not in compare.content.decode()
    revision.refresh_from_db()
    assert revision.status == "pending"
    assert Article.objects.get(pk=published.pk).headline == "Budget passed"


def test_bad_addresses_and_methods_are_4xx(editor_client, journalist, published):
    revision = PendingRevision.objects.create(
        article=published, author=journalist, data={"headline": "x"}, base_version=1
    )
    other = ArticleFactory()
    wrong = reverse("admin:articles_article_pending", args=[other.pk, revision.pk])
    assert editor_client.get(wrong).status_code == 404
    assert editor_client.get(decide_url(revision, "publish")).status_code == 403
    assert editor_client.post(decide_url(revision, "approve")).status_code == 404
    missing = reverse("admin:articles_article_pending", args=[published.pk, 999999])
    assert editor_client.get(missing).status_code == 404
    assert editor_client.get(pending_url(revision)).status_code == 200


def test_a_change_made_on_an_older_version_warns(client, journalist, editor, published):
    client.force_login(journalist)
    journalist_edit(client, published)
    revision = PendingRevision.objects.get()
    client.force_login(editor)
    client.post(
        change_url(published),
        article_post_data(published, lead="A corrected lead.", dateline_place="MINSK"),
    )
    compare = client.get(pending_url(revision)).content.decode()
    assert "changed after this change was made" in compare
    assert f"version {published.version} then, {published.version + 1} now" in compare


def test_a_change_that_clashes_with_another_article_is_refused_when_published(
    editor_client, journalist, editor, published
):
    revision = PendingRevision.objects.create(
        article=published,
        author=journalist,
        data={"slug": "taken"},
        base_version=published.version,
    )
    ArticleFactory(slug="taken", published_at=published.published_at)
    with pytest.raises(ValidationError):
        pending_revision_publish(revision=revision, user=editor)
    response = editor_client.post(decide_url(revision, "publish"), follow=True)
    assert response.status_code == 200
    assert "already has this slug" in response.content.decode()
    assert Article.objects.get(pk=published.pk).slug == published.slug
    revision.refresh_from_db()
    assert revision.status == "pending"


def test_word_diff_of_the_rendered_text():
    old = text_words("<p>One <strong>two</strong> three.</p><ul><li>Four</li></ul>")
    new = text_words("<p>One 2 three.</p><ul><li>Four</li><li>Five</li></ul>")
    assert old == ["One", "two", "three.", "\n", "Four"]
    html = word_diff(old, new)
    assert html == "<p>One <del>two</del> <ins>2</ins> three.</p><p>Four</p><p><ins>Five</ins></p>"
    assert word_diff(["<script>"], []) == "<p><del>&lt;script&gt;</del></p>"


def test_publishing_announces_the_update_like_any_edit(client, journalist, editor, published):
    client.force_login(journalist)
    journalist_edit(client, published)
    announced = []

    def listener(sender, article, **kwargs):
        announced.append(article.headline)

    article_updated.connect(listener)
    try:
        client.force_login(editor)
        client.post(decide_url(PendingRevision.objects.get(), "publish"))
    finally:
        article_updated.disconnect(listener)
    assert "Budget passed after long night" in announced


def test_a_new_photo_in_a_change_is_shown_only_once_published(
    client, journalist, editor, published
):
    upload = SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png")
    client.force_login(journalist)
    journalist_edit(client, published, new_image=upload, new_image_alt="Harbour cranes")
    assert Article.objects.get(pk=published.pk).main_image is None
    image = Image.objects.get()
    assert PendingRevision.objects.get().data["main_image"] == image.pk
    client.force_login(editor)
    compare = client.get(pending_url(PendingRevision.objects.get())).content.decode()
    assert str(image) in compare
    client.post(decide_url(PendingRevision.objects.get(), "publish"))
    assert Article.objects.get(pk=published.pk).main_image == image


def test_a_journalist_change_with_errors_is_a_form_error_and_queues_nothing(
    journalist_client, published
):
    before = row(published)
    response = journalist_edit(journalist_client, published, headline="", lock_version="x")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "headline" in errors and "lock_version" in errors
    assert row(published) == before and not PendingRevision.objects.exists()


def test_a_journalist_withdraws_their_own_change_only(client, journalist, published):
    client.force_login(journalist)
    journalist_edit(client, published)
    revision = PendingRevision.objects.get()
    other = staff_user("Journalist", username="colleague")
    client.force_login(other)
    assert client.post(decide_url(revision, "discard")).status_code == 403
    assert "Withdraw my change" not in client.get(pending_url(revision)).content.decode()
    client.force_login(journalist)
    assert "Withdraw my change" in client.get(pending_url(revision)).content.decode()
    assert client.post(decide_url(revision, "publish")).status_code == 403
    response = client.post(decide_url(revision, "discard"), follow=True)
    assert "Withdrew your change; the live article is as it was." in response.content.decode()
    revision.refresh_from_db()
    assert (revision.status, revision.decided_by) == ("discarded", journalist)
    assert Article.objects.get(pk=published.pk).headline == "Budget passed"
    again = client.post(decide_url(revision, "discard"), follow=True)
    assert "This change was already discarded." in again.content.decode()
