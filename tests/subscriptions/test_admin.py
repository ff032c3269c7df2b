import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from subscriptions.models import Delivery, Subscriber
from tests.clock import NOW

from .conftest import SubscriberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:subscriptions_subscriber_changelist")


@pytest.fixture
def subscribers():
    confirmed = SubscriberFactory(email="confirmed@example.org", sections=["sport", "economics"])
    Delivery.objects.create(subscriber=confirmed, key="daily:2026-11-28", sent_at=NOW)
    Delivery.objects.create(
        subscriber=confirmed, key="daily:2026-11-29", sent_at=NOW + timedelta(hours=1)
    )
    pending = SubscriberFactory(email="pending@example.org", status="pending", confirmed_at=None)
    SubscriberFactory(email="=formula@example.org", frequency="weekly")
    return confirmed, pending


def test_the_list_shows_status_sections_frequency_and_last_mail(
    admin_client, subscribers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "confirmed@example.org" in page and "pending@example.org" in page
    assert "Pending confirmation" in page and "Daily digest" in page
    assert "Economics, Sport" in page
    assert "All" in page
    assert "?edition__code__exact=ru" in page  # subscribers listed by edition too
    response = admin_client.get(CHANGELIST, {"status__exact": "pending"})
    assert "confirmed@example.org" not in response.content.decode()


def test_the_detail_shows_the_consent_record(admin_client, subscribers):
    confirmed, _ = subscribers
    page = admin_client.get(
        reverse("admin:subscriptions_subscriber_change", args=[confirmed.pk])
    ).content.decode()
    assert "We will email you the news you choose" in page
    assert "192.0.2.1" in page


def test_subscribers_cannot_be_added_by_hand(admin_client):
    response = admin_client.get(reverse("admin:subscriptions_subscriber_add"))
    assert response.status_code == 403


def test_csv_export(admin_client, subscribers):
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "export_csv",
            "_selected_action": [s.pk for s in Subscriber.objects.all()],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="subscribers-2026-11-29.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_email = {row["email"]: row for row in rows}
    assert set(by_email) == {
        "confirmed@example.org",
        "pending@example.org",
        "'=formula@example.org",
    }
    row = by_email["confirmed@example.org"]
    assert row["edition"] == "en"
    assert row["status"] == "confirmed"
    assert row["sections"] == "Economics, Sport"
    assert row["confirmed_ip"] == "192.0.2.1"
    assert row["last_mail"].startswith("2026-11-29 10:00")
    assert row["consent_text"].startswith("We will email you")


def test_forget_removes_the_address_and_its_delivery_history(admin_client, subscribers):
    confirmed, pending = subscribers
    response = admin_client.post(
        CHANGELIST, {"action": "forget", "_selected_action": [confirmed.pk]}, follow=True
    )
    assert "Forgot 1 subscriber(s)." in response.content.decode()
    assert not Subscriber.objects.filter(email="confirmed@example.org").exists()
    assert not Delivery.objects.exists()
    assert not Subscriber.sections.through.objects.filter(subscriber_id=confirmed.pk).exists()
    assert Subscriber.objects.filter(pk=pending.pk).exists()


def test_the_newsroom_editors_do_not_see_subscribers(editor_client):
    assert editor_client.get(CHANGELIST).status_code == 403
