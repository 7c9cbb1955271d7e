"""Where each query term occurs in each document: the part of search that depends on the database.

A backend answers, for every searchable row and every query term, in which field groups the term
occurs (exactly, as a stem, or — for the last term, which may still be being typed — as the
beginning of a stem) and how close the term is to a word of the title and of the keywords
(trigram similarity, used to forgive typos). Ranking is shared (``search.py``), so both backends
rank the same way.

- ``GenericBackend`` (SQLite and anything else) reads the stemmed ``search_document`` column and
  works in Python: the catalogue is small (tens of rows).
- ``PostgresBackend`` uses PostgreSQL full-text search with the ``french_unaccent`` configuration
  and ``pg_trgm`` (created by migration 0004). This module is the only place with raw SQL.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.db import connection

from guichet.catalogue.indexing import (
    FIELD_WEIGHTS,
    ParsedDocument,
    Term,
    build_search_document,
    parse_search_document,
)
from guichet.catalogue.models import Article, Procedure

SearchableModel = type[Procedure] | type[Article]
NO_HITS = (False,) * len(FIELD_WEIGHTS)
# Similarities are only computed for words long enough for a typo to be told from another word.
MIN_TYPO_LENGTH = 4
MIN_PREFIX_LENGTH = 3


@dataclass(frozen=True)
class TermHits:
    """Where one term occurs in one document.

    ``title_similarity`` and ``keyword_similarity`` are the trigram similarity (0 to 1) between the
    term and the closest word; a backend may leave them at 0 for a term that occurs exactly in
    some document, since ranking then ignores them.
    """

    exact: tuple[bool, ...]
    prefix: tuple[bool, ...]
    title_similarity: float = 0.0
    keyword_similarity: float = 0.0

    @property
    def found(self) -> bool:
        return any(self.exact) or any(self.prefix)


class SearchBackend(Protocol):
    name: str

    def match(
        self, model: SearchableModel, terms: list[Term], include_unpublished: bool
    ) -> dict[int, list[TermHits]]: ...


def backend_for_connection() -> SearchBackend:
    """Return the backend suited to the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return GenericBackend()


def available_backends() -> list[SearchBackend]:
    """Return every backend that works on the default database (for tests and benchmarks)."""
    if connection.vendor == "postgresql":
        return [GenericBackend(), PostgresBackend()]
    return [GenericBackend()]


@lru_cache(maxsize=50_000)
def trigrams(word: str) -> frozenset[str]:
    """Return the trigrams of a word, padded as pg_trgm pads them."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """Return pg_trgm's similarity of two words: shared trigrams over all their trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    common = len(ta & tb)
    return common / (len(ta) + len(tb) - common)


def _best_similarity(word: str, candidates: frozenset[str]) -> float:
    return max((similarity(word, candidate) for candidate in candidates), default=0.0)


class _IndexedDocument:
    """A parsed search document with sorted stems, for prefix look-ups by bisection."""

    def __init__(self, parsed: ParsedDocument) -> None:
        self.parsed = parsed
        self.sorted_stems = [sorted(field) for field in parsed.stems]

    def exact(self, term: Term) -> tuple[bool, ...]:
        return tuple(term.stem in field for field in self.parsed.stems)

    def prefix(self, term: Term) -> tuple[bool, ...]:
        hits = []
        for field in self.sorted_stems:
            index = bisect_left(field, term.stem)
            hits.append(index < len(field) and field[index].startswith(term.stem))
        return tuple(hits)


class GenericBackend:
    """Match terms against the stored stemmed documents, in Python."""

    name = "generic"

    def _documents(
        self, model: SearchableModel, include_unpublished: bool
    ) -> dict[int, _IndexedDocument]:
        queryset = (
            model.objects.all() if include_unpublished else model.objects.filter(is_published=True)
        )
        documents: dict[int, _IndexedDocument] = {}
        stale: list[int] = []
        for pk, document in queryset.values_list("id", "search_document"):
            parsed = parse_search_document(document)
            if parsed is None:
                stale.append(pk)
            else:
                documents[pk] = _IndexedDocument(parsed)
        # Rows saved without going through the actions (fixtures, bulk tools) have no document
        # yet: index them on the fly rather than miss them.
        for obj in queryset.filter(id__in=stale):
            parsed = parse_search_document(build_search_document(obj))
            assert parsed is not None
            documents[obj.pk] = _IndexedDocument(parsed)
        return documents

    def match(
        self, model: SearchableModel, terms: list[Term], include_unpublished: bool
    ) -> dict[int, list[TermHits]]:
        documents = self._documents(model, include_unpublished)
        last = len(terms) - 1
        hits: dict[int, list[TermHits]] = {}
        for pk, document in documents.items():
            row = []
            for index, term in enumerate(terms):
                exact = document.exact(term)
                prefix = (
                    document.prefix(term)
                    if index == last and len(term.word) >= MIN_PREFIX_LENGTH
                    else exact
                )
                row.append(TermHits(exact, prefix))
            hits[pk] = row
        unknown = [
            index
            for index in range(len(terms))
            if not any(row[index].found for row in hits.values())
        ]
        for index in unknown:
            word = terms[index].word
            if len(word) < MIN_TYPO_LENGTH:
                continue
            for pk, document in documents.items():
                hits[pk][index] = TermHits(
                    NO_HITS,
                    NO_HITS,
                    _best_similarity(word, document.parsed.title_words),
                    _best_similarity(word, document.parsed.keyword_words),
                )
        return hits


class PostgresBackend:
    """Match terms with PostgreSQL full-text search (French, accents ignored) and pg_trgm."""

    name = "postgresql"

    _FIELDS = {
        Procedure: (
            "title",
            "keywords::text",
            "summary",
            "concat_ws(' ', body, who_can_ask, orient_to, documents::text)",
        ),
        Article: ("title", "keywords::text", "summary", "body"),
    }

    def match(
        self, model: SearchableModel, terms: list[Term], include_unpublished: bool
    ) -> dict[int, list[TermHits]]:
        title, keywords, summary, body = self._FIELDS[model]
        table = connection.ops.quote_name(model._meta.db_table)
        columns: list[str] = []
        params: list[str | bool] = [include_unpublished]
        last = len(terms) - 1
        for index, term in enumerate(terms):
            queries = [term.word]
            if index == last and len(term.word) >= MIN_PREFIX_LENGTH:
                queries.append(f"{term.word}:*")
            for query in queries:
                for field in range(len(FIELD_WEIGHTS)):
                    columns.append(f"v{field} @@ to_tsquery('french_unaccent', %s)")
                    params.append(query)
            columns.append("strict_word_similarity(%s, t_title)")
            columns.append("strict_word_similarity(%s, t_keywords)")
            params.extend([term.word, term.word])
        sql = f"""
            WITH docs AS MATERIALIZED (
                SELECT id,
                    to_tsvector('french_unaccent', {title}) AS v0,
                    to_tsvector('french_unaccent', {keywords}) AS v1,
                    to_tsvector('french_unaccent', {summary}) AS v2,
                    to_tsvector('french_unaccent', {body}) AS v3,
                    unaccent(lower({title})) AS t_title,
                    unaccent(lower({keywords})) AS t_keywords
                FROM {table}
                WHERE is_published OR %s
            )
            SELECT id, {", ".join(columns)} FROM docs
        """  # noqa: S608 - identifiers are ours; every value is a parameter
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        width = len(FIELD_WEIGHTS)
        hits: dict[int, list[TermHits]] = {}
        for row in rows:
            values = list(row[1:])
            term_hits = []
            for index in range(len(terms)):
                exact = tuple(bool(v) for v in values[:width])
                del values[:width]
                prefix = exact
                if index == last and len(terms[index].word) >= MIN_PREFIX_LENGTH:
                    prefix = tuple(bool(v) for v in values[:width])
                    del values[:width]
                title_similarity, keyword_similarity = values[0], values[1]
                del values[:2]
                term_hits.append(
                    TermHits(exact, prefix, float(title_similarity), float(keyword_similarity))
                )
            hits[row[0]] = term_hits
        return hits
