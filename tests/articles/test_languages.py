"""The public site in each edition's language: its interface strings (the
catalogs in locale/), its dates ("4 декабря 2026", "4 снежня 2026") and
its datelines, with English as it was."""

from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from lxml import html

from articles import dates
from articles.models import Section
from editions.models import Edition
from tests.factories import ArticleFactory

# Friday 4 December 2026, 14:54 in Minsk.
NOW = datetime(2026, 12, 4, 11, 54, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]

# Wednesday 2 December 2026, 14:54 in Minsk.
PUBLISHED = datetime(2026, 12, 2, 11, 54, tzinfo=UTC)
PREFIX = {"en": "", "ru": "/ru", "be": "/be"}
PLACE = {"en": "Minsk", "ru": "Минск", "be": "Мінск"}
HEADLINE = {"en": "Exhibition opens", "ru": "Выставка открылась", "be": "Выстава адкрылася"}


def section(code, slug="politics"):
    return Section.objects.get(edition=code, slug=slug)


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return html.fromstring(response.content)


def text(tree, xpath):
    return " ".join(" ".join(node.text_content().split()) for node in tree.xpath(xpath))


def story(code, **extra):
    return ArticleFactory(
        edition_id=code,
        headline=HEADLINE[code],
        slug=f"exhibition-{code}",
        dateline_place=PLACE[code],
        section=section(code),
        published_at=PUBLISHED,
        **extra,
    )


HOME = {
    "en": ("Friday, 4 December 2026", "All news", "Latest news", "Search", "Sections"),
    "ru": ("Пятница, 4 декабря 2026", "Все новости", "Последние новости", "Поиск", "Рубрики"),
    "be": ("Пятніца, 4 снежня 2026", "Усе навіны", "Апошнія навіны", "Пошук", "Рубрыкі"),
}


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_each_home_page_speaks_its_edition_s_language(client, code):
    story(code)
    tree = page(client, f"{PREFIX[code]}/")
    today, all_news, latest, search, sections = HOME[code]
    assert tree.get("lang") == code
    assert text(tree, '//p[@class="site-date"]') == today
    assert all_news in text(tree, '//nav[@class="site-nav"]')
    assert text(tree, '//h2[@id="latest-title"]') == latest
    assert text(tree, '//form[@role="search"]//button') == search
    assert tree.xpath('//input[@id="site-search"]/@placeholder') == [search]
    assert text(tree, '//h2[@id="footer-sections"]') == sections
    # "2 December, 14:54": this year, not today or yesterday.
    assert (
        text(tree, '//section[@class="latest"]//time')
        == {
            "en": "2 December, 14:54",
            "ru": "2 декабря, 14:54",
            "be": "2 снежня, 14:54",
        }[code]
    )


ARTICLE = {
    "en": ("2 December 2026, 14:54", "MINSK, 2 December (NNA)", "Home", "Recent news"),
    "ru": ("2 декабря 2026, 14:54", "МИНСК, 2 декабря (НИА)", "Главная", "Свежие новости"),
    "be": ("2 снежня 2026, 14:54", "МІНСК, 2 снежня (НІА)", "Галоўная", "Свежыя навіны"),
}


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_an_article_page_has_its_dates_and_dateline_in_its_language(client, code):
    article = story(code)
    ArticleFactory(
        edition_id=code,
        section=section(code),
        published_at=datetime(2026, 12, 3, 7, 0, tzinfo=UTC),
    )
    tree = page(client, article.get_absolute_url())
    published, dateline, home, recent = ARTICLE[code]
    assert tree.get("lang") == code
    assert text(tree, '//p[@class="article__meta"]/time') == published
    assert text(tree, '//strong[@class="article__dateline"]') == dateline
    assert text(tree, '//nav[@class="breadcrumb"]/a[1]') == home
    assert text(tree, '//h2[@id="recent-news-title"]') == recent
    yesterday = {"en": "Yesterday, 10:00", "ru": "Вчера, 10:00", "be": "Учора, 10:00"}[code]
    assert yesterday in text(tree, '//aside[@class="recent-news"]//time')


def test_a_dateline_is_in_its_article_s_language_wherever_it_is_shown():
    russian, belarusian = story("ru"), story("be")
    with translation.override("en"):  # the partner API, the admin
        assert russian.dateline == "МИНСК, 2 декабря (НИА)"
        assert belarusian.dateline == "МІНСК, 2 снежня (НІА)"
    with translation.override("ru"):
        assert story("en").dateline == "MINSK, 2 December (NNA)"


def test_a_dateline_names_another_agency_as_it_is_set(settings):
    settings.AGENCY_SHORT_NAME = "BelTA"
    assert story("ru").dateline == "МИНСК, 2 декабря (BelTA)"


def test_the_russian_feed_is_titled_and_datelined_in_russian(client):
    story("ru")
    feed = client.get("/ru/feeds/rss/").content.decode()
    assert "<title>Национальное информационное агентство: последние новости</title>" in feed
    assert "МИНСК, 2 декабря (НИА) – " in feed


SECTION = {
    "en": ("Wednesday, 2 December 2026", "RSS feed of {}"),
    "ru": ("Среда, 2 декабря 2026", "RSS-лента рубрики «{}»"),
    "be": ("Серада, 2 снежня 2026", "RSS-стужка рубрыкі «{}»"),
}


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_a_section_front_heads_its_days_in_its_language(client, code):
    story(code)
    tree = page(client, f"{PREFIX[code]}/section/politics/")
    day, feed = SECTION[code]
    assert tree.get("lang") == code
    assert text(tree, '//section[@class="news-day"]/h2') == day
    assert feed.format(section(code).name) in text(tree, "//main//p/a")


SEARCH = {
    "ru": ("выставка", "Результаты поиска по запросу «выставка»", "Найдена 1 статья."),
    "be": ("выстава", "Вынікі пошуку па запыце «выстава»", "Знойдзены 1 артыкул."),
    "en": ("exhibition", "Search results for “exhibition”", "1 article found."),
}


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_search_answers_in_the_edition_s_language(client, code):
    story(code)
    word, heading, count = SEARCH[code]
    tree = page(client, f"{PREFIX[code]}/search/?q={word}")
    assert tree.get("lang") == code
    assert text(tree, "//h1") == heading
    assert text(tree, '//p[@class="search-count"]') == count
    assert text(tree, '//p[@class="search-result__meta"]/time') == ARTICLE[code][0]


def test_a_search_for_punctuation_says_so_in_belarusian(client):
    tree = page(client, "/be/search/?q=!!!")
    assert "Шукайце словы: адны знакі прыпынку нічога не знаходзяць." in text(tree, "//form")


NOT_FOUND = {
    "en": ("Page not found", "all news"),
    "ru": ("Страница не найдена", "все новости"),
    "be": ("Старонка не знойдзена", "усе навіны"),
}


@pytest.mark.parametrize("code", ["en", "ru", "be"])
def test_the_404_page_is_in_the_edition_s_language(client, code):
    tree = page(client, f"{PREFIX[code]}/no-such-page/", status=404)
    heading, link = NOT_FOUND[code]
    assert tree.get("lang") == code
    assert text(tree, "//h1") == heading
    assert tree.xpath('//div[@class="notice"]//a/@href') == [f"{PREFIX[code]}/news/"]
    assert text(tree, '//div[@class="notice"]//a') == link


def test_the_month_archive_and_its_calendar_in_belarusian(client):
    story("be")
    tree = page(client, "/be/news/2026/12/")
    assert text(tree, "//h1") == "Снежань 2026"
    assert text(tree, "//title").startswith("Навіны: Снежань 2026 — ")
    assert text(tree, "//table[@class='calendar']//thead//abbr") == "Пн Аў Ср Чц Пт Сб Нд"
    assert tree.xpath("//table[@class='calendar']//thead//abbr/@title")[3] == "Чацвер"
    assert text(tree, '//section[@class="news-day"]/h2') == "Серада, 2 снежня 2026"


def test_the_genitive_months_are_the_project_s_own():
    """Django's Belarusian catalog has "сакавік" for March's genitive and the
    classical "сьнежня"; ours win."""
    with translation.override("be"):
        assert [str(month) for month in dates.MONTHS_GENITIVE][2::9] == ["сакавіка", "снежня"]
        assert dates.date_line(date(2026, 3, 8)) == "8 сакавіка 2026"
    with translation.override("ru"):
        assert dates.datetime_line(PUBLISHED) == "2 декабря 2026, 14:54"
    with translation.override("en"):
        assert dates.datetime_line(PUBLISHED) == "2 December 2026, 14:54"


def test_an_edition_s_own_date_formats_win(client):
    russian = Edition.objects.get(code="ru")
    russian.date_format, russian.datetime_format = "d.m.Y", "d.m.Y H:i"
    russian.save()
    article = story("ru")
    tree = page(client, article.get_absolute_url())
    assert text(tree, '//p[@class="site-date"]') == "Пятница, 04.12.2026"
    assert text(tree, '//p[@class="article__meta"]/time') == "02.12.2026 14:54"
    # The dateline keeps the language's day and month.
    assert text(tree, '//strong[@class="article__dateline"]') == "МИНСК, 2 декабря (НИА)"
    assert text(page(client, "/"), '//p[@class="site-date"]') == "Friday, 4 December 2026"


@pytest.mark.parametrize(
    ("code", "heading"),
    [("en", "Something went wrong on our side"), ("be", "У нас нешта пайшло не так")],
)
def test_the_error_page_is_in_the_language_of_the_page_that_failed(code, heading):
    with translation.override(code):
        tree = html.fromstring(render_to_string("500.html"))
    assert tree.get("lang") == code
    assert text(tree, "//h1") == heading
    assert tree.xpath("//main//a/@href") == [f"{PREFIX[code]}/"]
