import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from subscriptions.forms import CONSENT_TEXTS, CONSENT_VERSION
from subscriptions.models import Delivery, Subscriber, new_key
from subscriptions.selectors import manage_token
from tests.clock import NOW
from tests.factories import ArticleFactory
from tests.htmlcheck import html_errors, needs_java

from .conftest import SubscriberFactory, section

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/subscribe/"


def subscribe(client, email="reader@example.org", **fields):
    """Post the form; upper-case keywords (REMOTE_ADDR, HTTP_...) go to the request."""
    meta = {key: fields.pop(key) for key in list(fields) if key.isupper()}
    data = {"email": email, "frequency": "daily", "consent": CONSENT_VERSION, **fields}
    return client.post(reverse("subscriptions:subscribe"), data, **meta)


def link_in(message, name):
    """The path of the first link to ``name`` (e.g. "confirm") in a mail's text."""
    url = re.search(rf"https?://\S+/subscribe/{name}/\S+/", message.body).group(0)
    return urlsplit(url).path


def test_urls_are_where_the_spec_puts_them():
    assert reverse("subscriptions:subscribe") == SUBSCRIBE


# The form


def test_subscribing_sends_exactly_one_confirmation_mail_and_records_the_request(client):
    response = subscribe(
        client,
        email="  Reader@Example.ORG ",
        frequency="weekly",
        sections=[section("economics").pk, section("sport").pk],
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:check-inbox")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.frequency == "weekly"
    assert {s.slug for s in subscriber.sections.all()} == {"economics", "sport"}
    assert subscriber.consent_text == CONSENT_TEXTS[CONSENT_VERSION]
    assert (subscriber.requested_at, subscriber.requested_ip) == (NOW, "198.51.100.7")
    assert subscriber.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "Confirm your subscription to National News Agency"
    assert link_in(message, "confirm")
    html = message.alternatives[0].content
    assert "Confirm my subscription" in html


def test_check_inbox_page(client):
    response = client.get(subscribe(client)["Location"])
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()


@pytest.fixture
def addresses_in_every_state():
    SubscriberFactory(email="pending@example.org", status="pending", confirm_key=new_key())
    SubscriberFactory(email="confirmed@example.org", status="confirmed")
    SubscriberFactory(
        email="gone@example.org", status="unsubscribed", unsubscribed_at=NOW - timedelta(days=1)
    )
    return ["new@example.org", "pending@example.org", "confirmed@example.org", "gone@example.org"]


def test_the_answer_is_the_same_whatever_the_address_state(client, addresses_in_every_state):
    answers = set()
    for email in addresses_in_every_state:
        response = subscribe(client, email=email)
        page = client.get(response["Location"])
        answers.add(
            (
                response.status_code,
                response["Location"],
                response.get("Set-Cookie"),
                page.status_code,
                page.content,
            )
        )
    assert len(answers) == 1
    # Behind the same answer: confirmation mails for all but the confirmed
    # address, which is told it is already subscribed.
    assert sorted((m.to[0], m.subject.split()[0]) for m in mail.outbox) == [
        ("confirmed@example.org", "You"),
        ("gone@example.org", "Confirm"),
        ("new@example.org", "Confirm"),
        ("pending@example.org", "Confirm"),
    ]


def test_a_confirmed_subscriber_keeps_its_choices_and_is_reminded_at_most_daily(client, clock):
    subscriber = SubscriberFactory(email="confirmed@example.org", sections=["sport"])
    subscribe(client, email="confirmed@example.org", frequency="immediate")
    subscribe(client, email="confirmed@example.org", frequency="weekly")
    clock.advance(hours=23)
    subscribe(client, email="confirmed@example.org")

    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert subscriber.frequency == "daily"
    assert [s.slug for s in subscriber.sections.all()] == ["sport"]
    assert [m.subject for m in mail.outbox] == [
        "You are already subscribed to National News Agency"
    ]
    assert link_in(mail.outbox[0], "preferences")

    clock.advance(hours=1)
    subscribe(client, email="confirmed@example.org")
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "two@@example.org", "a@b", f"{'x' * 250}@example.org", "é@"],
)
def test_an_invalid_address_gets_a_form_error(client, email):
    response = subscribe(client, email=email)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist' in page
    assert 'aria-invalid="true"' in page
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["someone@mailinator.com", "x@mail.YOPMAIL.com"])
def test_throwaway_domains_are_refused(client, email):
    response = subscribe(client, email=email)
    assert "we do not send to throwaway mailboxes" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "fields",
    [{"frequency": "hourly"}, {"sections": ["999999"]}, {"sections": ["x"]}, {"consent": "old"}],
)
def test_bad_choices_get_a_form_error(client, fields):
    response = subscribe(client, **fields)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_honeypot_blocks_bots_with_the_same_answer(client):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:check-inbox")
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_too_many_requests_from_one_ip_are_refused(client, settings, clock):
    settings.SUBSCRIPTIONS_RATE_PER_IP = "3/h"
    for n in range(3):
        assert subscribe(client, email=f"reader{n}@example.org").status_code == 302
    response = subscribe(client, email="reader3@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in response.content.decode()
    assert Subscriber.objects.count() == 3
    assert len(mail.outbox) == 3
    # Another address (network) is not held back, and the limit lifts.
    response = subscribe(client, email="other@example.org", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    clock.advance(hours=1, seconds=5)
    assert subscribe(client, email="reader3@example.org").status_code == 302


def test_too_many_requests_for_one_address_are_refused(client, settings):
    settings.SUBSCRIPTIONS_RATE_PER_ADDRESS = "2/h"
    for n in range(2):
        response = subscribe(client, email="target@example.org", REMOTE_ADDR=f"203.0.113.{n}")
        assert response.status_code == 302
    response = subscribe(client, email="TARGET@example.org ", REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    assert subscribe(client, email="other@example.org").status_code == 302


def test_posts_from_other_sites_are_refused(client):
    response = subscribe(client, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    assert subscribe(client, HTTP_SEC_FETCH_SITE="same-origin").status_code == 302


def test_subscribe_query_count(client, django_assert_num_queries):
    SubscriberFactory(email="confirmed@example.org")
    sport = section("sport").pk
    client.get(SUBSCRIBE)  # section choices and menu cached from now on
    # In a savepoint (the test's transaction): subscriber (locked), insert,
    # its sections; then the confirmation task reads the subscriber.
    with django_assert_num_queries(6):
        subscribe(client, email="new@example.org", sections=[sport])
    # subscriber (locked), time of the reminder; the reminder task
    with django_assert_num_queries(5):
        subscribe(client, email="confirmed@example.org")
    with django_assert_num_queries(0):
        assert client.get(SUBSCRIBE).status_code == 200


# The form on every page, and caching


@pytest.mark.parametrize("url", ["/", "/news/", SUBSCRIBE])
def test_the_form_is_on_public_pages_that_stay_publicly_cacheable(client, url):
    ArticleFactory(headline="Harvest news")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'action="{SUBSCRIBE}" method="post"' in page
    assert 'name="email"' in page and 'name="frequency"' in page
    assert "csrfmiddlewaretoken" not in page
    assert "public" in response["Cache-Control"]
    assert "csrftoken" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_footer_form_is_one_field_and_the_choices_are_on_the_subscribe_page(client):
    article = ArticleFactory(headline="Harvest news")
    page = client.get(article.get_absolute_url()).content.decode()
    footer = page.split('class="site-footer"')[1]
    assert 'id="subscribe-email"' in footer
    assert f'<a href="{SUBSCRIBE}">Choose sections and how often</a>' in footer
    assert "Weekly digest" not in footer and 'name="sections"' not in footer
    full = client.get(SUBSCRIBE).content.decode().split('class="site-footer"')[0]
    assert "Breaking news, as it happens" in full and "Weekly digest" in full
    assert "Government Bodies › President" in full


def test_the_footer_form_as_posted_asks_for_a_daily_digest_of_everything(client):
    article = ArticleFactory(headline="Harvest news")
    footer = client.get(article.get_absolute_url()).content.decode().split('class="site-footer"')[1]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', footer))
    response = client.post(SUBSCRIBE, {**fields, "email": "Reader@Example.org", "website": ""})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.frequency) == ("reader@example.org", "daily")
    assert not subscriber.sections.exists()  # all of them


def test_the_form_works_without_csrf_cookie(client):
    strict = Client(enforce_csrf_checks=True)
    assert subscribe(strict).status_code == 302
    assert len(mail.outbox) == 1


# Confirmation


@pytest.fixture
def pending(client):
    subscribe(client, email="reader@example.org", sections=[section("sport").pk])
    mail.outbox.clear()
    return Subscriber.objects.get(email="reader@example.org")


def confirm_path(subscriber):
    subscribe(Client(), email=subscriber.email)
    return link_in(mail.outbox[-1], "confirm")


def test_following_the_link_does_not_confirm_the_button_does(client, pending):
    path = confirm_path(pending)
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm your subscription" in page
    assert '<button type="submit">Confirm</button>' in page
    assert "reader@example.org" in page and "Sport" in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    pending.refresh_from_db()
    assert pending.status == "pending"

    response = Client(enforce_csrf_checks=True).post(path, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 200
    assert "You are subscribed" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    assert (pending.confirmed_at, pending.confirmed_ip) == (NOW, "198.51.100.8")


def test_the_link_works_once(client, pending):
    path = confirm_path(pending)
    assert client.post(path).status_code == 200
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()


def test_the_link_expires(client, pending, clock):
    path = confirm_path(pending)
    clock.advance(days=3, seconds=1)
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_an_earlier_link_works_until_one_is_used(client, pending, clock):
    first = confirm_path(pending)
    clock.advance(minutes=5)
    second = confirm_path(pending)
    assert first != second
    assert client.get(first).status_code == 200
    assert client.post(second).status_code == 200
    assert client.post(first).status_code == 400


@pytest.mark.parametrize("token", ["nonsense", "abc:def", "x" * 300])
def test_a_forged_link_is_refused(client, pending, token):
    assert client.post(reverse("subscriptions:confirm", args=[token])).status_code == 400
    assert client.get(reverse("subscriptions:preferences", args=[token])).status_code == 400
    assert client.post(reverse("subscriptions:unsubscribe", args=[token])).status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_the_manage_link_cannot_confirm(client, pending):
    token = manage_token(subscriber=pending)
    assert client.post(reverse("subscriptions:confirm", args=[token])).status_code == 400
    pending.refresh_from_db()
    assert pending.status == "pending"


# Preferences and unsubscribing


@pytest.fixture
def subscriber():
    return SubscriberFactory(email="reader@example.org", sections=["sport"])


def test_the_preferences_page_shows_and_changes_the_choices(subscriber):
    client = Client(enforce_csrf_checks=True)  # a signed link, no cookies needed
    url = reverse("subscriptions:preferences", args=[manage_token(subscriber=subscriber)])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "reader@example.org" in page
    assert re.search(rf'value="{section("sport").pk}"[^>]*checked', page)
    assert re.search(r'value="daily"[^>]*checked', page)

    response = client.post(url, {"frequency": "weekly", "sections": [section("economics").pk]})
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Your choices are saved") == 1
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert [s.slug for s in subscriber.sections.all()] == ["economics"]

    client.post(url, {"frequency": "weekly"})
    assert not subscriber.sections.exists()  # none ticked: every section


def test_bad_preferences_get_a_form_error(subscriber, client):
    url = reverse("subscriptions:preferences", args=[manage_token(subscriber=subscriber)])
    response = client.post(url, {"frequency": "hourly"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"


def test_the_unsubscribe_link_asks_and_the_button_unsubscribes_at_once(subscriber, clock):
    client = Client(enforce_csrf_checks=True)
    url = reverse("subscriptions:unsubscribe", args=[manage_token(subscriber=subscriber)])
    response = client.get(url)
    assert response.status_code == 200
    assert "Stop all mail" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"

    response = client.post(url)
    assert response.status_code == 200
    assert "We will send no more mail to" in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribed_at) == ("unsubscribed", NOW)
    assert "You are unsubscribed" in client.get(url).content.decode()


def test_one_click_unsubscribe_needs_no_cookie_or_csrf_token(subscriber):
    """RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click"."""
    url = reverse("subscriptions:unsubscribe", args=[manage_token(subscriber=subscriber)])
    response = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_unsubscribing_a_pending_address_kills_its_confirmation_link(client, pending):
    path = confirm_path(pending)
    token = manage_token(subscriber=pending)
    client.post(reverse("subscriptions:unsubscribe", args=[token]))
    assert client.post(path).status_code == 400
    pending.refresh_from_db()
    assert pending.status == "unsubscribed"


def test_a_forgotten_subscriber_s_links_stop_working(client, subscriber):
    token = manage_token(subscriber=subscriber)
    Delivery.objects.create(subscriber=subscriber, key="daily:2026-11-28", sent_at=NOW)
    subscriber.delete()
    assert client.get(reverse("subscriptions:preferences", args=[token])).status_code == 400
    assert not Delivery.objects.exists()


def test_behind_a_proxy_the_client_address_comes_from_its_header(client, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    settings.SUBSCRIPTIONS_RATE_PER_IP = "1/h"
    first = subscribe(client, email="a@example.org", HTTP_X_REAL_IP="198.51.100.1")
    second = subscribe(client, email="b@example.org", HTTP_X_REAL_IP="198.51.100.2")
    assert (first.status_code, second.status_code) == (302, 302)
    assert Subscriber.objects.get(email="b@example.org").requested_ip == "198.51.100.2"
    third = subscribe(client, email="c@example.org", HTTP_X_REAL_IP="198.51.100.2")
    assert third.status_code == 429


@needs_java
def test_the_subscribe_pages_are_valid_html_with_and_without_form_errors(client, subscriber):
    pages = {"subscribe": client.get(reverse("subscriptions:subscribe")).content}
    preferences = reverse("subscriptions:preferences", args=[manage_token(subscriber=subscriber)])
    pages["preferences, bad choice"] = client.post(preferences, {"frequency": "hourly"}).content
    for name, fields in {
        "bad address": {"email": "not-an-address"},
        "bad choices": {"frequency": "hourly", "sections": ["x"]},
        "old form": {"consent": "old"},
    }.items():
        response = subscribe(client, **fields)
        assert 'class="errorlist' in response.content.decode()
        pages[name] = response.content
    assert html_errors(pages) == []
