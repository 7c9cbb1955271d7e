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
    "de La Fontaine" are found by "dupont" and "fontaine" as well as by their first word.
    """
    last_words = normalize(usage_name).split()
    tail = last_words[-1] if len(last_words) > 1 else ""
    return {
        "search_last": " ".join(last_words)[:200],
        "search_last_tail": tail[:200],
        "search_birth": normalize(birth_name)[:200],
        "search_first": normalize(first_names)[:200],
        "phonetic_last": phonetic(usage_name),
        "phonetic_last_tail": phonetic(tail),
        "phonetic_birth": phonetic(birth_name),
        "phonetic_first": phonetic(first_names),
    }
