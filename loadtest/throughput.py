"""Throughput at the web stack's limit, in one run: wrk against the README's gunicorn.

    .venv/bin/python loadtest/throughput.py [--duration 12] [--connections 32]

Creates the database `assay_throughput` on PostgreSQL (dropped afterwards unless --keep), loads
the demo, collects static files and starts gunicorn as the README runs it (gunicorn.conf.py,
DEBUG off, Redis as the cache), then drives it with `wrk -t2 -c<connections> -d<duration>s`,
one kind of request after the other:

- `/healthz`, the stack's own floor (no database, no template);
- the seed article and one of its claims, anonymous (served from the page cache);
- the seed article signed in (rendered for the reader, never from the shared cache);
- a comment posted by signed-in readers (a form POST with its CSRF token; each request a new
  comment, so the anonymous pages are invalidated as in real use).

It prints requests/s, p50 and p99 latency, errors, and each figure's ratio to /healthz, and
exits 1 if any request failed or an anonymous page is under --min-ratio (0.5) of /healthz.
Needs `wrk` (Debian: apt install wrk), PostgreSQL and Redis; `--embedded` runs the same on the
embedded default (a SQLite file, each worker's local-memory cache).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    PY,
    ROOT,
    SEED_SLUG,
    SESSIONS_CODE,
    admin_execute,
    free_port,
    manage,
    wait_until_up,
)

DATABASE = "assay_throughput"
# a 32-character CSRF secret: Django accepts it unmasked, as cookie and as form field
CSRF_SECRET = "loadtestcsrfsecret0123456789abcd"  # noqa: S105 - not a password

SETUP_CODE = (
    SESSIONS_CODE
    + """
import json, sys
from django.urls import reverse
from articles.models import Article
from claims.models import Claim
article = Article.objects.get(slug=sys.argv[1])
claim = Claim.objects.public().filter(article=article).order_by("pk").first()
sessions = signed_in_sessions("wrk-reader", int(sys.argv[2]))
print(json.dumps({
    "claim": reverse("reading:claim", kwargs={"pk": claim.pk}),
    "post": reverse("discussions:post", kwargs={"article_pk": article.pk}),
    "sessions": sessions,
}))
"""
)

# wrk's Lua: each request a new comment from the next reader, with the CSRF pair and the
# headers a TLS proxy in front would add
POST_LUA = """
local sessions = {%(sessions)s}
local counter = 0
wrk.method = "POST"
request = function()
  counter = counter + 1
  local session = sessions[(counter %% #sessions) + 1]
  local body = "csrfmiddlewaretoken=%(csrf)s&body=Load+test+comment+" .. counter ..
    "+" .. math.random(1, 1000000000)
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=%(csrf)s",
    ["Referer"] = "%(origin)s%(article)s",
    ["Origin"] = "%(origin)s",
    ["X-Forwarded-Proto"] = "https",
  }, body)
end
"""


@dataclass
class Figures:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(name: str, output: str) -> Figures:
    """Requests/s, the 50 % and 99 % latencies (wrk --latency) and the failed requests: socket
    errors, and responses of 400 and over (wrk's "Non-2xx or 3xx responses")."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in found.groups())
    return Figures(name, rps, p50, p99, requests, errors)


def wrk(
    name: str, url: str, args: argparse.Namespace, *headers: str, script: Path | None = None
) -> Figures:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency", "-H", "X-Forwarded-Proto: https"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    result = subprocess.run(  # noqa: S603 - wrk on loopback
        [*command, url], capture_output=True, text=True, check=True
    )
    return parse_wrk(name, result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds per kind (default 12)")
    parser.add_argument("--connections", type=int, default=32, help="wrk -c (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    parser.add_argument("--readers", type=int, default=50, help="signed-in accounts (default 50)")
    parser.add_argument("--min-ratio", type=float, default=0.5, help="anonymous pages / healthz")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no db name"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="the cache")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE}")
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="the embedded default instead: a SQLite file and each worker's local-memory cache",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt install wrk)")
    if min(args.duration, args.connections, args.threads, args.readers) < 1:
        parser.error("--duration, --connections, --threads and --readers must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="assay-throughput-"))
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=(
            f"sqlite:///{work / 'throughput.sqlite3'}"
            if args.embedded
            else f"{args.postgres}/{DATABASE}"
        ),
        REDIS_URL="" if args.embedded else args.redis_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback; the proxy's header says https
        LOG_LEVEL="WARNING",
        # the figure is the server's, not the per-reader posting limit's
        COMMENT_POST_RATE="1000000/m",
        # mails of the replies' notifications stay in the process
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if not args.embedded:
        admin_execute(args.postgres, f'DROP DATABASE IF EXISTS "{DATABASE}"')
        admin_execute(args.postgres, f'CREATE DATABASE "{DATABASE}"')
    gunicorn = None
    try:
        print(f"database {DATABASE}: loading the demo ...", flush=True)
        manage(env, "demo")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        setup = manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            f"import sys; sys.argv = ['', {SEED_SLUG!r}, '{args.readers}']\n" + SETUP_CODE,
        )
        from_db = json.loads(setup.strip().splitlines()[-1])
        port = free_port()
        log = work / "gunicorn.log"
        with log.open("w") as out:
            gunicorn = subprocess.Popen(  # noqa: S603 - this interpreter
                [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": ""},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        host = f"http://127.0.0.1:{port}"
        wait_until_up(f"{host}/readyz", gunicorn, log)
        article = f"/articles/{SEED_SLUG}/"
        session = from_db["sessions"][0]
        # every worker compiles templates and opens connections on its first requests
        for _ in range(8):
            for path in ("/healthz", article, from_db["claim"]):
                request = urllib.request.Request(  # noqa: S310 - loopback http
                    host + path, headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
        lua = work / "post.lua"
        lua.write_text(
            POST_LUA
            % {
                "sessions": ", ".join(f'"{key}"' for key in from_db["sessions"]),
                "csrf": CSRF_SECRET,
                "path": from_db["post"],
                "origin": f"https://127.0.0.1:{port}",
                "article": article,
            }
        )
        workers = env.get("WEB_CONCURRENCY", "gunicorn.conf.py's default")
        print(
            f"gunicorn on {host} (workers: {workers}); wrk -t{args.threads} "
            f"-c{args.connections} -d{args.duration}s per kind, one after the other",
            flush=True,
        )
        runs = [
            wrk("/healthz", host + "/healthz", args),
            wrk("article, anonymous", host + article, args),
            wrk("claim, anonymous", host + from_db["claim"], args),
            wrk("article, signed in", host + article, args, f"Cookie: sessionid={session}"),
            wrk("comment post", host + from_db["post"], args, script=lua),
        ]
        return report(runs, args.min_ratio)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if not args.keep and not args.embedded:
            admin_execute(args.postgres, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        print(f"gunicorn log: {work / 'gunicorn.log'}")


def report(runs: list[Figures], min_ratio: float) -> int:
    floor = runs[0].rps or 1.0
    header = (
        f"{'request':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x healthz':>10}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for run in runs:
        print(
            f"{run.name:<22} {run.rps:>8.0f} {run.p50_ms:>8.1f} {run.p99_ms:>8.1f} "
            f"{run.errors:>7} {run.rps / floor:>10.2f}"
        )
    errors = sum(run.errors for run in runs)
    anonymous = [run for run in runs if run.name.endswith("anonymous")]
    low = [run.name for run in anonymous if run.rps / floor < min_ratio]
    ok = errors == 0 and not low
    print(
        f"\nerrors: {errors}; anonymous pages at >= {min_ratio}x /healthz: "
        f"{'met' if not low else 'NOT met (' + ', '.join(low) + ')'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
