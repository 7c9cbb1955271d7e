"""The plain BM25 baseline: tokens, scores on a toy corpus, and the catalogue's texts."""

import math

import pytest

from benchmarks.baseline_bm25 import BM25, catalogue_baseline, document_text, tokens
from tests.factories import ArticleFactory, ProcedureFactory


def test_tokens_fold_case_accents_and_punctuation() -> None:
    """Words are lower-cased and unaccented, elisions split, nothing stemmed."""
    assert tokens("L'École des Œufs, CNI-2024 !") == ["l", "ecole", "des", "oeufs", "cni", "2024"]
    assert tokens("chevaux cheval") == ["chevaux", "cheval"]


def test_score_matches_the_okapi_formula() -> None:
    """A score is idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × len/avglen))."""
    index = BM25({"a": "chat noir", "b": "chien blanc chien", "c": "chat"})
    idf = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    expected = idf * 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 3 / 2))
    assert index.search("chien") == [("b", pytest.approx(expected))]


def test_shorter_document_wins_at_equal_frequency() -> None:
    """With b > 0 the same word counts more in a shorter text."""
    index = BM25({"long": "chat " + "mot " * 20, "short": "chat souris"})
    assert [name for name, _ in index.search("chat")] == ["short", "long"]


def test_no_stemming_no_synonyms_no_typos() -> None:
    """Only exact folded words match: no plural, synonym or misspelling."""
    index = BM25({"p": "Carte nationale d'identité"})
    assert index.search("cartes") == []
    assert index.search("CNI") == []
    assert [name for name, _ in index.search("identite")] == ["p"]
    assert index.search("indentite") == []


def test_search_orders_ties_by_name_and_limits() -> None:
    """Equal scores come back in name order, at most ``limit`` of them."""
    index = BM25({"b": "mot", "a": "mot", "c": "mot"})
    assert [name for name, _ in index.search("mot", limit=2)] == ["a", "b"]


def test_empty_index_finds_nothing() -> None:
    """An index without documents answers with no results."""
    assert BM25({}).search("mot") == []


def test_document_text_joins_every_field() -> None:
    """Title, summary, body and keywords are all indexed."""
    assert tokens(document_text("T", "S", "B", ["k1", "k2"])) == ["t", "s", "b", "k1", "k2"]


@pytest.mark.django_db
def test_catalogue_baseline_indexes_published_content_only() -> None:
    """Unpublished procedures and articles are not searched; keywords are."""
    ProcedureFactory(slug="piscine", title="Piscine municipale", keywords=["baignade"])
    ProcedureFactory(slug="piscine-brouillon", title="Piscine", is_published=False)
    ArticleFactory(slug="fiche-piscine", title="Horaires de la piscine")
    ArticleFactory(slug="fiche-cachee", title="Piscine", is_published=False)
    baseline = catalogue_baseline()
    assert baseline.search("procedure", "piscine") == ["piscine"]
    assert baseline.search("procedure", "baignade") == ["piscine"]
    assert baseline.search("article", "piscine") == ["fiche-piscine"]
