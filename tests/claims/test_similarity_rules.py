"""The rules that keep apart claims embeddings cannot: figures and places, and how a score
becomes a match."""

from __future__ import annotations

import numpy as np
import pytest

from claims.similarity.figures import Figure, figures, figures_conflict
from claims.similarity.matching import Match, Side, Thresholds, compare
from claims.similarity.places import places, places_conflict
from claims.similarity.text import guess_language

THRESHOLDS = Thresholds(same=0.5, related=0.25)


@pytest.mark.parametrize(
    ("a", "lang_a", "b", "lang_b"),
    [
        ("L’EPR a une puissance de 1\u202f650 MW.", "fr", "The EPR delivers 1.65 GW.", "en"),
        ("1 300 MWh", "fr", "1,300 MWh", "en"),
        ("1,3 GWh", "fr", "1,300 MWh", "en"),
        ("Un et demi pour cent", "fr", "1.5%", "en"),
        ("soixante-quinze mille habitants", "fr", "75,000 people", "en"),
        ("les deux tiers de l’électricité", "fr", "67 % of the electricity", "en"),
        ("half a percentage point", "en", "50 basis points", "en"),
        ("under a two-decade contract", "en", "pour les vingt prochaines années", "fr"),
        ("$65bn", "en", "65 milliards de dollars", "fr"),
    ],
)
def test_one_figure_written_two_ways_is_the_same_figure(
    a: str, lang_a: str, b: str, lang_b: str
) -> None:
    assert figures(a, lang_a), a
    assert not figures_conflict(figures(a, lang_a), figures(b, lang_b)), (
        figures(a, lang_a),
        figures(b, lang_b),
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("65 % in 2023", "70 % in 2023"),
        ("415 TWh in 2024", "415 TWh in 2022"),
        ("two thirds of it", "65 % of it"),
        ("1.5 TWh", "150 TWh"),
        ("expected to double by 2030", "expected to triple by 2030"),
        ("$65bn", "$165bn"),
    ],
)
def test_different_figures_conflict(a: str, b: str) -> None:
    assert figures_conflict(figures(a, "en"), figures(b, "en"))


def test_a_figure_left_out_on_one_side_is_no_conflict() -> None:
    assert not figures_conflict(figures("415 TWh in 2024", "en"), figures("415 TWh", "en"))
    assert not figures_conflict(figures("about 415 TWh", "en"), figures("no figure", "en"))


def test_language_decides_how_a_comma_reads() -> None:
    assert figures("1,300", "en") == (Figure(1300.0, None),)
    assert figures("1,3", "fr") == (Figure(1.3, None),)
    assert figures("2 billion", "fr")[0].value == 2e12  # a French billion is 10^12


def test_a_lone_article_is_not_the_number_one() -> None:
    assert figures("Une centrale produit de l’électricité.", "fr") == ()
    assert figures("one of the largest", "en") == ()


def test_places_in_french_and_english() -> None:
    assert places("Les data centers irlandais") == {"ireland"}
    assert places("In Ireland") == {"ireland"}
    assert places_conflict(places("in Ireland"), places("au Danemark"))
    assert not places_conflict(places("in Ireland"), places("à Dublin, en Irlande"))
    assert not places_conflict(places("in Ireland"), places("data centres everywhere"))


def test_language_guess() -> None:
    assert guess_language("Les centres de données consomment de l’électricité.") == "fr"
    assert guess_language("Data centres consume a lot of electricity.") == "en"


def _side(text: str, vector: list[float], language: str = "en") -> Side:
    v = np.asarray(vector, dtype=np.float32)
    return Side.of([(text, language)], [v / np.linalg.norm(v)])


def test_a_high_score_is_the_same_claim_unless_the_figures_differ() -> None:
    a = _side("Nuclear made 65 % of French power in 2023.", [1, 0.1, 0])
    b = _side("Nuclear made 65 % of French power in 2023, RTE says.", [1, 0.12, 0])
    c = _side("Nuclear made 70 % of French power in 2023.", [1, 0.11, 0])
    assert compare(a, b, THRESHOLDS).match == Match.SAME
    differ = compare(a, c, THRESHOLDS)
    assert differ.match == Match.RELATED and differ.figures_differ


def test_places_that_differ_are_related_not_same() -> None:
    a = _side("Data centres use 21 % of Ireland's electricity.", [1, 0, 0])
    b = _side("Data centres use 21 % of Denmark's electricity.", [1, 0.05, 0])
    result = compare(a, b, THRESHOLDS)
    assert result.match == Match.RELATED and result.places_differ


def test_a_statement_that_agrees_is_enough() -> None:
    """A French quote with an English statement: the better of the two counts."""
    quote = np.asarray([0.6, 0.8, 0], dtype=np.float32)
    statement = np.asarray([1, 0, 0], dtype=np.float32)
    claim = Side.of(
        [("Les centres ont consommé 415 TWh.", "fr"), ("Data centres used 415 TWh.", None)],
        [quote, statement],
    )
    text = _side("Data centres used 415 TWh.", [1, 0, 0])
    result = compare(text, claim, THRESHOLDS)
    assert result.score == pytest.approx(1.0)
    assert result.match == Match.SAME


def test_below_the_related_threshold_is_no_match() -> None:
    a = _side("a", [1, 0, 0])
    b = _side("b", [0.1, 1, 0])
    assert compare(a, b, THRESHOLDS).match is None
