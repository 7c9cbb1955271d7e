"""Possible duplicates of a resident about to be created (or of an existing file)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from guichet.core.text import normalize
from guichet.residents.actions import normalize_email
from guichet.residents.lookups import word_q
from guichet.residents.models import Resident
from guichet.residents.names import phonetic
from guichet.residents.phones import possible_e164

# Beyond this many people with the same name and no birth date to tell them apart, the match
# means nothing and is not shown.
_MAX_SAME_NAME = 10
_MAX_CANDIDATES = 20


@dataclass
class DuplicateCandidate:
    resident: Resident
    reasons: list[str]
    score: float


@dataclass(frozen=True)
class _Names:
    """The keys of one person's names: normalised last names and first name, and their sounds."""

    last_words: frozenset[str]
    last_sounds: frozenset[str]
    first_word: str
    first_sound: str

    @classmethod
    def of(cls, first_names: str, usage_name: str, birth_name: str) -> _Names:
        first_word = next(iter(normalize(first_names).split()), "")
        return cls(
            last_words=frozenset({normalize(usage_name), normalize(birth_name)} - {""}),
            last_sounds=frozenset({phonetic(usage_name), phonetic(birth_name)} - {""}),
            first_word=first_word,
            first_sound=phonetic(first_word),
        )

    def similar_to(self, other: _Names) -> bool:
        same_last = bool(self.last_words & other.last_words or self.last_sounds & other.last_sounds)
        same_first = bool(self.first_word) and (
            self.first_word == other.first_word or self.first_sound == other.first_sound
        )
        return same_last and same_first

    def query(self) -> Q:
        """Return a filter for residents whose names may be similar (checked again in Python)."""
        last = Q(search_last__in=self.last_words) | Q(search_birth__in=self.last_words)
        last |= Q(phonetic_last__in=self.last_sounds) | Q(phonetic_birth__in=self.last_sounds)
        first = word_q("search_first", self.first_word) | word_q("phonetic_first", self.first_sound)
        return last & first


def find_possible_duplicates(
    *,
    first_names: str,
    usage_name: str,
    birth_name: str = "",
    birth_date: datetime.date | None = None,
    email: str = "",
    phone: str = "",
    exclude: Resident | None = None,
) -> list[DuplicateCandidate]:
    """Return active residents who may be this person, most likely first, with the reasons.

    A candidate has the same birth date and a similar name (same or same-sounding last name —
    usage or birth name, on either side — and first name), or a similar name when the birth
    date is unknown on either side, or the same email, or the same phone. Relatives often share
    an email or a phone, so those weigh less.
    """
    names = _Names.of(first_names, usage_name, birth_name)
    email = normalize_email(email)
    e164 = possible_e164(phone) if phone else None
    queryset = Resident.objects.active()
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    found: dict[int, DuplicateCandidate] = {}

    def note(resident: Resident, reason: str, score: float) -> None:
        candidate = found.setdefault(resident.pk, DuplicateCandidate(resident, [], 0.0))
        candidate.reasons.append(reason)
        candidate.score = round(min(1.0, candidate.score + score), 2)

    if birth_date is not None:
        for resident in queryset.filter(birth_date=birth_date):
            if names.similar_to(_names_of(resident)):
                note(resident, _("même date de naissance et nom proche"), 0.8)
    if names.first_word and names.last_words:
        undated = Q(birth_date__isnull=True) if birth_date is not None else Q()
        same_name = [
            resident
            for resident in queryset.filter(names.query(), undated)[: _MAX_SAME_NAME + 1]
            if names.similar_to(_names_of(resident))
        ]
        if len(same_name) <= _MAX_SAME_NAME:
            for resident in same_name:
                note(resident, _("même nom et prénom, date de naissance non renseignée"), 0.5)
    if email:
        for resident in queryset.filter(email=email)[:_MAX_CANDIDATES]:
            note(resident, _("même adresse électronique"), 0.4)
    if e164:
        for resident in queryset.filter(phone=e164)[:_MAX_CANDIDATES]:
            note(resident, _("même numéro de téléphone"), 0.4)
    candidates = sorted(found.values(), key=lambda c: (-c.score, c.resident.usage_name))
    return candidates[:_MAX_CANDIDATES]


def _names_of(resident: Resident) -> _Names:
    return _Names.of(resident.first_names, resident.usage_name, resident.birth_name)
