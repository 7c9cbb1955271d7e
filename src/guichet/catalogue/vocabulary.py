"""The vocabulary of the public service, as search uses it: what a phrase of a query also means.

The vocabulary is data (``VocabularyEntry`` rows, loaded from ``content/vocabulary.yaml`` and
edited by supervisors). Search turns it into rules: a phrase (a sequence of stems) found in a
query adds other phrases to look for, procedures to point to and life events to favour.

- an equivalent group gives each of its terms every other term;
- an expansion gives its term what it means, and the procedures and articles it names;
- a life event cue gives each of its terms the life event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from guichet.catalogue.analysis import display_words, phrase
from guichet.catalogue.choices import VocabularyKind
from guichet.catalogue.models import Article, LifeEvent, Procedure, VocabularyEntry

MAX_TERM_LENGTH = 100
MAX_TERMS = 50


class InvalidVocabulary(Exception):
    """A vocabulary entry that cannot be saved; the message says why, in French."""


def clean_terms(name: str, values: Iterable[object]) -> list[str]:
    """Return the terms of ``values`` stripped, without repeats; raise InvalidVocabulary if bad.

    Two terms that search reads the same way ("CNI" and "cni") are one term.
    """
    terms: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise InvalidVocabulary(
                _("« %(name)s » contient un élément qui n'est pas un texte : %(item)r")
                % {"name": name, "item": value}
            )
        term = " ".join(value.split())
        if len(term) > MAX_TERM_LENGTH:
            raise InvalidVocabulary(
                _("« %(term)s… » dépasse %(max)d caractères")
                % {"term": term[:30], "max": MAX_TERM_LENGTH}
            )
        stems = phrase(term)
        if not stems:
            raise InvalidVocabulary(
                _(
                    "« %(term)s » ne contient que des mots ignorés par la recherche "
                    "(mots outils comme « le », « de », « pour »)"
                )
                % {"term": term}
            )
        if stems not in seen:
            seen.add(stems)
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise InvalidVocabulary(
            _("« %(name)s » compte plus de %(max)d termes") % {"name": name, "max": MAX_TERMS}
        )
    return terms


def check_entry(
    *,
    kind: str,
    terms: Sequence[str],
    means: Sequence[str] = (),
    procedures: Sequence[Procedure] = (),
    articles: Sequence[Article] = (),
    life_event: LifeEvent | None = None,
) -> None:
    """Raise InvalidVocabulary (in French) unless these values make a valid entry of ``kind``."""
    targets = bool(procedures) or bool(articles)
    if not terms:
        raise InvalidVocabulary(_("indiquez au moins un terme"))
    if kind == VocabularyKind.EQUIVALENT:
        if len(terms) < 2:
            raise InvalidVocabulary(_("un groupe d'équivalents compte au moins deux termes"))
        if means or targets or life_event:
            raise InvalidVocabulary(
                _("un groupe d'équivalents n'a ni sens, ni démarches, ni événement de vie")
            )
    elif kind == VocabularyKind.EXPANSION:
        if len(terms) != 1:
            raise InvalidVocabulary(_("une expansion part d'un seul terme"))
        if not means and not targets:
            raise InvalidVocabulary(
                _("indiquez ce que le terme veut dire, ou les démarches ou fiches qu'il désigne")
            )
        if life_event:
            raise InvalidVocabulary(_("une expansion n'a pas d'événement de vie"))
    elif kind == VocabularyKind.LIFE_EVENT_CUE:
        if life_event is None:
            raise InvalidVocabulary(_("indiquez l'événement de vie que ces mots évoquent"))
        if means or targets:
            raise InvalidVocabulary(
                _("des mots évoquant un événement de vie n'ont ni sens, ni démarches, ni fiches")
            )
    else:
        raise InvalidVocabulary(_("type d'entrée inconnu : %(kind)s") % {"kind": kind})


Phrase = tuple[str, ...]


@dataclass
class Rule:
    """What a phrase found in a query adds: phrases that mean the same, rows, life events."""

    phrase: Phrase
    means: set[Phrase] = field(default_factory=set)
    procedures: set[int] = field(default_factory=set)  # Procedure ids
    articles: set[int] = field(default_factory=set)  # Article ids
    life_events: set[int] = field(default_factory=set)  # LifeEvent ids


@dataclass(frozen=True)
class RuleMatch:
    """A rule whose phrase occurs in a query, over the query words ``start`` to ``end - 1``."""

    rule: Rule
    start: int
    end: int
    factor: float  # below 1 when the phrase was only reached through a corrected word


@dataclass
class Vocabulary:
    """The rules of the vocabulary, found by the first stem of their phrase."""

    rules: dict[Phrase, Rule] = field(default_factory=dict)
    by_first_stem: dict[str, list[Phrase]] = field(default_factory=lambda: defaultdict(list))
    words: dict[str, str] = field(default_factory=dict)  # folded word -> as written

    def rule(self, text_phrase: Phrase) -> Rule:
        rule = self.rules.get(text_phrase)
        if rule is None:
            rule = self.rules[text_phrase] = Rule(text_phrase)
            self.by_first_stem[text_phrase[0]].append(text_phrase)
        return rule

    def add_terms(self, terms: Iterable[str]) -> list[Phrase]:
        phrases = []
        for term in terms:
            stems = phrase(term)
            if stems:
                phrases.append(stems)
                for folded, written in display_words(term):
                    self.words.setdefault(folded, written)
        return phrases

    def stems(self) -> set[str]:
        """Return every stem the vocabulary knows (a query word with one of them is no typo)."""
        known: set[str] = set()
        for rule in self.rules.values():
            known.update(rule.phrase)
            for meaning in rule.means:
                known.update(meaning)
        return known

    def find(self, alternatives: Sequence[dict[str, float]]) -> list[RuleMatch]:
        """Return the rules whose phrase occurs in a query.

        ``alternatives`` gives, for each query word in order, the stems it may stand for, each
        with a factor (1 for the word as typed, less for a correction or a completion).
        """
        matches = []
        for start, first in enumerate(alternatives):
            for first_stem, first_factor in first.items():
                for candidate in self.by_first_stem.get(first_stem, ()):
                    end = start + len(candidate)
                    if end > len(alternatives):
                        continue
                    factor = first_factor
                    for offset, stem in enumerate(candidate[1:], start=start + 1):
                        factor = min(factor, alternatives[offset].get(stem, 0.0))
                    if factor > 0:
                        matches.append(RuleMatch(self.rules[candidate], start, end, factor))
        return matches


def build_vocabulary(entries: Iterable[VocabularyEntry]) -> Vocabulary:
    """Return the rules of ``entries`` (with their procedures and life events prefetched)."""
    vocabulary = Vocabulary()
    for entry in entries:
        phrases = vocabulary.add_terms(entry.terms)
        if entry.kind == VocabularyKind.EQUIVALENT:
            for stems in phrases:
                vocabulary.rule(stems).means.update(p for p in phrases if p != stems)
        elif entry.kind == VocabularyKind.EXPANSION:
            means = vocabulary.add_terms(entry.means)
            procedures = {procedure.pk for procedure in entry.procedures.all()}
            articles = {article.pk for article in entry.articles.all()}
            for stems in phrases:
                rule = vocabulary.rule(stems)
                rule.means.update(p for p in means if p != stems)
                rule.procedures.update(procedures)
                rule.articles.update(articles)
        elif entry.life_event_id is not None:
            for stems in phrases:
                vocabulary.rule(stems).life_events.add(entry.life_event_id)
    for phrases in vocabulary.by_first_stem.values():
        phrases.sort(key=len, reverse=True)
    vocabulary.by_first_stem = dict(vocabulary.by_first_stem)
    return vocabulary


def load_vocabulary() -> Vocabulary:
    """Return the vocabulary stored in the database."""
    return build_vocabulary(VocabularyEntry.objects.prefetch_related("procedures", "articles"))
