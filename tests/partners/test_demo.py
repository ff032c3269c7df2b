import pytest
from django.core.management import call_command

from partners.models import Partner
from partners.selectors import article_syndication_list

pytestmark = pytest.mark.django_db


def test_demo_content_feeds_the_partner_api():
    call_command("load_demo", articles=60, days=10)
    closed = Partner.objects.get(allows_redistribution=False)
    syndicated = article_syndication_list()
    assert syndicated.filter(source__isnull=False).exists()
    assert not syndicated.filter(source=closed).exists()
    assert syndicated.filter(source=None).exists()
