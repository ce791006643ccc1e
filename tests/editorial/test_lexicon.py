"""The topic lexicon the suggester tags with: names, acronyms, quoted phrases and `except:`
phrases, the words a sentence implies a topic by (migration claims 0017), everyday words it
must leave alone, a lexicon whose keywords do not collide across topics, and the admin's check
of the lines an editor writes."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from claims.models import Topic
from claims.topics import read_keyword_lines
from editorial.suggestion import load_lexicon, normalise, score_sentence

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
        for keyword in read_keyword_lines(topic.keywords).keywords:
            tags = set(score_sentence(keyword.strip('"'), lexicon).tags)
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


def test_names_acronyms_and_quoted_words_match_whole() -> None:
    Topic.objects.all().delete()
    Topic.objects.create(
        name="energy", slug="energy", keywords='Fortum\nPUE\n"battery"\nréacteur\n'
    )

    assert _tags("Fortum sold its stake in Uniper in 2023.") == {"energy"}
    assert _tags("FORTUM SOLD ITS STAKE IN 2023.") == {"energy"}  # a name, whatever its case
    assert _tags("Fortunately the vote passed in 2023.") == set()
    assert _tags("Le site vise un PUE de 1,2 en 2026.") == {"energy"}
    assert _tags("Ça pue dans le métro depuis 2024.") == set()  # an acronym only in capitals
    assert _tags("Its battery stores 4 GWh since 2024.") == {"energy"}
    assert _tags("The coast was battered by storms in 2024.") == set()
    assert _tags("Deux réacteurs ont redémarré en 2024.") == {"energy"}  # a stem, as before


def test_ligatures_are_spelt_out() -> None:
    assert normalise("Un nœud, une œuvre, Ørsted") == "un noeud, une oeuvre, orsted"


EVERYDAY = [
    "The central bank raised rates again.",
    "This question is central to the debate.",
    "La Centrafrique a signé un accord.",
    "Le gouvernement veut centraliser les achats.",
    "La centrale syndicale appelle à la grève.",
    "Fortunately, the board approved the plan.",
    "The spring equinox falls on 20 March.",
    "She moved to Tennessee in 2010.",
    "Un journaliste chevronné a signé l'enquête.",
    "Prosecutors are charging him with fraud.",
    "Banks are charging higher fees to small firms.",
    "The coast was battered by storms last winter.",
    "Ça pue dans le métro depuis lundi.",
    "The drug pipeline of the company looks thin.",
    "Our data pipeline processes 3 TB a day.",
    "These remarks fuel fears of a recession.",
    "A barrage of missiles hit the city overnight.",
    "Un barrage de police bloquait la route.",
    "Le Sénat a fait barrage au texte en 2024.",
    "She was heating the soup when the phone rang.",
    "Un chauffard a renversé un piéton.",
    "Le courant de la Seine est fort en hiver.",
    "Le courant passe bien entre eux.",
    "Miso soup is served with every meal.",
    "Groundwater recharge has fallen by a third.",
    "The study was validated by peers in 2023.",
    "La validation du projet a pris deux ans.",
    "The plan aims at halving food waste by 2030.",
    "The firm is staking its future on China.",
    "The cobalt mining site in Katanga employs 3,000 people.",
    "Invasive species cost farmers billions each year.",
    "Google claimed quantum supremacy in 2019.",
    "Le méthanol est un solvant courant.",
    "The recorded temperature was 21 degrees in the office.",
    "The research team published its results in Nature.",
    "Il est déclaré d'utilité publique depuis 2022.",
    "Let us know what you think of the new design.",
]


@pytest.mark.parametrize("sentence", EVERYDAY)
def test_everyday_words_that_look_like_keywords_tag_nothing(sentence: str) -> None:
    assert _tags(sentence) == set()


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ("gaz\nexcept:\n", "Line 2: an 'except:' line needs a phrase after the colon"),
        ("gaz\n🔥\n", "Line 2: a keyword needs at least one letter or digit"),
        ('gaz\n"battery\n', "Line 2: put the whole phrase in double quotes, or none of it"),
        ("except: gaz à effet de serre\n", "only 'except:' lines: this topic would never tag"),
    ],
)
def test_the_admin_refuses_keyword_lines_it_cannot_read(keywords: str, message: str) -> None:
    topic = Topic(name="Test", slug="test", keywords=keywords)
    with pytest.raises(ValidationError) as refused:
        topic.full_clean()
    assert any(message in str(m) for m in refused.value.message_dict["keywords"])


def test_an_except_line_may_have_spaces_around_its_colon() -> None:
    lines = read_keyword_lines("gaz\nExcept : gaz à effet de serre\nexcept:greenhouse gas\n")
    assert lines.keywords == ("gaz",)
    assert lines.exceptions == ("gaz à effet de serre", "greenhouse gas")
    assert lines.problems == ()
