"""The dictionary of residents' names: which known names a typed word may be a typo of.

The actions, the import and the demo call ``remember_names`` with the names they write; the
search calls ``similar_terms`` with the words an agent typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from guichet.residents.models import NameKey
from guichet.residents.names import (
    MAX_FUZZY_LENGTH,
    MIN_SOUND_LENGTH,
    SOUND_PREFIX,
    allowed_edits,
    edit_distance,
    fuzzy_keys,
    name_terms,
    phonetic,
    term_keys,
    typo_cost,
)

INSERT_BATCH = 5000
# The typo cost recorded for a known name that only sounds like the typed word.
SOUNDS_ALIKE = 9.0
# Two-letter words have no typo budget, except a letter left out of a three-letter name (whose
# one-letter deletions are among its keys).
SHORT_WORD = 2


def remember_names(people: Iterable[tuple[str, str, str]]) -> int:
    """Add the terms of these (first names, usage name, birth name) to the dictionary.

    Only terms not known yet are written; a term another transaction adds at the same time is
    skipped by the unique constraint. Return the number of new terms.
    """
    terms: set[str] = set()
    for first_names, usage_name, birth_name in people:
        terms |= name_terms(first_names, usage_name, birth_name)
    if not terms:
        return 0
    compact = {term: term.replace(" ", "") for term in terms}
    known = set(
        NameKey.objects.filter(key__in=set(compact.values()), term__in=terms).values_list(
            "key", "term"
        )
    )
    new_terms = sorted(term for term in terms if (compact[term], term) not in known)
    NameKey.objects.bulk_create(
        (NameKey(key=key, term=term) for term in new_terms for key in term_keys(term)),
        batch_size=INSERT_BATCH,
        ignore_conflicts=True,
    )
    return len(new_terms)


def _sounds_alike_usable(word: str) -> bool:
    """Tell whether the sound of a word says enough to look for names sounding the same."""
    return MIN_SOUND_LENGTH <= len(word) <= MAX_FUZZY_LENGTH


def _lookup_keys(word: str) -> set[str]:
    keys = fuzzy_keys(word)
    sound = phonetic(word) if _sounds_alike_usable(word) else ""
    if sound:
        keys.add(SOUND_PREFIX + sound)
    return keys


def similar_terms(
    words: Sequence[str], *, as_written: Sequence[str] = ()
) -> dict[str, dict[str, float]]:
    """Return, for each typed word (folded, no spaces), the known names it may stand for.

    The value maps each term (a word, or a name of several words) to how unlikely the typed
    word is for it (``names.typo_cost``): the word itself (0), names within its typo budget,
    and names that sound the same (``SOUNDS_ALIKE`` when further away). The words of
    ``as_written`` are only matched exactly ("legoff" → "le goff").
    """
    found: dict[str, dict[str, float]] = {word: {} for word in [*words, *as_written]}
    words_of_key: dict[str, list[str]] = {}
    for word in words:
        for key in _lookup_keys(word):
            words_of_key.setdefault(key, []).append(word)
    for word in as_written:
        words_of_key.setdefault(word, []).append(word)
    if not words_of_key:
        return found
    rows = NameKey.objects.filter(key__in=list(words_of_key)).values_list("key", "term")
    checked: set[tuple[str, str]] = set()
    for key, term in rows:
        compact = term.replace(" ", "")
        for word in words_of_key[key]:
            if (word, term) in checked or (word in as_written and compact != word):
                continue
            checked.add((word, term))
            budget = min(allowed_edits(len(word)), allowed_edits(len(compact)))
            if len(word) == SHORT_WORD and len(compact) == SHORT_WORD + 1:
                budget = 1  # "sw" for Sow, "ti" for Thi: a letter left out of a short name
            if edit_distance(word, compact, budget) <= budget:
                found[word][term] = typo_cost(word, compact)
            elif (
                " " not in term and _sounds_alike_usable(word) and phonetic(term) == phonetic(word)
            ):
                found[word][term] = SOUNDS_ALIKE
    return found
