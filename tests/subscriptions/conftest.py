from datetime import timedelta

import factory
import pytest

from articles.models import Section
from subscriptions.forms import CONSENT_TEXTS, CONSENT_VERSION
from subscriptions.models import Subscriber
from tests.clock import NOW
from tests.factories import default_content_restore


@pytest.fixture
def default_sections():
    """The sections a migration creates: tests that commit (transaction=True)
    leave an emptied database behind, so they put them back first."""
    default_content_restore()


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
            self.sections.set(Section.objects.filter(edition="en", slug__in=slugs))


def section(slug):
    return Section.objects.get(edition="en", slug=slug)
