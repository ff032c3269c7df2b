"""Desks: each journalist and editor works on their editions' articles only
(server-side), starts translations into their other editions and sees
which translations exist and which fell behind their original."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import ArticleFactory, UserFactory, article_post_data, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def section(code, slug="politics"):
    return Section.objects.get(edition=code, slug=slug)


def on_desks(user, *codes):
    user.editions.set(codes)
    return user


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def translate_url(article, code):
    return reverse("admin:articles_article_translate", args=[article.pk, code])


def listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {a.headline for a in response.context["cl"].result_list}


@pytest.fixture
def journalist(db):
    return on_desks(staff_user("Journalist"), "en")


@pytest.fixture
def editor(db):
    """An editor of the English and Russian desks."""
    return on_desks(staff_user("Editor"), "en", "ru")


@pytest.fixture
def articles():
    return {
        "en": ArticleFactory(headline="Harvest in the south"),
        "ru": ArticleFactory(
            headline="Урожай на юге", slug="urozhaj", edition_id="ru", section=section("ru")
        ),
        "be": ArticleFactory(
            headline="Ураджай на поўдні", slug="uradzhaj", edition_id="be", section=section("be")
        ),
    }


def test_english_desk_journalist_sees_only_english_articles(journalist_client, articles):
    assert listed(journalist_client) == {"Harvest in the south"}
    # Asking the list for another edition finds nothing either.
    assert listed(journalist_client, edition="ru") == set()
    page = journalist_client.get(CHANGELIST).content.decode()
    assert "Урожай" not in page


@pytest.mark.parametrize(
    "url",
    [
        "admin:articles_article_change",
        "admin:articles_article_history",
        "admin:articles_article_delete",
        "admin:articles_article_compare",
    ],
)
def test_another_desks_article_pages_are_not_found(journalist_client, articles, url):
    ru = articles["ru"]
    assert journalist_client.get(reverse(url, args=[ru.pk])).status_code == 404
    assert journalist_client.post(reverse(url, args=[ru.pk]), {"post": "yes"}).status_code in (
        403,
        404,
    )
    assert Article.objects.filter(pk=ru.pk, headline="Урожай на юге").exists()


def test_malformed_and_missing_ids_are_not_found(journalist_client):
    for pk in ["999999", "not-a-number"]:
        response = journalist_client.get(f"/admin/articles/article/{pk}/change/")
        assert response.status_code == 404


def test_another_desks_preview_link_is_not_found(editor_client, client, articles):
    form = editor_client.get(change_url(articles["ru"])).content.decode()
    link = re.search(r'href="(/preview/[^"]+/)"', form)[1]
    assert editor_client.get(link).status_code == 200
    client.force_login(on_desks(staff_user("Journalist", "en-only"), "en"))
    assert client.get(link).status_code == 404


def test_journalist_cannot_create_an_article_in_another_edition(journalist_client):
    add = reverse("admin:articles_article_add")
    # A Russian section: not one of the choices.
    response = journalist_client.post(
        add, article_post_data(edition="ru", section=section("ru", "economics").pk)
    )
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors
    # The edition is not the journalist's to choose: the article is English.
    response = journalist_client.post(add, article_post_data(edition="ru"))
    assert response.status_code == 302
    assert Article.objects.get().edition_id == "en"


def test_journalist_cannot_move_an_article_into_another_edition(journalist_client, articles):
    en = articles["en"]
    data = article_post_data(en, edition="ru", section=section("ru").pk)
    response = journalist_client.post(change_url(en), data)
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors
    journalist_client.post(change_url(en), article_post_data(en, edition="ru"))
    en.refresh_from_db()
    assert en.edition_id == "en"


def test_a_desk_the_user_is_not_on_is_a_form_error(client, articles):
    client.force_login(on_desks(staff_user("Editor", "en-be-editor"), "en", "be"))
    en = articles["en"]
    response = client.post(change_url(en), article_post_data(en, edition="ru"))
    assert response.status_code == 200
    assert "edition" in response.context["adminform"].form.errors
    en.refresh_from_db()
    assert en.edition_id == "en"


def test_bulk_actions_leave_another_desks_articles_alone(editor_client, articles):
    be = articles["be"]
    be.status = Article.Status.IN_REVIEW
    be.published_at = None
    be.save()
    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [be.pk]})
    editor_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [be.pk], "post": "yes"}
    )
    be.refresh_from_db()
    assert be.status == Article.Status.IN_REVIEW


def test_editor_of_two_desks_sees_both_and_writes_in_either(editor_client, articles):
    assert listed(editor_client) == {"Harvest in the south", "Урожай на юге"}
    assert listed(editor_client, edition="ru") == {"Урожай на юге"}
    page = editor_client.get(change_url(articles["ru"])).content.decode()
    assert 'name="edition"' in page and 'value="be"' not in page
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(edition="ru", section=section("ru", "economics").pk, slug="eksport"),
    )
    assert response.status_code == 302
    assert Article.objects.get(slug="eksport").edition_id == "ru"


def test_single_desk_user_writes_in_that_desk(client):
    client.force_login(on_desks(staff_user("Journalist", "ru-journalist"), "ru"))
    form = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'name="edition"' not in form and "Русский" in form
    response = client.post(
        reverse("admin:articles_article_add"),
        article_post_data(section=section("ru", "economics").pk),
    )
    assert response.status_code == 302
    assert Article.objects.get().edition_id == "ru"


def test_superuser_sees_every_edition(client, articles):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert listed(client) == {a.headline for a in articles.values()}
    assert client.get(change_url(articles["be"])).status_code == 200


def test_section_and_original_choices_are_the_users_desks(journalist_client, articles):
    params = {"app_label": "articles", "model_name": "article", "term": ""}
    autocomplete = reverse("admin:autocomplete")
    answer = journalist_client.get(autocomplete, {**params, "field_name": "section"}).json()
    ids = {int(r["id"]) for r in answer["results"]}
    assert ids and ids <= set(Section.objects.filter(edition="en").values_list("pk", flat=True))
    answer = journalist_client.get(autocomplete, {**params, "field_name": "translation_of"}).json()
    assert [int(r["id"]) for r in answer["results"]] == [articles["en"].pk]


def test_sections_admin_shows_the_users_desks_only(editor_client):
    sections = editor_client.get(reverse("admin:articles_section_changelist"))
    editions = {s.edition_id for s in sections.context["cl"].result_list}
    assert editions == {"en", "ru"}
    be = section("be")
    assert (
        editor_client.get(reverse("admin:articles_section_change", args=[be.pk])).status_code == 404
    )
    response = editor_client.post(
        reverse("admin:articles_section_add"),
        {"edition": "be", "name": "Спорт", "slug": "sport-be", "position": 0},
    )
    assert response.status_code == 200
    assert "edition" in response.context["adminform"].form.errors
    assert not Section.objects.filter(slug="sport-be").exists()


# Translations


def test_editor_starts_a_translation_once(editor_client, editor, articles):
    en = articles["en"]
    en.section = section("en", "economics")
    en.save()
    form = editor_client.get(change_url(en)).content.decode()
    assert translate_url(en, "ru") in form and translate_url(en, "be") not in form

    response = editor_client.post(translate_url(en, "ru"))
    ru = Article.objects.get(translation_of=en)
    assert response.status_code == 302 and response["Location"] == change_url(ru)
    assert (ru.edition_id, ru.status, ru.translated_version) == ("ru", "draft", en.version)
    assert (ru.headline, ru.lead, ru.body) == (en.headline, en.lead, en.body)
    assert ru.section == section("ru", "economics")
    assert list(ru.authors.all()) == [editor]
    assert editor_client.get(change_url(ru)).status_code == 200

    # Again, from the original or from the translation: the same one opens.
    for article in (en, ru):
        response = editor_client.post(translate_url(article, "ru"))
        assert response["Location"] == change_url(ru)
    assert Article.objects.filter(translation_of=en).count() == 1
    # Into the article's own edition: refused.
    editor_client.post(translate_url(en, "en"))
    assert Article.objects.filter(edition="en").count() == 1


def test_translations_only_into_the_users_desks(editor_client, articles):
    en = articles["en"]
    for code in ["be", "xx"]:
        assert editor_client.post(translate_url(en, code)).status_code == 403
    assert editor_client.get(translate_url(en, "ru")).status_code == 403
    assert editor_client.post(translate_url(articles["be"], "ru")).status_code == 404
    assert not Article.objects.exclude(translation_of=None).exists()


def test_list_flags_a_translation_whose_original_changed(editor_client, articles):
    en = articles["en"]
    editor_client.post(translate_url(en, "ru"))
    ru = Article.objects.get(translation_of=en)

    def row(article):
        page = editor_client.get(CHANGELIST).content.decode()
        return re.search(rf'<tr>[^\n]*value="{article.pk}".*?</tr>', page, re.S)[0]

    assert f'href="{change_url(ru)}">ru</a>' in row(en)
    assert "original updated" not in row(en) + row(ru)

    en.lead = "The harvest is in, and larger."
    en.save()
    assert "original updated" in row(en) and "original updated" in row(ru)
    form = editor_client.get(change_url(ru)).content.decode()
    assert "The original has changed" in form and 'name="up_to_date"' in form

    data = article_post_data(
        ru, edition="ru", translation_of=en.pk, up_to_date="on", headline="Урожай собран"
    )
    assert editor_client.post(change_url(ru), data).status_code == 302
    ru.refresh_from_db()
    assert ru.translated_version == Article.objects.get(pk=en.pk).version
    assert "original updated" not in row(en) + row(ru)


def test_list_translations_are_read_with_the_page(
    editor_client, articles, django_assert_num_queries
):
    for n in range(20):
        original = ArticleFactory()
        ArticleFactory(
            edition_id="ru", section=section("ru"), translation_of=original, slug=f"perevod-{n}"
        )
    editor_client.get(CHANGELIST)
    # As for one desk's list (tests/articles/test_newsroom.py): the
    # translations are one query for the page, whatever it holds.
    with django_assert_num_queries(12):
        response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 42


def test_translation_of_an_original_on_another_desk_is_kept(client, articles):
    en = articles["en"]
    ru = ArticleFactory(
        edition_id="ru",
        section=section("ru"),
        slug="perevod",
        translation_of=en,
        translated_version=en.version,
        status=Article.Status.DRAFT,  # a journalist's edit of it goes live (issue 14)
    )
    be = ArticleFactory(edition_id="be", section=section("be"), slug="pieraklad", translation_of=en)
    client.force_login(on_desks(staff_user("Journalist", "ru-journalist"), "ru"))
    form = client.get(change_url(ru)).content.decode()
    assert "Harvest in the south" in form and change_url(en) not in form
    assert "on another desk (be)" in form and be.headline not in form
    data = article_post_data(ru, translation_of=en.pk, headline="Урожай собран")
    assert client.post(change_url(ru), data).status_code == 302
    ru.refresh_from_db()
    assert (ru.headline, ru.translation_of) == ("Урожай собран", en)
    # Another desk's article is not one to link to, though.
    data = article_post_data(ru, translation_of=articles["be"].pk)
    response = client.post(change_url(ru), data)
    assert "translation_of" in response.context["adminform"].form.errors


def test_a_translation_links_to_the_original_not_to_another_translation(editor_client, articles):
    en = articles["en"]
    editor_client.post(translate_url(en, "ru"))
    ru = Article.objects.get(translation_of=en)
    other = ArticleFactory(edition_id="ru", section=section("ru"), slug="drugaya")
    data = article_post_data(other, edition="ru", translation_of=ru.pk)
    response = editor_client.post(change_url(other), data)
    assert "translation_of" in response.context["adminform"].form.errors
    # One translation per edition: the second is refused...
    data = article_post_data(other, edition="ru", translation_of=en.pk)
    response = editor_client.post(change_url(other), data)
    assert "translation_of" in response.context["adminform"].form.errors
    # ...and once the first is unlinked, the other one is linked in its place.
    ru.translation_of = None
    ru.save()
    assert editor_client.post(change_url(other), data).status_code == 302
    other.refresh_from_db()
    assert (other.translation_of, other.translated_version) == (en, en.version)


# Tags


@pytest.fixture
def tags():
    english = ArticleFactory(slug="harvest-en")
    russian = ArticleFactory(edition_id="ru", section=section("ru"), slug="urozhaj")
    english.tags.add("harvest", "grain")
    russian.tags.add("урожай", "grain")
    from taggit.models import Tag

    Tag.objects.create(name="unused", slug="unused")
    return {tag.name: tag for tag in Tag.objects.all()}


def test_a_desk_sees_its_editions_tags_and_changes_only_those_no_other_desk_uses(client, tags):
    client.force_login(on_desks(staff_user("Editor", "en-editor"), "en"))
    listed = client.get(reverse("admin:taggit_tag_changelist")).context["cl"].result_list
    assert {tag.name for tag in listed} == {"harvest", "grain", "unused"}
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    ).json()
    assert {item["text"] for item in found["results"]} == {"harvest", "grain", "unused"}

    def change(tag, name):
        url = reverse("admin:taggit_tag_change", args=[tag.pk])
        return client.post(url, {"name": name, "slug": tag.slug})

    assert change(tags["harvest"], "harvests").status_code == 302
    # Shared with the Russian desk: seen, not changed, not deleted; the
    # Russian desk's own tag is not there at all.
    assert change(tags["grain"], "grains").status_code == 403
    delete = reverse("admin:taggit_tag_delete", args=[tags["grain"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert change(tags["урожай"], "x").status_code == 302  # the admin index: "not found"
    from taggit.models import Tag

    assert set(Tag.objects.values_list("name", flat=True)) == {
        "harvests", "grain", "урожай", "unused"
    }  # fmt: skip
    actions = client.get(reverse("admin:taggit_tag_changelist")).context["action_form"]
    assert "render_tag_form" not in dict(actions.fields["action"].choices)
    assert client.get(reverse("admin:taggit_tag_merge_tags")).status_code == 403


def test_a_superuser_sees_and_merges_every_tag(admin_client, tags):
    listed = admin_client.get(reverse("admin:taggit_tag_changelist")).context["cl"].result_list
    assert len(listed) == 4
    assert admin_client.get(reverse("admin:taggit_tag_merge_tags")).status_code == 200
