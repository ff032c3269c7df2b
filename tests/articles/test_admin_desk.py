"""The newsroom's admin screens without a browser: the planning calendar and
rescheduling from it, the app names, the photo page's articles, the times
written as the site writes them, the article form's helpers."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory, UserFactory

pytestmark = pytest.mark.django_db

PLANNING = "admin:articles_planning"


def reschedule_url(article):
    return reverse("admin:articles_planning_reschedule", args=[article.pk])


@pytest.fixture
def planned():
    now = timezone.now()  # Sunday 29 November 2026, 12:00 in Minsk
    return {
        "scheduled": ArticleFactory(headline="Budget vote", published_at=now + timedelta(days=1)),
        "embargoed": ArticleFactory(
            headline="Harvest figures",
            published_at=now + timedelta(days=2, hours=3),
            released_to_partners=True,
        ),
        "draft": ArticleFactory(
            headline="Planned interview",
            status=Article.Status.DRAFT,
            published_at=now + timedelta(hours=5),
        ),
        "public": ArticleFactory(headline="Out already", published_at=now - timedelta(hours=1)),
        "far": ArticleFactory(headline="Next month", published_at=now + timedelta(days=30)),
        "withdrawn": ArticleFactory(
            headline="Taken down",
            status=Article.Status.WITHDRAWN,
            withdrawn_reason="Wrong",
            published_at=now + timedelta(days=1),
        ),
    }


def test_planning_lists_the_week_of_scheduled_embargoed_and_planned(editor_client, planned):
    response = editor_client.get(reverse(PLANNING))
    assert response.status_code == 200
    page = response.content.decode()
    for headline in ["Budget vote", "Harvest figures", "Planned interview"]:
        assert headline in page
    for headline in ["Out already", "Next month", "Taken down"]:
        assert headline not in page
    days = response.context["days"]
    assert [day["date"].isoformat() for day in days][:2] == ["2026-11-29", "2026-11-30"]
    assert [item["kind"] for item in days[2]["items"]] == ["Embargoed (partners have it)"]
    assert [item["time"] for item in days[2]["items"]] == ["15:00"]
    assert [item["kind"] for item in days[1]["items"]] == ["Scheduled"]
    assert [item["kind"] for item in days[0]["items"]] == ["Planned (draft)"]
    # Each opens the article's form.
    change = reverse("admin:articles_article_change", args=[planned["scheduled"].pk])
    assert f'href="{change}"' in page


def test_planning_day_view_and_other_weeks(editor_client, planned):
    response = editor_client.get(reverse(PLANNING), {"view": "day", "date": "2026-11-30"})
    assert response.status_code == 200
    assert len(response.context["days"]) == 1
    assert [i["article"] for i in response.context["days"][0]["items"]] == [planned["scheduled"]]
    later = editor_client.get(reverse(PLANNING), {"date": "2026-12-27"})
    assert [i["article"].headline for d in later.context["days"] for i in d["items"]] == [
        "Next month"
    ]


@pytest.mark.parametrize(
    "params", [{"date": "tomorrow"}, {"date": "2026-13-45"}, {"view": "month"}, {"date": "x" * 300}]
)
def test_planning_bad_range_is_a_form_error(editor_client, params):
    response = editor_client.get(reverse(PLANNING), params)
    assert response.status_code == 400
    assert response.context["range_form"].errors
    assert b"errorlist" in response.content


def test_planning_is_linked_from_the_index_and_the_article_list(editor_client):
    url = reverse(PLANNING)
    assert f'href="{url}"'.encode() in editor_client.get(reverse("admin:index")).content
    changelist = editor_client.get(reverse("admin:articles_article_changelist"))
    assert f'href="{url}"'.encode() in changelist.content


def test_editor_reschedules_through_the_workflow(editor_client, editor, planned):
    article = planned["scheduled"]
    response = editor_client.post(
        reschedule_url(article), {"published_at": "2026-12-03T08:15"}, follow=True
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.published_at == datetime(2026, 12, 3, 5, 15, tzinfo=UTC)  # 08:15 in Minsk
    assert article.status == Article.Status.PUBLISHED and article.is_scheduled
    assert article.publication_date.isoformat() == "2026-12-03"
    assert article.last_changed_by == editor
    # Its history has the revision, with who and why.
    revision = Version.objects.get_for_object(article).first().revision
    assert revision.user == editor
    assert revision.get_comment() == "Rescheduled for 3 December 2026, 08:15"
    assert "now goes out on 3 December 2026, 08:15" in response.content.decode()


def test_a_planned_draft_stays_a_draft_when_rescheduled(editor_client, planned):
    draft = planned["draft"]
    editor_client.post(reschedule_url(draft), {"published_at": "2026-11-30T09:00"})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert timezone.localtime(draft.published_at).strftime("%d %H:%M") == "30 09:00"


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "This field is required."),
        ("not a time", "Give a date and a time"),
        ("2026-11-29T11:00", "Choose a time in the future"),
        ("2026-02-30T10:00", "Give a date and a time"),
    ],
)
def test_bad_reschedule_is_a_form_error(editor_client, planned, value, message):
    article = planned["scheduled"]
    before = Article.objects.get(pk=article.pk).published_at
    response = editor_client.post(reschedule_url(article), {"published_at": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Article.objects.get(pk=article.pk).published_at == before


def test_reschedule_onto_a_day_whose_slug_is_taken_is_a_form_error(editor_client, planned):
    article = planned["scheduled"]
    ArticleFactory(slug=article.slug, published_at=timezone.now() + timedelta(days=4))
    day = timezone.localdate() + timedelta(days=4)
    response = editor_client.post(reschedule_url(article), {"published_at": f"{day}T18:00"})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert Article.objects.get(pk=article.pk).published_at == article.published_at


def test_public_and_withdrawn_articles_are_not_rescheduled_here(editor_client, planned):
    for name in ["public", "withdrawn"]:
        response = editor_client.post(
            reschedule_url(planned[name]), {"published_at": "2026-12-03T08:15"}
        )
        assert response.status_code == 404
    assert editor_client.get(reschedule_url(planned["scheduled"])).status_code == 405


def test_journalists_see_the_calendar_but_do_not_reschedule(journalist_client, planned):
    response = journalist_client.get(reverse(PLANNING))
    assert response.status_code == 200
    assert b"Budget vote" in response.content
    assert b"Reschedule" not in response.content
    article = planned["scheduled"]
    response = journalist_client.post(reschedule_url(article), {"published_at": "2026-12-03T08:15"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).published_at == article.published_at


def test_planning_needs_a_staff_login(client, planned):
    response = client.get(reverse(PLANNING))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = UserFactory(username="nobody", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(PLANNING)).status_code == 403


# App names, the photo page, times.


def test_admin_index_names_apps_in_the_newsroom_language(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    for name in ["Tags", "Background jobs", "Login lockouts", "Users and permissions"]:
        assert f">{name}<" in page or f"{name}</a>" in page, name
    for package in ["Taggit", "Tasks Database Backend", ">Axes<"]:
        assert package not in page


def test_photo_page_lists_the_articles_that_use_it(editor_client):
    photo = ImageFactory()
    using = [ArticleFactory(headline=f"Story {n}", main_image=photo) for n in range(2)]
    ArticleFactory(headline="Other story", main_image=ImageFactory())
    page = editor_client.get(reverse("admin:articles_image_change", args=[photo.pk]))
    page = page.content.decode()
    for article in using:
        assert reverse("admin:articles_article_change", args=[article.pk]) in page
        assert article.headline in page
    assert "Other story" not in page
    photos = editor_client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "29 November 2026, 12:00" in photos
    unused = editor_client.get(reverse("admin:articles_image_change", args=[ImageFactory().pk]))
    assert b"No article uses this photo." in unused.content


def test_article_list_writes_times_as_the_site_does(editor_client):
    ArticleFactory(published_at=datetime(2026, 11, 28, 17, 29, tzinfo=UTC))  # 20:29 in Minsk
    ArticleFactory(
        published_at=datetime(2026, 12, 2, 17, 29, tzinfo=UTC), is_breaking=True, is_top_story=True
    )
    page = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "28 November 2026, 20:29" in page
    assert "Scheduled for 2 December 2026, 20:29" in page
    assert "Breaking · Top story" in page
    assert "p.m." not in page


def test_article_form_helpers(editor_client, editor):
    editor.first_name, editor.last_name = "Anna", "Kovalenko"
    editor.save()
    article = ArticleFactory(main_image=ImageFactory())
    article.authors.add(editor)
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    page = response.content.decode()
    assert ">Anna Kovalenko</option>" in page
    assert 'placeholder="Only for a new upload' in page
    assert "data-withdrawn-reason" in page and "data-count" in page
    assert "js/admin-article-form.js" in page
    # The editor's menu has the heading buttons.
    assert "&quot;headings&quot;" in page or '"headings"' in page
    # The author search shows names too.
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Kovalenko",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "authors",
        },
    )
    assert [r["text"] for r in found.json()["results"]] == ["Anna Kovalenko"]
