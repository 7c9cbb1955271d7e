"""How a document scores for a query: BM25F over the analysed fields, and the vocabulary.

- **BM25F**: a stem found in a field counts with the field's weight (title 8, keywords 5,
  summary 3, body 1, agents' note 0.5), less in a longer field, with diminishing returns, and
  more for a stem few documents contain;
- each concept of the query (``search_query.py``) is scored by its best reading: the word as
  typed, a correction (×0.8 for one edit, ×0.65 for two), a completion (×0.75), what the
  vocabulary says it means (×0.8), or a row it names directly (as if in its title);
- two query words found side by side add a little;
- a procedure of a life event the query evokes gets a boost, kept apart (``Scored.boost``): it
  favours the event's procedures without making them match words they do not contain.

Combining concepts into a rank (the share of concepts matched) is done by ``search.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

from guichet.catalogue.indexing import BOUNDARY, SearchData
from guichet.catalogue.models import Article
from guichet.catalogue.search_backends import SearchableModel
from guichet.catalogue.search_query import Concept, Query
from guichet.catalogue.vocabulary import Phrase, RuleMatch

FIELD_WEIGHTS = (8.0, 5.0, 3.0, 1.0, 0.5)  # in the order of indexing.FIELDS
FIELD_LENGTH_NORMALISATION = (0.3, 0.5, 0.5, 0.75, 0.75)  # BM25's b, per field
K1 = 2.0
EXPANSION_FACTOR = 0.8
# A procedure named by the vocabulary scores as if the words were in its title, a procedure of
# an evoked life event about a third of that; an article linked to a named procedure, half.
HINT_FACTOR = 0.9
ARTICLE_HINT_FACTOR = 0.45
LIFE_EVENT_FACTOR = 0.35
PROXIMITY_FACTOR = 0.5


@dataclass
class Scored:
    """What one document scored: the sum of its concepts, side-by-side words, life events."""

    pk: int
    proximity: float
    boost: float
    total: float = 0.0
    terms: list[str] = field(default_factory=list)
    hits: list[bool] = field(default_factory=list)  # for each concept, whether it matched


class Scorer:
    """Score the documents of one model for one query (BM25F over the analysed fields)."""

    def __init__(self, model: SearchableModel, query: Query, data: SearchData) -> None:
        self.model = model
        self.query = query
        self.statistics = data.statistics(model)
        self.data = data
        self.wanted = query.stems()
        # What a word found once in the title of a document scores at most: the unit of what
        # the vocabulary points to.
        title_share = FIELD_WEIGHTS[0] / (K1 + FIELD_WEIGHTS[0])
        self.title_unit = title_share * math.log(1 + (self.statistics.count + 0.5) / 0.5)
        self._idf: dict[str, float] = {}

    def idf(self, term: str) -> float:
        """Return how telling a stem is: more for a stem few documents contain."""
        value = self._idf.get(term)
        if value is None:
            frequency = self.statistics.document_frequency.get(term, 0)
            count = self.statistics.count
            value = self._idf[term] = math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
        return value

    def score(self, pk: int, fields: tuple[tuple[str, ...], ...]) -> Scored:
        """Score a document, given its analysed fields."""
        reader = DocumentReader(fields, self)
        scored = Scored(pk, self._proximity(reader), self._life_event_boost(pk))
        for concept in self.query.concepts:
            value, terms = self._concept(pk, reader, concept)
            scored.hits.append(value > 0)
            scored.total += value
            scored.terms.extend(terms)
        return scored

    def _life_event_boost(self, pk: int) -> float:
        """Return the boost of a procedure of a life event the query evokes (a cue's words)."""
        if self.model is Article:
            return 0.0
        boost = 0.0
        for concept in self.query.concepts:
            best = 0.0
            for match in concept.matches:
                events = self.data.life_event_procedures
                if any(pk in events.get(event, ()) for event in match.rule.life_events):
                    words = match.end - match.start
                    best = max(best, match.factor * LIFE_EVENT_FACTOR * self.title_unit * words)
            boost += best
        return boost

    def _word(self, reader: DocumentReader, position: int) -> tuple[float, str | None]:
        word = self.query.words[position]
        best, best_term = 0.0, None
        for term, factor in word.alternatives.items():
            value = word.weight * factor * self.idf(term) * reader.saturation((term,))
            if value > best:
                best, best_term = value, term
        return best, best_term

    def _concept(
        self, pk: int, reader: DocumentReader, concept: Concept
    ) -> tuple[float, list[str]]:
        """Return the score of the concept's best reading, and every term of it found."""
        words = {p: self._word(reader, p) for p in range(concept.start, concept.end)}
        best = sum(value for value, _ in words.values())
        found = [term for _, term in words.values() if term]
        for match in concept.matches:
            value, terms = self._rule(pk, reader, match)
            found.extend(terms)
            rest = [p for p in words if not match.start <= p < match.end]
            best = max(best, value + sum(words[p][0] for p in rest))
        return best, found

    def _pointed(self, pk: int, match: RuleMatch) -> float:
        """Return how strongly the rule points to this row: named, or linked to a named one."""
        if self.model is Article:
            if pk in match.rule.articles:
                return HINT_FACTOR
            linked = self.data.article_procedures.get(pk, frozenset())
            return ARTICLE_HINT_FACTOR if linked & match.rule.procedures else 0.0
        return HINT_FACTOR if pk in match.rule.procedures else 0.0

    def _rule(self, pk: int, reader: DocumentReader, match: RuleMatch) -> tuple[float, list[str]]:
        """Return the score of what a vocabulary rule brings, and the terms of it found."""
        best = 0.0
        found: list[str] = []
        words = match.end - match.start
        for meaning in match.rule.means:
            # A meaning stands for the query words it replaces: it weighs as many words, each as
            # much as its rarest stem, whatever its own length.
            saturation = reader.saturation(meaning)
            value = EXPANSION_FACTOR * words * max(map(self.idf, meaning)) * saturation
            if value > 0:
                best = max(best, value)
                found.extend(meaning)
        # A named row scores as if the words were in its title, a linked article half of that.
        best = max(best, self._pointed(pk, match) * self.title_unit * (match.end - match.start))
        return match.factor * best, found

    def _proximity(self, reader: DocumentReader) -> float:
        total = 0.0
        for first, second in pairwise(self.query.words):
            if not first.alternatives or not second.alternatives:
                continue
            a, factor_a = max(first.alternatives.items(), key=lambda item: item[1])
            b, factor_b = max(second.alternatives.items(), key=lambda item: item[1])
            idf = self.idf(a) + self.idf(b)
            total += PROXIMITY_FACTOR * min(factor_a, factor_b) * idf * reader.saturation((a, b))
        return total


class DocumentReader:
    """Where the query's stems occur in one document, and BM25F shares of terms and phrases."""

    def __init__(self, fields: tuple[tuple[str, ...], ...], scorer: Scorer) -> None:
        self.fields = fields
        averages = scorer.statistics.average_lengths
        self.norms: list[float] = []
        self.present: list[set[str]] = []
        # A term's frequency: its occurrences in each field, weighted and normalised by length.
        self.frequency: dict[str, float] = {}
        for index, stems in enumerate(self.fields):
            b = FIELD_LENGTH_NORMALISATION[index]
            length = len(stems) - stems.count(BOUNDARY)
            norm = FIELD_WEIGHTS[index] / (1 - b + b * length / (averages[index] or 1.0))
            present = scorer.wanted.intersection(stems)
            for term in present:
                self.frequency[term] = self.frequency.get(term, 0.0) + norm * stems.count(term)
            self.norms.append(norm)
            self.present.append(present)
        self._phrases: dict[Phrase, float] = {}

    def _phrase_frequency(self, phrase: Phrase) -> float:
        frequency = 0.0
        first, size = phrase[0], len(phrase)
        for index, stems in enumerate(self.fields):
            if not self.present[index].issuperset(phrase):
                continue
            count, start = 0, -1
            while True:
                try:
                    start = stems.index(first, start + 1)
                except ValueError:
                    break
                count += stems[start : start + size] == phrase
            frequency += self.norms[index] * count
        return frequency

    def saturation(self, phrase: Phrase) -> float:
        """Return BM25F's share (0 to 1) for a term, or a phrase (its stems side by side).

        Occurrences count with the weight of their field, less in a longer field, and with
        diminishing returns; the score of a term is this share times its idf.
        """
        if len(phrase) == 1:
            frequency = self.frequency.get(phrase[0], 0.0)
            return frequency / (K1 + frequency)
        cached = self._phrases.get(phrase)
        if cached is None:
            frequency = self._phrase_frequency(phrase)
            cached = self._phrases[phrase] = frequency / (K1 + frequency)
        return cached
