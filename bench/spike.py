"""The busiest-day benchmark: readers hammer the site while an editor
publishes, and a bare Django view measured in the same run is the ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/np_bench CACHE_URL=redis://127.0.0.1:6379/3 \\
        MEDIA_ROOT=/tmp/np_bench_media .venv/bin/python bench/spike.py

Starts three gunicorns on loopback with the same options: the portal with
its page cache, the portal rendering every request (PUBLIC_PAGE_CACHE=false)
and bench/bare.py. Then:

1. steady: `wrk -t2 -c64` on each page (home, All news, the newest article,
   a section, the partner API list) against the bare view, the cached and
   the uncached portal; req/s as a ratio to the bare view, p50/p99, errors,
   and the app CPU per request (from the workers' /proc times);
2. spike: 64 connections rotating over the same five pages of the cached
   portal for --duration seconds while an editor publishes or updates an
   article every 2 s; reports req/s (and its ratio to the bare view), p50/p99,
   errors, the page-cache hit ratio, and for each change how long until the
   home page, its section and the API showed it.

Needs wrk (Debian package). Loopback only.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsportal.settings")
os.environ.setdefault("SECRET_KEY", "bench-spike-not-a-secret")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("PARTNER_API_RATE", "10000000/hour")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from partners.models import Partner, PartnerAPIKey  # noqa: E402

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULT = re.compile(r"RESULT (.*)")


def start(name, app, port, workers, worker_class, threads, **env):
    command = [
        GUNICORN,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{name} did not start")


def worker_cpu(process) -> float:
    """CPU seconds used so far by a gunicorn master's workers."""
    total = 0.0
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(port, paths, seconds, connections, auth, process=None):
    env = {**os.environ, "PATHS": ",".join(paths), "AUTH": auth}
    before = worker_cpu(process) if process else 0.0
    output = subprocess.run(  # noqa: S603
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "count.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = dict(pair.split("=") for pair in RESULT.search(output)[1].split())
    figures = {name: int(value) for name, value in figures.items()}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    if process:
        figures["cpu_ms"] = (worker_cpu(process) - before) * 1000 / max(1, figures["requests"])
    return figures


def line(label, figures, ceiling):
    hits = figures["hit"] + figures["stale"]
    served = hits + figures["miss"]
    share = f"{hits / served:.2f}" if served else "-"
    cpu = f"{figures['cpu_ms']:.1f}" if "cpu_ms" in figures else "-"
    return (
        f"| {label} | {figures['rps']:.0f} | {figures['rps'] / ceiling:.3f} | "
        f"{figures['p50_us'] / 1000:.1f} | {figures['p99_us'] / 1000:.1f} | "
        f"{figures['errors'] + figures['status4xx5xx']} | {share} | {cpu} |"
    )


HEADER = (
    "| run | req/s | ratio to bare | p50 ms | p99 ms | errors | cache hits | app CPU ms/req |\n"
    "|---|---|---|---|---|---|---|---|"
)


class Editor(threading.Thread):
    """Publishes a new article or updates the newest every --every seconds and
    notes how long each change took to show on the home page, its section
    and the API."""

    def __init__(self, port, auth, every, section):
        super().__init__(daemon=True)
        self.port, self.auth, self.every, self.section = port, auth, every, section
        self.delays, self.stop = [], threading.Event()

    def seen(self, path, words, headers=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers or {}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return words in response.read().decode()

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            started = time.monotonic()
            words = f"Spike story {os.getpid()}-{n}"
            if n % 2:
                article = Article.objects.create(
                    headline=words,
                    slug=f"spike-story-{os.getpid()}-{n}",
                    lead="Breaking news from the spike benchmark.",
                    body="<p>Details follow.</p>",
                    section=self.section,
                    status=Article.Status.PUBLISHED,
                    published_at=timezone.now(),
                    released_to_partners=True,
                )
            else:
                article = Article.objects.filter(headline__startswith="Spike story").first()
                article.headline = words
                article.save()
            waiting = {
                "/": {},
                f"/section/{self.section.slug}/": {},
                "/api/v1/items/": {"Authorization": f"Bearer {self.auth}"},
            }
            delays = {}
            while waiting and time.monotonic() - started < 10:
                for path, headers in list(waiting.items()):
                    if self.seen(path, words, headers):
                        delays[path] = time.monotonic() - started
                        del waiting[path]
                time.sleep(0.05)
            delays.update(dict.fromkeys(waiting, float("inf")))
            self.delays.append(delays)
            self.stop.wait(max(0, self.every - (time.monotonic() - started)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8031, help="first of three ports")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--steady", type=int, default=10, help="seconds per steady run")
    parser.add_argument("--duration", type=int, default=60, help="seconds of spike")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between changes")
    args = parser.parse_args()

    partner = Partner.objects.order_by("pk").first()
    _, auth = PartnerAPIKey.objects.create_key(name="spike benchmark", partner=partner)
    section = Section.objects.get(slug="economics")
    newest = Article.objects.published().first()
    pages = {
        "home": "/",
        "All news": "/news/",
        "newest article": newest.get_absolute_url(),
        "section": f"/section/{section.slug}/",
        "API list": "/api/v1/items/",
    }
    options = (args.workers, args.worker_class, args.threads)
    servers = {
        "bare": start("bare", "bench.bare:application", args.port, *options),
        "cached": start(
            "cached", "newsportal.wsgi", args.port + 1, *options, PUBLIC_PAGE_CACHE="true"
        ),
        "uncached": start(
            "uncached", "newsportal.wsgi", args.port + 2, *options, PUBLIC_PAGE_CACHE="false"
        ),
    }
    ports = {"bare": args.port, "cached": args.port + 1, "uncached": args.port + 2}
    try:
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads; "
            f"wrk -t2 -c{args.connections}; {Article.objects.count():,} articles\n"
        )
        print(HEADER)
        bare = wrk(ports["bare"], ["/"], args.steady, args.connections, auth, servers["bare"])
        print(line("bare Django view", bare, bare["rps"]))
        for name, path in pages.items():
            for kind in ("cached", "uncached"):
                if kind == "cached" and name == "API list":
                    continue  # partners' answers are private: never page-cached
                wrk(ports[kind], [path], 2, args.connections, auth)  # warm
                figures = wrk(
                    ports[kind], [path], args.steady, args.connections, auth, servers[kind]
                )
                print(line(f"{name}, {kind}", figures, bare["rps"]), flush=True)
        editor = Editor(ports["cached"], auth, args.every, section)
        editor.start()
        spike = wrk(
            ports["cached"],
            list(pages.values()),
            args.duration,
            args.connections,
            auth,
            servers["cached"],
        )
        editor.stop.set()
        editor.join(15)
        print(
            line(
                f"spike, {args.duration} s, 5 pages, editor every {args.every:g} s",
                spike,
                bare["rps"],
            )
        )
        worst = {path: max(d[path] for d in editor.delays) for path in editor.delays[0]}
        print(
            f"\n{len(editor.delays)} changes published or updated during the spike; "
            "slowest until visible: "
            + ", ".join(f"{path} {delay:.2f} s" for path, delay in worst.items())
        )
    finally:
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
        for process in servers.values():
            process.wait(10)
        PartnerAPIKey.objects.filter(name="spike benchmark").delete()


if __name__ == "__main__":
    main()
