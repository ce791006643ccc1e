"""The topic lexicon the suggester tags with: `except:` phrases, the words a sentence implies a
topic by (migration claims 0017), and a lexicon whose keywords do not collide across topics."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from claims.models import Topic
from editorial.suggestion import EXCEPT, load_lexicon, score_sentence

pytestmark = pytest.mark.django_db

LEXICON_0017 = import_module("claims.migrations.0017_topic_lexicon_implied_words")


def _tags(sentence: str) -> set[str]:
    slug_of = {entry.tag: entry.slug for entry in load_lexicon()}
    return {slug_of[tag] for tag in score_sentence(sentence, load_lexicon()).tags}


def test_a_keyword_inside_an_except_phrase_does_not_count() -> None:
    Topic.objects.all().delete()
    Topic.objects.create(name="energy", slug="energy", keywords="gas\nexcept: greenhouse gas\n")

    assert _tags("Gas prices doubled in 2022.") == {"energy"}
    assert _tags("Greenhouse gas emissions fell by 4 % last year.") == set()
    # a match outside the phrase still counts, and the phrase's stems match plurals too
    assert _tags("Greenhouse gases rose while gas imports fell.") == {"energy"}
    assert _tags("Greenhouse gases rose by 2 %.") == set()


def test_an_except_line_is_not_a_keyword_and_any_case_works() -> None:
    Topic.objects.all().delete()
    Topic.objects.create(name="energy", slug="energy", keywords="réseau\nEXCEPT: réseau social\n")

    assert _tags("Le réseau social a perdu 3 millions d'abonnés en 2025.") == set()
    assert _tags("Le réseau a tenu pendant la vague de froid de 2012.") == {"energy"}
    assert _tags("Le mot except ne tague rien en 2025.") == set()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le refroidissement liquide a fait baisser le PUE du site à 1,15.", {"energy"}),
        ("The campus sends its waste heat to a district heating network.", {"energy"}),
        ("Un quart des foyers avaient un climatiseur en 2020.", {"energy"}),
        ("Le Kazakhstan extrait 40 % de l'uranium du monde.", {"energy"}),
        (
            "The company added 12,000 ASICs, lifting its hashrate by a third.",
            {"decentralised-compute"},
        ),
        ("Greenhouse gas emissions from shipping rose by 5 %.", {"climate"}),
        ("Le pays a exporté 89 TWh nets en 2024.", {"energy"}),
        ("Paris a voulu faire barrage au projet de loi en 2024.", set()),
    ],
)
def test_the_lexicon_tags_topics_a_sentence_implies_and_not_lookalikes(
    sentence: str, expected: set[str]
) -> None:
    assert _tags(sentence) == expected


def test_every_keyword_tags_its_own_topic_and_no_other_unless_shared() -> None:
    """A keyword of one topic that another topic's stems also match tags both topics wherever
    it appears: `climat` once matched `climatisation`. Only laws on chips are meant to be both
    geopolitics and semiconductors."""
    shared = {"règlement européen sur les puces", "Chips Act"}
    lexicon = load_lexicon()
    for topic in Topic.objects.all():
        for keyword in topic.keyword_list():
            if keyword.lower().startswith(EXCEPT):
                continue
            tags = set(score_sentence(keyword, lexicon).tags)
            assert topic.name in tags, keyword
            if keyword not in shared:
                assert tags == {topic.name}, (keyword, tags)


def test_the_migration_leaves_an_edited_topic_alone_and_goes_back() -> None:
    previous = LEXICON_0017._previous()
    energy = Topic.objects.get(slug="energy")
    assert "PUE" in energy.keyword_list()
    assert "exportation" not in Topic.objects.get(slug="geopolitics").keyword_list()

    LEXICON_0017.backward(apps, None)
    assert Topic.objects.get(slug="energy").keyword_list() == previous["energy"]
    assert Topic.objects.get(slug="geopolitics").keyword_list() == previous["geopolitics"]

    climate = Topic.objects.get(slug="climate")
    climate.keywords += "carbon budget\n"
    climate.save()
    LEXICON_0017.forward(apps, None)
    assert "PUE" in Topic.objects.get(slug="energy").keyword_list()
    assert "exportation" not in Topic.objects.get(slug="geopolitics").keyword_list()
    assert "méthane" not in Topic.objects.get(slug="climate").keyword_list()  # edited: left alone
