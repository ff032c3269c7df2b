import importlib
from datetime import UTC, datetime, timedelta
from unittest import mock

import factory
import pytest

from articles.models import Section
from subscriptions.forms import CONSENT_TEXTS, CONSENT_VERSION
from subscriptions.models import Subscriber

# Sunday 29 November 2026, 12:00 in Minsk (UTC+3): the daily digest period
# that has ended is 28 Nov 07:00 – 29 Nov 07:00, the weekly one 16–23 Nov.
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now):
        self.now = now

    def advance(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def clock():
    """A fixed "now" for Django (timezone.now), for signed links
    (TimestampSigner) and for the rate limits' windows; tests move it."""
    clock = Clock(NOW)
    with (
        mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now),
        mock.patch("django.core.signing.time") as signing_time,
        mock.patch("django_ratelimit.core.time") as ratelimit_time,
    ):
        signing_time.time.side_effect = lambda: clock.now.timestamp()
        ratelimit_time.time.side_effect = lambda: clock.now.timestamp()
        yield clock


@pytest.fixture
def default_sections():
    """The sections a migration creates: tests that commit (transaction=True)
    leave an emptied database behind, so they put them back first."""
    from django.apps import apps

    module = importlib.import_module("articles.migrations.0002_default_sections")
    module.create_sections(apps, None)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Subscriber.Status.CONFIRMED
    frequency = Subscriber.Frequency.DAILY
    consent_text = CONSENT_TEXTS[CONSENT_VERSION]
    requested_at = factory.LazyFunction(lambda: NOW - timedelta(days=30))
    requested_ip = "192.0.2.1"
    confirmed_at = factory.LazyFunction(lambda: NOW - timedelta(days=30))
    confirmed_ip = "192.0.2.1"

    @factory.post_generation
    def sections(self, create, slugs):
        if create and slugs:
            self.sections.set(Section.objects.filter(slug__in=slugs))


def section(slug):
    return Section.objects.get(slug=slug)
