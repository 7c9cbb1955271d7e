"""Name keys for finding residents despite accents, typos and French spelling variants.

``phonetic`` is our own simplification of French sound rules (in the spirit of Soundex-FR and
Phonex): it maps spellings that sound alike ("Dupont"/"Dupond", "Lefebvre"/"Lefèvre",
"Philippe"/"Filipe") to the same key, so a misspelled name still finds its file.
"""

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
_SILENT_END = re.compile(r"(?<=.)(s|x|z|t|d|p|e|es|ent)$")


def phonetic(word: str) -> str:
    """Return a sound key for one name (several words are keyed separately and joined)."""
    keys = []
    for part in normalize(word).split():
        text = re.sub(r"[^a-z]", "", part)
        if not text:
            continue
        for pattern, repl in _COMPILED:
            text = pattern.sub(repl, text)
        text = _SILENT_END.sub("", text)
        text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters sound single
        keys.append(text)
    return " ".join(keys)[:50]


def search_fields(first_names: str, usage_name: str, birth_name: str) -> dict[str, str]:
    """Return the values of the resident's indexed search columns."""
    return {
        "search_last": normalize(usage_name),
        "search_birth": normalize(birth_name),
        "search_first": normalize(first_names),
        "phonetic_last": phonetic(usage_name),
        "phonetic_first": phonetic(first_names.split(" ")[0] if first_names else ""),
    }
