"""Load test: gunicorn on loopback against PostgreSQL with the demo data, driven by locust.

    .venv/bin/python loadtest/run.py [--users 40] [--run-time 60s] [--max-requests 6000]

Creates the database `assay_loadtest` (dropped afterwards unless --keep), loads the demo
(`manage.py demo`: the seed article, its claims and comments), collects static files, starts
gunicorn with the production settings (DEBUG off) on a free loopback port, runs locust headless
with loadtest/locustfile.py, and prints requests/s, p50, p99 and errors per kind of request.
Exits 1 if any request failed or the seed article page's p99 is over --p99-target-ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SEED_ROW = "article page (seed)"
SEED_SLUG = "ia-centres-de-donnees-course-energie-nucleaire"  # loaded by `manage.py demo`

# Python run by `manage.py shell -c` before a setup script: signed-in sessions for made-up readers
SESSIONS_CODE = """
def signed_in_sessions(prefix, count):
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    User = get_user_model()
    keys = []
    for i in range(count):
        user, _ = User.objects.get_or_create(
            username=f"{prefix}-{i}", defaults={"email": f"{prefix}-{i}@example.org"}
        )
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys
"""

SETUP_CODE = (
    SESSIONS_CODE
    + """
import json, sys
from django.contrib.auth import get_user_model
from articles.models import Article
from claims.models import Claim
from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem
article = Article.objects.get(slug=sys.argv[1])
claims = list(Claim.objects.public().values_list("pk", flat=True)[:50])
article_type = ContentType.objects.get_for_model(Article)
tagged = TaggedItem.objects.filter(content_type=article_type)
tags = sorted(set(tagged.values_list("tag__slug", flat=True)))[:20]
User = get_user_model()
sessions = signed_in_sessions("load-poster", int(sys.argv[2]))
# Integrators page the API with their own read tokens, as in production (the anonymous
# throttle is per address, and every simulated user shares 127.0.0.1).
from integrations.services import token_create
tokens = []
for i in range(int(sys.argv[3])):
    user, _ = User.objects.get_or_create(
        username=f"load-integrator-{i}", defaults={"email": f"load-integrator-{i}@example.org"}
    )
    tokens.append(token_create(user=user, name="load test", scopes=["read"]).secret)
print(json.dumps(
    {"pk": article.pk, "claims": claims, "tags": tags, "sessions": sessions, "tokens": tokens}
))
"""
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def admin_execute(server: str, sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter, our manage.py
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer at {url}")


def report(stats_csv: Path, target_ms: float) -> int:
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    print(f"\n{'request':<24} {'count':>7} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    print("-" * 64)
    failures = 0
    seed_p99 = None
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        count, errors = int(row["Request Count"]), int(row["Failure Count"])
        p50, p99 = float(row["50%"] or 0), float(row["99%"] or 0)
        print(
            f"{name:<24} {count:>7} {errors:>7} {float(row['Requests/s']):>7.1f} "
            f"{p50:>7.0f} {p99:>7.0f}"
        )
        if row["Name"] == "Aggregated":
            failures = errors
        if row["Name"] == SEED_ROW:
            seed_p99 = p99
    ok = failures == 0 and seed_p99 is not None and seed_p99 < target_ms
    print(
        f"\nerrors: {failures}; seed article page p99: {seed_p99} ms "
        f"(target < {target_ms:.0f} ms): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=40, help="simulated users (default 40)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="60s", help="locust --run-time (default 60s)")
    parser.add_argument("--max-requests", type=int, default=6000, help="stop after this many")
    parser.add_argument("--workers", type=int, default=0, help="server workers (default: conf)")
    parser.add_argument(
        "--server",
        choices=("gunicorn", "granian"),
        default="gunicorn",
        help="WSGI server; granian (not a dependency: pip install granian) for comparison",
    )
    parser.add_argument(
        "--posters", type=int, default=0, help="accounts for posting users (default: --users)"
    )
    parser.add_argument("--p99-target-ms", type=float, default=250)
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL, no db name"
    )
    parser.add_argument("--redis-url", default="", help="cache, e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--keep", action="store_true", help="keep the database assay_loadtest")
    args = parser.parse_args()
    if args.users < 1 or args.max_requests < 0 or args.posters < 0:
        parser.error("--users must be at least 1, --posters and --max-requests at least 0")
    # one account per posting user: each stays under the per-user posting limit
    args.posters = args.posters or args.users

    database = "assay_loadtest"
    work = Path(tempfile.mkdtemp(prefix="assay-loadtest-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"{args.postgres}/{database}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # plain HTTP on loopback; behind the production proxy this stays on
        SECURE_SSL_REDIRECT="false",
        REDIS_URL=args.redis_url,
        LOG_LEVEL="WARNING",
    )
    admin_execute(args.postgres, f'DROP DATABASE IF EXISTS "{database}"')
    admin_execute(args.postgres, f'CREATE DATABASE "{database}"')
    gunicorn = None
    try:
        print(f"database {database}: loading the demo ...", flush=True)
        manage(env, "demo")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        from_db = json.loads(
            manage(
                env,
                "shell",
                "-v",
                "0",
                "-c",
                f"import sys; sys.argv = ['', {SEED_SLUG!r}, '{args.posters}', '{args.users}']\n"
                + SETUP_CODE,
            )
            .strip()
            .splitlines()[-1]
        )
        sessions_file = work / "sessions.json"
        sessions_file.write_text(json.dumps(from_db["sessions"]))
        tokens_file = work / "tokens.json"
        tokens_file.write_text(json.dumps(from_db["tokens"]))

        port = free_port()
        gunicorn_log = work / "gunicorn.log"
        gunicorn_env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": str(work / "access.log"),
        }
        if args.workers:
            gunicorn_env["WEB_CONCURRENCY"] = str(args.workers)
        if args.server == "gunicorn":
            command = [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
        else:
            workers = args.workers or (os.cpu_count() or 1) * 2 + 1
            command = [PY, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--workers", str(workers), "--no-ws"]
            command += ["--blocking-threads", "1", "config.wsgi:application"]
        with gunicorn_log.open("w") as out:
            gunicorn = subprocess.Popen(  # noqa: S603 - this interpreter
                command,
                cwd=ROOT,
                env=gunicorn_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        host = f"http://127.0.0.1:{port}"
        wait_until_up(f"{host}/readyz", gunicorn, gunicorn_log)
        # Every worker compiles templates and opens its connections on its first requests;
        # those belong to start-up, not to the figures.
        warm = [f"/articles/{SEED_SLUG}/", "/", "/api/v1/claims/", "/search/?q=nucl%C3%A9aire"]
        warm += [f"/claims/{pk}/" for pk in from_db["claims"][:5]]
        for _ in range(4):
            for path in warm:
                with urllib.request.urlopen(host + path, timeout=30) as response:  # noqa: S310
                    response.read()
        print(
            f"{args.server} on {host}; locust: {args.users} users, at most {args.run_time} and "
            f"{args.max_requests} requests",
            flush=True,
        )
        locust_env = {
            **os.environ,
            "LOADTEST_ARTICLE_SLUG": SEED_SLUG,
            "LOADTEST_ARTICLE_PK": str(from_db["pk"]),
            "LOADTEST_CLAIM_IDS": ",".join(map(str, from_db["claims"])),
            "LOADTEST_TAGS": ",".join(from_db["tags"]),
            "LOADTEST_SESSIONS": str(sessions_file),
            "LOADTEST_TOKENS": str(tokens_file),
            "LOADTEST_MAX_REQUESTS": str(args.max_requests),
        }
        locust = shutil.which("locust", path=str(Path(PY).parent)) or "locust"
        subprocess.run(  # noqa: S603 - locust from this virtualenv
            [
                locust,
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--stop-timeout",
                "10",
                "--host",
                host,
                "--csv",
                str(work / "locust"),
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=(work / "locust.log").open("w"),
        )
        return report(work / "locust_stats.csv", args.p99_target_ms)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if not args.keep:
            admin_execute(args.postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"logs and locust CSV files: {work}")


if __name__ == "__main__":
    sys.exit(main())
