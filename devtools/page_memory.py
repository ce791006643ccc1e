"""Peak memory of one process serving an article page with every comment shown.

    DATABASE_URL=... python -m devtools.page_memory SLUG [--runs 2]

Run by `manage.py bench` in a process of its own against its scratch database, so what it
prints is what a web worker holds: Django and Assay imported, one anonymous request for the
article with the top-level page size lifted (every comment of the thread on one page), the page
cache bypassed. Modules of distributions that Assay's own dependencies do not bring (test and
benchmark tools of the `dev` extra, which some libraries import when they find them) are made
unimportable first, as on a server installed with `pip install .`; `--all-installed` keeps them.
It prints one JSON line: the process's resident memory before the request and
its peak (the kernel's high-water mark, which covers what Python allocates and what it frees
again), tracemalloc's peak for the request alone in a second run, the page's size and the
number of comments on it.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata as metadata
import io
import json
import os
import re
import sys
import tracemalloc
from pathlib import Path
from typing import Any

# what every virtual environment holds, Assay's dependencies or not
_ALWAYS = frozenset({"pip", "setuptools", "pkg_resources", "_distutils_hack"})
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(name: str, extras: frozenset[str], found: dict[str, metadata.Distribution]) -> None:
    """`name` and every distribution it requires (with the extras asked for), installed."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return
    key = _key(dist.metadata["Name"])
    if key in found and not extras:
        return
    found[key] = dist
    for requirement in dist.requires or []:
        marker = _EXTRA.search(requirement)
        if marker and marker.group(1) not in extras:
            continue
        match = _REQUIREMENT.match(requirement)
        if match:
            wanted = frozenset(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
            _closure(match.group(1), wanted, found)


def _top_level(dist: metadata.Distribution) -> set[str]:
    listed = dist.read_text("top_level.txt")
    if listed:
        return set(listed.split())
    names = set()
    for file in dist.files or []:
        head = str(file).split("/")[0]
        if head.endswith(".py"):
            names.add(head[:-3])
        elif "." not in head and "-" not in head and head != "__pycache__":
            names.add(head)
    return names


def block_unrequired_modules() -> list[str]:
    """Make the modules of distributions outside Assay's dependency closure unimportable
    (sys.modules[name] = None: `import name` raises ImportError, as where it is not
    installed). Returns their names."""
    needed: dict[str, metadata.Distribution] = {}
    _closure("assay", frozenset(), needed)
    kept = set(_ALWAYS)
    for dist in needed.values():
        kept |= _top_level(dist)
    blocked = set()
    for dist in metadata.distributions():
        if _key(dist.metadata["Name"]) not in needed:
            blocked |= _top_level(dist) - kept
    blocked = {name for name in blocked if name.isidentifier() and name not in sys.modules}
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    return sorted(blocked)


def _status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mib() -> float:
    """Resident memory now."""
    return _status_mib("VmRSS")


def _peak_mib() -> float:
    """The resident high-water mark of this program. Not getrusage's ru_maxrss: that one
    survives exec, so it would report the (larger) process that started this one."""
    return _status_mib("VmHWM")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("slug")
    parser.add_argument(
        "--all-installed",
        action="store_true",
        help="Let libraries import the dev extra's packages they find (as in a dev venv).",
    )
    args = parser.parse_args(argv)
    if not args.all_installed:
        block_unrequired_modules()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    # as a production worker: no debug, the whole thread on one page, no page cache (the page
    # is rendered, not read back); set before the first request reads them
    settings.DEBUG = False
    settings.COMMENT_TOP_LEVEL_PAGE_SIZE = 10**9
    settings.PAGE_CACHE_SECONDS = 0
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    application = get_wsgi_application()
    path = f"/articles/{args.slug}/"

    def get(url: str) -> tuple[str, bytes]:
        """One GET straight through the WSGI handler, as gunicorn calls it (Django's test
        client would import the test utilities, which no worker holds)."""
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "QUERY_STRING": "",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "HTTP_X_FORWARDED_PROTO": "https",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(line)
            return None

        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return status[0], body

    # one small request first: templates, translations and URL patterns loaded, as in a
    # worker that has served before
    get("/healthz")
    gc.collect()
    before = _rss_mib()
    status, body = get(path)
    peak = _peak_mib()
    size = len(body)
    comments = body.count(b'<li class="comment-item')
    del body
    gc.collect()
    tracemalloc.start()
    get(path)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "status": int(status.split()[0]),
                "rss_before_mib": round(before, 1),
                "peak_rss_mib": round(peak, 1),
                "request_traced_peak_mib": round(traced, 1),
                "page_kib": round(size / 1024),
                "comments_shown": comments,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
