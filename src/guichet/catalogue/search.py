"""Search the procedures and the knowledge articles: accent-insensitive, French stemming, typos.

Ranking is the same whatever the database (the backends only say where each term occurs):

- each query term scores the weight of the best field group it occurs in (title 4, keywords 3,
  summary 2, body 1), plus a little for every other group it also occurs in;
- the last term may be unfinished: a stem that merely starts with it scores a bit less;
- a term found nowhere is taken for a typo and scores by its similarity to the closest word of a
  title or of the keywords;
- the sum is multiplied by the share of terms matched, so documents matching every word come
  first; a query that is exactly one of the keywords, or a phrase of the title, gets a bonus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from guichet.catalogue.indexing import FIELD_WEIGHTS, Term, query_terms
from guichet.catalogue.models import Article, Procedure
from guichet.catalogue.search_backends import (
    SearchableModel,
    SearchBackend,
    TermHits,
    backend_for_connection,
)
from guichet.core.text import normalize

PREFIX_FACTOR = 0.8
TYPO_FACTOR = 0.8
TYPO_THRESHOLD = 0.45
OTHER_FIELD_BONUS = 0.25
KEYWORD_BONUS = 3.0
TITLE_PHRASE_BONUS = 2.0
TITLE_WEIGHT, KEYWORD_WEIGHT = FIELD_WEIGHTS[0], FIELD_WEIGHTS[1]


@dataclass(frozen=True)
class ProcedureMatch:
    procedure: Procedure
    score: float


@dataclass(frozen=True)
class ArticleMatch:
    article: Article
    score: float


def _term_score(hits: TermHits, known: bool) -> float:
    exact = [weight for weight, hit in zip(FIELD_WEIGHTS, hits.exact, strict=True) if hit]
    if exact:
        return max(exact) + OTHER_FIELD_BONUS * (len(exact) - 1)
    prefix = [weight for weight, hit in zip(FIELD_WEIGHTS, hits.prefix, strict=True) if hit]
    if prefix:
        return PREFIX_FACTOR * max(prefix)
    if known:
        return 0.0
    typo = max(
        TITLE_WEIGHT * hits.title_similarity if hits.title_similarity >= TYPO_THRESHOLD else 0.0,
        KEYWORD_WEIGHT * hits.keyword_similarity
        if hits.keyword_similarity >= TYPO_THRESHOLD
        else 0.0,
    )
    return TYPO_FACTOR * typo


def _phrase_bonus(obj: Procedure | Article, phrase: str) -> float:
    bonus = 0.0
    if any(normalize(keyword) == phrase for keyword in obj.keywords or []):
        bonus += KEYWORD_BONUS
    if f" {phrase} " in f" {normalize(obj.title)} ":
        bonus += TITLE_PHRASE_BONUS
    return bonus


Searchable = TypeVar("Searchable", Procedure, Article)


def _scores(
    model: SearchableModel, terms: list[Term], include_unpublished: bool, backend: SearchBackend
) -> dict[int, float]:
    hits = backend.match(model, terms, include_unpublished)
    known = [any(row[index].found for row in hits.values()) for index in range(len(terms))]
    scores: dict[int, float] = {}
    for pk, row in hits.items():
        term_scores = [_term_score(h, k) for h, k in zip(row, known, strict=True)]
        matched = sum(1 for score in term_scores if score > 0)
        if matched:
            scores[pk] = sum(term_scores) * matched / len(terms)
    return scores


def _best(
    objects: dict[int, Searchable], scores: dict[int, float], query: str, limit: int
) -> list[tuple[Searchable, float]]:
    phrase = normalize(query)
    ranked = [(obj, scores[pk] + _phrase_bonus(obj, phrase)) for pk, obj in objects.items()]
    ranked.sort(key=lambda item: (-item[1], item[0].title))
    return [(obj, round(score, 4)) for obj, score in ranked[:limit]]


def search_procedures(
    query: str,
    *,
    limit: int = 10,
    include_unpublished: bool = False,
    backend: SearchBackend | None = None,
) -> list[ProcedureMatch]:
    """Return the procedures matching ``query``, best first."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    scores = _scores(Procedure, terms, include_unpublished, backend or backend_for_connection())
    objects = Procedure.objects.select_related("department").in_bulk(list(scores))
    return [ProcedureMatch(obj, score) for obj, score in _best(objects, scores, query, limit)]


def search_articles(
    query: str, *, limit: int = 10, backend: SearchBackend | None = None
) -> list[ArticleMatch]:
    """Return the published knowledge articles matching ``query``, best first."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    scores = _scores(Article, terms, False, backend or backend_for_connection())
    objects = Article.objects.select_related("department").in_bulk(list(scores))
    return [ArticleMatch(obj, score) for obj, score in _best(objects, scores, query, limit)]
