"""End to end through a real SMTP server on 127.0.0.1 (aiosmtpd, started
here): subscribe with the web form, confirm through the link in the mail,
receive a digest, unsubscribe through its List-Unsubscribe header."""

import email
import re
import socket
from datetime import timedelta
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from subscriptions.models import Subscriber
from tests.clock import NOW
from tests.factories import ArticleFactory

from .conftest import section

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_subscribe_confirm_receive_a_digest_and_unsubscribe_over_smtp(client, inbox, clock):
    # The form, as a visitor's browser posts it.
    page = client.get(reverse("subscriptions:subscribe")).content.decode()
    consent = re.search(r'name="consent" value="([^"]+)"', page).group(1)
    economics = section("economics")
    response = client.post(
        reverse("subscriptions:subscribe"),
        {
            "email": "Reader@Example.org",
            "frequency": "daily",
            "sections": [economics.pk],
            "consent": consent,
            "website": "",
        },
    )
    assert response.status_code == 302

    # One mail: the confirmation.
    [(to, confirmation)] = inbox.messages
    assert to == ["reader@example.org"]
    assert confirmation["Subject"] == "Confirm your subscription to National News Agency"
    confirm_url = re.search(r"http\S+/subscribe/confirm/\S+/", text_of(confirmation)).group(0)
    path = urlsplit(confirm_url).path
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get().status == "pending"
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().status == "confirmed"

    # The next morning's digest.
    ArticleFactory(
        headline="Grain exports reach a record",
        section=economics,
        published_at=NOW + timedelta(hours=2),
    )
    ArticleFactory(headline="Cup final tonight", section=section("sport"), published_at=NOW)
    clock.advance(days=1)
    call_command("send_digests", frequency="daily")
    [_, (to, digest)] = inbox.messages
    assert to == ["reader@example.org"]
    body = text_of(digest)
    assert "Grain exports reach a record" in body
    assert "Cup final tonight" not in body
    assert "Grain exports reach a record" in digest.get_body(("html",)).get_content()
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail program's one-click unsubscribe: a POST to the header's URL.
    unsubscribe_url = re.fullmatch(r"<(http\S+)>", digest["List-Unsubscribe"].strip()).group(1)
    response = client.post(
        urlsplit(unsubscribe_url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"

    ArticleFactory(section=economics, published_at=NOW + timedelta(days=1, hours=2))
    clock.advance(days=1)
    call_command("send_digests", frequency="daily")
    assert len(inbox.messages) == 2
