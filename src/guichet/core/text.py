"""Text normalisation shared by every search: lower-case, no accents, words only."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents or ligatures ("Œuvre" → "oeuvre")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    """Return the folded words of ``text`` separated by single spaces."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def words(text: str) -> list[str]:
    return normalize(text).split()
