"""Ranking the candidates of a resident lookup: how well each file fits what was typed.

Each typed word is paired with at most one name of the file (usage name, birth name, first
names — in any order), and each name with at most one word: exact spelling scores most, then
the beginning of a name (the agent is still typing), then a name within a typo or two or that
sounds the same. A birth date, phone or email that matches adds to the score; a birth date that
contradicts what was typed takes from it. Each point of evidence also gives a reason label.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.residents.lookup_query import ParsedQuery
from guichet.residents.names import phonetic

# Points of each piece of evidence, roughly the log of how much likelier it makes the file
# (a name shared by one person in a few hundred: 3 points; a birth date, one in 25,000: 4.5).
NAME_POINTS = 3.0  # a typed word matching a name exactly; other matches score a share of it
EXACT = 1.0
PREFIX, EARLIER_PREFIX = 0.67, 0.5  # the last word may be still typed, the others less likely
# A misspelling scores by its typo cost (names.typo_cost): 0.58 for one plain edit, 0.42 for two.
TYPO_BASE, TYPO_STEP, MAX_TYPO_COST = 0.74, 0.16, 2.5
SOUND = 0.5
TYPO_AND_SOUND = 0.04  # a misspelling that also sounds the same is a little more likely
FIRST_NAME_FACTOR = 0.9  # a last-name match ranks above the same match on a first name
COMPOUND_WORD_FACTOR = 0.95  # "Dupont" ranks above "Martin-Dupont" for "dupont"
TOGETHER_POINTS = 0.5  # two words typed in a row match a compound name's words in a row
MISSING_WORD = -2.0  # a typed word none of the file's names accounts for
DATE_POINTS = 4.5
DATE_SWAPPED_POINTS = 3.0  # day and month typed the other way round
DATE_NEAR_POINTS = 1.5  # one of day, month or year differs
MONTH_POINTS, YEAR_POINTS = 3.0, 2.0
DATE_MISMATCH = PERIOD_MISMATCH = -1.5
PHONE_POINTS, PHONE_PREFIX_POINTS = 5.0, 2.5
EMAIL_POINTS, EMAIL_PREFIX_POINTS = 5.0, 3.0
CIVILITY_POINTS, CIVILITY_MISMATCH = 0.3, -0.5

USAGE, BIRTH, FIRST = "usage", "birth", "first"
EXACT_MATCH, PREFIX_MATCH, NEAR_MATCH = "exact", "prefix", "near"
REASONS: dict[str, Promise] = {
    f"{USAGE}:{EXACT_MATCH}": _("nom"),
    f"{USAGE}:{PREFIX_MATCH}": _("début du nom"),
    f"{USAGE}:{NEAR_MATCH}": _("nom approchant"),
    f"{BIRTH}:{EXACT_MATCH}": _("nom de naissance"),
    f"{BIRTH}:{PREFIX_MATCH}": _("début du nom de naissance"),
    f"{BIRTH}:{NEAR_MATCH}": _("nom de naissance approchant"),
    f"{FIRST}:{EXACT_MATCH}": _("prénom"),
    f"{FIRST}:{PREFIX_MATCH}": _("début du prénom"),
    f"{FIRST}:{NEAR_MATCH}": _("prénom approchant"),
    "date": _("date de naissance"),
    "near_date": _("date de naissance proche"),
    "month": _("mois de naissance"),
    "year": _("année de naissance"),
    "phone": _("téléphone"),
    "phone_prefix": _("début du téléphone"),
    "email": _("courriel"),
    "email_prefix": _("début du courriel"),
}


class Candidate(NamedTuple):
    """The columns ranking needs: reading only these keeps hundreds of candidates cheap."""

    pk: int
    search_last: str
    search_birth: str
    search_first: str
    birth_date: datetime.date | None
    phone: str
    email: str
    civility: str


class Slot(NamedTuple):
    """One name of a file a typed word may match."""

    key: str  # a word, or a name of several words written without spaces
    term: str  # the same as the dictionary holds it: a word, or the name with its spaces
    field: str
    factor: float
    sound: str
    position: int = -1  # of the word in its name (-1: a name written without spaces)


@dataclass(frozen=True)
class QueryWord:
    text: str
    sound: str
    similar: Mapping[str, float]  # known names (terms) it may stand for → typo cost
    required: bool  # particles ("de", "le") count when they match but are not required
    last: bool  # the last word typed may be only begun


@dataclass(frozen=True)
class QueryRun:
    """Adjacent words typed apart that may be one name ("le goff" for Legoff)."""

    indexes: tuple[int, ...]
    text: str  # the words joined
    similar: Mapping[str, float]


@dataclass(frozen=True)
class Score:
    value: float
    has_all_words: bool
    has_identifier: bool  # a typed birth date, phone or email matches
    matches_all: bool  # every typed word (in some spelling) and every identifier matches
    complete: bool  # every typed word as typed, and every identifier, matches
    holds_identifiers: bool  # every typed full birth date, phone and email, all words but one
    codes: tuple[str, ...]

    def reasons(self) -> tuple[str, ...]:
        return tuple(str(REASONS[code]) for code in dict.fromkeys(self.codes))


@functools.lru_cache(maxsize=50_000)
def slots_of(last: str, birth: str, first: str) -> tuple[Slot, ...]:
    """Return the names of a file from its search columns (files share names: cached)."""
    slots = []
    names = [(USAGE, last), (FIRST, first)]
    if birth != last:
        names.insert(1, (BIRTH, birth))
    for field, name in names:
        base = FIRST_NAME_FACTOR if field == FIRST else 1.0
        words = name.split()
        factor = base * COMPOUND_WORD_FACTOR if len(words) > 1 else base
        for position, word in enumerate(words):
            slots.append(Slot(word, word, field, factor, phonetic(word), position))
        # A compound name may be typed as one word: a last name as a whole, first names by
        # pairs of words (the column does not tell "Jean-Pierre Marie" from "Jean Pierre-Marie").
        if field != FIRST and len(words) > 1:
            slots.append(Slot("".join(words), name, field, base, ""))
        elif field == FIRST:
            for first, second in itertools.pairwise(words):
                slots.append(Slot(first + second, f"{first} {second}", field, base, ""))
    return tuple(slots)


def typo_quality(cost: float | None) -> float:
    """Return the share of an exact match a misspelling of this typo cost is worth."""
    if cost is None or cost > MAX_TYPO_COST:
        return 0.0
    return EXACT if cost == 0 else TYPO_BASE - TYPO_STEP * cost


def _word_match(word: QueryWord, slot: Slot) -> tuple[float, str]:
    """Return how well a typed word matches one name (0: not at all), and how."""
    if slot.key == word.text:
        return EXACT, EXACT_MATCH
    cost = word.similar.get(slot.term)
    if cost == 0:  # a name of several words typed as one
        return EXACT, EXACT_MATCH
    quality = typo_quality(cost)
    if word.sound and slot.sound == word.sound:
        quality = max(quality, SOUND) + (TYPO_AND_SOUND if quality else 0.0)
    if slot.key.startswith(word.text):
        begun = PREFIX if word.last else EARLIER_PREFIX
        if begun >= quality:
            return begun, PREFIX_MATCH
    return quality, NEAR_MATCH if quality else ""


@dataclass(frozen=True)
class Lookup:
    """A parsed query with, for its words, the known names they may mean."""

    parsed: ParsedQuery
    words: tuple[QueryWord, ...]
    runs: tuple[QueryRun, ...]

    def runs_of(self, index: int) -> list[QueryRun]:
        """Return the runs of words the word at ``index`` belongs to."""
        return [run for run in self.runs if index in run.indexes]

    def score(self, candidate: Candidate) -> Score:
        """Return how likely the candidate is the person looked for (value 0: not a match)."""
        names, matches, codes = self._names_score(candidate)
        required = [index for index, word in enumerate(self.words) if word.required]
        has_all_words = all(index in matches for index in required)
        boost, identifiers_match, has_identifier, identifier_codes = self._identifiers_score(
            candidate
        )
        missing = sum(index not in matches for index in required)
        value = names + boost + MISSING_WORD * missing
        # Written as typed: every word exactly, but the last one, which may be still typed.
        as_typed = all(
            matches.get(index) == EXACT_MATCH
            or (matches.get(index) == PREFIX_MATCH and index == len(self.words) - 1)
            for index in required
        )
        return Score(
            value=round(value, 3),
            has_all_words=has_all_words,
            has_identifier=has_identifier,
            matches_all=has_all_words and identifiers_match,
            complete=as_typed and identifiers_match,
            # Holds the birth date, phone and email typed, and all the words but one.
            holds_identifiers=identifiers_match
            and missing <= 1
            and self.parsed.has_strong_identifier,
            codes=(*codes, *identifier_codes),
        )

    def _names_score(self, candidate: Candidate) -> tuple[float, dict[int, str], list[str]]:
        """Pair typed words with the file's names, best pairs first.

        Return the points, how each paired word matched, and the reason codes.
        """
        slots = slots_of(candidate.search_last, candidate.search_birth, candidate.search_first)
        pairs: list[tuple[float, tuple[int, ...], int, str]] = []
        for index, word in enumerate(self.words):
            for slot_index, slot in enumerate(slots):
                quality, how = _word_match(word, slot)
                if quality and (word.required or how == EXACT_MATCH):
                    points = NAME_POINTS * quality * slot.factor
                    pairs.append((points, (index,), slot_index, how))
        for run in self.runs:
            for slot_index, slot in enumerate(slots):
                quality = typo_quality(run.similar.get(slot.term))
                if quality:
                    points = NAME_POINTS * quality * slot.factor * len(run.indexes)
                    how = EXACT_MATCH if quality == EXACT else NEAR_MATCH
                    pairs.append((points, run.indexes, slot_index, how))
        pairs.sort(key=lambda pair: -pair[0])
        total = 0.0
        matches: dict[int, str] = {}
        slot_of: dict[int, Slot] = {}
        used: set[int] = set()
        codes = []
        for points, indexes, slot_index, how in pairs:
            if slot_index in used or any(index in matches for index in indexes):
                continue
            used.add(slot_index)
            matches.update(dict.fromkeys(indexes, how))
            slot_of.update(dict.fromkeys(indexes, slots[slot_index]))
            total += points
            codes.append(f"{slots[slot_index].field}:{how}")
        for index, slot in slot_of.items():
            following = slot_of.get(index + 1)
            if (
                following is not None
                and slot.position >= 0
                and following.field == slot.field
                and following.position == slot.position + 1
            ):
                total += TOGETHER_POINTS
        return total, matches, codes

    def _identifiers_score(self, candidate: Candidate) -> tuple[float, bool, bool, list[str]]:
        """Return the points of the typed identifiers, whether all match, whether one does."""
        parsed = self.parsed
        points = 0.0
        all_match = True
        codes: list[str] = []
        birth_date = candidate.birth_date
        if parsed.birth_dates:
            if birth_date in parsed.birth_dates:
                points += DATE_POINTS
                codes.append("date")
            else:
                all_match = False
                if birth_date is not None:
                    near = _near_date_points(birth_date, parsed.birth_dates)
                    points += near or DATE_MISMATCH
                    if near:
                        codes.append("near_date")
        elif parsed.birth_period:
            period = parsed.birth_period
            if birth_date in period:
                points += MONTH_POINTS if period.is_month else YEAR_POINTS
                codes.append("month" if period.is_month else "year")
            else:
                all_match = False
                if birth_date is not None:
                    points += PERIOD_MISMATCH
        if parsed.phone:
            if candidate.phone == parsed.phone:
                points += PHONE_POINTS
                codes.append("phone")
            else:
                all_match = False
        elif parsed.phone_prefix:
            if candidate.phone.startswith(parsed.phone_prefix):
                points += PHONE_PREFIX_POINTS
                codes.append("phone_prefix")
            else:
                all_match = False
        if parsed.email:
            if candidate.email == parsed.email:
                points += EMAIL_POINTS
                codes.append("email")
            elif candidate.email.startswith(parsed.email):
                points += EMAIL_PREFIX_POINTS
                codes.append("email_prefix")
            else:
                all_match = False
        elif parsed.email_guess and candidate.email.startswith(parsed.email_guess):
            points += EMAIL_PREFIX_POINTS
            codes.append("email_prefix")
        if parsed.civility and candidate.civility:
            points += (
                CIVILITY_POINTS if candidate.civility == parsed.civility else CIVILITY_MISMATCH
            )
        return points, all_match, bool(codes), codes


def _near_date_points(birth_date: datetime.date, typed: tuple[datetime.date, ...]) -> float:
    """Return the points of a birth date close to a typed one (0 if none is)."""
    best = 0.0
    for day in typed:
        if (birth_date.year, birth_date.month, birth_date.day) == (day.year, day.day, day.month):
            best = max(best, DATE_SWAPPED_POINTS)
        same = (
            (birth_date.year == day.year)
            + (birth_date.month == day.month)
            + (birth_date.day == day.day)
        )
        if same == 2:
            best = max(best, DATE_NEAR_POINTS)
    return best
