"""Through the proxy: wrk against `make stack`'s nginx over HTTPS.

    STACK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsportal_bench_proxy \\
        .venv/bin/python bench/proxy.py --seconds 10

Starts the stack (deploy/stack.py: nginx, two gunicorns, worker, scheduler)
in a folder and on ports of its own (nginx 9244, app servers 9231 and 9232;
demo content; Redis db 13 unless STACK_CACHE_URL says otherwise), then, with
`wrk -t2 -c64` on loopback for each page (home, All news, a section, an
article):

1. the page through the proxy (the micro-cache answers; X-Proxy-Cache counted);
2. in the same run, nginx serving a static file of the same size (the page's
   gzip bytes, as wrk asks for gzip): the ceiling, and the ratio to it;
3. the page past the micro-cache (a session cookie: the app servers answer,
   from their page cache in Redis);

and the partner API list through the proxy (a key, never micro-cached). Stops
the stack at the end. Needs wrk and nginx (Debian packages).
"""

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULT = re.compile(r"RESULT (.*)")
HTTPS_PORT = 9244


def wrk(url, paths, seconds, connections, **env):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
        + ["-s", str(ROOT / "bench" / "count.lua"), url],
        env={**os.environ, "PATHS": ",".join(paths), "CACHE_HEADER": "X-Proxy-Cache", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {k: int(v) for k, v in (p.split("=") for p in RESULT.search(output)[1].split())}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def row(label, figures, ceiling=None):
    served = figures["hit"] + figures["stale"] + figures["miss"]
    hits = f"{(figures['hit'] + figures['stale']) / served:.3f}" if served else "-"
    ratio = f"{figures['rps'] / ceiling:.2f}" if ceiling else "-"
    return (
        f"| {label} | {figures['rps']:.0f} | {ratio} | {figures['p50_us'] / 1000:.1f} | "
        f"{figures['p99_us'] / 1000:.1f} | {figures['errors'] + figures['status4xx5xx']} | "
        f"{hits} |"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsportal-bench-proxy-"))
    folder.chmod(0o755)  # nginx's workers read under it
    env = {
        **os.environ,
        "STACK_DIR": str(folder),
        "STACK_HTTPS_PORT": str(HTTPS_PORT),
        "STACK_HTTP_PORT": "9281",
        "STACK_APP_PORTS": "9231,9232",
        "STACK_CACHE_URL": os.environ.get("STACK_CACHE_URL", "redis://127.0.0.1:6379/13"),
        "STACK_ENSURE_ADMIN": "false",
        "PARTNER_API_RATE": "100000000/hour",
        "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "bench-proxy-not-a-secret",
    }
    env.setdefault(
        "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsportal_bench_proxy"
    )
    stack = [str(ROOT / ".venv/bin/python"), "deploy/stack.py"]
    same_size = ROOT / "staticfiles" / "bench-proxy"
    try:
        subprocess.run([*stack, "start"], cwd=ROOT, env=env, check=True, capture_output=True)
        base = f"https://127.0.0.1:{HTTPS_PORT}"
        cert = str(folder / "tls" / "cert.pem")
        key = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "issue_api_key", "northern-lights"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": env["STACK_DATABASE_URL"]},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        home = requests.get(base + "/", verify=cert, timeout=10).text
        pages = [
            "/",
            "/news/",
            re.search(r'href="(/section/[^"/]+/)"', home)[1],
            re.search(r'href="(/news/\d{4}/\d\d/\d\d/[^"/]+/)"', home)[1],
        ]
        same_size.mkdir(parents=True, exist_ok=True)
        print(f"wrk -t2 -c{args.connections} -d{args.seconds}s (bench/count.lua), HTTPS\n")
        print("| run | req/s | ratio to static | p50 ms | p99 ms | errors | proxy hits |")
        print("|---|---|---|---|---|---|---|")
        for number, page in enumerate(pages):
            response = requests.get(
                base + page,
                headers={"Accept-Encoding": "gzip"},
                verify=cert,
                stream=True,
                timeout=10,
            )
            body = response.raw.read()  # the bytes on the wire (gzip)
            (same_size / f"{number}.bin").write_bytes(body)
            static = f"/static/bench-proxy/{number}.bin"
            ceiling = wrk(base, [static], args.seconds, args.connections)
            proxied = wrk(base, [page], args.seconds, args.connections)
            bypass = wrk(base, [page], args.seconds, args.connections, COOKIE="sessionid=x")
            print(row(f"static file, {len(body)} B", ceiling))
            print(row(f"`{page}` through the proxy", proxied, ceiling["rps"]))
            print(row(f"`{page}` past the micro-cache (session cookie)", bypass, ceiling["rps"]))
        api = wrk(base, ["/api/v1/items/"], args.seconds, args.connections, AUTH=key)
        print(row("`/api/v1/items/` through the proxy (a key: never micro-cached)", api))
    finally:
        subprocess.run([*stack, "stop"], cwd=ROOT, env=env, check=False, capture_output=True)
        shutil.rmtree(same_size, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
