"""Claim suggestion: sentences, check-worthiness, topic tags, idempotent suggested claims."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Claim, Topic
from claims.services import claims_reject
from devtools.evaluation.suggestion import evaluate, load_labelled
from editorial.checkworthiness import load_model
from editorial.importers import decode_dump, parse_post_dump
from editorial.services.suggestion import article_suggest_claims
from editorial.suggestion import load_lexicon, score_sentence, split_sentences
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "devtools" / "data" / "demo" / "gate-post-fr.txt"
LABELLED = Path(__file__).parent / "data" / "labelled"
ENERGY, GEOPOLITICS, COMPUTE = "energy", "geopolitics", "decentralised compute"

# The seed's sentences that must be suggested (a distinctive fragment of each) and the tag
# each must carry. "Les réseaux actuels ne pourront pas suivre ce qui s'annonce" is left out
# either way: the labelling guideline (devtools/data/suggestion/README.md) calls a prediction
# with no date, figure or source not check-worthy, and the model learned that.
SEED_EXPECTED = {
    "restrictions sur les semi-conducteurs": GEOPOLITICS,
    "Huang pousse fortement pour l’intégration du nucléaire": ENERGY,
    "Certains sites consomment déjà autant d’énergie": ENERGY,
    "Chaque nœud blockchain": COMPUTE,
    "Le nucléaire est peut-être la seule voie": ENERGY,
}
SEED_NOT_SUGGESTED = (
    "Les enjeux ?",
    "Colossaux.",
    "Il s’agit tout simplement",
    "Mais voici le retournement",
    "Réfléchissez aux implications",
    "L’angle géopolitique compte également.",
    "C’est aussi simple que cela.",
)


@pytest.fixture
def seed_article():  # type: ignore[no-untyped-def]
    body = parse_post_dump(decode_dump(SEED.read_bytes())).body
    return ArticleFactory(body=body, language="fr", slug="gate-post")


def test_sentences_carry_exact_offsets() -> None:
    body = "Premier paragraphe. Il compte 2 phrases.\n\nSecond : 65 % en 2023 ! Fin."

    sentences = split_sentences(body, "fr")

    assert [s.text for s in sentences] == [
        "Premier paragraphe.",
        "Il compte 2 phrases.",
        "Second : 65 % en 2023 !",
        "Fin.",
    ]
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_the_seed_lexicon_is_installed() -> None:
    assert set(Topic.objects.values_list("name", flat=True)) >= {ENERGY, GEOPOLITICS, COMPUTE}


def test_seed_post_suggestions_cover_its_factual_sentences_with_tags(seed_article) -> None:  # type: ignore[no-untyped-def]
    result = article_suggest_claims(article=seed_article)

    claims = list(Claim.objects.filter(article=seed_article).prefetch_related("tags"))
    assert len(claims) == len(result.created) >= 6
    for fragment, tag in SEED_EXPECTED.items():
        matching = [c for c in claims if fragment in c.quote]
        assert matching, f"not suggested: {fragment}"
        assert tag in matching[0].tags.names(), (fragment, list(matching[0].tags.names()))
    for fragment in SEED_NOT_SUGGESTED:
        assert not [c for c in claims if fragment in c.quote], f"suggested: {fragment}"
    for claim in claims:
        assert claim.status == Claim.Status.SUGGESTED
        assert seed_article.body[claim.start : claim.end] == claim.quote
        assert load_model().threshold <= claim.check_worthiness <= 1
        reason = claim.history.get().history_change_reason
        assert reason.startswith("Suggested: rules ") and "; model " in reason


def test_platform_boilerplate_scores_zero() -> None:
    for line in (
        "Cette page peut inclure du contenu de tiers fourni à des fins d'information uniquement.",
        "Voir l'originalRépondre0",
        "Subscribe to our newsletter for 50 % off.",
    ):
        assert score_sentence(line).value == 0


def test_running_the_suggestion_twice_creates_nothing_new(seed_article) -> None:  # type: ignore[no-untyped-def]
    first = article_suggest_claims(article=seed_article)
    second = article_suggest_claims(article=seed_article)

    assert second.created == [] and second.existing == len(first.created)
    assert Claim.objects.filter(article=seed_article).count() == len(first.created)


def test_a_rejected_suggestion_does_not_come_back(seed_article, editor) -> None:  # type: ignore[no-untyped-def]
    first = article_suggest_claims(article=seed_article)
    claims_reject(claims=first.created[:2], by=editor)

    article_suggest_claims(article=seed_article)

    assert Claim.objects.filter(article=seed_article, status="rejected").count() == 2
    assert Claim.objects.filter(article=seed_article).count() == len(first.created)


def test_a_sentence_already_marked_by_an_editor_is_not_suggested_again(seed_article) -> None:  # type: ignore[no-untyped-def]
    fragment = "Les réseaux actuels ne pourront pas suivre"
    start = seed_article.body.index(fragment)
    Claim.objects.create(
        article=seed_article,
        quote=fragment,
        start=start,
        end=start + len(fragment),
        status="accepted",
    )

    article_suggest_claims(article=seed_article)

    overlapping = [c for c in Claim.objects.filter(article=seed_article) if fragment in c.quote]
    assert len(overlapping) == 1 and overlapping[0].status == "accepted"


def test_editing_the_lexicon_in_admin_changes_the_tags(editor, login) -> None:  # type: ignore[no-untyped-def]
    article = ArticleFactory(
        body="Hydrogen electrolysers in Chile will produce 25 million tonnes by 2030.",
        language="en",
    )
    client = login(editor)
    response = client.post(
        reverse("admin:claims_topic_add"),
        {
            "name": "hydrogen",
            "slug": "hydrogen",
            "description": "",
            "keywords": "hydrogène\nhydrogen",
        },
    )
    assert response.status_code == 302

    claim = article_suggest_claims(article=article).created[0]

    assert "hydrogen" in claim.tags.names()


def test_suggest_claims_command(seed_article) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("suggest_claims", "gate-post", stdout=out)
    assert "claim(s) suggested for 'gate-post'" in out.getvalue()
    assert Claim.objects.filter(article=seed_article, status="suggested").count() >= 6

    with pytest.raises(CommandError, match="no article"):
        call_command("suggest_claims", "no-such-article")
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("suggest_claims", "gate-post", "--threshold", "3")


def test_admin_action_suggests_then_editor_accepts_in_bulk(seed_article, editor, login) -> None:  # type: ignore[no-untyped-def]
    client = login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "suggest_claims", "_selected_action": [seed_article.pk], "index": 0},
    )
    suggested = list(Claim.objects.filter(article=seed_article, status="suggested"))
    assert len(suggested) >= 6

    client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "accept_claims", "_selected_action": [c.pk for c in suggested], "index": 0},
    )

    assert Claim.objects.filter(article=seed_article, status="accepted").count() == len(suggested)


def test_precision_and_recall_on_the_labelled_set() -> None:
    texts = [
        load_labelled(p.read_text(encoding="utf-8"), name=p.name) for p in LABELLED.glob("*.txt")
    ]
    assert len(texts) >= 6

    report = evaluate(texts, lexicon=load_lexicon())

    assert report.total.tp + report.total.fn >= 30
    assert report.total.precision >= 0.8
    assert report.total.recall >= 0.75


def test_suggest_eval_command_prints_the_figures() -> None:
    out = StringIO()
    call_command("suggest_eval", stdout=out)
    assert "precision=" in out.getvalue() and "recall=" in out.getvalue()


def test_a_malformed_labelled_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_text("# lang: fr\n* not a label\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("suggest_eval", str(bad))
