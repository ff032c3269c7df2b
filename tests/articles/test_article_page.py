"""What a reader sees around an article's text: its update time, share
links and section labels."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def updated(html):
    found = re.search(
        r'Updated <time class="article__updated" datetime="([^"]+)">([^<]+)</time>', html
    )
    return found and found.group(2)


def test_a_text_changed_after_publication_says_when(client, clock):
    article = ArticleFactory(lead="First lead.")
    assert updated(page_of(client, article)) is None
    clock.advance(minutes=90)
    article = Article.objects.get(pk=article.pk)
    article.lead = "A corrected lead."
    article.save()
    assert updated(page_of(client, article)) == f"{timezone.localtime():%-d %B %Y, %H:%M}"
    assert "A corrected lead." in page_of(client, article)


@pytest.mark.parametrize("change", ["tags", "flags", "published_at", "same_text"])
def test_what_is_not_the_text_is_no_update(client, clock, change):
    article = ArticleFactory()
    clock.advance(minutes=30)
    article = Article.objects.get(pk=article.pk)
    if change == "tags":
        article.tags.add("harvest")
    elif change == "flags":
        article.is_top_story = True
    elif change == "published_at":
        article.published_at -= timedelta(minutes=5)
    article.save()
    assert updated(page_of(client, article)) is None


def test_changes_before_publication_are_no_update(client, clock):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    article = Article.objects.get(pk=article.pk)
    article.body = "<p>Rewritten before anyone read it.</p>"
    article.save()
    # Scheduled, and edited before it goes out.
    article.status, article.published_at = (
        Article.Status.PUBLISHED,
        timezone.now() + timedelta(hours=1),
    )
    article.save()
    article = Article.objects.get(pk=article.pk)
    article.headline = "A better headline"
    article.save()
    clock.advance(hours=2)
    assert updated(page_of(client, article)) is None


def test_an_update_through_update_fields_is_kept(client, clock):
    article = ArticleFactory()
    clock.advance(minutes=10)
    article = Article.objects.get(pk=article.pk)
    article.headline = "Headline changed by a script"
    article.save(update_fields=["headline"])
    assert Article.objects.get(pk=article.pk).text_updated_at == timezone.now()


def test_share_links_are_plain_links_and_no_third_party_script(client):
    article = ArticleFactory(headline="Grain & oil: exports up")
    html = page_of(client, article)
    share = html.split('<ul class="share" aria-label="Share">')[1].split("</ul>")[0]
    url = "http%3A%2F%2Ftestserver" + article.get_absolute_url().replace("/", "%2F")
    title = "Grain%20%26%20oil%3A%20exports%20up"
    links = dict(
        (name, href.replace("&amp;", "&"))
        for href, name in re.findall(
            r'<a href="([^"]+)" rel="noopener noreferrer">([^<]+)</a>', share
        )
    )
    assert links == {
        "Telegram": f"https://t.me/share/url?url={url}&text={title}",
        "VK": f"https://vk.com/share.php?url={url}&title={title}",
        "Facebook": f"https://www.facebook.com/sharer/sharer.php?u={url}",
        "X": f"https://x.com/intent/post?url={url}&text={title}",
        "Email": f"mailto:?subject={title}&body={url}",
    }
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    assert all(src.startswith("/static/") for src in scripts), scripts


def test_section_labels_are_the_menus(client):
    president = Section.objects.get(edition="en", slug="president")
    article = ArticleFactory(headline="Decree signed", section=president)
    row = ArticleFactory(headline="Meeting held", section=president)
    for tagged in (article, row):
        tagged.tags.add("decrees")
    menu = client.get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert ">Government Bodies</a>" in menu and ">President</a>" not in menu

    home = client.get("/").content.decode()
    latest = home.split('id="latest-title"')[1].split("</section>")[0]
    assert latest.count('<span class="latest__section">Government Bodies</span>') == 2
    listing = client.get("/news/").content.decode()
    assert (
        listing.count(
            '<a class="news-row__section" href="/section/government-bodies/">Government Bodies</a>'
        )
        == 2
    )
    found = client.get("/search/", {"q": "decree"}).content.decode()
    assert "· Government Bodies" in found
    # The article's own breadcrumb still goes down to its section.
    assert '<a href="/section/president/">President</a>' in page_of(client, article)
