"""Name keys for finding residents despite accents, typos and French spelling variants.

``phonetic`` is our own simplification of French sound rules (in the spirit of Soundex-FR and
Phonex): it maps spellings that sound alike ("Dupont"/"Dupond", "Lefebvre"/"Lefèvre",
"Philippe"/"Filipe") to the same key, so a misspelled name still finds its file.
"""

import functools
import re

from guichet.core.text import normalize

# Ordered rewrite rules applied to a folded, letters-only word.
_RULES: list[tuple[str, str]] = [
    (r"ph", "f"),
    (r"gu([eiy])", r"g\1"),
    (r"qu", "k"),
    (r"g([eiy])", r"j\1"),
    (r"c([eiy])", r"s\1"),
    (r"sch", "ch"),
    (r"ch", "x"),
    (r"sh", "x"),
    (r"([aeiouy])s([aeiouy])", r"\1z\2"),
    (r"eau", "o"),
    (r"au", "o"),
    (r"oeu|eu|oe", "e"),
    (r"ou", "u"),
    (r"(an|am|en|em)([^aeiouy]|$)", r"1\2"),
    (r"(in|im|ain|ein|yn|un)([^aeiouy]|$)", r"2\2"),
    (r"(on|om)([^aeiouy]|$)", r"3\2"),
    (r"ai|ei|ay|ey", "e"),
    (r"[ck]", "k"),
    (r"w", "v"),
    (r"y", "i"),
    (r"h", ""),
    (r"bv", "v"),
    (r"ff", "f"),
    (r"[éèêë]", "e"),
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in _RULES]
# One silent ending is dropped; longer endings first so "Lopez" and "Lopes" both become "lop".
_SILENT_END = re.compile(r"(?<=.)(ent|es|ez|[sxztdpe])$")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=100_000)
def _sound_of(part: str) -> str:
    """Return the sound key of one folded word (names repeat a lot, hence the cache)."""
    text = re.sub(r"[^a-z]", "", part)
    if not text:
        return ""
    for pattern, repl in _COMPILED:
        text = pattern.sub(repl, text)
    text = _DOUBLED.sub(r"\1", text)  # doubled letters sound single
    text = _SILENT_END.sub("", text)
    return _DOUBLED.sub(r"\1", text)


def phonetic(word: str) -> str:
    """Return a sound key for one name (several words are keyed separately and joined)."""
    keys = [key for key in map(_sound_of, normalize(word).split()) if key]
    return " ".join(keys)[:50]


def search_fields(first_names: str, usage_name: str, birth_name: str) -> dict[str, str]:
    """Return the values of the resident's indexed search columns.

    The ``*_tail`` columns hold the last word of a compound usage name, so "Martin-Dupont" and
    "de La Fontaine" are found by "dupont" and "fontaine" as well as by their first word. The
    ``*_head`` columns hold the first word of the usage name and of the first names, never
    empty, for equality lookups of a last name and a first name together.
    """
    last_words = normalize(usage_name).split()
    tail = last_words[-1] if len(last_words) > 1 else ""
    first_words = normalize(first_names).split()
    return {
        "search_last": " ".join(last_words)[:200],
        "search_last_head": (last_words or [""])[0][:200],
        "search_last_tail": tail[:200],
        "search_birth": normalize(birth_name)[:200],
        "search_first": " ".join(first_words)[:200],
        "search_first_head": (first_words or [""])[0][:200],
        "phonetic_last": phonetic(usage_name),
        "phonetic_last_tail": phonetic(tail),
        "phonetic_birth": phonetic(birth_name),
        "phonetic_first": phonetic(first_names),
    }


# Typo tolerance (SymSpell-style): a name is indexed under the strings left when up to N of its
# letters are deleted, and so is the typed word; two spellings within N edits (substitution,
# insertion, deletion, swap of neighbours) always share one of these keys.
MAX_FUZZY_LENGTH = 20  # longer words are only matched as typed: their keys would be too many
SOUND_PREFIX = "~"  # sound keys share the dictionary with typo keys, which never start so
MIN_SOUND_LENGTH = 3  # the sound of a shorter word says little


def allowed_edits(length: int) -> int:
    """Return how many typos a word of ``length`` letters may have and still match a name."""
    if length <= 2:
        return 0
    if length <= 4:
        return 1
    return 2


def deletion_keys(word: str, depth: int) -> set[str]:
    """Return ``word`` and every string obtained by deleting up to ``depth`` of its letters."""
    keys = {word}
    layer = {word}
    for _ in range(depth):
        layer = {item[:i] + item[i + 1 :] for item in layer for i in range(len(item))}
        keys |= layer
    return keys


def fuzzy_keys(compact_word: str) -> set[str]:
    """Return the keys of a word (without spaces) for typo-tolerant lookups."""
    if len(compact_word) > MAX_FUZZY_LENGTH:
        return {compact_word}
    return deletion_keys(compact_word, allowed_edits(len(compact_word)))


def name_terms(first_names: str, usage_name: str, birth_name: str) -> set[str]:
    """Return the folded terms of a person's names for the dictionary of names.

    Terms are the words of two letters or more, and each compound name as a whole ("martin
    dupont" for Martin-Dupont or Martin Dupont, "jean pierre" for the first name Jean-Pierre),
    so it is also found when typed as one word ("martindupont", "jeanpierre").
    """
    terms: set[str] = set()
    for name in (usage_name, birth_name, *first_names.split()):
        words = normalize(name).split()
        terms.update(word[:200] for word in words if len(word) > 1)
        if len(words) > 1:
            terms.add(" ".join(words)[:200])
    return terms


def term_keys(term: str) -> set[str]:
    """Return the dictionary keys of a term: its typo keys, and its sound key for a word."""
    keys = fuzzy_keys(term.replace(" ", ""))
    sound = phonetic(term) if " " not in term and len(term) >= MIN_SOUND_LENGTH else ""
    if sound:
        keys.add(SOUND_PREFIX + sound)
    return keys


def edit_distance(first: str, second: str, limit: int) -> int:
    """Return the edit distance (swaps of neighbours count as one edit), or ``limit + 1``.

    The computation stops as soon as the distance is known to exceed ``limit``.
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous: list[int] = []
    current = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        before, previous, current = previous, current, [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            cost = 0 if a == b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
    return min(current[-1], limit + 1)


# How likely each kind of typo is, as a cost (one plain edit costs 1): a key next to the right
# one, two vowels confused, two letters swapped or a doubled letter are common slips; a letter
# far from the right key is rarer. Only used to rank names already within the typo budget.
_KEYBOARD_ROWS = ("azertyuiop", "qsdfghjklm", "wxcvbn")  # French keyboards
_VOWELS = frozenset("aeiouy")
COMMON_SLIP, DOUBLED_LETTER, FAR_KEY = 0.9, 0.7, 1.2


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    position = {
        letter: (row, column)
        for row, letters in enumerate(_KEYBOARD_ROWS)
        for column, letter in enumerate(letters)
    }
    return {
        letter: frozenset(
            other
            for other, (other_row, other_column) in position.items()
            if other != letter and abs(other_row - row) <= 1 and abs(other_column - column) <= 1
        )
        for letter, (row, column) in position.items()
    }


_NEIGHBOURS = _keyboard_neighbours()


def _substitution_cost(typed: str, meant: str) -> float:
    if typed in _NEIGHBOURS.get(meant, ()) or (typed in _VOWELS and meant in _VOWELS):
        return COMMON_SLIP
    return FAR_KEY


def _indel_costs(word: str) -> list[float]:
    """Return the cost of each letter of ``word`` being typed in excess or left out."""
    return [
        DOUBLED_LETTER
        if (index > 0 and word[index - 1] == letter) or word[index + 1 : index + 2] == letter
        else 1.0
        for index, letter in enumerate(word)
    ]


@functools.lru_cache(maxsize=100_000)
def typo_cost(typed: str, meant: str) -> float:
    """Return how unlikely it is to type ``typed`` for ``meant``: the sum of the slips' costs."""
    extra, missing = _indel_costs(typed), _indel_costs(meant)
    previous: list[float] = []
    current = [0.0]
    for cost in missing:
        current.append(current[-1] + cost)
    for i, a in enumerate(typed, 1):
        before, previous = previous, current
        current = [previous[0] + extra[i - 1]]
        for j, b in enumerate(meant, 1):
            best = min(
                previous[j] + extra[i - 1],
                current[j - 1] + missing[j - 1],
                previous[j - 1] + (0.0 if a == b else _substitution_cost(a, b)),
            )
            if i > 1 and j > 1 and a == meant[j - 2] and typed[i - 2] == b:
                best = min(best, before[j - 2] + COMMON_SLIP)
            current.append(best)
    return round(current[-1], 2)
