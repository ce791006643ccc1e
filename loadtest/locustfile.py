"""Load profile for Assay: readers browsing, a few of them posting, integrators paging the API.

Run through loadtest/run.py, which prepares the database and the server and passes, in the
environment, what the users visit:

  LOADTEST_ARTICLE_SLUG, LOADTEST_ARTICLE_PK   the seed article
  LOADTEST_CLAIM_IDS                           comma-separated public claim ids
  LOADTEST_TAGS                                comma-separated tag slugs
  LOADTEST_SESSIONS                            a JSON file: session keys of posting accounts
  LOADTEST_TOKENS                              a JSON file: read API tokens of integrators
  LOADTEST_MAX_REQUESTS                        stop after this many requests (0: no limit)

Mix (by number of simulated users): 8 readers : 2 integrators : 1 poster.
- Reader (waits 1-3 s): the seed article page most often, then claim pages, the article list,
  a tag page and a search.
- Integrator (waits 1-2 s, each with its own read token): pages through /api/v1/claims/
  following `next`, lists the seed article's comments and the articles.
- Poster (waits 6-12 s, under the per-user posting limit): opens the seed article and posts a
  comment with the page's CSRF token, as the form does.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

import gevent
from locust import HttpUser, between, events, task

ARTICLE_SLUG = os.environ.get("LOADTEST_ARTICLE_SLUG", "")
ARTICLE_PK = os.environ.get("LOADTEST_ARTICLE_PK", "")
CLAIM_IDS = [c for c in os.environ.get("LOADTEST_CLAIM_IDS", "").split(",") if c]
TAGS = [t for t in os.environ.get("LOADTEST_TAGS", "").split(",") if t]
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "0") or 0)
SEARCHES = ["nucléaire", "data centres", "énergie", "Chine", "electricity"]

_sessions_file = os.environ.get("LOADTEST_SESSIONS", "")
SESSIONS: list[str] = json.load(open(_sessions_file)) if _sessions_file else []  # noqa: SIM115
_next_session = itertools.cycle(SESSIONS or [""])
_tokens_file = os.environ.get("LOADTEST_TOKENS", "")
TOKENS: list[str] = json.load(open(_tokens_file)) if _tokens_file else []  # noqa: SIM115
_next_token = itertools.cycle(TOKENS or [""])
_served = itertools.count(1)


_environments: list[Any] = []


@events.request.add_listener
def _stop_after_max_requests(**_: Any) -> None:
    # Bounded in requests as well as in time (--run-time).
    if MAX_REQUESTS and next(_served) == MAX_REQUESTS:
        for environment in _environments:
            if environment.runner is not None:
                gevent.spawn(environment.runner.quit)


@events.init.add_listener
def _remember_environment(environment: Any, **_: Any) -> None:
    _environments.append(environment)


def _article_path() -> str:
    return f"/articles/{ARTICLE_SLUG}/"


class Reader(HttpUser):
    weight = 8
    wait_time = between(1, 3)

    @task(5)
    def seed_article(self) -> None:
        self.client.get(_article_path(), name="article page (seed)")

    @task(3)
    def claim_page(self) -> None:
        if CLAIM_IDS:
            self.client.get(f"/claims/{random.choice(CLAIM_IDS)}/", name="claim page")  # noqa: S311

    @task(2)
    def article_list(self) -> None:
        self.client.get("/", name="article list")

    @task(1)
    def tag_page(self) -> None:
        if TAGS:
            self.client.get(f"/tags/{random.choice(TAGS)}/", name="tag page")  # noqa: S311

    @task(1)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="search")  # noqa: S311


class Integrator(HttpUser):
    weight = 2
    wait_time = between(1, 2)

    def on_start(self) -> None:
        token = next(_next_token)
        if token:
            self.client.headers["Authorization"] = f"Bearer {token}"

    @task(3)
    def page_through_claims(self) -> None:
        url: str | None = "/api/v1/claims/"
        for _ in range(3):
            if not url:
                break
            with self.client.get(url, name="API claims list", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    break
                url = response.json().get("next")

    @task(2)
    def seed_comments(self) -> None:
        self.client.get(
            "/api/v1/comments/", params={"article": ARTICLE_PK}, name="API comments list"
        )

    @task(1)
    def articles(self) -> None:
        self.client.get("/api/v1/articles/", name="API articles list")


class Poster(HttpUser):
    weight = 1
    wait_time = between(6, 12)

    def on_start(self) -> None:
        session_key = next(_next_session)
        if session_key:
            self.client.cookies.set("sessionid", session_key)

    @task
    def post_comment(self) -> None:
        self.client.get(_article_path(), name="article page (poster)")
        token = self.client.cookies.get("csrftoken")
        # Over plain HTTP on loopback the Secure cookies set by production settings would not
        # be sent back; a TLS-terminating proxy makes this unnecessary in production.
        for cookie in self.client.cookies:
            cookie.secure = False
        with self.client.post(
            f"/comments/post/{ARTICLE_PK}/",
            data={"body": "Load test: what was the share in 2023?", "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="post a comment",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
