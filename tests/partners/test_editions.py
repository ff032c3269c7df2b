"""The partner pages in each edition's language."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "prefix, title, news_from, empty",
    [
        ("", "Partner agencies", "News from BW", "No news from this agency yet."),
        ("/ru", "Агентства-партнёры", "Новости BW", "Новостей этого агентства пока нет."),
        ("/be", "Агенцтвы-партнёры", "Навіны BW", "Навін гэтага агенцтва пакуль няма."),
    ],
)
def test_partner_pages_speak_the_edition_s_language(
    client, partner, prefix, title, news_from, empty
):
    listing = client.get(f"{prefix}/partners/").content.decode()
    assert f"<h1>{title}</h1>" in listing
    assert f'href="{prefix}/partners/baltic-wire/"' in listing
    detail = client.get(f"{prefix}/partners/baltic-wire/").content.decode()
    assert f"<h2>{news_from}</h2>" in detail and empty in detail
    assert f'<a href="{prefix}/partners/">{title}</a>' in detail
