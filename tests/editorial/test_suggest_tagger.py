"""The learned topic tagger combined with the keyword lexicon: a tag only the model gives, a tag
the model removes, a topic only the lexicon knows (one editors add in admin), the why, and the
fallback to the lexicon alone."""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from claims.models import Topic
from editorial.checkworthiness import ModelUnavailable
from editorial.suggestion import load_lexicon, suggest_run, tag_sentences
from editorial.tagger import NEVER_ADD, NEVER_REMOVE, TagModel, TopicTagger, load_tagger
from tests.editorial.test_suggest_model import FAKE_MODEL, BrokenEmbedder, KeywordEmbedder

pytestmark = pytest.mark.django_db

# No keyword of the lexicon's geopolitics topic, but the (fake) tagger knows it is geopolitics.
IMPLIED = "Yesmodel Taiwan still makes about 90 % of the world's most advanced chips."
# The lexicon tags it energy; the fake tagger is sure it is not.
LEXICON_ENERGY = "Grid operators connected 3 GW of solar panels to the network in 2024."

# geopolitics: added at p >= 0.5 (p ~1 for a "Yesmodel" text); energy: removed at p <= 0.1
# (p ~0 for every other text); semiconductors: known, never added or removed
FAKE_TAGGER = TopicTagger(
    embedder_version="keyword-1",
    tags={
        "geopolitics": TagModel(np.array([20.0, -20.0]), 0.0, 0.5, NEVER_REMOVE),
        "energy": TagModel(np.array([20.0, -20.0]), 0.0, NEVER_ADD, 0.1),
        "semiconductors": TagModel(np.array([0.0, 0.0]), 0.0, NEVER_ADD, NEVER_REMOVE),
    },
)


def _run(body: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return suggest_run(
        body,
        "en",
        lexicon=load_lexicon(),
        model=FAKE_MODEL,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_tag_only_the_model_gives_is_added_and_the_why_says_so() -> None:
    run = _run(IMPLIED, embedder=KeywordEmbedder(), tagger=FAKE_TAGGER)

    [suggestion] = run.suggestions
    assert suggestion.tags == ("geopolitics", "semiconductors")
    assert suggestion.why.endswith("tags: lexicon semiconductors; model added geopolitics (1.00)")


def test_the_model_removes_a_lexicon_tag_it_is_sure_of_and_the_why_says_so() -> None:
    [suggestion] = _run(LEXICON_ENERGY, embedder=KeywordEmbedder(), tagger=FAKE_TAGGER).suggestions

    assert suggestion.tags == ()
    assert suggestion.why.endswith("tags: lexicon none; model removed energy (0.00)")


def test_a_topic_the_model_does_not_know_is_tagged_by_the_lexicon_alone() -> None:
    Topic.objects.create(name="weather", slug="weather", keywords="heatwave\ncanicule")
    sentence = "Grid operators said the 2025 heatwave cut solar output by 10 % in July."
    # the model knows energy (and removes it here), not "weather": the lexicon's tag stays
    tagger = TopicTagger("keyword-1", {"energy": FAKE_TAGGER.tags["energy"]})
    run = tag_sentences([sentence], load_lexicon(), tagger=tagger, embedder=KeywordEmbedder())
    [(tags, why)] = run.tags
    assert run.tagger == "lexicon + model"
    assert tags == ("weather",)
    assert why == "tags: lexicon weather; model removed energy (0.00)"


def test_the_model_never_adds_a_topic_the_lexicon_does_not_have() -> None:
    Topic.objects.filter(slug="geopolitics").delete()
    [suggestion] = _run(IMPLIED, embedder=KeywordEmbedder(), tagger=FAKE_TAGGER).suggestions

    assert "geopolitics" not in suggestion.tags


def test_without_the_encoder_the_lexicon_tags_alone_and_says_so() -> None:
    run = _run(LEXICON_ENERGY, embedder=BrokenEmbedder(), tagger=FAKE_TAGGER)

    [suggestion] = run.suggestions
    assert suggestion.tags == ("energy",)
    assert suggestion.why.endswith(
        "tags: lexicon energy (lexicon alone: model unavailable "
        "(OSError: weights.npz is not a zip file))"
    )


def test_a_tagger_fitted_to_another_embedder_is_not_used() -> None:
    other = TopicTagger("keyword-0", FAKE_TAGGER.tags)
    [suggestion] = _run(LEXICON_ENERGY, embedder=KeywordEmbedder(), tagger=other).suggestions

    assert suggestion.tags == ("energy",)
    assert "lexicon alone: tagger fitted to keyword-0, embedder is keyword-1" in suggestion.why


def test_the_tagger_file_round_trips_and_a_bad_file_is_refused() -> None:
    again = TopicTagger.from_json(FAKE_TAGGER.to_json())
    assert again.to_json() == FAKE_TAGGER.to_json()
    assert again.tags["energy"].remove_threshold == 0.1
    with pytest.raises(ModelUnavailable):
        TopicTagger.from_json('{"format": "something-else"}')


def test_the_committed_tagger_matches_the_committed_model_and_topics() -> None:
    from editorial.checkworthiness import load_model

    tagger = load_tagger()
    assert tagger.embedder_version == load_model().embedder_version
    slugs = {entry.slug for entry in load_lexicon()}
    assert set(tagger.tags) <= slugs
    assert all(len(m.weights) == 512 for m in tagger.tags.values())


class _Recording(KeywordEmbedder):
    def __init__(self) -> None:
        self.calls: list[Sequence[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts)


def test_the_sentences_are_embedded_once_for_both_models() -> None:
    embedder = _Recording()
    _run(f"{IMPLIED}\n{LEXICON_ENERGY}", embedder=embedder, tagger=FAKE_TAGGER)

    assert len(embedder.calls) == 1


def test_suggest_eval_can_tag_with_the_lexicon_alone() -> None:
    out = StringIO()
    call_command("suggest_eval", "--lexicon-only", stdout=out)

    text = out.getvalue()
    assert "scorer: rules + model" in text
    assert "tagger: lexicon alone: tagger off" in text
