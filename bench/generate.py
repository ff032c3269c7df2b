"""Fill a database with many published articles, for benchmarks (not tests).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_bench DEBUG=true \\
        .venv/bin/python bench/generate.py --articles 1000000

Articles are spread over --years, across every section, two tags each, a
third with photos and a tenth from partners. Rows are written in bulk
(bypassing Article.save), so the derived columns are filled here: the
publication day, and on PostgreSQL the search vector, in one UPDATE at the end.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from articles.models import Article, Image, Section, search_document  # noqa: E402
from partners.models import Partner  # noqa: E402

WORDS = (
    "harvest grain export industry region council budget school hospital road bridge "
    "festival theatre museum hockey biathlon summit ministry parliament decree energy "
    "investment plant machine timber dairy logistics tourism river forest village city"
).split()


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)

    call_command("migrate", verbosity=0)
    if not Image.objects.exists():
        call_command("load_demo", articles=20, days=2)  # photos and partners to point at
    sections = list(Section.objects.values_list("pk", flat=True))
    images = list(Image.objects.values_list("pk", flat=True))
    partners = list(Partner.objects.values_list("pk", flat=True))
    tags = [
        Tag.objects.get_or_create(name=f"topic {n}", slug=f"topic-{n}")[0].pk for n in range(200)
    ]
    article_type = ContentType.objects.get_for_model(Article)

    now = timezone.now()
    span = timedelta(days=365 * options.years).total_seconds()
    start = time.monotonic()
    done = Article.objects.count()
    first_new = done
    while done < first_new + options.articles:
        size = min(options.batch, first_new + options.articles - done)
        rows = []
        for n in range(done, done + size):
            moment = now - timedelta(seconds=rng.random() * span)
            rows.append(
                Article(
                    headline=sentence(rng, 8),
                    slug=f"bench-{n}",
                    lead=sentence(rng, 20),
                    body="".join(f"<p>{sentence(rng, 40)}</p>" for _ in range(4)),
                    dateline_place="MINSK",
                    section_id=rng.choice(sections),
                    main_image_id=rng.choice(images) if rng.random() < 0.33 else None,
                    source_id=rng.choice(partners) if partners and rng.random() < 0.1 else None,
                    status=Article.Status.PUBLISHED,
                    published_at=moment,
                    publication_date=timezone.localdate(moment),
                    # Written in bulk, not saved: told public already (no announcement).
                    announced_public=moment <= timezone.now(),
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=article_type, object_id=article.pk, tag_id=tag)
                for article in created
                for tag in rng.sample(tags, 2)
            )
        done += size
        rate = (done - first_new) / (time.monotonic() - start)
        print(f"{done - first_new} articles ({rate:.0f}/s)", flush=True)

    if connection.vendor == "postgresql":
        print("computing search vectors…", flush=True)
        Article.objects.filter(search_vector__isnull=True).update(search_vector=search_document())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"done in {time.monotonic() - start:.0f} s; {Article.objects.count()} articles in all")


if __name__ == "__main__":
    main()
