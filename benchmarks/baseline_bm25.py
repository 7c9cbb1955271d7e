"""A plain BM25 baseline for the catalogue search: what the search would be without any care.

Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's non-negative IDF) over one text per published procedure
and per published article: title, summary, body and keywords joined. Words are lower-cased and
accent-folded, nothing else: no stemming, no stop words, no synonyms, no typo tolerance. The
quality benchmark (``bench_search_quality.py``) runs it side by side with the real search, on the
same queries and the same texts, to show what the analysis and the vocabulary bring.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

K1 = 1.2
B = 0.75
_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Return the lower-cased, accent-folded words of ``text`` ("L'École" → ["l", "ecole"])."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(folded)


class BM25:
    """An in-memory Okapi BM25 index over named documents."""

    def __init__(self, documents: Mapping[str, str], *, k1: float = K1, b: float = B) -> None:
        self.k1 = k1
        self.b = b
        self._frequencies: dict[str, Counter[str]] = {
            name: Counter(tokens(text)) for name, text in documents.items()
        }
        self._lengths = {name: sum(counts.values()) for name, counts in self._frequencies.items()}
        count = len(self._frequencies)
        self._average_length = sum(self._lengths.values()) / count if count else 0.0
        document_frequency: Counter[str] = Counter()
        for counts in self._frequencies.values():
            document_frequency.update(counts.keys())
        self._idf = {
            word: math.log(1 + (count - n + 0.5) / (n + 0.5))
            for word, n in document_frequency.items()
        }

    def score(self, query_words: Iterable[str], name: str) -> float:
        """Return the BM25 score of document ``name`` for already tokenised query words."""
        counts = self._frequencies[name]
        length_ratio = self._lengths[name] / self._average_length if self._average_length else 0
        total = 0.0
        for word in query_words:
            tf = counts.get(word, 0)
            if not tf:
                continue
            norm = tf + self.k1 * (1 - self.b + self.b * length_ratio)
            total += self._idf[word] * tf * (self.k1 + 1) / norm
        return total

    def search(self, query: str, *, limit: int = 10) -> list[tuple[str, float]]:
        """Return up to ``limit`` (name, score) pairs with a positive score, best first.

        Ties are broken by name so that runs are reproducible.
        """
        words = tokens(query)
        scored = [(name, self.score(words, name)) for name in self._frequencies]
        ranked = sorted((pair for pair in scored if pair[1] > 0), key=lambda p: (-p[1], p[0]))
        return ranked[:limit]


@dataclass(frozen=True)
class CatalogueBaseline:
    """One BM25 index per result list of the catalogue search: procedures and articles."""

    procedures: BM25
    articles: BM25

    def search(self, kind: str, query: str, *, limit: int = 10) -> list[str]:
        """Return the slugs of ``kind`` ("procedure" or "article") ranked for ``query``."""
        index = self.procedures if kind == "procedure" else self.articles
        return [slug for slug, _ in index.search(query, limit=limit)]


def document_text(title: str, summary: str, body: str, keywords: Iterable[str]) -> str:
    """Return the text indexed for one procedure or article."""
    return "\n".join([title, summary, body, " ".join(keywords)])


def catalogue_baseline() -> CatalogueBaseline:
    """Build the baseline from the published procedures and articles of the configured database.

    Needs Django to be set up.
    """
    from guichet.catalogue.models import Article, Procedure

    fields = ("slug", "title", "summary", "body", "keywords")
    procedures = {
        slug: document_text(title, summary, body, keywords or [])
        for slug, title, summary, body, keywords in Procedure.objects.filter(
            is_published=True
        ).values_list(*fields)
    }
    articles = {
        slug: document_text(title, summary, body, keywords or [])
        for slug, title, summary, body, keywords in Article.objects.filter(
            is_published=True
        ).values_list(*fields)
    }
    return CatalogueBaseline(procedures=BM25(procedures), articles=BM25(articles))
