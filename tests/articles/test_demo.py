import pytest
from django.core.management import call_command

from articles.models import Article, Image, Section
from demo.stories import STORIES
from partners.models import Partner

pytestmark = pytest.mark.django_db


def test_load_demo_loads_once(capsys):
    call_command("load_demo", articles=40, days=10)
    counts = (Article.objects.count(), Image.objects.count(), Partner.objects.count())
    # --articles is the generated English ones; demo/stories.py adds the editions' stories.
    assert Article.objects.filter(edition="en").count() == 40 + sum(
        "en" in story for story in STORIES
    )
    assert counts[1] > 0 and counts[2] >= 3
    assert Article.objects.published().count() >= 35
    assert Article.objects.filter(source__isnull=False).exists()
    used = set(Article.objects.filter(edition="en").values_list("section__slug", flat=True))
    assert len(used) >= 8 and used <= set(Section.objects.values_list("slug", flat=True))

    call_command("load_demo", articles=40, days=10)
    assert (Article.objects.count(), Image.objects.count(), Partner.objects.count()) == counts
    assert "not loaded again" in capsys.readouterr().out
