"""The quality benchmark end to end on the test database, with stand-in searches."""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import bench_search_quality
from benchmarks.bench_search_quality import (
    Query,
    Searcher,
    catalogue_searcher,
    run_catalogue,
    run_residents,
)
from guichet.catalogue.loader import LoadReport, load_catalogue
from guichet.organisation.choices import Channel
from guichet.residents.actions import create_resident
from guichet.residents.models import Resident
from tests.factories import ArticleFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _fixed(procedures: list[str], articles: list[str]) -> tuple[Searcher, str]:
    return (lambda text: (procedures, articles)), "stand-in"


@pytest.fixture
def small_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few procedures and articles, and a catalogue load that leaves them as they are."""
    monkeypatch.setattr("guichet.catalogue.loader.load_catalogue", lambda: LoadReport())
    ProcedureFactory(slug="passeport", title="Passeport", summary="Renouvellement, perte ou vol.")
    ProcedureFactory(slug="mariage", title="Se marier à la mairie")
    ProcedureFactory(slug="carte-identite", title="Carte nationale d'identité")
    ArticleFactory(slug="carte-grise-permis-ants", title="Carte grise et permis de conduire")


@pytest.mark.usefixtures("small_catalogue")
def test_run_catalogue_ranks_each_kind_in_its_own_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Procedure queries are ranked in the procedures, article queries in the articles."""
    monkeypatch.setattr(
        bench_search_quality,
        "catalogue_searcher",
        lambda: _fixed(["mariage", "passeport"], ["carte-grise-permis-ants"]),
    )
    queries = [
        Query("passeport perdu", ("passeport",), "procedure"),
        Query("zzzz", ("carte-identite",), "procedure"),
        Query("carte grise", ("carte-grise-permis-ants",), "article"),
    ]
    facts: dict[str, str] = {}
    result, text = run_catalogue(queries, facts)
    assert [item["rank"] for item in result["queries"]] == [2, None, 1]
    assert result["quality"]["procedure"] == {"n": 2, "top1": 0.0, "top3": 0.5, "mrr": 0.25}
    assert result["quality"]["article"]["top1"] == 1.0
    assert result["queries"][1]["baseline_rank"] is None
    assert facts["catalogue_search"] == "stand-in"
    assert facts["catalogue"] == "3 procedures, 1 articles published"
    assert "Not in the top 3 (1)" in text
    assert "| zzzz | procedure | carte-identite | — | mariage, passeport |" in text


@pytest.mark.usefixtures("small_catalogue")
def test_run_catalogue_baseline_finds_plain_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The baseline finds a query made of a procedure's words, in the same run."""
    monkeypatch.setattr(bench_search_quality, "catalogue_searcher", lambda: _fixed([], []))
    queries = [Query("passeport renouvellement perte vol", ("passeport",), "procedure")]
    result, _ = run_catalogue(queries, {})
    assert result["queries"][0]["baseline_rank"] == 1
    assert result["quality"]["all"]["top3"] == 0.0


def test_catalogue_searcher_returns_slugs_of_both_lists() -> None:
    """The product search, on the shipped catalogue, gives the slugs of both lists."""
    load_catalogue()
    search, name = catalogue_searcher()
    procedures, articles = search("passeport carte grise")
    assert "passeport" in procedures
    assert "carte-grise-permis-ants" in articles
    assert "search_" in name


def _residents(count: int) -> list[Resident]:
    names = ["Lefèvre", "Martin-Dupont", "Le Goff", "Nguyen", "Dubois", "Perrin", "Roux"]
    return [
        create_resident(
            actor=None,
            channel=Channel.COUNTER,
            first_names=["Hélène", "Noé", "Chloé", "Ali", "Jean", "Inès", "Léa"][n],
            usage_name=names[n],
            birth_name="Roux" if n == 0 else "",
            birth_date=datetime.date(1960 + n, n + 1, 10 + n),
            phone=f"06 12 34 56 7{n}",
            email=f"personne{n}@example.org",
        )
        for n in range(count)
    ]


def test_run_residents_counts_recall_at_five(monkeypatch: pytest.MonkeyPatch) -> None:
    """A resident ranked 6th or later is a miss; one in the top 5 is found."""
    residents = sorted(_residents(7), key=lambda resident: resident.pk)
    found = {str(resident.uuid) for resident in residents[:5]}

    def stand_in(query: str, limit: int) -> list[SimpleNamespace]:
        """Rank by email when the query is one, else always in the same order."""
        ranked = sorted(residents, key=lambda r: (r.email != query.lower(), r.pk))
        return [SimpleNamespace(resident=r) for r in ranked][:limit]

    monkeypatch.setattr("guichet.residents.search.find_residents", stand_in)
    facts: dict[str, str] = {}
    result, text = run_residents(60, 3, facts)
    assert facts["residents"] == "7"
    assert result["overall"]["n"] > 0
    missed = {failure["expected"] for failure in result["failures"] if failure["kind"] != "email"}
    assert missed and not missed & found
    email = next(row for row in result["by_kind"] if row["kind"] == "email")
    assert (email["recall"], email["unique_top1"]) == (1.0, 1.0)
    share = 1 - len(result["failures"]) / result["overall"]["n"]
    assert result["overall"]["recall"] == pytest.approx(share)
    assert "recall@5" in text


@pytest.mark.usefixtures("small_catalogue")
def test_main_exit_status_follows_the_targets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The run exits 0 when every target is met and 1 when one is missed."""
    monkeypatch.setenv("GUICHET_DEMO", "true")
    queries = tmp_path / "queries.yaml"
    queries.write_text("- {query: passeport, expected: [passeport], kind: procedure}\n")
    report = tmp_path / "report.json"
    argv = ["--procedures-only", "--queries", str(queries), "--json", str(report)]

    monkeypatch.setattr(
        bench_search_quality, "catalogue_searcher", lambda: _fixed(["passeport"], [])
    )
    assert bench_search_quality.main(argv) == 0
    saved = json.loads(report.read_text())
    assert saved["catalogue"]["quality"]["all"]["top3"] == 1.0
    assert all(target["met"] for target in saved["targets"])

    monkeypatch.setattr(bench_search_quality, "catalogue_searcher", lambda: _fixed(["mariage"], []))
    assert bench_search_quality.main(argv) == 1
