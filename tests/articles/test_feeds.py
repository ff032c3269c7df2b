from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PartnerFactory,
    SectionFactory,
    UserFactory,
)

NOW = datetime(2026, 3, 23, 11, 54, tzinfo=UTC)  # 14:54 in Minsk
pytestmark = [pytest.mark.django_db, pytest.mark.now(NOW)]
FEEDS = ["articles:feed-rss", "articles:feed-atom"]


def make_newsroom(count):
    """``count`` published articles, one an hour back from NOW, with tags,
    authors, and every other one a photo and every third a partner's."""
    partner = PartnerFactory(name="China Daily Group", attribution_label="China Daily")
    writers = [
        UserFactory(first_name="Anna", last_name="Writer"),
        UserFactory(first_name="Ivan", last_name="Reporter"),
    ]
    articles = []
    for n in range(count):
        article = ArticleFactory(
            published_at=NOW - timedelta(hours=n + 1),
            main_image=ImageFactory() if n % 2 else None,
            source=partner if n % 3 == 0 else None,
        )
        article.tags.add(f"tag{n}", "common")
        article.authors.add(writers[n % 2])
        articles.append(article)
    return articles


@pytest.fixture
def newsroom():
    return make_newsroom(32)


@pytest.fixture
def hidden():
    """A draft, an article in review, a withdrawn one and a scheduled one."""
    past = NOW - timedelta(hours=2)
    return [
        ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT, published_at=past),
        ArticleFactory(headline="Under review", status=Article.Status.IN_REVIEW, published_at=past),
        ArticleFactory(headline="Pulled story", status=Article.Status.WITHDRAWN, published_at=past),
        ArticleFactory(headline="Embargoed story", published_at=NOW + timedelta(hours=3)),
    ]


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def url_of(article):
    return f"http://testserver{article.get_absolute_url()}"


def entry_for(feed, article):
    url = f"http://testserver{article.get_absolute_url()}"
    return next(entry for entry in feed.entries if entry.link == url)


@pytest.mark.parametrize(("name", "version"), [(FEEDS[0], "rss20"), (FEEDS[1], "atom10")])
def test_feed_items_carry_link_dateline_author_categories_and_image(
    client, newsroom, name, version
):
    feed = fetch(client, reverse(name))
    assert feed.version == version
    assert feed.feed.title == "National News Agency: latest news"
    assert feed.feed.link == "http://testserver/news/"
    assert len(feed.entries) == 32
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{article.get_absolute_url()}" for article in newsroom
    ]

    with_photo, from_partner = newsroom[1], newsroom[6]
    entry = entry_for(feed, with_photo)
    assert entry.id == entry.link
    assert entry.title == with_photo.headline
    assert entry.summary == "MINSK, 23 March (NNA) – A lead that sums the story up."
    assert entry.author == "Ivan Reporter"
    assert {tag.term for tag in entry.tags} == {"Politics", "tag1", "common"}
    assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == with_photo.published_at
    image = with_photo.main_image
    [enclosure] = entry.enclosures
    assert enclosure.href == f"http://testserver{image.file.url}"
    assert enclosure.href.endswith(".jpg")
    assert enclosure.length == str(image.filesize) and image.filesize > 0
    assert enclosure.type == "image/jpeg"

    entry = entry_for(feed, from_partner)
    assert entry.summary == "MINSK, 23 March (NNA - China Daily) – A lead that sums the story up."
    assert entry.author == "Anna Writer"
    assert not entry.get("enclosures")


def test_rss_guid_is_the_permalink(client, newsroom):
    page = client.get(reverse("articles:feed-rss")).content.decode()
    url = f"http://testserver{newsroom[0].get_absolute_url()}"
    assert f'<guid isPermaLink="true">{url}</guid>' in page


def test_byline_falls_back_to_partner_then_agency_and_joins_authors(client):
    partner = PartnerFactory(name="China Daily Group")
    own = ArticleFactory()
    theirs = ArticleFactory(source=partner)
    shared = ArticleFactory()
    shared.authors.add(
        UserFactory(first_name="Anna", last_name="Writer"),
        UserFactory(username="nofullname", first_name="", last_name=""),
    )
    feed = fetch(client, reverse("articles:feed-atom"))
    assert entry_for(feed, own).author == "National News Agency"
    assert entry_for(feed, theirs).author == "China Daily Group"
    assert entry_for(feed, shared).author == "Anna Writer, nofullname"


@pytest.mark.parametrize("name", FEEDS)
def test_feed_holds_the_latest_50_newest_first(client, name):
    articles = [ArticleFactory(published_at=NOW - timedelta(minutes=n)) for n in range(55)]
    feed = fetch(client, reverse(name))
    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{article.get_absolute_url()}" for article in articles[:50]
    ]


@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("count", [1, 32])
def test_feed_query_count_does_not_grow_with_items(client, django_assert_num_queries, name, count):
    make_newsroom(count)
    with django_assert_num_queries(3):  # articles with joins + tags + authors
        feed = fetch(client, reverse(name))
    assert len(feed.entries) == count


@pytest.mark.parametrize("count", [1, 32])
def test_section_feed_query_count_does_not_grow_with_items(
    client, django_assert_num_queries, count
):
    make_newsroom(count)
    # section, articles (children and secondary sections in a subquery), tags, authors
    with django_assert_num_queries(4):
        feed = fetch(client, reverse("articles:section-feed", args=["politics"]))
    assert len(feed.entries) == count


def test_unpublished_articles_stay_out_of_feeds_until_their_time(client, newsroom, hidden, clock):
    urls = [reverse(name) for name in FEEDS]
    urls.append(reverse("articles:section-feed", args=["politics"]))
    for url in urls:
        content = client.get(url).content.decode()
        assert newsroom[0].headline in content
        for article in hidden:
            assert article.headline not in content

    with clock.at(NOW + timedelta(hours=3)):
        for url in urls:
            content = client.get(url).content.decode()
            assert "Embargoed story" in content
            assert "Secret draft" not in content and "Pulled story" not in content


def test_section_feed_takes_children_and_secondary_sections(client):
    parent = Section.objects.get(edition="en", slug="government-bodies")
    child = Section.objects.get(edition="en", slug="president")
    in_parent = ArticleFactory(headline="Filed under the parent", section=parent)
    in_child = ArticleFactory(headline="Filed under a child", section=child)
    secondary = ArticleFactory(headline="Secondary in a child")
    secondary.secondary_sections.add(Section.objects.get(edition="en", slug="government"))
    elsewhere = ArticleFactory(
        headline="Economics only", section=Section.objects.get(edition="en", slug="economics")
    )
    grandchild = SectionFactory(parent=child)
    in_grandchild = ArticleFactory(headline="Two levels down", section=grandchild)

    feed = fetch(client, reverse("articles:section-feed", args=["government-bodies"]))
    titles = {entry.title for entry in feed.entries}
    assert titles == {in_parent.headline, in_child.headline, secondary.headline}
    assert feed.feed.title == "National News Agency: Government Bodies"
    assert elsewhere.headline not in titles and in_grandchild.headline not in titles

    feed = fetch(client, reverse("articles:section-feed", args=["president"]))
    assert {entry.title for entry in feed.entries} == {in_child.headline, in_grandchild.headline}

    feed = fetch(client, reverse("articles:section-feed", args=["economics"]))
    assert [entry.title for entry in feed.entries] == [elsewhere.headline]


def test_article_in_two_matching_sections_appears_once(client):
    article = ArticleFactory(section=Section.objects.get(edition="en", slug="president"))
    article.secondary_sections.add(
        Section.objects.get(edition="en", slug="government"),
        Section.objects.get(edition="en", slug="government-bodies"),
    )
    feed = fetch(client, reverse("articles:section-feed", args=["government-bodies"]))
    assert len(feed.entries) == 1


def test_unknown_section_feed_is_404(client):
    assert client.get(reverse("articles:section-feed", args=["no-such-section"])).status_code == 404


def test_section_feed_takes_the_50_newest_of_primary_and_secondary(client):
    world = Section.objects.get(edition="en", slug="world")
    articles = []
    for n in range(60):
        if n % 2:
            article = ArticleFactory(published_at=NOW - timedelta(minutes=n))
            article.secondary_sections.add(world)
        else:
            article = ArticleFactory(published_at=NOW - timedelta(minutes=n), section=world)
        articles.append(article)
    feed = fetch(client, reverse("articles:section-feed", args=["world"]))
    assert [entry.link for entry in feed.entries] == [url_of(a) for a in articles[:50]]
