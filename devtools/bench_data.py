"""The benchmark's data set, written with bulk inserts into a scratch database.

Rows get explicit primary keys so a whole comment tree (parents, roots, sort paths, reply
counters) is computed in memory and inserted in a few statements; sequences are reset afterwards
so the measured writes (posting a reply) get fresh ids as in production.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article
from claims.models import Claim, ClaimSeries, Evidence
from discussions.models import PATH_SEGMENT_WIDTH, Comment
from discussions.rendering import render_comment_markdown
from energy.models import Observation, Series

TOPICS = [
    "energy",
    "nuclear",
    "renewables",
    "electricity",
    "data-centres",
    "geopolitics",
    "china",
    "france",
    "grids",
    "gas",
    "coal",
    "solar",
    "wind",
    "hydro",
    "storage",
    "ai",
    "compute",
    "emissions",
    "prices",
    "demand",
]
SENTENCES = [
    "France produced {n} TWh of electricity from nuclear power in {y}.",
    "Data centres used around {n} TWh of electricity worldwide in {y}.",
    "La Chine a installé {n} GW de solaire en {y}.",
    "Grid connection queues grew by {n} % in {y}.",
    "Le nucléaire représentait {n} % de l'électricité française en {y}.",
    "Wind and solar supplied {n} % of European demand in {y}.",
]
COMMENT_BODIES = [
    "I am not sure the **{n} TWh** figure holds; see the [report](https://example.org/r{n}).",
    "Bonne remarque. Le chiffre de {n} % me paraît *optimiste*.",
    "> {n} GW\n\nThat is nameplate capacity, not generation.",
    "Source? The grid operator published {n} different numbers this year.",
    "Merci pour le lien, je regarde ça ce soir ({n}).",
]


@dataclass(frozen=True)
class Scale:
    comments: int
    chain_depth: int
    top_level: int
    claims: int
    claims_on_article: int
    evidence_per_claim: int
    series: int
    observations: int
    users: int

    @classmethod
    def full(cls) -> Scale:
        return cls(
            comments=10_000,
            chain_depth=500,
            top_level=1_500,
            claims=1_000,
            claims_on_article=30,
            evidence_per_claim=3,
            # 1,000 points a series in the full and the quick set alike: the table grows, the
            # charts on a claim page stay the same size.
            series=1_000,
            observations=1_000_000,
            users=300,
        )

    @classmethod
    def quick(cls) -> Scale:
        return cls(
            comments=2_000,
            chain_depth=100,
            top_level=300,
            claims=200,
            claims_on_article=30,
            evidence_per_claim=3,
            series=50,
            observations=50_000,
            users=60,
        )

    @classmethod
    def small(cls) -> Scale:
        """The same shapes, tiny: query counts must match the large set."""
        return cls(
            comments=60,
            chain_depth=10,
            top_level=15,
            claims=30,
            claims_on_article=30,
            evidence_per_claim=3,
            series=5,
            observations=500,
            users=10,
        )


@dataclass
class BenchData:
    article: Article
    claim: Claim
    deepest_comment_id: int
    users: list[Any]
    counts: dict[str, int]


def _batched(rows: Sequence[models.Model], size: int) -> Iterator[Sequence[models.Model]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(model: type[models.Model], rows: Sequence[models.Model], size: int = 2000) -> None:
    for chunk in _batched(rows, size):
        model._default_manager.bulk_create(chunk, batch_size=size)


def _next_id(model: type[models.Model]) -> int:
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0) + 1


def _body(rng: random.Random, sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        template = rng.choice(SENTENCES)
        parts.append(template.format(n=rng.randint(2, 900), y=rng.randint(1990, 2025)))
    return " ".join(parts)


def _sentence_spans(body: str, limit: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    while len(spans) < limit:
        end = body.find(".", start)
        if end == -1:
            break
        spans.append((start, end + 1))
        start = end + 2
    return spans


def build(scale: Scale, *, label: str, seed: int = 7) -> BenchData:
    """Create one benchmark article (with its thread and claims) and the surrounding tables."""
    rng = random.Random(f"{seed}-{label}")  # noqa: S311 - benchmark data, not security
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        user_model = get_user_model()
        password = make_password(None)
        first_user = _next_id(user_model)
        users = [
            user_model(
                pk=first_user + i,
                username=f"bench-{label}-{i}",
                email=f"bench-{label}-{i}@example.org",
                password=password,
            )
            for i in range(scale.users)
        ]
        _bulk(user_model, users)
        counts["users"] = len(users)

        # Articles: the measured one, plus enough others to carry the remaining claims.
        per_other = 10
        others = max(0, -(-(scale.claims - scale.claims_on_article) // per_other))
        first_article = _next_id(Article)
        articles = []
        for i in range(others + 1):
            articles.append(
                Article(
                    pk=first_article + i,
                    title=f"Bench {label} article {i}: nuclear, grids and data centres",
                    slug=f"bench-{label}-{i}",
                    body=_body(rng, scale.claims_on_article + 10 if i == 0 else per_other + 4),
                    language="fr" if i % 2 else "en",
                    status=Article.Status.PUBLISHED,
                    source_name="Bench",
                    published_at=now - dt.timedelta(days=i),
                )
            )
        _bulk(Article, articles)
        counts["articles"] = len(articles)
        article = articles[0]

        tags = [Tag(name=f"{name}", slug=f"{name}") for name in TOPICS]
        existing = set(Tag.objects.filter(slug__in=TOPICS).values_list("slug", flat=True))
        Tag.objects.bulk_create([t for t in tags if t.slug not in existing])
        tag_ids = list(Tag.objects.filter(slug__in=TOPICS).values_list("pk", flat=True))

        first_claim = _next_id(Claim)
        claims: list[Claim] = []
        for i, art in enumerate(articles):
            limit = scale.claims_on_article if i == 0 else per_other
            for start, end in _sentence_spans(art.body, limit):
                if len(claims) >= scale.claims:
                    break
                claims.append(
                    Claim(
                        pk=first_claim + len(claims),
                        article=art,
                        quote=art.body[start:end],
                        start=start,
                        end=end,
                        statement=art.body[start:end],
                        status=Claim.Status.PUBLISHED,
                        verdict=rng.choice(["accurate", "misleading", "inaccurate"]),
                        verdict_summary="Checked against the grid operator's yearly figures.",
                        verdict_as_of=dt.date(2025, 1, 1),
                        published_at=now,
                    )
                )
        _bulk(Claim, claims)
        counts["claims"] = len(claims)
        claim_type = ContentType.objects.get_for_model(Claim)
        article_type = ContentType.objects.get_for_model(Article)
        tagged = [
            TaggedItem(tag_id=tag_id, content_type=claim_type, object_id=c.pk)
            for c in claims
            for tag_id in rng.sample(tag_ids, 3)
        ]
        tagged += [
            TaggedItem(tag_id=tag_id, content_type=article_type, object_id=a.pk)
            for a in articles
            for tag_id in rng.sample(tag_ids, 2)
        ]
        _bulk(TaggedItem, tagged)
        evidence = [
            Evidence(
                claim=c,
                url=f"https://example.org/{label}/evidence/{c.pk}/{k}",
                title=f"Evidence {k} for claim {c.pk}",
                publisher="Example Publisher",
                stance=["supports", "refutes", "context"][k % 3],
                excerpt="An excerpt of the source that supports or refutes the claim.",
                ok=True,
                http_status=200,
            )
            for c in claims
            for k in range(scale.evidence_per_claim)
        ]
        _bulk(Evidence, evidence)
        counts["evidence"] = len(evidence)

        first_series = _next_id(Series)
        series = [
            Series(
                pk=first_series + i,
                source=Series.Source.CSV,
                dataset=f"https://example.org/{label}/series-{i}.csv",
                entity="France" if i % 2 else "World",
                metric=f"bench_{i}",
                title=f"Bench {label} series {i}",
                unit="TWh",
                frequency=Series.Frequency.DAILY,
                license="CC BY 4.0",
                attribution="Bench",
                status=Series.Status.OK,
            )
            for i in range(scale.series)
        ]
        _bulk(Series, series)
        per_series = max(1, scale.observations // max(1, scale.series))
        start_day = dt.date(1990, 1, 1)
        observations: list[Observation] = []
        total = 0
        for s in series:
            for d in range(per_series):
                observations.append(
                    Observation(
                        series=s,
                        period=start_day + dt.timedelta(days=d),
                        value=round(100 + 50 * rng.random(), 3),
                    )
                )
            if len(observations) >= 50_000:
                _bulk(Observation, observations, size=5000)
                total += len(observations)
                observations = []
        _bulk(Observation, observations, size=5000)
        counts["observations"] = total + len(observations)
        # the measured claim shows its data: link it to a few series, one with an assertion
        measured_claim = claims[0]
        links = [
            ClaimSeries(
                claim=measured_claim,
                series=s,
                origin=ClaimSeries.Origin.EDITOR,
                status=ClaimSeries.Status.CONFIRMED,
            )
            for s in series[:3]
        ]
        _bulk(ClaimSeries, links)

        deepest = _build_thread(rng, scale, article=article, users=users)
        counts["comments"] = scale.comments
        _reset_sequences()
    return BenchData(
        article=article,
        claim=measured_claim,
        deepest_comment_id=deepest,
        users=users,
        counts=counts,
    )


def _build_thread(rng: random.Random, scale: Scale, *, article: Article, users: list[Any]) -> int:
    """A thread of `scale.comments` comments: one reply chain `chain_depth` deep, many short
    threads, replies 1-4 deep. Returns the id of the deepest comment of the chain."""
    bodies = [
        (text, render_comment_markdown(text))
        for text in (b.format(n=n) for b in COMMENT_BODIES for n in range(12))
    ]
    first = _next_id(Comment)
    rows: list[Comment] = []
    child_counts: dict[int, int] = {}

    def add(parent: Comment | None) -> Comment:
        pk = first + len(rows)
        body, html = rng.choice(bodies)
        comment = Comment(
            pk=pk,
            article=article,
            author=rng.choice(users),
            body=body,
            body_html=html,
            like_count=rng.randint(0, 40),
        )
        if parent is not None:
            rank = child_counts.get(parent.pk, 0) + 1
            child_counts[parent.pk] = rank
            comment.parent_id = parent.pk
            comment.root_id = parent.root_id or parent.pk
            comment.depth = parent.depth + 1
            comment.path = parent.path + f"{rank:0{PATH_SEGMENT_WIDTH}d}"
        rows.append(comment)
        return comment

    chain = add(None)
    for _ in range(scale.chain_depth):
        chain = add(chain)
    deepest = chain.pk
    shallow: list[Comment] = [add(None) for _ in range(scale.top_level)]
    while len(rows) < scale.comments:
        parent = rng.choice(shallow)
        reply = add(parent)
        if reply.depth < 4:
            shallow.append(reply)
    for comment in rows:
        comment.child_count = child_counts.get(comment.pk, 0)
    # parents come before their replies: ids ascend with insertion order
    _bulk(Comment, rows, size=1000)
    return deepest


def _reset_sequences() -> None:
    """After explicit ids, make the next INSERT of each table pick a fresh id (PostgreSQL)."""
    from django.apps import apps

    sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
