import json
import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from articles.models import Article, Section
from articles.pagecache import pages_invalidate
from tests.clock import NOW
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def make_articles(count, *, start=NOW, step=timedelta(hours=5), **fields):
    """Published articles with tags, photos and partners, one every `step`."""
    partner = PartnerFactory()
    sections = list(Section.objects.filter(edition="en", parent=None))
    articles = []
    for n in range(count):
        article = ArticleFactory(
            published_at=start - step * (n + 1),
            section=sections[n % len(sections)],
            main_image=ImageFactory() if n % 2 else None,
            source=partner if n % 3 == 0 else None,
            **fields,
        )
        article.tags.add(f"tag{n % 7}", "common")
        articles.append(article)
    return articles


@pytest.fixture
def newsroom():
    return make_articles(35)


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def main_column(response):
    """The page's own content, without the header, the sidebar and the footer."""
    return page_text(response).split('<main id="main"')[1].split('class="sidebar"')[0]


def assert_fixed_queries(client, url, expected, django_assert_num_queries, *, kept=None):
    """The query count of a page with warm fragments (menu, recent news),
    before and after more articles are published: it must not grow with the
    number of items. ``kept`` = (count, keys): the count when the page's own
    kept parts are warm too; ``expected`` is then the count once ``keys``
    have changed (the parts rendered again)."""
    for _ in range(2):
        client.get(url)
        if kept is not None:
            with django_assert_num_queries(kept[0]):
                assert client.get(url).status_code == 200
            pages_invalidate(kept[1])
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
        make_articles(30, start=NOW - timedelta(minutes=30), step=timedelta(minutes=1))


def hidden_articles():
    return [
        ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT),
        ArticleFactory(headline="Story in review", status=Article.Status.IN_REVIEW),
        ArticleFactory(headline="Embargoed story", published_at=NOW + timedelta(minutes=1)),
        ArticleFactory(headline="Pulled story", status=Article.Status.WITHDRAWN),
    ]


# Home


def test_home_shows_top_stories_breaking_latest_and_section_blocks(client, newsroom):
    top = ArticleFactory(headline="The top story", is_top_story=True, main_image=ImageFactory())
    breaking = ArticleFactory(headline="Breaking now", is_breaking=True)
    ArticleFactory(
        headline="Old breaking", is_breaking=True, published_at=NOW - timedelta(hours=25)
    )
    president = ArticleFactory(
        headline="President signs decree",
        section=Section.objects.get(edition="en", slug="president"),
    )
    page = page_text(client.get("/"))
    assert re.search(r'class="breaking".*Breaking now', page, re.S)
    assert "Old breaking" not in page.split('class="breaking"')[1].split("</p>")[0]
    assert 'class="card card--lead"' in page and top.headline in page
    # The child section's story sits in its parent's block.
    block = page.split('id="block-government-bodies"')[1].split("</section>")[0]
    assert president.headline in block
    latest = page.split('id="latest-title"')[1].split("</section>")[0]
    assert breaking.headline in latest
    assert "Sunday, 29 November 2026" in page or "November 2026" in page


def test_home_hides_unpublished(client, newsroom):
    page = page_text(client.get("/"))
    for article in hidden_articles():
        assert article.headline not in page


def test_home_query_count_does_not_grow(client, django_assert_num_queries):
    make_articles(35, is_top_story=True)
    # breaking, top stories, latest, top sections and their children, 9 section blocks
    # With the section blocks kept (as after a publish elsewhere): 5.
    sections = [f"section-{pk}" for pk in Section.objects.values_list("pk", flat=True)]
    assert_fixed_queries(client, "/", 14, django_assert_num_queries, kept=(5, sections))


def test_public_pages_are_cacheable_and_answer_304(client, newsroom):
    response = client.get("/news/")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    etag = response["ETag"]
    assert client.get("/news/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    ArticleFactory(headline="Fresh news")
    assert client.get("/news/", HTTP_IF_NONE_MATCH=etag).status_code == 200


# All news and the dated archive


def test_all_news_groups_under_local_days_across_midnight(client):
    # 00:30 in Minsk on 24 March is 21:30 on 23 March in UTC.
    after = ArticleFactory(
        headline="After midnight", published_at=datetime(2026, 3, 23, 21, 30, tzinfo=UTC)
    )
    before = ArticleFactory(
        headline="Before midnight", published_at=datetime(2026, 3, 23, 20, 50, tzinfo=UTC)
    )
    page = page_text(client.get("/news/"))
    day24 = page.split("Tuesday, 24 March 2026")[1].split("Monday, 23 March 2026")[0]
    assert after.headline in day24 and "00:30" in day24
    assert before.headline in page.split("Monday, 23 March 2026")[1]
    assert after.get_absolute_url() == "/news/2026/03/24/" + after.slug + "/"


def test_all_news_is_paginated_with_page_links(client, newsroom):
    first = page_text(client.get("/news/"))
    assert first.count('class="news-row"') == 20
    assert 'href="?page=2"' in first
    second = page_text(client.get("/news/", {"page": 2}))
    assert second.count('class="news-row"') == 15
    assert newsroom[-1].headline in second


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", "1.5", "9" * 30])
def test_bad_page_numbers_are_404(client, newsroom, page):
    assert client.get("/news/", {"page": page}).status_code == 404
    assert client.get("/section/politics/", {"page": page}).status_code == 404


def test_all_news_query_count(client, django_assert_num_queries):
    make_articles(35)
    # count, page (the menu and the calendar's days are cached)
    assert_fixed_queries(client, "/news/", 2, django_assert_num_queries)


def test_day_archive_and_calendar(client):
    ArticleFactory(headline="On the 24th", published_at=datetime(2026, 3, 23, 21, 30, tzinfo=UTC))
    ArticleFactory(headline="On the 10th", published_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    page = page_text(client.get("/news/2026/03/24/"))
    assert "Tuesday, 24 March 2026" in page and "On the 24th" in page
    assert "On the 10th" not in page.split("</h1>")[1].split('class="sidebar"')[0]
    calendar = page.split('class="calendar"')[1].split("</table>")[0]
    assert 'href="/news/2026/03/24/" aria-current="date">24<' in calendar
    assert 'href="/news/2026/03/10/"' in calendar
    assert "<span>11</span>" in calendar  # no news, no link
    empty = page_text(client.get("/news/2026/03/11/"))
    assert "No news was published on this day." in empty


@pytest.mark.parametrize(
    "url",
    [
        "/news/2020/13/45/",
        "/news/2020/02/30/",
        "/news/2020/00/10/",
        "/news/20x0/01/01/",
        "/news/2020/1/5/",
        "/news/2027/01/01/",
        "/news/2020/13/",
    ],
)
def test_impossible_or_future_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_day_archive_query_count(client, django_assert_num_queries):
    make_articles(35, start=datetime(2026, 3, 24, 20, 0, tzinfo=UTC), step=timedelta(minutes=20))
    # count, page, recent news (the menu and the calendar's days are cached)
    assert_fixed_queries(client, "/news/2026/03/24/", 2, django_assert_num_queries)


def test_month_and_year_archives(client):
    ArticleFactory(headline="March story", published_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    ArticleFactory(headline="May story", published_at=datetime(2026, 5, 2, 9, 0, tzinfo=UTC))
    month = main_column(client.get("/news/2026/03/"))
    assert "March 2026" in month and "March story" in month and "May story" not in month
    assert "Tuesday, 10 March 2026" in month
    year = main_column(client.get("/news/2026/"))
    assert 'href="/news/2026/03/"' in year and 'href="/news/2026/05/"' in year
    assert 'href="/news/2026/04/"' not in year.split('class="month-list"')[1].split("</ul>")[0]


# Article page


def test_article_page(client, django_assert_num_queries):
    partner = PartnerFactory(name="China Daily Agency", attribution_label="China Daily")
    article = ArticleFactory(
        headline="Talks open in the capital",
        dateline_place="Pyongyang",
        source=partner,
        main_image=ImageFactory(caption="Delegations", credit="Staff"),
        published_at=datetime(2026, 3, 23, 11, 54, tzinfo=UTC),
        section=Section.objects.get(edition="en", slug="president"),
    )
    article.tags.add("diplomacy", "Asia")
    article.authors.add(
        ArticleFactory._meta.model.authors.field.related_model.objects.create(
            username="anna", first_name="Anna", last_name="K"
        )
    )
    make_articles(10, start=datetime(2026, 3, 24, 0, 0, tzinfo=UTC), step=timedelta(hours=2))
    # article, tags, authors, corrections, related (tagged items, section, rows), previous, next
    # With its parts kept: the article alone.
    url, kept = article.get_absolute_url(), (1, [f"article-{article.pk}"])
    assert_fixed_queries(client, url, 8, django_assert_num_queries, kept=kept)
    page = page_text(client.get(article.get_absolute_url()))
    assert "23 March 2026, 14:54" in page
    assert "PYONGYANG, 23 March (NNA - China Daily)" in page
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert '<meta property="og:title" content="Talks open in the capital">' in page
    assert 'property="og:image" content="http://testserver/media/' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'href="/section/government-bodies/">Government Bodies</a>' in page  # breadcrumb
    assert 'href="/tag/diplomacy/"' in page
    assert "Delegations · <span" in page

    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == "Talks open in the capital"
    assert ld["datePublished"] == "2026-03-23T11:54:00+00:00"
    assert "dateModified" in ld and ld["author"] == [
        {"@type": "Person", "name": "Anna K", "url": "http://testserver/author/anna-k/"}
    ]
    assert '· By <a rel="author" href="/author/anna-k/">Anna K</a>' in page
    assert ld["image"][0]["url"].startswith("http://testserver/media/")
    assert ld["publisher"]["name"] == "National News Agency"
    assert ld["articleSection"] == "President"
    assert sorted(ld["keywords"]) == ["Asia", "diplomacy"]


def test_article_jsonld_cannot_be_broken_out_of(client):
    article = ArticleFactory(headline="</script><script>alert(1)</script>")
    page = page_text(client.get(article.get_absolute_url()))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in page


def test_related_and_previous_next_in_section(client):
    politics = Section.objects.get(edition="en", slug="politics")
    older = ArticleFactory(
        headline="Older politics", section=politics, published_at=NOW - timedelta(hours=3)
    )
    article = ArticleFactory(
        headline="Middle politics", section=politics, published_at=NOW - timedelta(hours=2)
    )
    newer = ArticleFactory(
        headline="Newer politics", section=politics, published_at=NOW - timedelta(hours=1)
    )
    tagged = ArticleFactory(
        headline="Same tag elsewhere", section=Section.objects.get(edition="en", slug="sport")
    )
    unrelated = ArticleFactory(
        headline="Unrelated culture", section=Section.objects.get(edition="en", slug="culture")
    )
    article.tags.add("elections")
    tagged.tags.add("elections")
    page = page_text(client.get(article.get_absolute_url()))
    prev_next = page.split('class="prev-next"')[1].split("</nav>")[0]
    assert older.headline in prev_next and newer.headline in prev_next
    related = page.split('id="related-title"')[1].split("</section>")[0]
    assert related.index(tagged.headline) < related.index(newer.headline)  # shared tag first
    assert unrelated.headline not in related


def test_unpublished_articles_are_404_and_withdrawn_410(client):
    for article in hidden_articles():
        article.published_at = article.published_at or NOW - timedelta(days=1)
        article.save()
        expected = 410 if article.status == Article.Status.WITHDRAWN else 404
        response = client.get(article.get_absolute_url())
        assert response.status_code == expected, article.headline
    gone = client.get(Article.objects.get(headline="Pulled story").get_absolute_url())
    assert "has been withdrawn" in gone.content.decode()


def test_scheduled_article_appears_at_its_time_without_a_job(client, clock):
    article = ArticleFactory(headline="Embargoed until noon", published_at=NOW + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in page_text(client.get("/news/"))
    with clock.at(NOW + timedelta(hours=1)):
        assert client.get(article.get_absolute_url()).status_code == 200


# Sections, tags, partners


def test_parent_section_includes_children_and_secondary(client, django_assert_num_queries):
    make_articles(35)
    ArticleFactory(
        headline="Parliament votes", section=Section.objects.get(edition="en", slug="parliament")
    )
    secondary = ArticleFactory(
        headline="Budget debate", section=Section.objects.get(edition="en", slug="economics")
    )
    secondary.secondary_sections.add(Section.objects.get(edition="en", slug="government"))
    ArticleFactory(headline="Sport result", section=Section.objects.get(edition="en", slug="sport"))
    # section, children, count, page, recent news
    assert_fixed_queries(client, "/section/government-bodies/", 4, django_assert_num_queries)
    page = main_column(client.get("/section/government-bodies/"))
    assert "Parliament votes" in page and "Budget debate" in page and "Sport result" not in page
    assert 'href="/section/president/"' in page  # subsections listed
    child_page = main_column(client.get("/section/parliament/"))
    assert "Parliament votes" in child_page and "Budget debate" not in child_page
    assert client.get("/section/nope/").status_code == 404


def test_tag_page(client, django_assert_num_queries):
    make_articles(35)
    page = main_column(client.get("/tag/tag3/"))
    assert page.count('class="news-row"') == 5
    # tag, its articles' ids (a rare tag), count, page
    assert_fixed_queries(client, "/tag/tag3/", 4, django_assert_num_queries)


@pytest.mark.parametrize("rare_tag_items", [5000, 2])
def test_a_tag_page_lists_the_same_news_however_common_the_tag(client, rare_tag_items):
    """A rare tag's articles are looked up by id, a common one's found by
    walking the publication index: the same page either way."""
    from articles.views import TagView

    make_articles(35)
    with mock.patch.object(TagView, "rare_tag_items", rare_tag_items):
        page = main_column(client.get("/tag/tag3/?page=1"))
    rows = re.findall(r'class="news-row__headline" href="([^"]+)"', page)
    tagged = Article.objects.published().filter(tags__slug="tag3")
    assert rows == [article.get_absolute_url() for article in tagged]
    assert client.get("/tag/missing/").status_code == 404


def test_partner_pages(client, django_assert_num_queries):
    partner = PartnerFactory(name="Danube Press Agency", attribution_label="Danube Press")
    PartnerFactory(name="Dormant Agency", is_active=False)
    for n in range(30):
        ArticleFactory(headline=f"Danube story {n}", source=partner, main_image=ImageFactory())
    ArticleFactory(headline="Our own story")
    listing = main_column(client.get("/partners/"))
    assert "Danube Press Agency" in listing and "Dormant Agency" not in listing
    assert_fixed_queries(client, "/partners/", 1, django_assert_num_queries)
    url = reverse("partners:detail", args=[partner.slug])
    page = main_column(client.get(url))
    assert "News from Danube Press" in page and "Danube story 29" in page
    assert "Our own story" not in page
    assert_fixed_queries(client, url, 3, django_assert_num_queries)  # partner, count, page
    assert client.get("/partners/dormant-agency/").status_code == 404


def test_layout_menu_footer_and_search_box(client):
    page = page_text(client.get("/"))
    nav = page.split('aria-label="Main"')[1].split("</nav>")[0]
    names = re.findall(r">([^<]+)</a>", nav)
    assert names[:2] == ["Projects", "Government Bodies"]
    assert names[-2:] == ["All news", "Partners"]
    assert 'role="search"' in page and 'name="q"' in page
    footer = page.split('class="site-footer"')[1]
    assert "RSS feed" in footer and "Subscribe to us" in footer


def test_section_menu_follows_section_changes(client):
    client.get("/")
    Section.objects.create(name="Science", slug="science", position=20)
    assert ">Science</a>" in page_text(client.get("/"))


# Errors


def test_not_found_page_is_friendly(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_listings_stop_at_the_page_cap_and_point_to_the_dated_archive(client, settings):
    from articles.mixins import ArchivePaginator

    with mock.patch.object(ArchivePaginator, "max_pages", 2):
        make_articles(45, step=timedelta(days=1))
        last = main_column(client.get("/news/", {"page": 2}))
        assert client.get("/news/", {"page": 3}).status_code == 404
    assert "browse the archive by date from" in last
    assert re.search(r'href="/news/\d{4}/\d{2}/"', last.split('class="archive-hint"')[1])
