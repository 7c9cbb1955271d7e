"""What search sees of a procedure or an article: weighted fields, query terms, search documents.

Both search backends share these definitions, so they match the same words the same way:
accents and case are ignored, French stop words are dropped and words are reduced to their
Snowball French stem ("passeports" and "passeport" are one term).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from guichet.catalogue.models import Article, Procedure
from guichet.core.text import normalize

# Field groups, from the most to the least telling: a word of the title says more than a word
# of the body. The order is the order of the lines of a search document.
FIELD_WEIGHTS: tuple[float, ...] = (4.0, 3.0, 2.0, 1.0)  # title, keywords, summary, body
MAX_TERMS = 12
DOCUMENT_VERSION = "v1"

# Snowball's French stop word list, without accents (text is folded before it is looked up).
_STOP_WORDS_TEXT = """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants
    ayez ayons c ce ces d dans de des du elle en es est et etaient etais etait etant etante
    etantes etants ete etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent
    eusses eussiez eussions eut eutes eux furent fus fusse fussent fusses fussiez fussions fut
    fumes futes il ils j je l la le les leur lui m ma mais me meme mes moi mon n ne nos notre
    nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais serait seras serez
    seriez serions serons seront ses soient sois soit sommes son sont soyez soyons suis sur t ta
    te tes toi ton tu un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_local = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    # Snowball stemmers keep state while they work: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Return the French stem of a folded word."""
    result: str = _stemmer().stemWord(word)
    return result


def significant_words(text: str) -> list[str]:
    """Return the folded words of ``text`` that carry meaning (no stop words, no single letters)."""
    return [w for w in normalize(text).split() if len(w) > 1 and w not in STOP_WORDS]


@dataclass(frozen=True)
class Term:
    """One word of a query: as typed (folded) and stemmed."""

    word: str
    stem: str


def query_terms(query: str) -> list[Term]:
    """Return the distinct meaningful terms of a query, in order, at most ``MAX_TERMS``."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in significant_words(query):
        stemmed = stem(word)
        if stemmed not in seen:
            seen.add(stemmed)
            terms.append(Term(word, stemmed))
        if len(terms) == MAX_TERMS:
            break
    return terms


def searchable_fields(obj: Procedure | Article) -> tuple[str, str, str, str]:
    """Return the texts of the four weighted field groups: title, keywords, summary, body."""
    keywords = " ".join(obj.keywords or [])
    if isinstance(obj, Procedure):
        body = "\n".join([obj.body, obj.who_can_ask, obj.orient_to, *(obj.documents or [])])
    else:
        body = obj.body
    return obj.title, keywords, obj.summary, body


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def build_search_document(obj: Procedure | Article) -> str:
    """Return the stemmed search document stored with ``obj`` for the generic backend.

    One line per field group (distinct stems), then the plain words of the title and of the
    keywords, where misspelled queries are looked up.
    """
    title, keywords, summary, body = searchable_fields(obj)
    lines = [DOCUMENT_VERSION]
    for text in (title, keywords, summary, body):
        lines.append(" ".join(_unique([stem(w) for w in significant_words(text)])))
    lines.append(" ".join(_unique(significant_words(title))))
    lines.append(" ".join(_unique(significant_words(keywords))))
    return "\n".join(lines)


@dataclass(frozen=True)
class ParsedDocument:
    stems: tuple[frozenset[str], ...]  # one set per field group, in FIELD_WEIGHTS order
    title_words: frozenset[str]
    keyword_words: frozenset[str]


def parse_search_document(document: str) -> ParsedDocument | None:
    """Return the parsed document, or None when it is missing or of an older format."""
    lines = document.split("\n")
    if len(lines) != 7 or lines[0] != DOCUMENT_VERSION:
        return None
    return ParsedDocument(
        stems=tuple(frozenset(line.split()) for line in lines[1:5]),
        title_words=frozenset(lines[5].split()),
        keyword_words=frozenset(lines[6].split()),
    )
