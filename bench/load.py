"""A bounded load test of a running newsportal (e.g. `make serve`), on loopback.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --requests 200 --concurrency 4

Fetches each page --requests times from --concurrency threads and prints,
per page, the status codes, requests per second and latency percentiles.
Refuses any address outside the loopback range.
"""

import argparse
import http.client
import ipaddress
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

PAGES = [
    "/",
    "/news/",
    "/news/?page=40",
    "/section/politics/",
    "/section/government-bodies/",
    "/tag/topic-7/",
    "/search/?q=harvest+festival",
    "/feeds/rss/",
    "/section/economics/rss/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/api/v1/items/",
]


def loopback_only(base):
    host = urlsplit(base).hostname
    for *_, address in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(address[0]).is_loopback:
            sys.exit(f"refusing {host}: load tests only target loopback addresses")


def fetch(base, path, headers=None):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    started = time.perf_counter()
    connection.request(
        "GET", path, headers={"Host": f"{parts.hostname}:{parts.port or 80}", **(headers or {})}
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--api-key", help="a partner API key, sent to /api/ pages")
    parser.add_argument("pages", nargs="*", default=PAGES)
    options = parser.parse_args()
    loopback_only(options.base)

    print("| page | status | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
    for path in options.pages:
        headers = {}
        if options.api_key and path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {options.api_key}"
        fetch(options.base, path, headers)  # warm up (caches, connections)
        started = time.perf_counter()
        with ThreadPoolExecutor(options.concurrency) as pool:
            results = list(
                pool.map(
                    fetch,
                    [options.base] * options.requests,
                    [path] * options.requests,
                    [headers] * options.requests,
                )
            )
        elapsed = time.perf_counter() - started
        times = sorted(seconds * 1000 for _, seconds in results)
        codes = ",".join(sorted({str(code) for code, _ in results}))
        q = statistics.quantiles(times, n=100)
        print(
            f"| `{path}` | {codes} | {len(results) / elapsed:.0f} "
            f"| {q[49]:.0f} | {q[94]:.0f} | {q[98]:.0f} |"
        )


if __name__ == "__main__":
    main()
