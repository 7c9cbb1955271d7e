"""``guichet find-residents``: one query, or a batch of queries from a file or standard input."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: StringIO | None = None) -> str:
    out = StringIO()
    call_command("find_residents", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def test_batch_prints_one_array_per_line_in_order(helene, make_resident, tmp_path: Path) -> None:
    """Each non-blank line gives one JSON array, in the file's order, in the documented format."""
    paul = make_resident(first_names="Paul", usage_name="Durand")
    batch = tmp_path / "lookups.txt"
    batch.write_text("Dupond Hélène\n\n12/03/1980\ndurand\nzzzzqq\n", encoding="utf-8")
    lines = run("--batch", str(batch), "--limit", "1").splitlines()
    results = [json.loads(line) for line in lines]
    assert [[item["id"] for item in result] for result in results] == [
        [str(helene.uuid)],
        [str(helene.uuid)],
        [str(paul.uuid)],
        [],
    ]
    assert set(results[0][0]) == {"id", "display_name", "birth_date", "score"}
    assert results[0][0]["birth_date"] == "1980-03-12"


def test_batch_reads_standard_input(helene) -> None:
    """``--batch -`` reads the queries from standard input."""
    lines = run("--batch", "-", stdin=StringIO("dupont\n06.12.34.56.78\n")).splitlines()
    assert [json.loads(line)[0]["id"] for line in lines] == [str(helene.uuid)] * 2


def test_single_query_keeps_its_output(helene) -> None:
    """Without --batch, the command prints one JSON array for the query."""
    [result] = json.loads(run("dupont", "--json"))
    assert result["display_name"] == "DUPONT Hélène"


@pytest.mark.parametrize("args", [(), ("   ",), ("dupont", "--batch", "x.txt")])
def test_query_or_batch_is_required(args: tuple[str, ...]) -> None:
    """No query, a blank one, or both a query and --batch is refused with a message."""
    with pytest.raises(CommandError):
        run(*args)


def test_unreadable_batch_files_are_explained(tmp_path: Path) -> None:
    """A missing file, a folder or a non-UTF-8 file gives a message saying what to do."""
    with pytest.raises(CommandError, match="n'existe pas"):
        run("--batch", str(tmp_path / "absent.txt"))
    with pytest.raises(CommandError, match="est un dossier"):
        run("--batch", str(tmp_path))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Hélène\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        run("--batch", str(latin1))
