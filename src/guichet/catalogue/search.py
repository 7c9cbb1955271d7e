"""Search the procedures and the knowledge articles, in the words residents and agents use.

- ``search_query.py`` reads the query: words, typos, completions, vocabulary concepts;
- the database's full-text index (``search_backends.py``) returns the documents containing any
  of the stems the query stands for, with the rows the vocabulary points to;
- ``ranking.py`` scores each of them (BM25F, vocabulary, life events), the same way whatever the
  database;
- here the concept scores are multiplied by the share of the query's concepts a document
  matches (among those found anywhere, so unknown words do not count), so documents matching
  every idea come first; then the life event boost is added, and equal scores are listed by
  title. A "did you mean" is offered when corrections found a better result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from guichet.catalogue.analysis import analyse, stem
from guichet.catalogue.indexing import SearchData, Statistics, document_fields, search_data
from guichet.catalogue.models import Article, Procedure
from guichet.catalogue.ranking import Scorer
from guichet.catalogue.search_backends import (
    SearchableModel,
    SearchBackend,
    backend_for_connection,
)
from guichet.catalogue.search_query import Query, read_query

CANDIDATE_LIMIT = 200

Searchable = TypeVar("Searchable", Procedure, Article)


@dataclass(frozen=True)
class ProcedureMatch:
    procedure: Procedure
    score: float
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleMatch:
    article: Article
    score: float
    matched_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogueResults:
    """What a search of the catalogue found.

    ``suggestion`` is the query with its misspelled words corrected, when corrections found
    something ("Essayez : …"); ``terms`` are the analysed terms searched for (words, corrections,
    completions and vocabulary), for highlighting.
    """

    procedures: list[ProcedureMatch]
    articles: list[ArticleMatch]
    suggestion: str | None
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Ranked:
    pk: int
    score: float
    terms: tuple[str, ...]


def _pointed_rows(model: SearchableModel, query: Query, data: SearchData) -> set[int]:
    """Return the rows the vocabulary points to, whether or not they contain a query word."""
    rules = query.rules()
    procedures = {pk for rule in rules for pk in rule.procedures}
    if model is Article:
        articles = {pk for rule in rules for pk in rule.articles}
        linked = {pk for pk, targets in data.article_procedures.items() if targets & procedures}
        return articles | linked
    for event in {event for rule in rules for event in rule.life_events}:
        procedures.update(data.life_event_procedures.get(event, ()))
    return procedures


def _retrieval_stems(query: Query, statistics: Statistics) -> set[str]:
    """Return the stems candidates are retrieved by.

    A stem found in more documents than can be scored ("demande" in a large catalogue) would
    only let the database choose among them: candidates are then found by the rarer stems, when
    the query has some. Ranking still counts every stem.
    """
    stems = query.stems()
    frequency = statistics.document_frequency
    rare = {term for term in stems if frequency.get(term, 0) <= CANDIDATE_LIMIT}
    return rare or stems


def _rank(
    model: SearchableModel,
    query: Query,
    data: SearchData,
    *,
    include_unpublished: bool,
    backend: SearchBackend,
) -> list[_Ranked]:
    if not query.words:
        return []
    documents = backend.candidates(
        model, _retrieval_stems(query, data.statistics(model)), include_unpublished, CANDIDATE_LIMIT
    )
    pointed = _pointed_rows(model, query, data) - documents.keys()
    if pointed:
        rows = model.objects.filter(id__in=pointed)
        if not include_unpublished:
            rows = rows.filter(is_published=True)
        documents.update(rows.values_list("id", "search_document"))
    scorer = Scorer(model, query, data)
    scored = []
    for pk, document in documents.items():
        fields = document_fields(document)
        if fields is not None:
            scored.append(scorer.score(pk, fields))
    # Concepts found in no document (unknown words) do not count against the others.
    found = [any(s.hits[i] for s in scored) for i in range(len(query.concepts))]
    known = sum(found) or 1
    ranked = []
    for s in scored:
        matched = sum(1 for i, hit in enumerate(s.hits) if hit and found[i])
        if matched or s.boost:
            score = (s.total + s.proximity) * matched / known + s.boost
            ranked.append(_Ranked(s.pk, score, tuple(dict.fromkeys(s.terms))))
    return ranked


def _top(
    model: type[Searchable], ranked: list[_Ranked], limit: int
) -> list[tuple[Searchable, _Ranked]]:
    """Return the ``limit`` best rows with their ranking; equal scores in title order."""
    ranked = sorted(ranked, key=lambda r: (-round(r.score, 4), r.pk))
    if len(ranked) > limit:
        cut = round(ranked[limit - 1].score, 4)
        ranked = [r for r in ranked if round(r.score, 4) >= cut]
    rows = model.objects.select_related("department").defer("search_document")
    objects = rows.in_bulk([r.pk for r in ranked])
    pairs = [(objects[r.pk], r) for r in ranked if r.pk in objects]
    pairs.sort(key=lambda pair: (-round(pair[1].score, 4), pair[0].title, pair[0].pk))
    return pairs[:limit]


def _procedures(ranked: list[_Ranked], limit: int) -> list[ProcedureMatch]:
    return [
        ProcedureMatch(obj, round(r.score, 4), r.terms) for obj, r in _top(Procedure, ranked, limit)
    ]


def _articles(ranked: list[_Ranked], limit: int) -> list[ArticleMatch]:
    return [
        ArticleMatch(obj, round(r.score, 4), r.terms) for obj, r in _top(Article, ranked, limit)
    ]


def _suggestion(
    query: Query,
    data: SearchData,
    best: ProcedureMatch | ArticleMatch | None,
    *,
    include_unpublished: bool,
    backend: SearchBackend,
) -> str | None:
    """Return the query with its corrected words, when the corrections found a better result.

    A corrected word is offered when the best result contains it, in its title or keywords or
    such that it would not be the best result without corrections. "Lyon" read as "lien" in
    "acte de naissance à Lyon" is not offered: the best result is the same without it.
    """
    corrected = [
        word
        for word in query.words
        if best is not None
        and word.correction is not None
        and stem(word.correction) in best.matched_terms
    ]
    if best is None or not corrected:
        return None
    obj = best.procedure if isinstance(best, ProcedureMatch) else best.article
    telling = set(analyse(" ".join([obj.title, *(obj.keywords or [])])))
    if not any(stem(word.correction or "") in telling for word in corrected):
        plain = read_query(query.text, data, corrections=False)
        without = _rank(
            type(obj), plain, data, include_unpublished=include_unpublished, backend=backend
        )
        scores = {ranked.pk: ranked.score for ranked in without}
        if scores and scores.get(obj.pk) == max(scores.values()):
            return None
    text = query.text
    for word in sorted(corrected, key=lambda w: -w.token.start):
        correction = word.correction or ""
        written = data.words.get(correction, correction)
        text = text[: word.token.start] + written + text[word.token.end :]
    return " ".join(text.split())


def search_catalogue(
    query: str, *, limit: int = 10, include_articles: bool = True, include_unpublished: bool = False
) -> CatalogueResults:
    """Return the procedures and the knowledge articles matching ``query``, best first.

    ``include_unpublished`` applies to procedures (which every agent may see); articles are
    always the published ones, as with ``search_articles``.
    """
    if limit <= 0:
        return CatalogueResults([], [], None, ())
    data = search_data()
    read = read_query(query, data)
    backend = backend_for_connection()
    procedures = _procedures(
        _rank(Procedure, read, data, include_unpublished=include_unpublished, backend=backend),
        limit,
    )
    articles = (
        _articles(
            _rank(Article, read, data, include_unpublished=False, backend=backend),
            limit,
        )
        if include_articles
        else []
    )
    best = procedures[0] if procedures else articles[0] if articles else None
    suggestion = _suggestion(
        read,
        data,
        best,
        include_unpublished=include_unpublished and isinstance(best, ProcedureMatch),
        backend=backend,
    )
    return CatalogueResults(procedures, articles, suggestion, read.terms())


def search_procedures(
    query: str,
    *,
    limit: int = 10,
    include_unpublished: bool = False,
    backend: SearchBackend | None = None,
) -> list[ProcedureMatch]:
    """Return the procedures matching ``query``, best first."""
    if limit <= 0:
        return []
    data = search_data()
    ranked = _rank(
        Procedure,
        read_query(query, data),
        data,
        include_unpublished=include_unpublished,
        backend=backend or backend_for_connection(),
    )
    return _procedures(ranked, limit)


def search_articles(
    query: str, *, limit: int = 10, backend: SearchBackend | None = None
) -> list[ArticleMatch]:
    """Return the published knowledge articles matching ``query``, best first."""
    if limit <= 0:
        return []
    data = search_data()
    ranked = _rank(
        Article,
        read_query(query, data),
        data,
        include_unpublished=False,
        backend=backend or backend_for_connection(),
    )
    return _articles(ranked, limit)
