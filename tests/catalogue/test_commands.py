"""The catalogue's command-line interfaces."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.catalogue.loader import LoadReport
from guichet.catalogue.models import Procedure


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_search_procedures_json(real_catalogue: LoadReport) -> None:
    """``search-procedures QUERY --json`` prints ranked slug, title and score."""
    results = json.loads(run("search_procedures", "carte d'identité", "--limit", "3", "--json"))
    assert len(results) == 3
    assert set(results[0]) == {"slug", "title", "score"}
    assert results[0]["slug"] == "carte-identite"
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]


def test_search_procedures_json_with_no_match(real_catalogue: LoadReport) -> None:
    """A query matching nothing prints an empty JSON list."""
    assert json.loads(run("search_procedures", "zzzzqqq", "--json")) == []


def test_search_procedures_text(real_catalogue: LoadReport) -> None:
    """Without --json, one line per result."""
    output = run("search_procedures", "cantine", "--limit", "1")
    assert "restauration-scolaire" in output
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("  ",),
        (),
        ("cni", "--limit", "0"),
        ("cni", "--limit", "dix"),
        ("cni", "--batch", "queries.txt"),
    ],
)
def test_search_procedures_rejects_bad_arguments(db: None, args: tuple[str, ...]) -> None:
    """An empty query, a bad limit, or a query together with --batch is refused."""
    with pytest.raises((CommandError, SystemExit)):
        run("search_procedures", *args)


def test_search_procedures_batch_prints_one_array_per_line_in_order(
    real_catalogue: LoadReport, tmp_path: Path
) -> None:
    """``--batch FILE`` prints one JSON array per non-blank line, in the file's order."""
    batch = tmp_path / "queries.txt"
    batch.write_text("cantine\n\n  \ncarte d'identité\nzzzzqqq\n", encoding="utf-8")
    lines = run("search_procedures", "--batch", str(batch), "--limit", "2").splitlines()
    assert len(lines) == 3
    results = [json.loads(line) for line in lines]
    assert results[0][0]["slug"] == "restauration-scolaire"
    assert results[1][0]["slug"] == "carte-identite"
    assert results[2] == []
    assert all(len(result) <= 2 for result in results)
    assert set(results[0][0]) == {"slug", "title", "score"}
    assert results[0] == json.loads(run("search_procedures", "cantine", "--limit", "2", "--json"))


def test_search_procedures_batch_reads_standard_input(real_catalogue: LoadReport) -> None:
    """``--batch -`` reads the queries from standard input."""
    out = StringIO()
    call_command(
        "search_procedures", "--batch", "-", stdin=StringIO("passeport\ncantine\n"), stdout=out
    )
    slugs = [json.loads(line)[0]["slug"] for line in out.getvalue().splitlines()]
    assert slugs == ["passeport", "restauration-scolaire"]


def test_search_procedures_batch_file_errors_are_explained(db: None, tmp_path: Path) -> None:
    """A missing file, a folder or a file that is not UTF-8 gives a clear message."""
    with pytest.raises(CommandError, match="n'existe pas"):
        run("search_procedures", "--batch", str(tmp_path / "absent.txt"))
    with pytest.raises(CommandError, match="est un dossier"):
        run("search_procedures", "--batch", str(tmp_path))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("cantine\ncarte d'identité\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"n'est pas en UTF-8 \(ligne 2\)"):
        run("search_procedures", "--batch", str(latin1))


def test_export_catalogue_json(real_catalogue: LoadReport) -> None:
    """``export-catalogue --json`` gives every procedure with texts, links and metadata."""
    exported = json.loads(run("export_catalogue", "--json"))
    assert len(exported) == Procedure.objects.count()
    by_slug = {item["slug"]: item for item in exported}
    card = by_slug["carte-identite"]
    for key in (
        "title", "summary", "body", "agent_note", "who_can_ask", "documents", "channels",
        "appointment_required", "cost", "commitment_days", "handled_by_city", "orient_to",
        "keywords", "is_published", "review_before", "updated_at", "updated_by", "url",
    ):  # fmt: skip
        assert key in card
    assert card["department"]["slug"] == "population"
    assert {
        "slug": "papiers",
        "title": "J'ai besoin d'un papier d'identité ou d'un document officiel",
    } in card["life_events"]
    assert any(a["slug"] == "verifier-dossier-carte-identite" for a in card["articles"])
    assert "CNI" in card["keywords"]


def test_export_catalogue_text(real_catalogue: LoadReport) -> None:
    """Without --json, a short list of slugs and titles."""
    output = run("export_catalogue")
    assert "carte-identite\t" in output


def test_load_catalogue_command(db: None) -> None:
    """``load-catalogue`` loads the shipped content and prints a summary."""
    output = run("load_catalogue")
    assert "démarches : 49 créées" in output
    assert "inchangé" in run("load_catalogue")


def test_load_catalogue_command_fails_on_errors(db: None, tmp_path: Path) -> None:
    """Invalid content makes the command fail after listing the errors."""
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures" / "x.yaml").write_text("slug: [", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="invalide"):
        call_command("load_catalogue", "--content-dir", str(tmp_path), stdout=out)
    assert "procedures/x.yaml: YAML invalide" in out.getvalue()
