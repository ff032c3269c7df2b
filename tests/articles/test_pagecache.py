"""The server-side cache of public pages, and that it never outlives a change."""

import gzip
import threading
from datetime import datetime, time, timedelta

import feedparser
import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from articles import pagecache
from articles.models import Article, Correction, Section
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE = True


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main_column(client, url):
    return text(client, url).split('class="sidebar"')[0]


def test_a_cached_page_is_served_without_queries(client, django_assert_num_queries):
    ArticleFactory(headline="Cached story")
    first = text(client, "/news/")
    with django_assert_num_queries(0):
        again = client.get("/news/")
    assert again.content.decode() == first and "Cached story" in first
    assert "public" in again["Cache-Control"] and again["ETag"]


def test_editing_an_article_drops_the_cached_pages(client):
    article = ArticleFactory(headline="First words")
    url = article.get_absolute_url()
    assert "First words" in text(client, url) and "First words" in text(client, "/")
    article.headline = "Second words"
    article.save()
    assert "Second words" in text(client, url)
    assert "Second words" in text(client, "/")


def test_withdrawing_is_seen_at_once(client):
    article = ArticleFactory(headline="Soon gone")
    assert "Soon gone" in text(client, "/news/")
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert "Soon gone" not in text(client, "/news/")
    assert client.get(article.get_absolute_url()).status_code == 410


def test_corrections_tags_sections_and_partners_drop_the_cache(client):
    partner = PartnerFactory(name="Danube Press Agency")
    article = ArticleFactory(source=partner)
    url = article.get_absolute_url()
    text(client, url)
    Correction.objects.create(article=article, text="The figure was wrong.")
    assert "The figure was wrong." in text(client, url)
    article.tags.add("harvest")
    assert 'href="/tag/harvest/"' in text(client, url)
    politics = Section.objects.get(edition="en", slug="politics")
    politics.name = "Politics and power"
    politics.save()
    assert "Politics and power" in text(client, url)
    partner_url = f"/partners/{partner.slug}/"
    text(client, partner_url)
    partner.description = "A press agency on the Danube."
    partner.save()
    assert "A press agency on the Danube." in text(client, partner_url)


def test_missing_pages_are_not_kept(client):
    article = ArticleFactory(slug="coming", status=Article.Status.DRAFT)
    article.published_at = timezone.now() - timedelta(minutes=1)
    article.save()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    article.status = Article.Status.PUBLISHED
    article.save()
    assert client.get(url).status_code == 200


def test_a_scheduled_article_appears_at_its_minute_without_a_save(client, clock):
    ArticleFactory(headline="Already out")
    embargo = timezone.now() + timedelta(seconds=90)
    ArticleFactory(headline="Under embargo", published_at=embargo)
    for url in ("/", "/news/"):
        assert "Under embargo" not in text(client, url)
    clock.move_to(embargo - timedelta(seconds=2))  # the local-memory cache reads this clock
    response = client.get("/news/")
    assert response["X-Page-Cache"] == "hit" and "Under embargo" not in response.content.decode()
    clock.move_to(embargo + timedelta(seconds=1))
    for url in ("/", "/news/"):
        assert "Under embargo" in text(client, url), url


def test_no_page_stays_fresh_past_midnight(client, clock):
    ArticleFactory(headline="Late story")
    tz = timezone.get_current_timezone()
    midnight = datetime.combine(timezone.localdate() + timedelta(days=1), time(), tz)
    clock.move_to(midnight - timedelta(seconds=20))
    assert client.get("/news/")["X-Page-Cache"] == "miss"
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    clock.move_to(midnight + timedelta(seconds=1))
    # Stale now: re-rendered, with the new day in the masthead.
    response = client.get("/news/")
    assert response["X-Page-Cache"] == "miss"
    assert f"{timezone.localdate():%-d %B %Y}" in response.content.decode()


def test_previews_are_never_kept(client, editor):
    article = ArticleFactory(
        headline="Secret draft", status=Article.Status.DRAFT, published_at=None
    )
    client.force_login(editor)
    form = text(client, f"/admin/articles/article/{article.pk}/change/")
    link = form.split('href="/preview/')[1].split('"')[0]
    text(client, f"/preview/{link}")
    client.logout()
    assert client.get(f"/preview/{link}").status_code == 302  # not served from a cache


def cached_pages():
    """What the local-memory cache holds, as stored (pickled) bytes."""
    return dict(cache._cache)


def page_entries():
    return {
        key: value
        for key, value in cached_pages().items()
        if ":pc:page:" in key or ":pc:fresh:" in key
    }


PAGES = ["/", "/news/", "/news/2026/11/29/", "/section/politics/", "/tag/budget/", "/feeds/rss/"]


@pytest.fixture
def published():
    article = ArticleFactory(
        headline="Budget passed", published_at=timezone.now() - timedelta(hours=1)
    )
    article.tags.add("budget")
    return article


def test_draft_and_review_saves_leave_every_cached_page_as_it_was(client, published):
    for url in PAGES:
        text(client, url)
    before = cached_pages()
    assert any(":pc:page:" in key for key in before)
    draft = ArticleFactory(headline="Half-written", status=Article.Status.DRAFT, published_at=None)
    draft.tags.add("budget")
    draft.secondary_sections.add(Section.objects.get(edition="en", slug="economics"))
    draft.lead = "More words"
    draft.save()
    draft.status = Article.Status.IN_REVIEW
    draft.save()
    Correction.objects.create(article=draft, text="Not yet public.")
    assert cached_pages() == before
    for url in PAGES:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_a_photo_nobody_shows_yet_changes_no_page(client, published):
    for url in PAGES:
        text(client, url)
    before = page_entries()
    image = ImageFactory()
    image.caption = "For tomorrow"
    image.save()
    assert page_entries() == before


def test_publishing_shows_the_article_at_once_wherever_it_belongs(client, published):
    economics = Section.objects.get(edition="en", slug="economics")
    for url in [*PAGES, "/section/economics/rss/", f"/section/{economics.slug}/"]:
        text(client, url)
    article = ArticleFactory(
        headline="Harvest record", status=Article.Status.DRAFT, published_at=None, section=economics
    )
    article.tags.add("budget")
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    for url in [*PAGES, "/section/economics/rss/", "/section/economics/"]:
        if "rss" in url:
            titles = [entry.title for entry in feedparser.parse(client.get(url).content).entries]
            assert "Harvest record" in titles, url
        else:
            assert "Harvest record" in text(client, url), url
    assert "Harvest record" in text(client, article.get_absolute_url())


def test_an_update_is_seen_at_once_and_the_rest_stays_cached(client, published):
    other = ArticleFactory(
        headline="Other story", section=Section.objects.get(edition="en", slug="economics")
    )
    text(client, published.get_absolute_url())
    text(client, other.get_absolute_url())
    text(client, "/partners/")
    published.headline = "Budget passed, amended"
    published.save()
    assert "Budget passed, amended" in text(client, published.get_absolute_url())
    assert "Budget passed, amended" in text(client, "/")
    assert client.get("/partners/")["X-Page-Cache"] == "hit"  # shows no article


def test_a_withdrawal_removes_the_article_everywhere_at_once_and_is_never_served_stale(
    client, published
):
    for url in PAGES:
        assert "Budget passed" in text(client, url), url
    url = published.get_absolute_url()
    text(client, url)
    published.status = Article.Status.WITHDRAWN
    published.withdrawn_reason = "Legal"
    published.save()
    assert not any(":pc:page:" in key for key in cached_pages())  # purged, not just stale
    for page in PAGES:
        response = client.get(page)
        assert "Budget passed" not in response.content.decode(), page
        assert response["X-Page-Cache"] == "miss"
    assert client.get(url).status_code == 410


def test_the_surrogate_keys_name_what_the_page_shows(client, published):
    response = client.get(published.get_absolute_url())
    keys = response["Surrogate-Key"].split()
    assert {f"article-{published.pk}", f"section-{published.section_id}", "latest@en"} <= set(keys)
    assert response["Cache-Tag"].split(",") == keys
    tag_page = client.get("/tag/budget/")
    assert f"article-{published.pk}" in tag_page["Surrogate-Key"].split()
    assert "private" not in tag_page["Cache-Control"]


def test_a_publish_in_one_edition_leaves_the_other_editions_pages_cached(client, published):
    """What an edition's pages list as a whole ("latest", "home", days…) has
    a key per edition: a Russian story refreshes the Russian pages only."""
    russian_section = Section.objects.get(edition="ru", slug="politics")
    for url in ("/", "/news/", "/ru/", "/ru/news/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert "home@ru" in client.get("/ru/")["Surrogate-Key"].split()
    ArticleFactory(
        edition_id="ru", headline="Бюджет принят", slug="byudzhet", section=russian_section
    )
    for url in ("/", "/news/"):
        assert client.get(url)["X-Page-Cache"] == "hit", url
    for url in ("/ru/", "/ru/news/"):
        response = client.get(url)
        assert response["X-Page-Cache"] != "hit", url
        assert "Бюджет принят" in response.content.decode(), url


def test_hits_are_gzipped_and_revalidated(client, published):
    plain = client.get("/news/")
    squeezed = client.get("/news/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert squeezed["X-Page-Cache"] == "hit" and squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.content) == plain.content
    assert "Accept-Encoding" in squeezed["Vary"] and squeezed["ETag"] != plain["ETag"]
    assert squeezed["Content-Security-Policy"] == plain["Content-Security-Policy"]
    again = client.get("/news/", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert again.status_code == 304 and again.content == b""


def stale_page(factory, body=b"old"):
    """A page in the cache whose freshness has gone (as after an invalidation)."""
    cache.set(pagecache.NEXT_PUBLICATION, pagecache._NO_PUBLICATION, 3600)
    request = factory.get("/hot/")
    middleware = pagecache.PageCacheMiddleware(lambda r: shown(r, body))
    middleware(request)
    pagecache.pages_invalidate({"hot"})
    return request


def shown(request, body):
    pagecache.pages_show(request, ["hot"])
    return HttpResponse(body)


def test_an_expired_hot_page_is_rendered_once_while_others_get_the_old_copy():
    factory = RequestFactory()
    stale_page(factory)
    rendering, release, renders = threading.Event(), threading.Event(), []

    def slow(request):
        renders.append(request)
        rendering.set()
        release.wait(5)
        return shown(request, b"new")

    middleware = pagecache.PageCacheMiddleware(slow)
    answers = {}
    first = threading.Thread(target=lambda: answers.update(first=middleware(factory.get("/hot/"))))
    first.start()
    assert rendering.wait(5)
    others = [middleware(factory.get("/hot/")) for _ in range(5)]
    release.set()
    first.join(5)
    assert len(renders) == 1
    assert {(r.content, r["X-Page-Cache"]) for r in others} == {(b"old", "stale")}
    assert answers["first"].content == b"new"
    assert middleware(factory.get("/hot/"))["X-Page-Cache"] == "hit"


def test_a_failing_render_serves_the_previous_copy():
    factory = RequestFactory()
    stale_page(factory)
    middleware = pagecache.PageCacheMiddleware(lambda r: HttpResponse(b"down", status=503))
    response = middleware(factory.get("/hot/"))
    assert (response.status_code, response.content) == (200, b"old")


def test_an_invalidation_during_a_render_keeps_the_page_stale(client):
    factory = RequestFactory()
    cache.set(pagecache.NEXT_PUBLICATION, pagecache._NO_PUBLICATION, 3600)

    def racing(request):
        response = shown(request, b"from before the change")
        pagecache.pages_invalidate({"hot"})  # a save commits while this renders
        return response

    pagecache.PageCacheMiddleware(racing)(factory.get("/hot/"))
    response = pagecache.PageCacheMiddleware(lambda r: shown(r, b"after"))(factory.get("/hot/"))
    assert response.content == b"after"


def test_pages_that_do_not_say_what_they_show_are_not_kept(client, editor):
    client.force_login(editor)
    assert client.get("/admin/")["X-Page-Cache"] == "miss"
    assert not any(":pc:page:" in key for key in cached_pages())


def test_a_process_answers_a_page_it_just_served_from_memory_until_an_invalidation(
    client, settings, published, django_assert_num_queries
):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 30
    pagecache._local.clear()
    try:
        text(client, "/news/")
        text(client, "/news/")  # from the shared cache: now kept in this process too
        cache.clear()  # as if the shared cache were gone
        with django_assert_num_queries(0):
            assert client.get("/news/")["X-Page-Cache"] == "hit"
        published.headline = "Budget passed, revised"
        published.save()  # invalidated in this process: its memory is emptied
        assert "Budget passed, revised" in text(client, "/news/")
    finally:
        pagecache._local.clear()


def test_a_fragment_built_while_the_news_changed_is_not_kept():
    def racing():
        pagecache.pages_invalidate({"latest"})  # a save commits while it is built
        return "from before the change"

    assert pagecache.kept("racing", ["latest"], racing) == "from before the change"
    assert pagecache.kept("racing", ["latest"], lambda: "after") == "after"


def test_an_article_pages_kept_parts_follow_the_news_around_it(client, clock):
    """The article page's text and the news around it (previous/next in its
    section, related news) are kept on their own: a page rendered again after
    any publish reuses them, and each follows exactly what it shows."""
    section = Section.objects.get(edition="en", slug="economics")
    article = ArticleFactory(section=section, published_at=timezone.now() - timedelta(hours=2))
    article.tags.add("grain")
    url = article.get_absolute_url()
    assert 'rel="next"' not in text(client, url)

    later = ArticleFactory(
        headline="Harvest figures follow", section=section, published_at=timezone.now()
    )
    page = text(client, url)
    assert '<a rel="next"' in page and "Harvest figures follow" in page

    elsewhere = ArticleFactory(headline="Grain prices elsewhere", published_at=timezone.now())
    assert "Grain prices elsewhere" not in main_column(client, url)
    elsewhere.tags.add("grain")  # now shares its tag: related news
    assert "Grain prices elsewhere" in main_column(client, url)

    later.headline = "Harvest figures, revised"
    later.save()
    assert "Harvest figures, revised" in text(client, url)
    later.status = Article.Status.WITHDRAWN
    later.save()
    assert "Harvest figures" not in main_column(client, url)

    article.lead = "A new lead for the story."
    article.save()
    assert "A new lead for the story." in text(client, url)


def test_an_article_pages_kept_parts_spare_its_queries(client, django_assert_num_queries):
    article = ArticleFactory()
    url = article.get_absolute_url()
    text(client, url)
    # What every publish in the edition does: the page must be rendered.
    pagecache.pages_invalidate({"latest@en"})
    # The article and "Recent news"; its text and the news around it are kept.
    with django_assert_num_queries(2):
        assert client.get(url)["X-Page-Cache"] == "miss"
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert f"article-{article.pk}" in response["Surrogate-Key"].split()


def test_home_section_blocks_are_kept_each_until_its_section_changes(client):
    economics = Section.objects.get(edition="en", slug="economics")
    ArticleFactory(headline="Old economics story", section=economics)

    def block(slug):
        page = text(client, "/")
        return page.split(f'id="block-{slug}"')[1].split("</section>")[0]

    assert "Old economics story" in block("economics")
    fresh = ArticleFactory(headline="Fresh economics story", section=economics)
    assert "Fresh economics story" in block("economics")
    fresh.headline = "Fresh economics story, updated"
    fresh.save()
    assert "Fresh economics story, updated" in block("economics")
    fresh.status = Article.Status.WITHDRAWN
    fresh.save()
    assert "Fresh economics story" not in block("economics")


def test_listing_rows_are_kept_per_version_and_follow_their_article(client):
    economics = Section.objects.get(edition="en", slug="economics")
    article = ArticleFactory(headline="Row as first written", section=economics)
    for url in ("/news/", "/section/economics/"):
        assert "Row as first written" in text(client, url)
    article.headline = "Row as rewritten"
    article.save()
    for url in ("/news/", "/section/economics/"):
        page = text(client, url)
        assert "Row as rewritten" in page and "Row as first written" not in page
    economics.name = "Economy"
    economics.save()
    assert 'class="news-row__section" href="/section/economics/">Economy<' in text(client, "/news/")
