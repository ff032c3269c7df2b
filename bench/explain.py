"""EXPLAIN ANALYZE of every query the listing pages and the API run, as the
views really run them: each URL requested in-process (page cache off, the
cache emptied first so every part is rendered), its SELECTs captured and
explained on PostgreSQL. Writes bench/plans/<name>.txt.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_bench MEDIA_ROOT=/tmp/np_bench_media \\
        .venv/bin/python bench/explain.py
"""

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
os.environ.setdefault("PUBLIC_PAGE_CACHE", "false")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-explain-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("PARTNER_API_RATE", "10000000/hour")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article  # noqa: E402
from partners.models import Partner, PartnerAPIKey  # noqa: E402

PLANS = Path(__file__).resolve().parent / "plans"


def pages():
    newest = Article.objects.published().first()
    day = newest.publication_date
    tag = newest.tags.first()
    frequent = Tag.objects.annotate(items=Count("taggit_taggeditem_items")).order_by("-items")[0]
    tagged = Article.objects.published().filter(tags=frequent).first()
    return {
        "home": "/",
        "all-news": "/news/",
        "all-news-page-10": "/news/?page=10",
        "day": f"/news/{day:%Y/%m/%d}/",
        "article": newest.get_absolute_url(),
        "section": "/section/economics/",
        "section-parent": "/section/government-bodies/",
        "article-frequent-tags": tagged.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/" if tag else None,
        "tag-frequent": f"/tag/{frequent.slug}/",
        "search": "/search/?q=minister",
        "api-list": "/api/v1/items/",
        "api-since": "/api/v1/items/?" + urlencode({"since": newest.updated_at.isoformat()}),
        "api-section": "/api/v1/items/?section=economics",
    }


def main():
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE plans are for PostgreSQL: set DATABASE_URL")
    PLANS.mkdir(exist_ok=True)
    _, key = PartnerAPIKey.objects.create_key(
        name="explain", partner=Partner.objects.order_by("pk").first()
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
    count = Article.objects.count()
    try:
        for name, url in pages().items():
            if url is None:
                continue
            client.get(url)  # warm: connections, the key check
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            out = [f"# {url} ({status}), {count:,} articles, {len(queries)} queries\n"]
            with connection.cursor() as cursor:
                for query in queries:
                    sql = query["sql"]
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    out.append(f"\n## {sql}\n\n{plan}\n")
            (PLANS / f"{name}.txt").write_text("".join(out))
            timings = re.findall(r"Execution Time: ([\d.]+) ms", "".join(out))
            total = sum(map(float, timings))
            print(f"{name:18} {url:60.60} {len(queries):3} queries, {total:8.1f} ms executing")
    finally:
        PartnerAPIKey.objects.filter(name="explain").delete()


if __name__ == "__main__":
    main()
