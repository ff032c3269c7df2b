import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from partners.models import FeedRun, PartnerAPIKey, PartnerFeed
from tests.articles.test_admin import article_post_data
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def scheduled(**fields):
    return ArticleFactory(published_at=timezone.now() + timedelta(days=1), **fields)


def test_editor_releases_a_scheduled_article_to_partners(editor_client):
    article = scheduled()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, article_post_data(article, released_to_partners="on"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.released_to_partners
    assert Article.objects.for_partners().get() == article
    assert not Article.objects.published().exists()


def test_journalist_cannot_release_to_partners(journalist_client):
    article = scheduled(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = journalist_client.get(url).content.decode()
    assert 'name="released_to_partners"' not in page  # shown read-only
    journalist_client.post(
        url, article_post_data(article, released_to_partners="on", headline="Edited")
    )
    article.refresh_from_db()
    assert article.headline == "Edited"
    assert not article.released_to_partners
    journalist_client.post(
        reverse("admin:articles_article_add"),
        article_post_data(slug="fresh", released_to_partners="on"),
    )
    assert not Article.objects.get(slug="fresh").released_to_partners


def test_api_key_is_shown_once_when_created_in_the_admin(superuser_client, partner):
    response = superuser_client.post(
        reverse("admin:partners_partnerapikey_add"),
        {"partner": partner.pk, "name": "Newsroom CMS", "expiry_date_0": "", "expiry_date_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    (key,) = re.findall(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}", response.content.decode())
    record = PartnerAPIKey.objects.get()
    assert record.partner == partner
    changelist = superuser_client.get(reverse("admin:partners_partnerapikey_changelist"))
    change = superuser_client.get(reverse("admin:partners_partnerapikey_change", args=[record.pk]))
    for page in (changelist, change):
        assert page.status_code == 200
        assert key not in page.content.decode()
    superuser_client.logout()
    assert (
        superuser_client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 200
    )


def test_feed_admin_pages_and_import_now(superuser_client, partner, feed_server):
    feed_server.routes["/rss"] = (
        200,
        {},
        b'<rss version="2.0"><channel><title>t</title></channel></rss>',
    )
    feed = PartnerFeed.objects.create(
        partner=partner,
        url=feed_server.url("/rss"),
        section=Section.objects.get(edition="en", slug="world"),
    )
    for name in [
        "partnerfeed_changelist",
        "partnerfeed_add",
        "feedrun_changelist",
        "partner_change",
    ]:
        args = [partner.pk] if name == "partner_change" else []
        assert superuser_client.get(reverse(f"admin:partners_{name}", args=args)).status_code == 200
    superuser_client.post(
        reverse("admin:partners_partnerfeed_changelist"),
        {"action": "import_now", "_selected_action": [feed.pk]},
    )
    run = FeedRun.objects.get()  # the test backend runs the task at once
    assert run.status == FeedRun.Status.OK
    page = superuser_client.get(reverse("admin:partners_partnerfeed_change", args=[feed.pk]))
    assert "Recent runs" in page.content.decode()
    assert reverse("admin:partners_feedrun_change", args=[run.pk]) in page.content.decode()
    assert (
        superuser_client.get(reverse("admin:partners_feedrun_change", args=[run.pk])).status_code
        == 200
    )
