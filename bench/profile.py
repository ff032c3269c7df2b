"""Where an uncached page's time goes: each URL rendered in-process (Django's
test client, page cache off), with wall and CPU time, the number of queries
and their time; --pyinstrument prints a call tree of the slowest URL. By default the
cache keeps what pages share (chrome fragments, an article's kept parts, the
API's items), as after a publish; --cold empties it before each request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_bench MEDIA_ROOT=/tmp/np_bench_media \\
        .venv/bin/python bench/profile.py / /news/ /section/economics/ --repeat 5
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
os.environ.setdefault("PUBLIC_PAGE_CACHE", "false")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-profile-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("PARTNER_API_RATE", "10000000/hour")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402
from partners.models import Partner, PartnerAPIKey  # noqa: E402


class Timed:
    """Adds up the time spent in the database."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the cache before each request: every kept part and fragment rendered again",
    )
    args = parser.parse_args()
    urls = args.urls or [
        "/",
        "/news/",
        Article.objects.published().first().get_absolute_url(),
        "/section/economics/",
        "/api/v1/items/",
    ]
    _, key = PartnerAPIKey.objects.create_key(
        name="profile", partner=Partner.objects.order_by("pk").first()
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
    print("| URL | wall ms | CPU ms | SQL ms | queries |\n|---|---|---|---|---|")
    try:
        for url in urls:
            client.get(url)  # warm: imports, templates, connections
            walls, cpus, sqls = [], [], []
            for _ in range(args.repeat):
                timed = Timed()
                if args.cold:
                    cache.clear()
                with (
                    CaptureQueriesContext(connection) as queries,
                    connection.execute_wrapper(timed),
                ):
                    wall, cpu = time.perf_counter(), time.process_time()
                    status = client.get(url).status_code
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                sqls.append(timed.seconds)
            print(
                f"| `{url}` ({status}) | {statistics.median(walls) * 1000:.1f} | "
                f"{statistics.median(cpus) * 1000:.1f} | {statistics.median(sqls) * 1000:.1f} | "
                f"{len(queries)} |",
                flush=True,
            )
            if args.pyinstrument:
                from pyinstrument import Profiler

                with Profiler() as profiler:
                    client.get(url)
                print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        PartnerAPIKey.objects.filter(name="profile").delete()


if __name__ == "__main__":
    main()
