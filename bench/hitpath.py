"""What a page cache hit costs in-process, with the middleware in front of the
page cache and without it: each variant in a process of its own, the same
page answered --requests times through Django's WSGI handler (no network,
no server), best of --rounds.

    .venv/bin/python bench/hitpath.py --requests 5000 --rounds 5

Variants: "as configured" (RequestLogMiddleware before the page cache, its
log lines at INFO to a discarded stream), "REQUEST_LOG_LEVEL=WARNING" (the
request line not written), "no request log" (the middleware taken out: the
cost of the page cache alone), each for a hit from the process's own memory
(PUBLIC_PAGE_LOCAL_SECONDS) and from the shared cache (local memory cache
here, PUBLIC_PAGE_LOCAL_SECONDS=0).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = {
    "as configured": {"LOG_LEVEL": "INFO"},
    "REQUEST_LOG_LEVEL=WARNING": {"LOG_LEVEL": "INFO", "REQUEST_LOG_LEVEL": "WARNING"},
    "no request log": {"LOG_LEVEL": "INFO", "BENCH_NO_REQUEST_LOG": "1"},
}


def measure(requests, rounds):
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    if os.environ.get("BENCH_NO_REQUEST_LOG"):
        settings.MIDDLEWARE = [
            m for m in settings.MIDDLEWARE if not m.endswith("RequestLogMiddleware")
        ]
    import logging

    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/partners/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }

    def call():
        statuses = []
        body = app(dict(environ), lambda status, headers: statuses.append(status))
        b"".join(body)
        body.close()
        return statuses[0]

    for _ in range(2):  # renders and stores it, then a hit
        if not call().startswith("200"):
            sys.exit("/partners/ did not answer 200")
    best = None
    for _ in range(rounds):
        for handler in logging.getLogger().handlers:  # the lines are made, then dropped
            if hasattr(handler, "setStream"):
                handler.setStream(io.StringIO())
        started = time.perf_counter()
        for _ in range(requests):
            call()
        took = (time.perf_counter() - started) / requests
        best = took if best is None else min(best, took)
    return best * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="processes per variant (interleaved)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.requests, args.rounds)))  # noqa: T201
        return
    with tempfile.TemporaryDirectory(prefix="np-hitpath-") as folder:
        base = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsportal.settings",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "MEDIA_ROOT": folder,
            "SECRET_KEY": "bench-hitpath-not-a-secret",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "PUBLIC_PAGE_CACHE": "true",
            "LOG_FORMAT": "json",
        }
        base.pop("CACHE_URL", None)
        base.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=base, check=True
        )
        runs = f"best of {args.rounds} x {args.requests}"
        print(f"page cache hits of /partners/, µs per request, {runs}")  # noqa: T201
        print("| variant | hit from process memory | hit from the cache |")  # noqa: T201
        print("|---|---|---|")  # noqa: T201
        best = {}
        for _ in range(args.repeat):  # interleaved: a busy moment hits every variant alike
            for name, extra in VARIANTS.items():
                for local in ("1", "0"):
                    env = {**base, **extra, "PUBLIC_PAGE_LOCAL_SECONDS": local}
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--child",
                            "--requests",
                            str(args.requests),
                            "--rounds",
                            str(args.rounds),
                        ],
                        cwd=ROOT,
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                    figure = json.loads(out.strip().splitlines()[-1])
                    best[name, local] = min(best.get((name, local), figure), figure)
        for name in VARIANTS:
            print(f"| {name} | {best[name, '1']:.1f} | {best[name, '0']:.1f} |")  # noqa: T201


if __name__ == "__main__":
    main()
