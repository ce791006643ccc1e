"""Claim suggestion: split an article into sentences, score how check-worthy each one is, tag it
from the topic lexicon, and store the best as suggested claims anchored to their exact span.

The score is a sum of transparent cues, in French and English, each with a reason an editor
can read in admin:

- figures and units (65 %, 415 TWh, 3 billion dollars), years;
- comparisons and superlatives (more than, as much as, the only, record, sans précédent);
- named entities (capitalised names inside the sentence, acronyms such as IEA or RTE);
- causal statements (because, due to, à cause de) and predictions (will, d'ici 2030, ne
  pourront pas, devrait);
- verbs of measurable facts (consume, produce, export, restrict) and general statements
  (every, all, chaque);
- the topic lexicon (a sentence on a topic we cover is worth more).

Questions, very short sentences, calls to the reader, first-person opinion, rhetorical
fillers and metaphors lose points; platform boilerplate (share, reply, disclaimers) scores 0.

`suggest_run` combines that score with a learned probability (editorial.checkworthiness: a
logistic regression on the sentence's multilingual embedding) and keeps, for each suggestion,
a "why" an editor can read; without the encoder or the weights the rules decide alone, and the
why says so (docs/editorial.md, "How claim suggestion works").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claims.models import Topic
from claims.similarity.embedder import Embedder, EmbedderUnavailable, get_embedder
from claims.topics import QUOTED, read_keyword_lines
from core.text import split_sentences

if TYPE_CHECKING:
    from editorial.checkworthiness import CheckWorthinessModel
    from editorial.tagger import TagDecision, TopicTagger

# the learned models (numpy, their weights) load with the first suggestion, not with every
# process that imports the editorial app

DEFAULT_THRESHOLD = 0.35
MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class Score:
    value: float
    reasons: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    quote: str
    score: float
    reasons: tuple[str, ...]
    tags: tuple[str, ...]
    # what editors read: the rules that fired, the model's probability, the combination, and
    # which tags came from the lexicon and which from the model
    why: str = ""


@dataclass(frozen=True)
class TopicEntry:
    tag: str
    # each keyword as a tuple of normalised word stems, matched in sequence
    keywords: tuple[tuple[str, ...], ...]
    slug: str = ""
    # phrases (`except: …` lines) inside which a keyword does not count: "gas" tags energy,
    # but not inside "greenhouse gas"
    exceptions: tuple[tuple[str, ...], ...] = ()


# --- text normalisation --------------------------------------------------------------------------


_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss"}
)


def fold(text: str) -> str:
    """Typographic apostrophes and dashes made plain, ligatures spelt out (nœud: noeud), accents
    removed; the case is kept."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2014", " - ")
    text = text.replace("\u2013", " - ").replace("\u00a0", " ").replace("\u202f", " ")
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lowercase, typographic apostrophes and dashes made plain, accents removed."""
    return fold(text).lower()


_WORD = re.compile(r"[a-z0-9]+")
_CASED_WORD = re.compile(r"[A-Za-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class Tokens:
    """A text's words, lowercased for stems and names, as written for acronyms."""

    lower: tuple[str, ...]
    cased: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        cased = tuple(_CASED_WORD.findall(fold(text)))
        return cls(tuple(word.lower() for word in cased), cased)

    def __len__(self) -> int:
        return len(self.lower)


def _stem(word: str) -> str:
    """A crude, language-neutral stem: enough to match plural and gender endings. A word of up
    to five letters is kept whole and matched exactly (with a plural s or x): `Intel` must not
    match "intelligence", nor `coal` "coalition"; longer words lose their ending and match as
    a prefix."""
    if len(word) <= 5:
        return word + _EXACT
    if len(word) <= 7:
        return word[:-1]
    return word[:-2]


_EXACT = "="
_CASED = "^"


def _keyword_stems(line: str) -> tuple[str, ...]:
    """The stems of one keyword line (claims.topics says how each kind of word matches): an
    acronym as written, a name or a quoted word whole, any other word on its stem."""
    quoted = QUOTED.match(line)
    text = quoted.group(1) if quoted else line
    stems = []
    for word in _CASED_WORD.findall(fold(text)):
        if word.isupper():
            stems.append(_CASED + word)
        elif word[0].isupper() or quoted:
            stems.append(word.lower() + _EXACT)
        else:
            stems.append(_stem(word.lower()))
    return tuple(stems)


def _word_matches(stem: str, word: str, cased: str) -> bool:
    if stem.startswith(_CASED):
        base = stem[len(_CASED) :]
        return cased in (base, base + "s")
    if stem.endswith(_EXACT):
        base = stem[: -len(_EXACT)]
        return word == base or word in (base + "s", base + "x")
    return word.startswith(stem)


# --- sentence splitting --------------------------------------------------------------------------


# --- cues ----------------------------------------------------------------------------------------

_UNITS = (
    r"%|pour ?cent|percent|per cent|[kmgt]wh|[kmgt]w|watts?|terawatts?|gigawatts?|megawatts?"
    r"|tonnes?|tons?|km|kilometres?|kilometers?|barils?|barrels?|habitants|homes|foyers"
    r"|cores|coeurs|noeuds|nodes|reacteurs|reactors|pays|countries"
)
FIGURE_WITH_UNIT = re.compile(rf"\d[\d\s.,]*\s?({_UNITS})\b")
MONEY = re.compile(
    r"([$€£]\s?\d)|(\d[\d\s.,]*\s?(dollars?|euros?|\$|€|milliards?|billions?|millions?|bn)\b)"
)
YEAR = re.compile(r"\b(19|20)\d\d\b")
NUMBER = re.compile(r"\b\d+([.,]\d+)?\b")
UNIT_WORD = re.compile(r"\b(terawatts?|gigawatts?|megawatts?|twh|gwh|mwh)\b")
NUMBER_WORDS = re.compile(
    r"\b(double[rs]?|doubled|tripler|triple[ds]?|twice|moitie|half|dizaines?|centaines?"
    r"|milliers|thousands|hundreds|dozens?|quinzaine|vingtaine|multiplie[es]* par \w+)\b"
)
COMPARISON = re.compile(
    r"\b(plus (de|d'|que|qu'|grand|grande|eleve|bas|haut|important)|moins (de|d'|que|qu')"
    r"|autant|davantage|record|sans precedent|le plus|la plus|les plus|premiers?|premieres?"
    r"|seule?s?|inferieure?s?|superieure?s?|depasse\w*|equivalent\w*|plus bas|plus haut"
    r"|more than|less than|fewer than|as much as|as many as|than|most|largest|biggest|highest"
    r"|lowest|unprecedented|only|first|exceed\w*|equivalent|up from|down from)\b"
)
CAUSAL = re.compile(
    r"\b(parce que|a cause d|en raison d|grace a|du fait d|entraine|entrainent|provoqu\w+"
    r"|c'est pourquoi"
    r"|because|due to|caused|causes|leads? to|led to|results? in|as a result|thanks to"
    r"|which helps|driven by)"
)
PREDICTIVE = re.compile(
    r"\b(sera|seront|pourra|pourront|devra|devront|suffira|suffiront|va|vont|devrait|devraient"
    r"|pourrait|pourraient|d'ici|prevoit|prevoient|s'annonce|a l'avenir|\w{3,}eront|\w{3,}iront"
    r"|will|won't|would|is expected|are expected|expects?|forecast\w*|by 20\d\d|going to"
    r"|projected|likely to)\b"
)
FACT_VERBS = re.compile(
    r"\b(consomm\w*|produi\w*|produc\w*|represent\w*|atteint|fourni\w*|export\w*|import\w*"
    r"|exploit\w*|accueill\w*|emet\w*|emi\w*|restrei\w*|restrict\w*|interdi\w*|investi\w*"
    r"|construi\w*|consum\w*|accounts? for|reach\w*|suppl\w*|emit\w*|cost\w*|ban\w*|built"
    r"|draws?|used|uses|runs?|operat\w*|raccord\w*|compte|comptent|rationn\w*|pays|paid)\b"
)
TREND = re.compile(
    r"\b(se rarefi\w*|augment\w*|diminu\w*|croiss\w*|hausse|baisse|recul\w*|grow\w*|rising"
    r"|rose|declin\w*|fell|fall\w*|scarce|tombee?s?|chute\w*|cut|moved|deplace\w*|renforc\w*"
    r"|tighten\w*|durci\w*)\b"
)
GENERALISATION = re.compile(r"\b(chaque|tous|toutes|aucun|aucune|every|all|none|most)\b")

QUESTION = re.compile(r"\?\s*[\"»”)]?\s*$")
ADDRESS_READER = re.compile(
    r"^((mais|et|alors|so|and|but) )?(reflechissez|imaginez|pensez|regardez|voyez|lisez"
    r"|partagez|abonnez|laissez|cliquez|decouvrez|parlons|notez|voici|voila|rappelons|souvenez"
    r"|think|imagine|consider|look|read|share|subscribe|click|join|let's|let us|here is"
    r"|here's|remember|note that|don't|see)\b"
)
OPINION = re.compile(
    r"\b(je pense|je crois|a mon avis|selon moi|mon attention|nous aimons|j'ai l'impression"
    r"|i think|i believe|in my view|in my opinion|we love|we think|i love|to me)\b"
)
FILLER = re.compile(
    r"(tout simplement|aussi simple que|simple as that|plain and simple|a mediter"
    r"|c'est fascinant|could not be higher|remarkable|les enjeux|what does this mean"
    r"|the future belongs|le debat reste ouvert|question de choix|nobody should be surprised"
    r"|personne ne (devrait|sera) surpris)"
)
METAPHOR = re.compile(r"(une nouvelle forme de|en quelque sorte|a new kind of|a new form of)")
BOILERPLATE = re.compile(
    r"(voir l'original|repondre\d*$|^j'aime$|^\d+ j'aime|reposter|^partager$|^commentaire$"
    r"|cette page peut inclure|ne garantit ni|conseil financier|section avertissement"
    r"|subscribe|newsletter|share this|click here|all rights reserved|cookies|sign up"
    r"|read more|abonnez-vous|partagez cet|laissez-nous un commentaire|join the discussion"
    r"|^\d+/\d+$)"
)
# Capitalised words that are not names at the start of a clause.
_NOT_NAMES = {
    "le", "la", "les", "l", "un", "une", "des", "ce", "cette", "il", "elle", "ils", "nous",
    "mais", "et", "en", "a", "au", "selon", "the", "an", "in", "on", "it", "this", "that",
    "but", "and", "we", "i", "they", "most", "some", "certains", "chaque",
}  # fmt: skip
_GENERIC_ACRONYMS = {"IA", "AI", "PDG", "CEO", "OK"}
_CAPITALISED = re.compile(r"(?<![.!?]\s)\b([A-ZÀ-Ý][\w\u2019'-]+|[A-Z]{2,}\d*)\b")


def _named_entities(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised names inside the sentence. Every sentence starts with a capital, so its first
    word counts only when the text uses it as a name elsewhere (`known`) or when it follows an
    elided article ("L'Allemagne", but not "L'angle")."""
    names = []
    for match in _CAPITALISED.finditer(text):
        token = match.group(1)
        bare = token.split("\u2019")[-1].split("'")[-1]
        if not bare or not bare[0].isupper():
            continue
        if bare in _GENERIC_ACRONYMS or normalise(bare) in _NOT_NAMES:
            continue
        elided = bare != token
        if match.start() == 0 and not elided and bare not in known:
            continue
        names.append(bare)
    return names


def names_in(sentences: Iterable[str]) -> frozenset[str]:
    """Names used inside sentences of a text (not as their first word)."""
    return frozenset(name for text in sentences for name in _named_entities(text))


def _matches(phrase: Sequence[str], tokens: Tokens) -> Iterator[int]:
    """Where the stems of `phrase` match consecutive tokens (start positions)."""
    n = len(phrase)
    lower, cased = tokens.lower, tokens.cased
    for i in range(len(lower) - n + 1):
        if all(_word_matches(phrase[j], lower[i + j], cased[i + j]) for j in range(n)):
            yield i


def _topic_tags(tokens: Tokens, lexicon: Sequence[TopicEntry]) -> tuple[str, ...]:
    tags: list[str] = []
    for entry in lexicon:
        excluded = {
            i + j
            for phrase in entry.exceptions
            for i in _matches(phrase, tokens)
            for j in range(len(phrase))
        }
        for keyword in entry.keywords:
            if any(
                not excluded.issuperset(range(i, i + len(keyword)))
                for i in _matches(keyword, tokens)
            ):
                tags.append(entry.tag)
                break
    return tuple(tags)


def score_sentence(
    text: str, lexicon: Sequence[TopicEntry] = (), known_names: frozenset[str] = frozenset()
) -> Score:
    """How check-worthy a sentence is, in [0, 1], with the reasons and the topic tags."""
    plain = normalise(text).strip()
    tokens = _WORD.findall(plain)
    tags = _topic_tags(Tokens.of(text), lexicon)
    if BOILERPLATE.search(plain):
        return Score(0.0, ("platform boilerplate",), ())
    value = 0.0
    reasons: list[str] = []

    def cue(points: float, reason: str) -> None:
        nonlocal value
        value += points
        reasons.append(f"{reason} ({points:+.2f})")

    if FIGURE_WITH_UNIT.search(plain) or MONEY.search(plain):
        cue(0.35, "figure with a unit")
    elif NUMBER.search(YEAR.sub(" ", plain)):
        cue(0.25, "figure")
    elif YEAR.search(plain):
        cue(0.15, "date")
    elif UNIT_WORD.search(plain) or NUMBER_WORDS.search(plain):
        cue(0.1, "quantity")
    if COMPARISON.search(plain):
        cue(0.2, "comparison or superlative")
    if _named_entities(text, known_names):
        cue(0.15, "named entity")
    if CAUSAL.search(plain):
        cue(0.15, "causal statement")
    if PREDICTIVE.search(plain):
        cue(0.3, "prediction")
    if FACT_VERBS.search(plain):
        cue(0.1, "measurable action")
    if TREND.search(plain):
        cue(0.1, "trend")
    if GENERALISATION.search(plain):
        cue(0.1, "general statement")
    if tags:
        cue(min(0.1 * len(tags), 0.2), "topic: " + ", ".join(tags))

    if QUESTION.search(plain):
        cue(-0.5, "question")
    if len(tokens) < 5:
        cue(-0.5, "too short")
    elif len(tokens) < 8:
        cue(-0.1, "short")
    if ADDRESS_READER.search(plain):
        cue(-0.4, "addresses the reader")
    if OPINION.search(plain):
        cue(-0.3, "opinion")
    if FILLER.search(plain):
        cue(-0.3, "rhetoric")
    if METAPHOR.search(plain):
        cue(-0.2, "metaphor")
    return Score(round(min(max(value, 0.0), 1.0), 3), tuple(reasons), tags)


# --- lexicon and suggestions ---------------------------------------------------------------------


def lexicon_from_topics(topics: Iterable[Topic]) -> list[TopicEntry]:
    """Each topic's keywords and `except:` phrases as stems (claims.topics reads the lines)."""
    entries = []
    for topic in topics:
        lines = read_keyword_lines(topic.keywords)
        keywords = tuple(stems for stems in map(_keyword_stems, lines.keywords) if stems)
        exceptions = tuple(stems for stems in map(_keyword_stems, lines.exceptions) if stems)
        entries.append(TopicEntry(topic.name, keywords, topic.slug, exceptions))
    return entries


def load_lexicon() -> list[TopicEntry]:
    return lexicon_from_topics(Topic.objects.order_by("name"))


class DefaultModel:
    """`suggest_for_text(model=…)` not given: the committed model and the process's embedder."""


DEFAULT = DefaultModel()


@dataclass(frozen=True)
class _Learned:
    model: CheckWorthinessModel
    probabilities: Sequence[float]


@dataclass(frozen=True)
class _Embedded:
    """The sentences' vectors (None: why there are none), for both learned models."""

    vectors: Any
    embedder: Embedder | None
    problem: str = ""


def _embed(texts: Sequence[str], wanted: bool, embedder: Embedder | None) -> _Embedded:
    if not wanted:
        return _Embedded(None, None, "model off")
    try:
        embedder = embedder or get_embedder()
        return _Embedded(embedder.encode(texts) if texts else None, embedder)
    except EmbedderUnavailable as exc:
        return _Embedded(None, None, f"model unavailable ({exc})")


def _learned_scores(
    texts: Sequence[str],
    model: CheckWorthinessModel | DefaultModel | None,
    embedded: _Embedded,
) -> _Learned | str:
    """The model's probability for each text, or why there is none (rules alone then)."""
    if model is None:
        return "model off"
    from editorial.checkworthiness import ModelUnavailable, load_model

    try:
        if isinstance(model, DefaultModel):
            model = load_model()
    except ModelUnavailable as exc:
        return f"model unavailable ({exc})"
    if embedded.embedder is None:
        return embedded.problem
    if embedded.embedder.version != model.embedder_version:
        return f"model fitted to {model.embedder_version}, embedder is {embedded.embedder.version}"
    if embedded.vectors is None:
        return _Learned(model, [])
    return _Learned(model, [float(p) for p in model.probabilities(embedded.vectors)])


def _usable_tagger(
    tagger: TopicTagger | DefaultModel | None, embedded: _Embedded
) -> TopicTagger | str:
    """The tagger to combine with the lexicon, or why the lexicon tags alone."""
    if tagger is None:
        return "tagger off"
    from editorial.checkworthiness import ModelUnavailable
    from editorial.tagger import load_tagger

    try:
        if isinstance(tagger, DefaultModel):
            tagger = load_tagger()
    except ModelUnavailable as exc:
        return f"tagger unavailable ({exc})"
    if embedded.embedder is None:
        return embedded.problem
    if embedded.embedder.version != tagger.embedder_version:
        return (
            f"tagger fitted to {tagger.embedder_version}, embedder is {embedded.embedder.version}"
        )
    return tagger


def decide_tags(
    tags: Sequence[str],
    lexicon: Sequence[TopicEntry],
    tagger: TopicTagger | str,
    vector: Any,
) -> tuple[tuple[str, ...], str]:
    """A sentence's topic names (the lexicon's `tags`, combined with the tagger when there is
    one) and the "why" of its tags: which came from the lexicon, which from the model. The
    tagger works on slugs; a topic it does not know is tagged by the lexicon alone, and it
    never adds a topic the lexicon (the admin's topics) does not have."""
    if isinstance(tagger, str) or vector is None:
        shown = ", ".join(tags) or "none"
        reason = tagger if isinstance(tagger, str) else "no vector"
        return tuple(tags), f"tags: lexicon {shown} (lexicon alone: {reason})"
    slug_of = {entry.tag: entry.slug or entry.tag for entry in lexicon}
    name_of = {slug: tag for tag, slug in slug_of.items()}
    decision: TagDecision = tagger.decide(
        [slug_of.get(t, t) for t in tags], vector, [slug_of[e.tag] for e in lexicon]
    )
    names = tuple(name_of.get(slug, slug) for slug in decision.slugs)
    return names, decision.why()


def _rules_why(score: Score) -> str:
    cues = ", ".join(score.reasons) if score.reasons else "no cue"
    return f"rules {score.value:.2f}: {cues}"


@dataclass(frozen=True)
class TagRun:
    # for each sentence: its topic names and the why of its tags
    tags: list[tuple[tuple[str, ...], str]]
    # "lexicon + model", or "lexicon alone: <why the tagger did not run>"
    tagger: str


LEXICON_AND_MODEL = "lexicon + model"


def tag_sentences(
    texts: Sequence[str],
    lexicon: Sequence[TopicEntry],
    *,
    known_names: frozenset[str] = frozenset(),
    tagger: TopicTagger | DefaultModel | None = DEFAULT,
    embedder: Embedder | None = None,
) -> TagRun:
    """The topic tags of sentences, as suggest_run gives them (lexicon, then the tagger)."""
    embedded = _embed(texts, tagger is not None, embedder)
    usable = _usable_tagger(tagger, embedded)
    tags = []
    for index, text in enumerate(texts):
        vector = None if embedded.vectors is None else embedded.vectors[index]
        lexicon_tags = score_sentence(text, lexicon, known_names).tags
        tags.append(decide_tags(lexicon_tags, lexicon, usable, vector))
    state = LEXICON_AND_MODEL if not isinstance(usable, str) else f"lexicon alone: {usable}"
    return TagRun(tags, state)


@dataclass(frozen=True)
class SuggestionRun:
    suggestions: list[Suggestion]
    # "rules + model", or "rules alone: <why the model did not run>"
    scorer: str

    @property
    def learned(self) -> bool:
        return self.scorer == RULES_AND_MODEL


RULES_AND_MODEL = "rules + model"


def suggest_for_text(
    body: str,
    language: str,
    *,
    lexicon: Sequence[TopicEntry],
    threshold: float | None = None,
    model: CheckWorthinessModel | DefaultModel | None = DEFAULT,
    embedder: Embedder | None = None,
    tagger: TopicTagger | DefaultModel | None = DEFAULT,
) -> list[Suggestion]:
    """Check-worthy sentences of a text, in text order (`suggest_run` says which scorer)."""
    return suggest_run(
        body,
        language,
        lexicon=lexicon,
        threshold=threshold,
        model=model,
        embedder=embedder,
        tagger=tagger,
    ).suggestions


def suggest_run(
    body: str,
    language: str,
    *,
    lexicon: Sequence[TopicEntry],
    threshold: float | None = None,
    model: CheckWorthinessModel | DefaultModel | None = DEFAULT,
    embedder: Embedder | None = None,
    tagger: TopicTagger | DefaultModel | None = DEFAULT,
) -> SuggestionRun:
    """Check-worthy sentences of a text, in text order, and the scorer that chose them.

    Each sentence gets the rules' score and, when the model and the embedder are available,
    the model's probability; the two are combined with the model's `rule_weight` and the
    sentence is suggested at or above the model's threshold. Without the model (no weights,
    embedder unavailable or of another version, `model=None`) the rules' score decides alone,
    at DEFAULT_THRESHOLD, and the "why" says so. `threshold` overrides either threshold.
    Platform boilerplate is never suggested.

    Tags: the lexicon's, combined with the learned tagger (editorial.tagger) when it and the
    embedder are available (`tagger=None`: the lexicon alone); the why says which tag came
    from where."""
    every = split_sentences(body, language)
    known = names_in(s.text for s in every)
    sentences = [s for s in every if len(s.text) <= MAX_SENTENCE_CHARS]
    rules = [score_sentence(s.text, lexicon, known) for s in sentences]
    texts = [s.text for s in sentences]
    embedded = _embed(texts, model is not None or tagger is not None, embedder)
    learned = _learned_scores(texts, model, embedded)
    topic_tagger = _usable_tagger(tagger, embedded)
    suggestions = []
    for index, (sentence, score) in enumerate(zip(sentences, rules, strict=True)):
        boilerplate = score.reasons == ("platform boilerplate",)
        if isinstance(learned, _Learned):
            probability = learned.probabilities[index]
            value = 0.0 if boilerplate else learned.model.combine(score.value, probability)
            limit = learned.model.threshold if threshold is None else threshold
            why = (
                f"{_rules_why(score)}; model {probability:.2f}; "
                f"combined {value:.2f} (threshold {limit:.2f})"
            )
        else:
            value = score.value
            limit = DEFAULT_THRESHOLD if threshold is None else threshold
            why = f"{_rules_why(score)} (threshold {limit:.2f}); rules alone: {learned}"
        if value >= limit and not boilerplate:
            vector = None if embedded.vectors is None else embedded.vectors[index]
            tags, tags_why = decide_tags(score.tags, lexicon, topic_tagger, vector)
            suggestions.append(
                Suggestion(
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    round(value, 3),
                    score.reasons,
                    tags,
                    f"{why}; {tags_why}",
                )
            )
    scorer = RULES_AND_MODEL if isinstance(learned, _Learned) else f"rules alone: {learned}"
    return SuggestionRun(suggestions, scorer)
