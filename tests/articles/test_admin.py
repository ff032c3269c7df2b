import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Image
from partners.models import Partner
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PartnerFactory,
    article_post_data,
    image_bytes,
)

pytestmark = pytest.mark.django_db


def autocomplete(client, field_name, term):
    """What the admin's autocomplete answers for a field of the article form."""
    params = {"term": term, "app_label": "articles", "model_name": "article"}
    return client.get(reverse("admin:autocomplete"), {**params, "field_name": field_name})


ADMIN_PAGES = {
    # url name: (journalist status, editor status)
    "articles_article_changelist": (200, 200),
    "articles_article_add": (200, 200),
    "articles_image_changelist": (200, 200),
    "articles_image_add": (200, 200),
    "articles_section_changelist": (200, 200),
    "articles_section_add": (403, 200),
    "partners_partner_changelist": (200, 200),
    "partners_partner_add": (403, 200),
    "taggit_tag_changelist": (200, 200),
}


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_admin_list_and_add_pages_render_for_both_groups(client, request, role, page):
    ArticleFactory(main_image=ImageFactory(), source=PartnerFactory())
    client.force_login(request.getfixturevalue(role))
    expected = ADMIN_PAGES[page][role == "editor"]
    assert client.get(reverse(f"admin:{page}")).status_code == expected


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_admin_change_pages_render_for_both_groups(client, request, role):
    article = ArticleFactory(main_image=ImageFactory(), source=PartnerFactory())
    article.tags.add("economy")
    client.force_login(request.getfixturevalue(role))
    for name, obj in [
        ("articles_article_change", article),
        ("articles_image_change", article.main_image),
        ("articles_section_change", article.section),
        ("partners_partner_change", article.source),
    ]:
        response = client.get(reverse(f"admin:{name}", args=[obj.pk]))
        assert response.status_code == 200, name
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert article.main_image.file.url in page  # thumbnail preview


def test_journalist_creates_a_draft_and_becomes_its_author(journalist_client, journalist):
    response = journalist_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(status="review", new_tags="exports, Brest"),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="exports-grow")
    assert article.status == Article.Status.IN_REVIEW
    assert list(article.authors.all()) == [journalist]
    assert sorted(article.tags.names()) == ["Brest", "exports"]


def test_journalist_post_that_publishes_is_refused(journalist_client):
    response = journalist_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(
            status="published",
            published_at_0="2026-01-01",
            published_at_1="10:00:00",
            is_breaking="on",
        ),
    )
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_journalist_cannot_publish_an_existing_draft_or_touch_flags(journalist_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_post_data(
        article,
        status="published",
        is_top_story="on",
        published_at_0="2026-01-01",
        published_at_1="10:00:00",
    )
    journalist_client.post(url, data)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.is_top_story is False


def test_journalist_cannot_unpublish_by_crafted_post(journalist_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    journalist_client.post(url, article_post_data(article, status="draft", headline="Edited"))
    headline = article.headline
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    # The edit itself waits for an editor's review (issue 14).
    assert article.headline == headline
    assert article.pending_revisions.get().data["headline"] == "Edited"


def test_journalist_cannot_run_the_publish_action(journalist_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    changelist = reverse("admin:articles_article_changelist")
    page = journalist_client.get(changelist).content.decode()
    assert "publish_now" not in page
    journalist_client.post(changelist, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_editor_publishes_through_the_form(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(
            status="published",
            published_at_0="2026-01-05",
            published_at_1="14:54:00",
            is_breaking="on",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.is_breaking
    assert article.get_absolute_url() == "/news/2026/01/05/exports-grow/"


def test_editor_publish_now_and_back_to_draft_actions(editor_client):
    draft = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    changelist = reverse("admin:articles_article_changelist")
    editor_client.post(
        changelist, {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]}
    )
    assert Article.objects.published().count() == 2
    editor_client.post(changelist, {"action": "send_back_to_draft", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publish_now_refuses_a_slug_clash_and_says_so(editor_client):
    ArticleFactory(slug="clash", published_at=timezone.now() - timedelta(minutes=5))
    draft = ArticleFactory(slug="clash", status=Article.Status.DRAFT, published_at=None)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert "Not published" in response.content.decode()


def test_duplicate_slug_on_same_day_is_a_form_error(editor_client):
    existing = ArticleFactory(slug="exports-grow", published_at=timezone.now() - timedelta(hours=1))
    local = timezone.localtime(existing.published_at)
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(
            status="published", published_at_0=f"{local:%Y-%m-%d}", published_at_1="00:00:01"
        ),
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_missing_headline_is_a_form_error_and_nothing_is_lost(editor_client):
    article = ArticleFactory(headline="Original headline")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, article_post_data(article, headline="", lead="New lead"))
    assert response.status_code == 200
    assert "headline" in response.context["adminform"].form.errors
    assert "New lead" in response.content.decode()  # what was typed stays in the form
    article.refresh_from_db()
    assert article.headline == "Original headline"


def test_inline_upload_creates_the_main_image(journalist_client):
    upload = SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png")
    response = journalist_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(new_image=upload, new_image_alt="Harbour cranes", new_image_credit="Me"),
    )
    assert response.status_code == 302
    image = Article.objects.get().main_image
    assert image.alt_text == "Harbour cranes" and (image.width, image.height) == (64, 48)


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"), "valid"),
        (
            SimpleUploadedFile(
                "x.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                content_type="image/svg+xml",
            ),
            "valid",
        ),
        (SimpleUploadedFile("x.bmp", image_bytes("BMP"), content_type="image/bmp"), "not accepted"),
    ],
)
def test_bad_uploads_are_form_errors_and_keep_the_article(editor_client, upload, message):
    article = ArticleFactory(headline="Kept", main_image=ImageFactory())
    before = article.main_image_id
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(
        url, article_post_data(article, headline="Changed", new_image=upload, new_image_alt="x")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["new_image"]
    assert message in " ".join(errors)
    article.refresh_from_db()
    assert (article.headline, article.main_image_id) == ("Kept", before)
    assert Image.objects.count() == 1


def test_oversized_image_is_refused(editor_client, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 2000)
    response = editor_client.post(
        reverse("admin:articles_image_add"), {"file": upload, "alt_text": "Big"}
    )
    assert response.status_code == 200
    assert "limit" in " ".join(response.context["adminform"].form.errors["file"])
    assert not Image.objects.exists()


def test_too_many_pixels_is_refused_before_decoding(editor_client, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    upload = SimpleUploadedFile("wide.png", image_bytes("PNG", size=(200, 200)))
    response = editor_client.post(
        reverse("admin:articles_image_add"), {"file": upload, "alt_text": "Wide"}
    )
    assert response.status_code == 200
    assert "megapixels" in " ".join(response.context["adminform"].form.errors["file"])


def test_new_image_needs_alt_text(editor_client):
    upload = SimpleUploadedFile("p.png", image_bytes("PNG"))
    response = editor_client.post(
        reverse("admin:articles_article_add"), article_post_data(new_image=upload)
    )
    assert response.status_code == 200
    assert "new_image_alt" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_tag_autocomplete_answers_for_journalists(journalist_client):
    Tag.objects.create(name="economy", slug="economy")
    Tag.objects.create(name="sport", slug="sport")
    response = autocomplete(journalist_client, "tags", "eco")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["economy"]


def test_existing_tags_chosen_in_the_form_are_saved(editor_client):
    tag = Tag.objects.create(name="economy", slug="economy")
    editor_client.post(reverse("admin:articles_article_add"), article_post_data(tags=[tag.pk]))
    assert list(Article.objects.get().tags.names()) == ["economy"]


def test_partner_and_section_autocomplete(journalist_client):
    PartnerFactory(name="Danube Press")
    for field, term in [("source", "danube"), ("section", "parl")]:
        response = autocomplete(journalist_client, field, term)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1


def test_body_editor_import_map_carries_the_csp_nonce(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    page = response.content.decode()
    nonce = response.wsgi_request.csp_nonce
    assert f'<script type="importmap" nonce="{nonce}">' in page
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_partner_admin_refuses_non_image_logo(editor_client):
    response = editor_client.post(
        reverse("admin:partners_partner_add"),
        {
            "name": "X",
            "slug": "x",
            "attribution_label": "X",
            "is_active": "on",
            "logo": SimpleUploadedFile("l.png", b"<html>", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert not Partner.objects.exists()


def test_image_autocomplete_results_carry_thumbnails(journalist_client):
    image = ImageFactory(caption="Harbour at dusk")
    response = autocomplete(journalist_client, "main_image", "dusk")
    assert response.json()["results"] == [
        {"id": str(image.pk), "text": "Harbour at dusk", "thumbnail": image.file.url}
    ]


@pytest.mark.parametrize("published_at", [None, "tomorrow"])
def test_view_on_site_of_an_article_readers_cannot_see_yet_is_its_preview(
    editor_client, published_at
):
    when = timezone.now() + timedelta(days=1) if published_at else None
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=when)
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert change.status_code == 200
    link = re.search(r'href="([^"]+)" class="viewsitelink"', change.content.decode())[1]
    assert link.startswith("/preview/")
    preview = editor_client.get(link)
    assert preview.status_code == 200 and draft.headline in preview.content.decode()
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(draft).pk, draft.pk]
    )
    response = editor_client.get(shortcut)
    assert response.status_code == 302 and response["Location"].startswith("/preview/")
    assert editor_client.get(reverse("admin:view_on_site", args=[999, 1])).status_code == 404


def test_view_on_site_of_a_public_article_is_its_page(editor_client):
    article = ArticleFactory()
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert f'href="{article.get_absolute_url()}" class="viewsitelink"' in change.content.decode()
