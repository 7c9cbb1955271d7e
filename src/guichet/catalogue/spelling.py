"""Typo tolerance and completion of unfinished words, against the words the catalogue contains.

A word is compared with the catalogue's words on its rough French pronunciation
(``analysis.sound_key``), with an edit distance (insertion, deletion, substitution or swap of
two neighbouring letters) of at most 1 for words of 4 to 7 letters and 2 for longer ones, and
their spellings may differ by one edit more; shorter words are never corrected. Candidates are
found with "symmetric deletes" (SymSpell): every key with up to two letters removed is indexed,
so a look-up costs a few dictionary reads whatever the size of the catalogue.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from guichet.catalogue.analysis import sound_key

MIN_TYPO_LENGTH = 4
LONG_WORD_LENGTH = 8
MAX_DISTANCE = 2
# The longest word corrected: beyond, a word is pasted rather than typed.
MAX_TYPO_LENGTH = 24


def max_distance(word: str) -> int:
    """Return how many edits a word of this length may be away from the word meant."""
    if len(word) < MIN_TYPO_LENGTH or len(word) > MAX_TYPO_LENGTH or word.isdigit():
        return 0
    return 1 if len(word) < LONG_WORD_LENGTH else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Return the edit distance of ``a`` and ``b`` (swaps count one), or ``limit + 1`` beyond."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _deletes(key: str, depth: int) -> set[str]:
    variants = {key}
    for count in range(1, min(depth, len(key) - 1) + 1):
        for removed in combinations(range(len(key)), count):
            variants.add("".join(ch for i, ch in enumerate(key) if i not in removed))
    return variants


class Spelling:
    """The words typos are corrected to, indexed by the deletes of their sound key."""

    def __init__(self, words: Iterable[str], frequency: Mapping[str, int]) -> None:
        self.frequency = frequency
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for word in words:
            if len(word) >= MIN_TYPO_LENGTH - 1 and not word.isdigit():
                self.by_key[sound_key(word)].append(word)
        self.deletes: dict[str, list[str]] = defaultdict(list)
        for key in self.by_key:
            for variant in _deletes(key, MAX_DISTANCE):
                self.deletes[variant].append(key)

    def corrections(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Return up to ``limit`` (known word, distance) that ``word`` may be a typo of, best first.

        Only the closest distance found is returned; among equals, the spelling closest to what
        was typed, then the most frequent word, comes first.
        """
        allowed = max_distance(word)
        if not allowed:
            return []
        key = sound_key(word)
        keys: dict[str, int] = {}
        for variant in _deletes(key, allowed):
            for candidate in self.deletes.get(variant, ()):
                if candidate not in keys:
                    keys[candidate] = edit_distance(key, candidate, allowed)
        found = []
        for candidate, distance in keys.items():
            if distance > allowed:
                continue
            for known in self.by_key[candidate]:
                # Sounding alike is not enough: the spelling may differ by one more edit only.
                spelled = edit_distance(word, known, allowed + 1)
                if known != word and spelled <= allowed + 1:
                    found.append((distance, spelled, -self.frequency.get(known, 0), known))
        if not found:
            return []
        best = min(distance for distance, *_ in found)
        found = sorted(item for item in found if item[0] == best)
        return [(known, max(distance, 1)) for distance, _, _, known in found[:limit]]


def completions(
    sorted_words: Sequence[str], prefix: str, frequency: Mapping[str, int], limit: int
) -> list[str]:
    """Return up to ``limit`` words starting with ``prefix``, the most frequent first."""
    start = bisect_left(sorted_words, prefix)
    found = []
    for word in sorted_words[start:]:
        if not word.startswith(prefix):
            break
        if word != prefix:
            found.append(word)
    found.sort(key=lambda word: (-frequency.get(word, 0), len(word), word))
    return found[:limit]
