"""A large post page dump for the import benchmark, generated: the Gate English layout with
varied comments (one to three lines, every footer form, relative and month-day times)."""

from __future__ import annotations

import random

POST = [
    "Everyone is arguing about which AI model is smartest this week. Almost nobody is asking "
    "where the electricity comes from.",
    "Data-centre consumption was about 415 TWh in 2024 and could more than double by 2030. "
    "Grids were built for flat demand.",
    "Miners own what AI companies want: land, substations and power contracts. Expect more "
    "hosting deals.",
    "#AI #Bitcoin #Energy",
]
CHROME = [
    "This page may contain third-party content, which is provided for information purposes "
    "only. Gate does not guarantee the accuracy or validity of such content. See the Disclaimer "
    "section for details.",
    "{likes} Likes",
    "Reward",
    "{likes}",
    "{comments}",
    "Repost",
    "Share",
    "Comment",
    "0/400",
]
WORDS = [
    *[
        "grid",
        "power",
        "nuclear",
        "chips",
        "substation",
        "contract",
        "miners",
        "load",
        "curtailment",
    ],
    *["transformer", "interconnection", "reactor", "wind", "solar", "storage", "price", "demand"],
    *[
        "capacity",
        "Texas",
        "Ireland",
        "France",
        "the",
        "a",
        "is",
        "not",
        "only",
        "but",
        "and",
        "so",
        "who",
        "pays",
    ],
]
TIMES = ["just now", "{n}m ago", "{n}h ago", "{n}d ago", "12-{d:02d} {h:02d}:{m:02d}"]
FOOTERS = ["Reply {n}", "View originalReply{n}", "Reply"]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 24))
    return " ".join(words).capitalize() + rng.choice([".", "?", "!", ""])


def _comment(rng: random.Random, number: int) -> list[str]:
    time = rng.choice(TIMES).format(
        n=rng.randint(1, 59), d=rng.randint(1, 28), h=rng.randint(0, 23), m=rng.randint(0, 59)
    )
    lines = [f"reader_{number}", f"· {time}"]
    lines += [_sentence(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    lines.append(rng.choice(FOOTERS).format(n=rng.randint(0, 40)))
    return lines


def gate_dump(size_bytes: int, *, seed: int = 7) -> tuple[str, int]:
    """A dump of about `size_bytes` (UTF-8) and the number of comments in it."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    lines = list(POST) + [line.format(likes=12, comments=7) for line in CHROME]
    size = sum(len(line.encode()) + 1 for line in lines)
    comments = 0
    while size < size_bytes:
        block = _comment(rng, comments)
        lines += block
        size += sum(len(line.encode()) + 1 for line in block)
        comments += 1
    return "\n".join(lines) + "\n", comments
