"""Sharing and search engines: author pages, canonical / Open Graph / Twitter
tags on every public page, the home page's and the articles' JSON-LD checked
against Google's Article requirements, the raster logo, the sitemap index's
lastmod, and the Nu Html Checker on every public page."""

import importlib
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PILImage

from articles.branding import LOGO, SHARE_IMAGES
from articles.models import Article, Author
from articles.selectors import article_page_keys
from articles.services import author_profile_ensure
from tests.articles.test_images import photo
from tests.clock import NOW
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory, UserFactory
from tests.htmlcheck import html_errors, needs_java

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """An image saved as the admin saves it: renditions made on commit."""

    def save(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            image = ImageFactory(**fields)
        image.refresh_from_db()
        return image

    return save


class HeadParser(HTMLParser):
    """The <link> and <meta> tags and the JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.meta, self.jsonld, self._in_jsonld = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(json.loads(data))

    def values(self, key, name):
        return [m.get("content") for m in self.meta if m.get(key) == name]

    def one(self, key, name):
        found = self.values(key, name)
        assert len(found) == 1, (name, found)
        return found[0]

    @property
    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1, found
        return found[0]


def head(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def writer(username="anna", first="Anna", last="Kovalenko", **profile):
    user = UserFactory(username=username, first_name=first, last_name=last)
    if profile:
        Author.objects.filter(user=user).update(**profile)
    return Author.objects.select_related("user").get(user=user)


def news_by(author, count, **fields):
    articles = []
    for n in range(count):
        article = ArticleFactory(published_at=NOW - timedelta(hours=n + 1), **fields)
        article.authors.add(author.user)
        articles.append(article)
    return articles


# Author pages


def test_every_user_gets_an_author_profile_with_a_free_slug():
    first = writer()
    second = writer(username="anna2")  # the same name
    nameless = UserFactory(username="Desk.Editor", first_name="", last_name="")
    assert (first.slug, second.slug) == ("anna-kovalenko", "anna-kovalenko-2")
    assert nameless.author_profile.slug == "deskeditor"
    assert author_profile_ensure(user=nameless) == nameless.author_profile  # not a second one
    assert first.get_absolute_url() == "/author/anna-kovalenko/"


def test_the_migration_fills_slugs_for_existing_users():
    migration = importlib.import_module("articles.migrations.0013_author")
    users = [
        UserFactory(username="pavel", first_name="Pavel", last_name="Grinevich"),
        UserFactory(username="pavel.g", first_name="Pavel", last_name="Grinevich"),
        UserFactory(username="desk", first_name="", last_name=""),
    ]
    Author.objects.all().delete()  # as before the migration
    migration.author_profiles_create(apps, None)
    slugs = [Author.objects.get(user=user).slug for user in users]
    assert slugs == ["pavel-grinevich", "pavel-grinevich-2", "desk"]
    migration.author_profiles_create(apps, None)  # again: nothing added
    assert Author.objects.count() == get_user_model().objects.count()


def test_author_page_shows_who_they_are_and_their_news_paginated(
    client, saved, django_assert_num_queries
):
    author = writer(role="Economics correspondent")
    author.photo = saved(file=photo((600, 600)), alt_text="Anna at her desk")
    author.save()
    mine = news_by(author, 23)
    ArticleFactory(headline="Someone else's story")
    draft = ArticleFactory(headline="My draft", status=Article.Status.DRAFT)
    draft.authors.add(author.user)

    url = reverse("articles:author", args=[author.slug])
    client.get(url)  # warm the menu and the recent news
    with django_assert_num_queries(4):  # the author, count, page, calendar-free listing
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Anna Kovalenko</h1>" in page and "Economics correspondent" in page
    assert 'alt="Anna at her desk"' in page
    main = page.split('<main id="main"')[1].split('class="sidebar"')[0]
    assert [a.headline for a in mine[:20]] == re.findall(
        r'class="news-row__headline" href="[^"]+">([^<]+)</a>', main
    )
    assert "My draft" not in main and "Someone else" not in main
    second = client.get(url, {"page": 2}).content.decode()
    assert all(a.headline in second for a in mine[20:])

    parsed = head(client, url)
    (ld,) = parsed.jsonld
    assert ld["@type"] == "ProfilePage"
    person = ld["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Anna Kovalenko"
    assert person["url"] == f"http://testserver{url}"
    assert person["jobTitle"] == "Economics correspondent"
    assert person["image"]["url"].startswith("http://testserver/media/renditions/")
    assert parsed.canonical == f"http://testserver{url}"
    assert parsed.one("property", "og:type") == "profile"


def test_author_page_query_count_does_not_grow(client, django_assert_num_queries):
    author = writer()
    news_by(author, 3)
    url = author.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)
    news_by(author, 30)
    client.get(url)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_unknown_author_or_one_without_published_news_is_404(client):
    assert client.get("/author/nobody/").status_code == 404
    quiet = writer(username="quiet", first="Quiet", last="One")
    assert client.get(quiet.get_absolute_url()).status_code == 404
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft.authors.add(quiet.user)
    assert client.get(quiet.get_absolute_url()).status_code == 404
    assert client.get("/author/../").status_code == 404
    assert client.get(quiet.get_absolute_url(), {"page": "x"}).status_code == 404


def test_bylines_link_every_author(client):
    anna, pavel = writer(), writer(username="pavel", first="Pavel", last="Grinevich")
    article = ArticleFactory()
    article.authors.add(anna.user, pavel.user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a rel="author" href="/author/anna-kovalenko/">Anna Kovalenko</a>' in page
    assert '<a rel="author" href="/author/pavel-grinevich/">Pavel Grinevich</a>' in page
    parsed = head(client, article.get_absolute_url())
    assert sorted(parsed.values("property", "article:author")) == [
        "http://testserver/author/anna-kovalenko/",
        "http://testserver/author/pavel-grinevich/",
    ]


# The page cache: an author's page follows their news


def test_article_page_keys_name_its_authors():
    anna = writer()
    (article,) = news_by(anna, 1)
    assert f"author-{anna.user_id}" in article_page_keys(article=article)


def test_publishing_withdrawing_and_renaming_refresh_the_author_page(client, settings):
    settings.PUBLIC_PAGE_CACHE = True
    anna = writer()
    (first,) = news_by(anna, 1, headline="First story")
    url = anna.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    second = ArticleFactory(headline="Second story", status=Article.Status.DRAFT)
    second.authors.add(anna.user)  # a draft: nothing public changes
    assert client.get(url)["X-Page-Cache"] == "hit"
    second.status = Article.Status.PUBLISHED
    second.save()
    assert "Second story" in client.get(url).content.decode()

    first.status = Article.Status.WITHDRAWN
    first.save()
    assert "First story" not in client.get(url).content.decode()

    second.authors.remove(anna.user)  # taken off the byline: gone from her page
    assert client.get(url).status_code == 404

    second.authors.add(anna.user)
    assert "Second story" in client.get(url).content.decode()
    article_url = second.get_absolute_url()
    assert client.get(article_url)["X-Page-Cache"] == "miss"
    assert client.get(article_url)["X-Page-Cache"] == "hit"
    anna.user.first_name = "Hanna"
    anna.user.save()
    assert "<h1>Hanna Kovalenko</h1>" in client.get(url).content.decode()
    byline = client.get(article_url).content.decode()  # the kept byline too
    assert '<a rel="author" href="/author/anna-kovalenko/">Hanna Kovalenko</a>' in byline
    assert '"name": "Hanna Kovalenko"' in byline  # and the JSON-LD
    anna.role = "Editor"
    anna.save()
    assert "Editor" in client.get(url).content.decode()
    anna.user.save(update_fields=["last_login"])  # a login changes nothing
    assert client.get(url)["X-Page-Cache"] == "hit"


# Canonical, Open Graph and Twitter on every public page


@pytest.fixture
def site():
    """A little of everything a visitor can reach."""
    anna = writer()
    partner = PartnerFactory(name="China Daily Agency", slug="china-daily")
    article = ArticleFactory(
        headline="Talks open",
        slug="talks-open",
        source=partner,
        published_at=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
    )
    article.tags.add("diplomacy")
    article.authors.add(anna.user)
    return {"article": article, "author": anna, "partner": partner}


LISTINGS = {
    "/": "National News Agency",
    "/news/": "All news",
    "/news/2026/": "News of 2026",
    "/news/2026/11/": "News of November 2026",
    "/news/2026/11/28/": "News of 28 November 2026",
    "/section/politics/": "Politics",
    "/tag/diplomacy/": "diplomacy",
    "/search/": "Search",
    "/search/?q=talks": "Search results for talks",
    "/author/anna-kovalenko/": "Anna Kovalenko",
    "/partners/": "Partner agencies",
    "/partners/china-daily/": "China Daily Agency",
    "/subscribe/": "National News Agency",
}


@pytest.mark.parametrize(("url", "title"), LISTINGS.items())
def test_every_listing_has_canonical_open_graph_and_twitter_tags(client, site, url, title):
    parsed = head(client, url)
    path, _, query = url.partition("?")
    assert parsed.canonical == f"http://testserver{url}"
    assert parsed.one("property", "og:url") == parsed.canonical
    assert parsed.one("property", "og:title") == title
    assert parsed.one("name", "twitter:title") == title
    assert parsed.one("property", "og:site_name") == "National News Agency"
    assert parsed.one("property", "og:description")
    # No photo of their own: the agency's picture and a small card.
    assert parsed.one("name", "twitter:card") == "summary"
    image = parsed.one("property", "og:image")
    assert image == "http://testserver/static/img/share-16x9.png"
    assert parsed.one("property", "og:image:width") == "1200"
    assert parsed.one("name", "twitter:image") == "http://testserver/static/img/share-1x1.png"


def test_canonical_keeps_the_page_number_and_drops_anything_else(client):
    ArticleFactory.create_batch(25)
    assert head(client, "/news/?page=2&utm_source=x").canonical == "http://testserver/news/?page=2"
    assert head(client, "/news/?page=1").canonical == "http://testserver/news/"
    assert head(client, "/news/?utm_source=x").canonical == "http://testserver/news/"


def test_cards_announce_a_large_image_only_with_a_photo(client, saved):
    with_photo = ArticleFactory(main_image=saved(file=photo((1600, 900))))
    without = ArticleFactory()
    parsed = head(client, with_photo.get_absolute_url())
    assert parsed.one("name", "twitter:card") == "summary_large_image"
    assert parsed.one("property", "og:image").startswith("http://testserver/media/")
    parsed = head(client, without.get_absolute_url())
    assert parsed.one("name", "twitter:card") == "summary"
    assert parsed.one("property", "og:image") == "http://testserver/static/img/share-16x9.png"


# JSON-LD


def static_size(url):
    path = finders.find(urlsplit(url).path.removeprefix("/static/"))
    with PILImage.open(path) as picture:
        return picture.format, picture.size


def test_home_page_describes_the_site_and_its_search(client):
    ArticleFactory(headline="Exports grow")
    (ld,) = head(client, "/").jsonld
    graph = {node["@type"]: node for node in ld["@graph"]}
    website, organization = graph["WebSite"], graph["NewsMediaOrganization"]
    assert website["url"] == "http://testserver/"
    assert website["publisher"] == {"@id": organization["@id"]}
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert "{search_term_string}" in template
    # The template is a search that works.
    results = client.get(template.replace("{search_term_string}", "exports"))
    assert results.status_code == 200 and "Exports grow" in results.content.decode()
    assert organization["name"] == "National News Agency"
    assert organization["url"] == "http://testserver/"
    logo = organization["logo"]
    assert static_size(logo["url"]) == ("PNG", (logo["width"], logo["height"]))


def test_brand_images_are_rasters_of_the_declared_sizes():
    for image in (LOGO, *SHARE_IMAGES):
        assert static_size(f"/static/{image.path}") == ("PNG", (image.width, image.height))
    # Google: a logo fits 600 x 60.
    assert LOGO.width <= 600 and LOGO.height <= 60


def assert_google_article(client, article):
    """Google's Article structured data, read from the rendered page:
    headline, images (one at least 1200 px wide; each a real file of its
    declared size), dates with their zone, authors with a url that answers,
    a publisher with a raster logo."""
    (ld,) = head(client, article.get_absolute_url()).jsonld
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert 0 < len(ld["headline"]) <= 110
    images = ld["image"]
    assert any(image["width"] >= 1200 for image in images), images
    for image in images:
        path = urlsplit(image["url"]).path
        if path.startswith("/static/"):
            assert static_size(image["url"])[1] == (image["width"], image["height"])
        else:
            with default_storage.open(path.removeprefix("/media/")) as file:
                with PILImage.open(io.BytesIO(file.read())) as picture:
                    assert picture.size == (image["width"], image["height"])
    for name in ("datePublished", "dateModified"):
        assert datetime.fromisoformat(ld[name]).tzinfo is not None, ld[name]
    assert datetime.fromisoformat(ld["dateModified"]) >= datetime.fromisoformat(ld["datePublished"])
    assert ld["author"]
    for author in ld["author"]:
        assert author["@type"] in ("Person", "Organization") and author["name"]
        assert client.get(urlsplit(author["url"]).path).status_code == 200
    publisher = ld["publisher"]
    assert publisher["name"] == "National News Agency"
    assert static_size(publisher["logo"]["url"]) == (
        "PNG",
        (publisher["logo"]["width"], publisher["logo"]["height"]),
    )
    return ld


def test_google_article_requirements_hold_on_every_article(client, saved):
    anna, pavel = writer(), writer(username="pavel", first="Pavel", last="Grinevich")
    ArticleFactory(main_image=saved(file=photo((2400, 1600))))  # larger than the renditions
    ArticleFactory(main_image=saved(file=photo((1280, 720))))
    ArticleFactory(main_image=saved(file=photo((640, 480))))  # too small: the agency's too
    ArticleFactory(main_image=ImageFactory())  # renditions not made yet: the original
    ArticleFactory(source=PartnerFactory())  # a partner's, no byline
    two = ArticleFactory(headline="Q&A: <plan> " + "long " * 40)
    two.authors.add(anna.user, pavel.user)
    seen = [assert_google_article(client, article) for article in Article.objects.published()]
    assert len(seen) == 6
    by_two = next(ld for ld in seen if ld["headline"].startswith("Q&A"))
    assert [a["url"] for a in by_two["author"]] == [
        "http://testserver/author/anna-kovalenko/",
        "http://testserver/author/pavel-grinevich/",
    ]
    assert by_two["image"][0]["url"] == "http://testserver/static/img/share-16x9.png"


def test_article_images_come_in_three_ratios(client, saved):
    article = ArticleFactory(main_image=saved(file=photo((2400, 1600))))
    ld = assert_google_article(client, article)
    ratios = [round(image["width"] / image["height"], 2) for image in ld["image"]]
    assert ratios == [1.78, 1.33, 1.0]
    assert ld["image"][0]["caption"] == article.main_image.caption


def test_a_changed_focal_point_lists_only_renditions_that_exist(client, saved):
    image = saved(file=photo((2400, 1600)))
    article = ArticleFactory(main_image=image)
    image.focal_x = 0.2
    image.save()  # no commit callbacks run: the new crops are not made yet
    ld = assert_google_article(client, article)
    assert len(ld["image"]) == 1  # the previous full picture, still on the storage


# The sitemap index


def test_sitemap_index_has_lastmod(client, django_assert_num_queries):
    march = ArticleFactory(published_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    ArticleFactory(published_at=NOW - timedelta(hours=1))
    Article.objects.filter(pk=march.pk).update(updated_at=datetime(2026, 4, 2, 8, 0, tzinfo=UTC))

    def lastmods():
        root = ET.fromstring(client.get("/sitemap.xml").content)
        return {
            entry.findtext(f"{SITEMAP}loc").rsplit("/", 1)[1]: moment(entry)
            for entry in root.iter(f"{SITEMAP}sitemap")
        }

    def moment(entry):
        text = entry.findtext(f"{SITEMAP}lastmod")
        return text and datetime.fromisoformat(text)

    found = lastmods()
    assert found["sitemap-articles-2026-03.xml"] == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    assert found["sitemap-articles-2026-11.xml"] == NOW
    assert found["sitemap-static.xml"] == NOW
    assert found["sitemap-articles-2026-05.xml"] is None  # no news that month
    with django_assert_num_queries(3):  # the months' are kept
        client.get("/sitemap.xml")
    march.headline = "Changed"
    march.save()  # a change to a March article: its month again
    assert lastmods()["sitemap-articles-2026-03.xml"] == NOW


# The Nu Html Checker


@needs_java
def test_every_public_page_is_valid_html(client, site, saved):
    article = site["article"]
    article.main_image = saved(file=photo((1600, 900)))
    article.save()
    ArticleFactory.create_batch(25)
    withdrawn = ArticleFactory(slug="pulled", status=Article.Status.WITHDRAWN)
    pages = {url: client.get(url).content for url in LISTINGS}
    pages |= {
        "article": client.get(article.get_absolute_url()).content,
        "article without photo": client.get(
            Article.objects.filter(main_image=None).first().get_absolute_url()
        ).content,
        "page 2": client.get("/news/?page=2").content,
        "search error": client.get("/search/", {"q": "x" * 300}).content,
        "search nothing found": client.get("/search/", {"q": "zzzz"}).content,
        "404": client.get("/author/nobody/").content,
        "410": client.get(withdrawn.get_absolute_url()).content,
    }
    assert 'class="errorlist' in pages["search error"].decode()
    # A page with a known error, so that a checker that finds nothing fails.
    pages["known bad"] = b"<!doctype html><html lang=en><title>x</title><p><ul></ul></p>"
    errors = html_errors(pages)
    assert errors and all(error.startswith("known bad: ") for error in errors), errors


# The newsroom keeps the pages


def test_editors_change_an_authors_role_and_address_but_never_a_taken_one(editor_client):
    anna, pavel = writer(), writer(username="pavel", first="Pavel", last="Grinevich")
    news_by(anna, 1)
    change = reverse("admin:articles_author_change", args=[anna.pk])
    assert editor_client.get(reverse("admin:articles_author_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:articles_author_add")).status_code == 403
    taken = editor_client.post(change, {"slug": pavel.slug, "role": "", "photo": ""})
    assert taken.status_code == 200 and "already exists" in taken.content.decode()
    response = editor_client.post(
        change, {"slug": "anna-k", "role": "Chief economist", "photo": ""}
    )
    assert response.status_code == 302
    page = editor_client.get("/author/anna-k/").content.decode()
    assert "Chief economist" in page
    assert editor_client.get("/author/anna-kovalenko/").status_code == 404
