"""The newsroom's rules: workflow, preview, revisions, no silent overwrites,
corrections, takedowns, moved addresses and the source chain."""

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleRedirect, Correction, Section, StatusChange
from articles.services import article_preview_token
from tests.factories import ArticleFactory, PartnerFactory, UserFactory, article_post_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


# Workflow


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "withdrawn", "withdrawn_reason": "Legal request"},
        {"status": "published"},
        {"is_top_story": "on"},
        {"is_breaking": "on"},
        {"published_at_0": "2030-01-01", "published_at_1": "10:00:00"},
    ],
)
def test_journalist_cannot_withdraw_schedule_publish_or_flag(journalist_client, overrides):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    journalist_client.post(change_url(article), article_post_data(article, **overrides))
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.IN_REVIEW, None)
    assert not (article.is_top_story or article.is_breaking or article.withdrawn_reason)


def test_editor_withdraws_with_a_reason_only(editor_client):
    article = ArticleFactory()
    response = editor_client.post(
        change_url(article), article_post_data(article, status="withdrawn")
    )
    assert "withdrawn_reason" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    editor_client.post(
        change_url(article),
        article_post_data(article, status="withdrawn", withdrawn_reason="Court order"),
    )
    article.refresh_from_db()
    assert (article.status, article.withdrawn_reason) == ("withdrawn", "Court order")


def test_status_changes_are_recorded_and_shown(journalist_client, client, editor, journalist):
    journalist_client.post(
        reverse("admin:articles_article_add"), article_post_data(status="review")
    )
    article = Article.objects.get()
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "send_back_to_draft", "_selected_action": [article.pk]},
    )
    changes = list(StatusChange.objects.filter(article=article).order_by("pk"))
    assert [(c.changed_by, c.from_status, c.to_status) for c in changes] == [
        (journalist, "", "review"),
        (editor, "review", "published"),
        (editor, "published", "draft"),
    ]
    page = client.get(history_url(article)).content.decode()
    table = page.split('id="status-changes"')[1].split("</table>")[0]
    assert "In review" in table and "Published" in table and "editor" in table
    form = client.get(change_url(article)).content.decode()
    assert "Draft · last changed by editor" in form


def test_quick_filters(editor_client, editor):
    mine = ArticleFactory(headline="My own draft", status=Article.Status.DRAFT, published_at=None)
    mine.authors.add(editor)
    ArticleFactory(headline="Someone else's draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Needs review", status=Article.Status.IN_REVIEW, published_at=None)
    ArticleFactory(headline="Goes out tomorrow", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(headline="Out this morning", published_at=timezone.now() - timedelta(minutes=5))
    ArticleFactory(headline="Out last week", published_at=timezone.now() - timedelta(days=7))
    expected = {
        "mine": ["My own draft"],
        "review": ["Needs review"],
        "scheduled": ["Goes out tomorrow"],
        "today": ["Out this morning"],
    }
    for view, headlines in expected.items():
        response = editor_client.get(reverse("admin:articles_article_changelist"), {"view": view})
        assert [a.headline for a in response.context["cl"].result_list] == headlines, view


def test_admin_changelist_query_count_with_100_articles(editor_client, django_assert_num_queries):
    partner = PartnerFactory()
    child = Section.objects.get(edition="en", slug="president")
    for n in range(100):
        ArticleFactory(source=partner if n % 2 else None, section=child)
    url = reverse("admin:articles_article_changelist")
    editor_client.get(url)
    # session user, permissions (2), the user's desks, sections, partners, counts (2),
    # page, its translations, date range, days
    with django_assert_num_queries(12):
        response = editor_client.get(url)
    assert response.context["cl"].result_count == 100


# Preview


def test_preview_link_shows_the_unpublished_article_to_staff(editor_client, client, journalist):
    article = ArticleFactory(
        headline="Draft not yet out", status=Article.Status.DRAFT, published_at=None
    )
    form = editor_client.get(change_url(article)).content.decode()
    link = re.search(r'href="(/preview/[^"]+/)"', form)[1]

    client.force_login(journalist)  # a colleague the editor sent the link to
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Draft not yet out</h1>" in page and 'class="preview-banner"' in page
    assert "noindex" in page and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_preview_needs_staff_and_a_valid_fresh_token(client, journalist, clock):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    token = article_preview_token(article=article)
    link = reverse("articles:preview", args=[token])
    assert client.get(link).status_code == 302  # to the admin login
    reader = UserFactory(username="reader")
    client.force_login(reader)
    assert client.get(link).status_code == 302
    client.force_login(journalist)
    assert client.get(reverse("articles:preview", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("articles:preview", args=[str(article.pk)])).status_code == 404
    with clock.at(clock.now + timedelta(hours=49)):
        assert client.get(link).status_code == 404
    assert client.get(link).status_code == 200


# Revisions


def test_every_admin_save_keeps_a_revision_and_restore_brings_tags_back(editor_client):
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(body="<p>First version.</p>", new_tags="harvest, grain"),
    )
    article = Article.objects.get()
    editor_client.post(
        change_url(article),
        article_post_data(
            article,
            headline="Second headline",
            body="<p>Second version.</p>",
            tags=[],
            new_tags="weather",
            secondary_sections=[Section.objects.get(edition="en", slug="regions").pk],
        ),
    )
    article.refresh_from_db()
    assert list(article.tags.names()) == ["weather"]
    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 2
    newer, older = versions

    compare = editor_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"older": older.pk, "newer": newer.pk},
    )
    page = compare.content.decode()
    tree = lxml.html.fromstring(page)
    # Headline and body as word diffs of the text readers read, the headline
    # highlighted; never the body's raw markup.
    headline = tree.xpath('//tr[@class="np-review__headline"]//div[@class="np-review__text"]')[0]
    assert headline.xpath(".//del/text()") == ["Exports grow"]
    assert headline.xpath(".//ins/text()") == ["Second headline"]
    body = tree.xpath('//tr[@class="np-review__body"]//div[@class="np-review__text"]')[0]
    assert (body.xpath(".//del/text()"), body.xpath(".//ins/text()")) == (["First"], ["Second"])
    assert body.text_content() == "First Second version."
    assert "&lt;p&gt;" not in page
    assert "grain, harvest" in page and "weather" in page and "Regions" in page

    response = editor_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, older.pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Exports grow" and article.body == "<p>First version.</p>"
    assert sorted(article.tags.names()) == ["grain", "harvest"]
    assert list(article.secondary_sections.all()) == []
    assert article.status == Article.Status.DRAFT  # the workflow is not rolled back
    assert len(Version.objects.get_for_object(article)) == 3  # restoring is a revision too


def test_journalist_cannot_restore(client, editor, journalist):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), article_post_data())
    article = Article.objects.get()
    version = Version.objects.get_for_object(article).first()
    url = reverse("admin:articles_article_restore", args=[article.pk, version.pk])
    client.force_login(journalist)
    assert client.post(url).status_code == 403
    history = client.get(history_url(article)).content.decode()
    assert 'id="revision-list"' in history and "Restore</button>" not in history


def test_compare_with_foreign_or_missing_revisions_is_404(editor_client):
    editor_client.post(reverse("admin:articles_article_add"), article_post_data())
    editor_client.post(reverse("admin:articles_article_add"), article_post_data(slug="other"))
    first, second = Article.objects.order_by("pk")
    foreign = Version.objects.get_for_object(second).first()
    own = Version.objects.get_for_object(first).first()
    url = reverse("admin:articles_article_compare", args=[first.pk])
    assert editor_client.get(url, {"older": own.pk, "newer": foreign.pk}).status_code == 404
    assert editor_client.get(url, {"older": "x", "newer": ""}).status_code == 404


# No silent overwrites


def test_second_of_two_concurrent_saves_is_refused_and_keeps_its_text(client, editor, journalist):
    article = ArticleFactory(headline="Original", status=Article.Status.DRAFT, published_at=None)
    opened = article_post_data(article)  # both open the form at the same version
    client.force_login(editor)
    client.post(change_url(article), {**opened, "headline": "Editor's headline"})
    client.force_login(journalist)
    response = client.post(change_url(article), {**opened, "lead": "Journalist's careful lead"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "editor saved this article at" in page
    assert "Journalist&#x27;s careful lead" in page  # nothing typed is lost
    article.refresh_from_db()
    assert article.headline == "Editor's headline" and article.lead != "Journalist's careful lead"

    # Having read the warning, saving again replaces the other version.
    form = response.context["adminform"].form
    again = {
        **opened,
        "lead": "Journalist's careful lead",
        "lock_version": form.data["lock_version"],
    }
    assert client.post(change_url(article), again).status_code == 302
    article.refresh_from_db()
    assert article.lead == "Journalist's careful lead"


def test_a_post_without_the_version_is_refused(editor_client):
    article = ArticleFactory(headline="Kept")
    data = article_post_data(article, headline="Sneaky")
    del data["lock_version"]
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.headline == "Kept"


# Corrections


def test_correction_shows_on_page_jsonld_and_feed(editor_client, client, clock):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    before = article.updated_at
    clock.advance(minutes=5)
    data = article_post_data(article)
    data.update(
        {
            "corrections-TOTAL_FORMS": 1,
            "corrections-0-text": "An earlier version gave the wrong year.",
            "corrections-0-created_at_0": timezone.localdate().isoformat(),
            "corrections-0-created_at_1": "12:00:00",
        }
    )
    assert editor_client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by.username == "editor"
    article.refresh_from_db()
    assert article.updated_at > before

    page = client.get(article.get_absolute_url()).content.decode()
    assert f"Correction ({correction.created_at:%-d %B %Y}):</strong> An earlier version" in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["correction"][0]["text"] == "An earlier version gave the wrong year."
    assert ld["dateModified"] == article.updated_at.isoformat()
    feed = feedparser.parse(client.get(reverse("articles:feed-atom")).content)
    entry = next(e for e in feed.entries if e.link.endswith(article.get_absolute_url()))
    assert entry.updated_parsed[:6] == article.updated_at.astimezone(UTC).timetuple()[:6]


def test_journalist_cannot_add_corrections(journalist_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    data = article_post_data(article)
    data.update(
        {
            "corrections-TOTAL_FORMS": 1,
            "corrections-0-text": "Sneaky note",
            "corrections-0-created_at_0": "2026-01-01",
            "corrections-0-created_at_1": "10:00",
        }
    )
    journalist_client.post(change_url(article), data)
    assert not Correction.objects.exists()


# Takedown


def test_withdrawn_article_is_gone_everywhere(client):
    article = ArticleFactory(
        headline="Pulled by the editors", published_at=timezone.now() - timedelta(hours=2)
    )
    article.tags.add("pulled")
    article.status = Article.Status.WITHDRAWN
    article.withdrawn_reason = "Legal"
    article.save()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    for url in [
        "/",
        "/news/",
        "/section/politics/",
        "/tag/pulled/",
        "/search/?q=Pulled",
        reverse("articles:feed-rss"),
        reverse("articles:sitemap-news"),
    ]:
        assert "Pulled by the editors" not in client.get(url).content.decode(), url
    assert client.get("/tag/pulled/").status_code == 200


# Moved addresses


def test_changed_slug_and_date_301_to_the_new_address(editor_client, client):
    article = ArticleFactory(slug="old-slug", published_at=datetime(2026, 3, 23, 11, 0, tzinfo=UTC))
    old_url = article.get_absolute_url()
    editor_client.post(change_url(article), article_post_data(article, slug="new-slug"))
    article.refresh_from_db()
    assert article.get_absolute_url() == "/news/2026/03/23/new-slug/"
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()

    editor_client.post(
        change_url(article),
        article_post_data(article, published_at_0="2026-03-25", published_at_1="09:00:00"),
    )
    article.refresh_from_db()
    for url in [old_url, "/news/2026/03/23/new-slug/"]:
        assert client.get(url)["Location"] == "/news/2026/03/25/new-slug/"

    # Back to the first address: it is the article's own again, no loop.
    editor_client.post(
        change_url(article),
        article_post_data(
            article, slug="old-slug", published_at_0="2026-03-23", published_at_1="14:00:00"
        ),
    )
    assert client.get(old_url).status_code == 200
    assert not ArticleRedirect.objects.filter(
        slug="old-slug", publication_date="2026-03-23"
    ).exists()


def test_drafts_leave_no_redirects():
    article = ArticleFactory(slug="draft-slug", status=Article.Status.DRAFT)
    article.slug = "renamed"
    article.save()
    assert not ArticleRedirect.objects.exists()


# Source chain


def test_dateline_with_a_source_chain_is_the_same_on_page_and_feed(client, settings):
    settings.AGENCY_SHORT_NAME = "BelTA"
    article = ArticleFactory(
        dateline_place="Pyongyang",
        source=PartnerFactory(attribution_label="China Daily"),
        via_agencies="Yonhap, KCNA",
        published_at=datetime(2026, 3, 23, 11, 0, tzinfo=UTC),
    )
    line = "PYONGYANG, 23 March (BelTA - China Daily - Yonhap - KCNA)"
    assert article.dateline == line
    assert line in client.get(article.get_absolute_url()).content.decode()
    feed = feedparser.parse(client.get(reverse("articles:feed-rss")).content)
    assert feed.entries[0].summary.startswith(line)
