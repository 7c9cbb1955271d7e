"""Finding a resident from what an agent types: names, a birth date, a phone, an email.

Candidates come from indexed lookups only (prefix ranges on the normalised name columns,
equality on sound keys, birth date, E.164 phone, email) with a bounded number of rows each; they
are then ranked in Python: exact name > name prefix > same sound, plus matching identifiers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import NamedTuple

from django.db.models import Q

from guichet.core.text import normalize
from guichet.residents.lookups import prefix_q, word_q
from guichet.residents.models import Resident
from guichet.residents.names import phonetic
from guichet.residents.phones import possible_e164

# Longer queries are cut: nobody types more, and it bounds the work hostile input can cause.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 6
# Rows read per candidate query; the ranking keeps the best ``limit`` of them.
CANDIDATES_PER_QUERY = 200

_EMAIL = re.compile(r"[^\s@]*@[^\s@]*")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_FRENCH_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_PHONE = re.compile(r"(?:\+|\b00|\b0)\d(?:[\s.()-]{0,2}\d){7,13}\b")
_DIGITS = re.compile(r"^\d+$")

# Scores of one query word against a resident's names.
EXACT, PREFIX, SOUND = 3.0, 2.0, 1.0
FIRST_NAME_FACTOR = 0.9  # a last-name match ranks above the same match on a first name
LATER_WORD_FACTOR = 0.95  # "Dupont" ranks above "Martin-Dupont" for "dupont"
DATE_BOOST, PHONE_BOOST, EMAIL_BOOST, EMAIL_PREFIX_BOOST = 2.0, 3.0, 3.0, 1.5
MISSING_WORD_FACTOR = 0.5


@dataclass
class ResidentMatch:
    resident: Resident
    score: float


@dataclass(frozen=True)
class ParsedQuery:
    """What a search text holds: name words (normalised) and identifiers."""

    words: tuple[str, ...] = ()
    sounds: tuple[str, ...] = ()  # phonetic key of each word
    birth_date: datetime.date | None = None
    phone: str = ""  # E.164
    email: str = ""  # lower-case, possibly only its beginning

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.birth_date or self.phone or self.email)


def parse_query(query: str) -> ParsedQuery:
    """Split a free-text search into name words, a birth date, a phone number and an email."""
    text = query[:MAX_QUERY_LENGTH]
    email = ""
    email_match = _EMAIL.search(text)
    if email_match and len(email_match.group()) > 1:
        email = email_match.group().lower()
        text = text.replace(email_match.group(), " ")
    birth_date = None
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_FRENCH_DATE, (2, 1, 0))):
        match = pattern.search(text)
        if match:
            parts = [int(match.group(i + 1)) for i in order]
            try:
                birth_date = datetime.date(parts[0], parts[1], parts[2])
            except ValueError:
                birth_date = None
            text = text.replace(match.group(), " ")
            break
    phone = ""
    phone_match = _PHONE.search(text)
    if phone_match:
        phone = possible_e164(phone_match.group()) or ""
        text = text.replace(phone_match.group(), " ")
    words = tuple(word for word in normalize(text).split() if not _DIGITS.match(word))
    words = words[:MAX_WORDS]
    return ParsedQuery(words, tuple(phonetic(word) for word in words), birth_date, phone, email)


class _Candidate(NamedTuple):
    """The columns ranking needs: reading only these keeps hundreds of candidates cheap."""

    pk: int
    search_last: str
    search_birth: str
    search_first: str
    phonetic_last: str
    phonetic_birth: str
    phonetic_first: str
    birth_date: datetime.date | None
    phone: str
    email: str


def find_residents(query: str, *, limit: int = 20) -> list[ResidentMatch]:
    """Return active residents matching ``query``, best first (at most ``limit``)."""
    parsed = parse_query(query)
    if parsed.is_empty or limit <= 0:
        return []
    candidates: dict[int, _Candidate] = {}
    for condition in _candidate_conditions(parsed, enough=limit, found=candidates):
        rows = (
            Resident.objects.active()
            .filter(condition)
            # No ORDER BY: with one, PostgreSQL walks a whole index in order instead of
            # combining the small index lookups; the ranking below orders the candidates.
            .order_by()
            .values_list(*_Candidate._fields)[:CANDIDATES_PER_QUERY]
        )
        for row in rows:
            candidates.setdefault(row[0], _Candidate(*row))
    scored = [(candidate, _score(candidate, parsed)) for candidate in candidates.values()]
    scored = [(candidate, score) for candidate, score in scored if score.value > 0]
    if any(score.has_all_words for _, score in scored):
        # Files missing one of the typed words are a fallback: shown only when no file has them
        # all, or when they hold the typed birth date, phone or email.
        scored = [
            (candidate, score)
            for candidate, score in scored
            if score.has_all_words or score.has_identifier
        ]
    scored.sort(key=lambda item: (-item[1].value, item[0].search_last, item[0].search_first))
    best = scored[:limit]
    residents = Resident.objects.in_bulk([candidate.pk for candidate, _ in best])
    return [ResidentMatch(residents[candidate.pk], score.value) for candidate, score in best]


def _word_condition(word: str, sound: str) -> Q:
    """Match residents having a name that starts with ``word`` or sounds like ``sound``."""
    condition = (
        prefix_q("search_last", word)
        | prefix_q("search_last_tail", word)
        | prefix_q("search_birth", word)
        | prefix_q("search_first", word)
    )
    if len(word) > 1 and sound:
        condition |= (
            word_q("phonetic_last", sound)
            | Q(phonetic_last_tail=sound)
            | word_q("phonetic_birth", sound)
            | word_q("phonetic_first", sound)
        )
    return condition


def _exact_word_condition(word: str) -> Q:
    """Match residents having a name word equal to ``word`` (not just starting with it)."""
    return (
        word_q("search_last", word)
        | Q(search_last_tail=word)
        | word_q("search_birth", word)
        | word_q("search_first", word)
    )


def _identifier_conditions(parsed: ParsedQuery) -> list[Q]:
    conditions = []
    if parsed.birth_date:
        conditions.append(Q(birth_date=parsed.birth_date))
    if parsed.phone:
        conditions.append(Q(phone=parsed.phone))
    if parsed.email:
        conditions.append(prefix_q("email", parsed.email))
    return conditions


def _candidate_conditions(
    parsed: ParsedQuery, *, enough: int, found: dict[int, _Candidate]
) -> Iterator[Q]:
    """Yield the candidate queries; later ones run only if the earlier found too many or none."""
    identifiers = _identifier_conditions(parsed)
    if not parsed.words:
        yield from identifiers
        return
    word_conditions = [
        _word_condition(word, sound)
        for word, sound in zip(parsed.words, parsed.sounds, strict=True)
    ]
    strict = reduce(and_, word_conditions)
    yield strict
    if len(found) >= CANDIDATES_PER_QUERY:
        # Many people match the names: make sure the exact matches, and those with the typed
        # identifiers, are among the candidates read.
        yield reduce(and_, [_exact_word_condition(word) for word in parsed.words])
        for identifier in identifiers:
            yield strict & identifier
    if len(parsed.words) > 1 and not found:
        # A word may be a second first name, or misspelled beyond its sound: try without it.
        for skipped in range(len(word_conditions)):
            others = [c for i, c in enumerate(word_conditions) if i != skipped]
            yield reduce(and_, others)
    if identifiers and len(found) < enough:
        # The names may be wrong where an identifier is right.
        yield reduce(or_, identifiers)


def _word_score(
    word: str, sound: str, name_lists: tuple[list[str], list[str], list[str]], sounds: set[str]
) -> float:
    """Return how well one query word matches the resident's names (0: not at all).

    ``name_lists`` are the words of the usage name, the birth name and the first names; a match
    on the first word of a name ranks a little above one on a later word ("Dupont" before
    "Martin-Dupont"), and a last name above a first name.
    """
    best = 0.0
    for list_index, name_words in enumerate(name_lists):
        factor = FIRST_NAME_FACTOR if list_index == 2 else 1.0
        for position, name_word in enumerate(name_words):
            weight = factor * (1.0 if position == 0 else LATER_WORD_FACTOR)
            if name_word == word:
                best = max(best, EXACT * weight)
            elif name_word.startswith(word):
                best = max(best, PREFIX * weight)
    if best == 0.0 and len(word) > 1 and sound in sounds:
        best = SOUND
    return best


@dataclass(frozen=True)
class _Score:
    value: float
    has_all_words: bool
    has_identifier: bool


def _score(resident: _Candidate, parsed: ParsedQuery) -> _Score:
    """Return the resident's relevance for the query (value 0: not a match)."""
    value = 0.0
    has_all_words = True
    if parsed.words:
        name_lists = (
            resident.search_last.split(),
            resident.search_birth.split(),
            resident.search_first.split(),
        )
        sounds = set(
            f"{resident.phonetic_last} {resident.phonetic_birth} {resident.phonetic_first}".split()
        )
        word_scores = [
            _word_score(word, sound, name_lists, sounds)
            for word, sound in zip(parsed.words, parsed.sounds, strict=True)
        ]
        value = sum(word_scores) / len(word_scores)
        has_all_words = all(word_scores)
    boost = 0.0
    if parsed.birth_date and resident.birth_date == parsed.birth_date:
        boost += DATE_BOOST
    if parsed.phone and resident.phone == parsed.phone:
        boost += PHONE_BOOST
    if parsed.email and resident.email:
        if resident.email == parsed.email:
            boost += EMAIL_BOOST
        elif resident.email.startswith(parsed.email):
            boost += EMAIL_PREFIX_BOOST
    value += boost
    if not has_all_words:
        value *= MISSING_WORD_FACTOR
    return _Score(round(value, 3), has_all_words, boost > 0)
