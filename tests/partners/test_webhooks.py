"""Push on publish: a partner's webhook on loopback receives each change of
our news once, signed, retried after a failure, with the delivery log to
show it; and the WebSub hub is named in the feeds and told of changes."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from django.urls import reverse

from articles import tasks as article_tasks
from articles.models import Article, Correction, Section
from partners import tasks
from partners.models import Webhook, WebhookDelivery
from tests.clock import NOW
from tests.factories import ArticleFactory, PartnerFactory, UserFactory, article_post_data

from .test_api import assert_ninjs

pytestmark = pytest.mark.django_db

SECRET = "s3cret"  # the webhook's, shared with the partner


class HookServer:
    """A partner's webhook endpoint on 127.0.0.1: records every POST and
    answers with the next status of ``answers`` (200 once they run out)."""

    def __init__(self):
        self.posts = []
        self.answers = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.posts.append((dict(self.headers), body))
                status = outer.answers.pop(0) if outer.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))

    def url(self, path):
        return f"http://{self.host}{path}"

    def items(self):
        return [json.loads(body) for _, body in self.posts]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def hook_server(settings):
    with HookServer() as server:
        settings.PARTNER_FEED_ALLOWED_HOSTS = [server.host]
        yield server


@pytest.fixture
def webhook(hook_server):
    partner = PartnerFactory(name="Baltic Wire", slug="baltic-wire")
    return Webhook.objects.create(partner=partner, url=hook_server.url("/hook"), secret=SECRET)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a change does after its commit, as in a real request."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def signature_valid(headers, body):
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Signature-256"], expected)


def test_each_change_arrives_once_signed_and_a_failure_is_retried(
    webhook, hook_server, commit, clock
):
    with commit():
        article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with commit():
        article.headline = "Still a draft"
        article.save()
    assert hook_server.posts == []  # draft saves send nothing

    with commit():  # published
        article.status = Article.Status.PUBLISHED
        article.published_at = NOW - timedelta(minutes=1)
        article.save()
    with commit():  # updated
        article.headline = "Updated headline"
        article.save()
    with commit():  # corrected
        Correction.objects.create(article=article, text="The date was wrong.")
    assert len(hook_server.posts) == 3
    for headers, body in hook_server.posts:
        assert signature_valid(headers, body)
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert_ninjs(json.loads(body))
    published, updated, corrected = hook_server.items()
    assert [item["pubStatus"] for item in hook_server.items()] == ["usable"] * 3
    assert int(published["version"]) < int(updated["version"]) < int(corrected["version"])
    assert updated["headlines"][0]["value"] == "Updated headline"
    assert corrected["edNote"].endswith("The date was wrong.")
    assert published["uri"] == f"http://127.0.0.1:8000/api/v1/items/{article.pk}/"
    delivery_ids = {headers["X-Delivery-Id"] for headers, _ in hook_server.posts}
    assert len(delivery_ids) == 3

    # The partner's server fails once: the withdrawal is retried with backoff.
    hook_server.answers = [500]
    article = Article.objects.get(pk=article.pk)
    with commit():
        article.status = Article.Status.WITHDRAWN
        article.withdrawn_reason = "Wrong person named."
        article.save()
    assert len(hook_server.posts) == 4
    delivery = WebhookDelivery.objects.get(pub_status="canceled")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("retrying", 1, "HTTP 500")
    assert delivery.next_attempt_at == NOW + timedelta(seconds=60)
    assert tasks.webhook_deliveries_retry.enqueue().return_value == {}  # not due yet
    clock.advance(seconds=60)
    assert tasks.webhook_deliveries_retry.enqueue().return_value == {"delivered": 1}
    assert len(hook_server.posts) == 5
    (first_headers, first_body), (headers, body) = hook_server.posts[3:]
    assert body == first_body and signature_valid(headers, body)
    assert headers["X-Delivery-Id"] == first_headers["X-Delivery-Id"] == str(delivery.delivery_id)
    withdrawn = json.loads(body)
    assert withdrawn["pubStatus"] == "canceled"
    assert withdrawn["edNote"].startswith("Withdrawn: Wrong person named.")
    assert int(withdrawn["version"]) > int(corrected["version"])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert tasks.webhook_deliveries_retry.enqueue().return_value == {}
    assert len(hook_server.posts) == 5  # each change exactly once
    assert (
        list(WebhookDelivery.objects.order_by("created_at", "pk").values_list("status", flat=True))
        == ["delivered"] * 4
    )


def test_backoff_doubles_and_gives_up(webhook, hook_server, commit, clock, settings):
    settings.PARTNER_WEBHOOK_ATTEMPTS = 3
    hook_server.answers = [503, 503, 503]
    with commit():
        ArticleFactory()
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at == NOW + timedelta(seconds=60)
    clock.advance(seconds=60)
    tasks.webhook_deliveries_retry.enqueue()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == NOW + timedelta(seconds=60 + 120)
    clock.advance(seconds=120)
    tasks.webhook_deliveries_retry.enqueue()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    clock.advance(days=1)
    tasks.webhook_deliveries_retry.enqueue()
    assert len(hook_server.posts) == 3


def test_sections_rights_and_inactive_hooks(hook_server, commit):
    partner = PartnerFactory()
    politics = Webhook.objects.create(partner=partner, url=hook_server.url("/politics"))
    politics.sections.add(Section.objects.get(edition="en", slug="politics"))
    government = Webhook.objects.create(partner=partner, url=hook_server.url("/government"))
    government.sections.add(Section.objects.get(edition="en", slug="government-bodies"))
    Webhook.objects.create(partner=partner, url=hook_server.url("/off"), is_active=False)
    closed = PartnerFactory(allows_redistribution=False)
    with commit():
        ArticleFactory(
            section=Section.objects.get(edition="en", slug="president")
        )  # under Government Bodies
        ArticleFactory(section=Section.objects.get(edition="en", slug="sport"))
        ArticleFactory(source=closed)  # its licence forbids passing it on
        ArticleFactory(published_at=NOW + timedelta(hours=1))  # scheduled
    assert [headers["Host"] for headers, _ in hook_server.posts] == [hook_server.host]
    assert WebhookDelivery.objects.get().webhook == government


def test_the_address_guard_refuses_loopback_unless_allowed(commit, settings):
    settings.PARTNER_FEED_ALLOWED_HOSTS = []
    Webhook.objects.create(partner=PartnerFactory(), url="http://127.0.0.1:9/hook")
    with commit():
        ArticleFactory()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error.startswith("address refused:")


def test_delivery_log_and_send_again_in_the_admin(webhook, hook_server, commit, client):
    hook_server.answers = [500]
    with commit():
        article = ArticleFactory(headline="Budget passed")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    log = reverse("admin:partners_webhookdelivery_changelist")
    page = client.get(log, {"webhook__id__exact": webhook.pk}).content.decode()
    assert "Budget passed" in page and "Retrying" in page and "HTTP 500" in page
    delivery = WebhookDelivery.objects.get()
    response = client.post(
        log, {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True
    )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(hook_server.posts) == 2
    assert hook_server.items()[1]["uri"].endswith(f"/items/{article.pk}/")
    assert (
        client.get(reverse("admin:partners_webhook_change", args=[webhook.pk])).status_code == 200
    )
    assert (
        "Delivery log" in client.get(reverse("admin:partners_webhook_changelist")).content.decode()
    )


def test_feeds_name_the_websub_hub_and_it_hears_of_changes(hook_server, settings, client, commit):
    settings.WEBSUB_HUB_URL = hook_server.url("/hub")
    for url in ["/feeds/rss/", "/feeds/atom/", "/section/politics/rss/"]:
        parsed = feedparser.parse(client.get(url).content)
        hubs = [link["href"] for link in parsed.feed.links if link["rel"] == "hub"]
        assert hubs == [settings.WEBSUB_HUB_URL], url
    with commit():
        ArticleFactory(status=Article.Status.DRAFT)
    assert hook_server.posts == []
    with commit():
        ArticleFactory(section=Section.objects.get(edition="en", slug="president"))
    pinged = [parse_qs(body.decode()) for _, body in hook_server.posts]
    assert all(ping["hub.mode"] == ["publish"] for ping in pinged)
    assert [ping["hub.url"][0] for ping in pinged] == [
        "http://127.0.0.1:8000/feeds/rss/",
        "http://127.0.0.1:8000/feeds/atom/",
        "http://127.0.0.1:8000/section/government-bodies/rss/",
        "http://127.0.0.1:8000/section/president/rss/",
    ]
    settings.WEBSUB_HUB_URL = ""
    assert "hub" not in client.get("/feeds/rss/").content.decode()


def test_the_newsroom_admin_sends_each_change_once(webhook, hook_server, commit, editor_client):
    add = reverse("admin:articles_article_add")
    with commit():
        assert editor_client.post(add, article_post_data(status="draft")).status_code == 302
    article = Article.objects.get()
    change = reverse("admin:articles_article_change", args=[article.pk])
    with commit():
        editor_client.post(change, article_post_data(article, headline="Draft edit"))
    assert hook_server.posts == []
    published_at = {"published_at_0": "2026-11-29", "published_at_1": "11:00:00"}
    with commit():
        response = editor_client.post(
            change, article_post_data(article, status="published", **published_at)
        )
        assert response.status_code == 302
    # Corrected through the form's inline: one change, one delivery.
    with commit():
        data = article_post_data(
            article,
            status="published",
            **published_at,
            **{
                "corrections-TOTAL_FORMS": 1,
                "corrections-0-text": "Exports fell, not rose.",
                "corrections-0-created_at_0": "2026-11-29",
                "corrections-0-created_at_1": "12:00:00",
            },
        )
        assert editor_client.post(change, data).status_code == 302
    items = hook_server.items()
    assert len(items) == 2
    assert int(items[0]["version"]) < int(items[1]["version"])
    assert items[1]["edNote"].endswith("Exports fell, not rose.")
    assert all(signature_valid(headers, body) for headers, body in hook_server.posts)


def test_a_scheduled_article_is_pushed_when_its_time_comes(
    webhook, hook_server, commit, clock, settings
):
    settings.WEBSUB_HUB_URL = hook_server.url("/hub")
    with commit():
        article = ArticleFactory(published_at=NOW + timedelta(hours=1))
    # The articles app announces it when its time comes (article_published).
    announce = article_tasks.article_publications_announce
    assert announce.enqueue().return_value == 0
    assert hook_server.posts == []
    clock.advance(minutes=60, seconds=30)
    with commit():  # the push follows the announcement's commit
        assert announce.enqueue().return_value == 1
    clock.advance(seconds=60)  # the next run: nothing sent twice
    with commit():
        assert announce.enqueue().return_value == 0
    hooked = [json.loads(body) for headers, body in hook_server.posts if "X-Delivery-Id" in headers]
    assert [item["uri"].rsplit("/", 2)[1] for item in hooked] == [str(article.pk)]
    assert "embargoedUntil" not in hooked[0]
    clock.advance(minutes=5)
    assert announce.enqueue().return_value == 0
