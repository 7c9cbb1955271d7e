"""How search reads a query: its words, what each may stand for, the vocabulary it uses.

A query is analysed like the documents (``analysis.py``). Each word stands for its own stem
and, when the catalogue does not know it, for the words it is a likely typo of (``spelling.py``);
the last word may be unfinished and also stands for the words it begins. A word naming the
person a request is for ("mon père") counts less. Phrases of the vocabulary found in the query
(``vocabulary.py``), also through a corrected or completed word, group the words they cover into
one *concept* and bring what they mean, the rows they name and the life events they evoke.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guichet.catalogue.analysis import Token, is_person_word, stem, tokens
from guichet.catalogue.indexing import SearchData
from guichet.catalogue.spelling import completions
from guichet.catalogue.vocabulary import Rule, RuleMatch

PREFIX_FACTOR = 0.75
KNOWN_PREFIX_FACTOR = 0.5  # "cni" may be finished, or the start of "cnil"
TYPO_FACTORS = {1: 0.8, 2: 0.65}
# "décès de mon père": the person a request is for is context, the need is the rest.
PERSON_WORD_WEIGHT = 0.5
MIN_PREFIX_LENGTH = 3
MAX_COMPLETIONS = 10
MAX_QUERY_WORDS = 12
MAX_QUERY_LENGTH = 500


@dataclass
class QueryWord:
    """A word of the query and the stems it stands for, each with its factor."""

    token: Token
    alternatives: dict[str, float]
    correction: str | None = None  # the folded word an unknown word was corrected to
    weight: float = 1.0  # less for a word that says who the request is for
    # Completions of a word that is already known: scored, but too unsure to bring vocabulary.
    weak: set[str] = field(default_factory=set)

    def phrase_alternatives(self) -> dict[str, float]:
        """Return the stems vocabulary phrases may be matched with."""
        return {term: f for term, f in self.alternatives.items() if term not in self.weak}


@dataclass
class Concept:
    """Query words searched as one idea: a word, or words that vocabulary phrases cover."""

    start: int
    end: int
    matches: list[RuleMatch] = field(default_factory=list)


@dataclass
class Query:
    """A query as search reads it."""

    text: str
    words: list[QueryWord]
    concepts: list[Concept]

    def stems(self) -> set[str]:
        """Return every stem that a matching document may contain."""
        found = {s for word in self.words for s in word.alternatives}
        for concept in self.concepts:
            for match in concept.matches:
                found.update(s for meaning in match.rule.means for s in meaning)
        return found

    def terms(self) -> tuple[str, ...]:
        ordered = [s for word in self.words for s in word.alternatives]
        for concept in self.concepts:
            for match in concept.matches:
                ordered.extend(s for meaning in sorted(match.rule.means) for s in meaning)
        return tuple(dict.fromkeys(ordered))

    def rules(self) -> list[Rule]:
        return [match.rule for concept in self.concepts for match in concept.matches]


def _query_word(token: Token, last: bool, data: SearchData, corrections: bool) -> QueryWord:
    word = QueryWord(token, {}, weight=PERSON_WORD_WEIGHT if is_person_word(token.word) else 1.0)
    known = token.stem in data.known_stems
    if known:
        word.alternatives[token.stem] = 1.0
    if last and len(token.word) >= MIN_PREFIX_LENGTH and not token.word.isdigit():
        found = completions(data.sorted_words, token.word, data.word_frequency, MAX_COMPLETIONS)
        for completed in found:
            completed_stem = stem(completed)
            if completed_stem not in word.alternatives:
                word.alternatives[completed_stem] = KNOWN_PREFIX_FACTOR if known else PREFIX_FACTOR
                if known:
                    word.weak.add(completed_stem)
        if found:
            return word
    if not known and corrections:
        for corrected, distance in data.spelling.corrections(token.word):
            corrected_stem = stem(corrected)
            factor = TYPO_FACTORS[distance]
            if word.alternatives.get(corrected_stem, 0.0) < factor:
                word.alternatives[corrected_stem] = factor
            word.correction = word.correction or corrected
    return word


def _concepts(count: int, matches: list[RuleMatch]) -> list[Concept]:
    """Group the query words into concepts: overlapping vocabulary phrases make one concept."""
    concepts: list[Concept] = []
    covered: dict[int, Concept] = {}
    for match in sorted(matches, key=lambda m: (m.start, -m.end)):
        concept = covered.get(match.start)
        if concept is None:
            concept = Concept(match.start, match.end)
            concepts.append(concept)
        concept.end = max(concept.end, match.end)
        concept.matches.append(match)
        for position in range(match.start, concept.end):
            covered[position] = concept
    for position in range(count):
        if position not in covered:
            concepts.append(Concept(position, position + 1))
    concepts.sort(key=lambda c: c.start)
    return concepts


def read_query(text: str, data: SearchData, *, corrections: bool = True) -> Query:
    """Return ``text`` as search reads it: words, their alternatives, vocabulary concepts.

    Without ``corrections``, unknown words are not taken for typos.
    """
    found: list[Token] = []
    seen: set[str] = set()
    for token in tokens(text[:MAX_QUERY_LENGTH]):
        if token.stem not in seen:
            seen.add(token.stem)
            found.append(token)
    found = found[:MAX_QUERY_WORDS]
    words = [_query_word(t, i == len(found) - 1, data, corrections) for i, t in enumerate(found)]
    matches = data.vocabulary.find([word.phrase_alternatives() for word in words])
    return Query(text, words, _concepts(len(words), matches))
