"""Search over the real catalogue, run once per backend (both on PostgreSQL)."""

import pytest

from guichet.catalogue.actions import update_procedure
from guichet.catalogue.loader import LoadReport
from guichet.catalogue.models import Procedure
from guichet.catalogue.search import search_articles, search_procedures
from guichet.catalogue.search_backends import SearchBackend
from tests.factories import ArticleFactory, ProcedureFactory


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
    real_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
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
    real_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
) -> None:
    """A misspelled word is matched to the closest word of a title or of the keywords."""
    assert slugs(query, backend)[:1] == [expected]


def test_unfinished_last_word_matches_as_prefix(
    real_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """The last word may still be being typed: "passep" already finds the passport."""
    assert slugs("passep", backend)[:1] == ["passeport"]


def test_results_are_ranked_and_limited(real_catalogue: LoadReport, backend: SearchBackend) -> None:
    """Scores decrease and ``limit`` caps the number of results."""
    matches = search_procedures("acte", limit=3, backend=backend)
    assert len(matches) == 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches[0].score > 0


@pytest.mark.parametrize("query", ["", "   ", "le la les de", "?!", "x"])
def test_empty_or_stop_word_queries_find_nothing(
    real_catalogue: LoadReport, backend: SearchBackend, query: str
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
    real_catalogue: LoadReport, backend: SearchBackend, query: str
) -> None:
    """Markup, SQL and tsquery syntax in a query are just words; nothing breaks."""
    count = Procedure.objects.count()
    search_procedures(query, backend=backend)
    assert Procedure.objects.count() == count


def test_unpublished_procedures_only_on_request(
    real_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """Unpublished procedures are left out unless ``include_unpublished`` is set."""
    procedure = Procedure.objects.get(slug="passeport")
    update_procedure(procedure, actor=None, changes={"is_published": False})
    assert "passeport" not in slugs("passeport", backend)
    assert slugs("passeport", backend, include_unpublished=True)[:1] == ["passeport"]


def test_procedure_saved_without_actions_is_still_found(db: None, backend: SearchBackend) -> None:
    """A procedure created outside the actions (no stored search document) is indexed anyway."""
    ProcedureFactory(slug="velo", title="Louer un vélo électrique", keywords=["bicyclette"])
    assert slugs("velos", backend) == ["velo"]
    assert slugs("bicyclette", backend) == ["velo"]


def test_search_articles_finds_knowledge_articles(
    real_catalogue: LoadReport, backend: SearchBackend
) -> None:
    """Articles are searched like procedures; only published ones are returned."""
    matches = search_articles("caf", backend=backend)
    assert matches[0].article.slug == "orienter-caf"
    ArticleFactory(slug="brouillon-caf", title="Brouillon CAF", is_published=False)
    assert "brouillon-caf" not in [m.article.slug for m in search_articles("caf", backend=backend)]


def test_default_backend_matches_database(real_catalogue: LoadReport) -> None:
    """Without an explicit backend, search uses the one of the database and works."""
    assert [m.procedure.slug for m in search_procedures("CNI")][:1] == ["carte-identite"]
