"""Login throttling (django-axes): a username+address pair is locked after
LOGIN_FAILURE_LIMIT wrong passwords, told so plainly, and an editor lifts it."""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture
def journalist_login():
    return UserFactory(username="reporter", password="right-password", is_staff=True)  # noqa: S106


def log_in(client, password, username="reporter", **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def test_wrong_passwords_lock_the_login_and_say_so(client, journalist_login, settings):
    for _ in range(20):
        assert log_in(client, "wrong").status_code in (200, 429)
    response = log_in(client, "right-password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Login locked: too many wrong passwords" in text
    assert f"After {settings.AXES_FAILURE_LIMIT} wrong passwords" in text
    assert "<strong>reporter</strong>" in text and "15 minutes" in text
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_wrong_passwords_and_a_success_resets_it(client, journalist_login):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200  # the form, with its error
    assert log_in(client, "right-password").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, "right-password").status_code == 302


def test_the_lock_holds_one_username_from_one_address(client, journalist_login):
    UserFactory(username="other", password="other-password", is_staff=True)  # noqa: S106
    for _ in range(5):
        log_in(client, "wrong", REMOTE_ADDR="10.0.0.1")
    assert log_in(client, "right-password", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert log_in(client, "right-password", REMOTE_ADDR="10.0.0.2").status_code == 302
    client.logout()
    assert (
        log_in(client, "other-password", username="other", REMOTE_ADDR="10.0.0.1").status_code
        == 302
    )


@override_settings(RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP")
def test_behind_the_proxy_the_address_is_the_one_the_rate_limits_use(client, journalist_login):
    for _ in range(5):
        log_in(client, "wrong", HTTP_X_REAL_IP="203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    assert log_in(client, "right-password", HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert log_in(client, "right-password", HTTP_X_REAL_IP="203.0.113.8").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, journalist_login, clock):
    for _ in range(5):
        log_in(client, "wrong")
    assert log_in(client, "right-password").status_code == 429
    clock.advance(minutes=16)
    assert log_in(client, "right-password").status_code == 302


def test_an_editor_unlocks_in_the_admin(client, editor_client, journalist_login):
    for _ in range(20):
        log_in(client, "wrong")
    attempt = AccessAttempt.objects.get(username="reporter")
    changelist = editor_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "reporter" in changelist.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(client, "right-password").status_code == 302


def test_a_journalist_cannot_unlock(journalist_client):
    response = journalist_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 403
