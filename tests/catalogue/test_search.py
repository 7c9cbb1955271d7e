"""Search over the shipped catalogue, run once per backend (generic and the database's own)."""

import pytest

from guichet.catalogue.actions import update_procedure
from guichet.catalogue.analysis import stem
from guichet.catalogue.loader import LoadReport
from guichet.catalogue.models import Procedure
from guichet.catalogue.search import search_articles, search_catalogue, search_procedures
from guichet.catalogue.search_backends import SearchBackend, available_backends
from tests.factories import ArticleFactory


def slugs(query: str, backend: SearchBackend, **kwargs: object) -> list[str]:
    return [m.procedure.slug for m in search_procedures(query, backend=backend, **kwargs)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("carte d'identite", "carte-identite"),
        ("Carte d'identité", "carte-identite"),
        ("CARTE D'IDENTITÉ", "carte-identite"),
        ("CNI", "carte-identite"),
        ("cni", "carte-identite"),
        ("cantine", "restauration-scolaire"),
        ("poubelle", "bacs-dechets"),
        ("encombrant", "encombrants"),
        ("encombrants", "encombrants"),
        ("passeports", "passeport"),
        ("passeport", "passeport"),
        ("acte de naissance", "acte-naissance"),
        ("pacs", "pacs"),
        ("crèche", "place-creche"),
        ("lampadaire", "signalement-espace-public"),
        ("permis de construire", "autorisation-urbanisme"),
    ],
)
def test_query_finds_procedure_first(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
) -> None:
    """Common queries put the right procedure first, whatever the accents, case or plural."""
    assert slugs(query, backend)[:1] == [expected]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pasport", "passeport"),
        ("encombrans", "encombrants"),
        ("cantinne", "restauration-scolaire"),
    ],
)
def test_typo_still_finds_procedure(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
) -> None:
    """A misspelled word is matched to the closest word of a title or of the keywords."""
    assert slugs(query, backend)[:1] == [expected]


def test_unfinished_last_word_matches_as_prefix(
    shipped_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """The last word may still be being typed: "passep" already finds the passport."""
    assert slugs("passep", backend)[:1] == ["passeport"]


def test_results_are_ranked_and_limited(
    shipped_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """Scores decrease and ``limit`` caps the number of results."""
    matches = search_procedures("acte", limit=3, backend=backend)
    assert len(matches) == 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches[0].score > 0


@pytest.mark.parametrize("query", ["", "   ", "le la les de", "?!", "x"])
def test_empty_or_stop_word_queries_find_nothing(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str
) -> None:
    """A query without a meaningful word returns no result rather than everything."""
    assert slugs(query, backend) == []


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "'; DROP TABLE catalogue_procedure; --",
        "a:* | b & !c",
        "é" * 5000,
    ],
)
def test_hostile_queries_are_harmless(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str
) -> None:
    """Markup, SQL and tsquery syntax in a query are just words; nothing breaks."""
    count = Procedure.objects.count()
    search_procedures(query, backend=backend)
    assert Procedure.objects.count() == count


def test_unpublished_procedures_only_on_request(
    shipped_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """Unpublished procedures are left out unless ``include_unpublished`` is set."""
    procedure = Procedure.objects.get(slug="passeport")
    update_procedure(procedure, actor=None, changes={"is_published": False})
    assert "passeport" not in slugs("passeport", backend)
    assert slugs("passeport", backend, include_unpublished=True)[:1] == ["passeport"]


def test_search_articles_finds_knowledge_articles(
    shipped_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """Articles are searched like procedures; only published ones are returned."""
    matches = search_articles("caf", backend=backend)
    assert matches[0].article.slug == "orienter-caf"
    ArticleFactory(slug="brouillon-caf", title="Brouillon CAF", is_published=False)
    assert "brouillon-caf" not in [m.article.slug for m in search_articles("caf", backend=backend)]


def test_default_backend_matches_database(shipped_catalogue: LoadReport) -> None:
    """Without an explicit backend, search uses the one of the database and works."""
    assert [m.procedure.slug for m in search_procedures("CNI")][:1] == ["carte-identite"]


@pytest.mark.parametrize(
    "query",
    [
        "mon fils a 16 ans il doit faire quoi pour la JDC",
        "lampadaire en panne rue des Écoles",
        "copie acte naissance",
        "je cherche une nounou",
        "refaire ma CNI",
        "inscri",
        "cantinne",
        "bébé",
    ],
)
def test_backends_rank_identically(shipped_catalogue: LoadReport, query: str) -> None:
    """Every backend available on the database returns the same results with the same scores."""
    results = [
        [(m.procedure.slug, m.score) for m in search_procedures(query, backend=backend)]
        + [(m.article.slug, m.score) for m in search_articles(query, backend=backend)]
        for backend in available_backends()
    ]
    assert results[0]
    assert all(result == results[0] for result in results)


def test_search_catalogue_returns_procedures_articles_and_terms(
    shipped_catalogue: LoadReport,
) -> None:
    """One call searches both, with the analysed terms and no suggestion for a correct query."""
    results = search_catalogue("recensement", limit=3)
    assert results.procedures[0].procedure.slug == "recensement-citoyen"
    assert results.articles[0].article.slug == "recensement-et-jdc"
    assert len(results.procedures) <= 3 and len(results.articles) <= 3
    assert results.suggestion is None
    assert stem("recensement") in results.terms
    assert stem("recensement") in results.procedures[0].matched_terms


def test_search_catalogue_options(shipped_catalogue: LoadReport) -> None:
    """Articles may be left out; unpublished procedures are only found on request."""
    assert search_catalogue("recensement", include_articles=False).articles == []
    procedure = Procedure.objects.get(slug="recensement-citoyen")
    update_procedure(procedure, actor=None, changes={"is_published": False})
    found = [m.procedure.slug for m in search_catalogue("recensement").procedures]
    assert "recensement-citoyen" not in found
    hidden = search_catalogue("recensement", include_unpublished=True).procedures
    assert hidden[0].procedure.slug == "recensement-citoyen"


def test_search_catalogue_never_returns_unpublished_articles(shipped_catalogue: LoadReport) -> None:
    """Draft articles are for editors: even with unpublished procedures, they are left out."""
    ArticleFactory(slug="brouillon-jdc", title="Brouillon JDC recensement", is_published=False)
    results = search_catalogue("recensement JDC", include_unpublished=True)
    assert "brouillon-jdc" not in [m.article.slug for m in results.articles]


@pytest.mark.parametrize("limit", [0, -1])
def test_search_catalogue_with_no_room(shipped_catalogue: LoadReport, limit: int) -> None:
    """A limit below one returns nothing."""
    results = search_catalogue("passeport", limit=limit)
    assert results.procedures == results.articles == []


def test_matched_terms_are_those_found_in_the_result(shipped_catalogue: LoadReport) -> None:
    """Each result lists only the query terms it contains."""
    (match,) = search_procedures("passeport", limit=1)
    assert match.matched_terms == ("passeport",)
