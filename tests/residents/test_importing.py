import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.residents.importing import ImportFileError, import_residents
from guichet.residents.models import Resident, ResidentChange

pytestmark = pytest.mark.django_db

HEADER = (
    "external_id,last_name,first_name,birth_name,birth_date,email,phone,address,postal_code,city"
)


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8", name: str = "usagers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_creates_residents_with_normalised_fields(tmp_path: Path) -> None:
    """Lines become files with search keys, E.164 phones and lower-case emails."""
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "SI-1,Dupont,Hélène,,1980-03-12,Helene@Example.org,06 12 34 56 78,"
        "3 rue des Écoles,94000,Créteil\n"
        "SI-2,Lefèvre,Jean,Martin,02/05/1975,,,,,\n",
    )
    report = import_residents(path)
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    helene = Resident.objects.get(external_id="SI-1")
    assert helene.birth_date == datetime.date(1980, 3, 12)
    assert helene.phone == "+33612345678"
    assert helene.email == "helene@example.org"
    assert helene.search_last == "dupont"
    jean = Resident.objects.get(external_id="SI-2")
    assert jean.birth_date == datetime.date(1975, 5, 2)
    assert jean.search_birth == "martin"
    assert ResidentChange.objects.filter(kind=ResidentChange.Kind.IMPORTED).count() == 2


def test_utf8_bom_and_semicolons_are_understood(tmp_path: Path) -> None:
    """A spreadsheet's 'CSV UTF-8' export (BOM, semicolons) imports as is."""
    text = HEADER.replace(",", ";") + "\nSI-1;Dupont;Hélène;;12/03/1980;;;;;Créteil\n"
    path = write(tmp_path, "\ufeff" + text)
    report = import_residents(path)
    assert report.created == 1
    assert Resident.objects.get().first_names == "Hélène"


def test_other_encodings_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    """A Latin-1 file is refused as a whole, saying how to re-save it."""
    path = write(tmp_path, f"{HEADER}\nSI-1,Dupont,Hélène,,,,,,,\n", encoding="latin-1")
    with pytest.raises(ImportFileError, match=r"UTF-8.*ligne 2"):
        import_residents(path)
    assert not Resident.objects.exists()


def test_missing_columns_are_refused(tmp_path: Path) -> None:
    """The header must hold every column; the message lists the missing ones."""
    path = write(tmp_path, "external_id,last_name,first_name\nSI-1,Dupont,Hélène\n")
    with pytest.raises(ImportFileError, match="birth_name, birth_date"):
        import_residents(path)


def test_extra_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """Unknown columns are reported and skipped."""
    path = write(tmp_path, f"{HEADER},quartier\nSI-1,Dupont,Hélène,,,,,,,,Nord\n")
    report = import_residents(path)
    assert report.created == 1
    assert report.warnings == ["Colonnes ignorées : quartier."]


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_imported(tmp_path: Path) -> None:
    """Each invalid line is reported (line number, reason in French); valid ones go in."""
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "SI-1,Dupont,Hélène,,1980-03-12,,,,,\n"
        "SI-2,Martin,Ivan,,31/02/1980,,,,,\n"
        "SI-3,Roux,Léa,,,pas-une-adresse,,,,\n"
        "SI-4,Petit,Noé,,,,123,,,\n"
        ",Sans,Identifiant,,,,,,,\n"
        "SI-6,,Prénom,,,,,,,\n"
        "SI-7,Trop,De,Colonnes,,,,,,,en trop\n"
        "SI-1,Dupont,Hélène,,1980-03-12,,,,,\n"
        f"SI-9,{'x' * 300},Long,,,,,,,\n"
        "SI-10,Futur,Bébé,,2999-01-01,,,,,\n"
        "\n"
        "SI-12,Bernard,Zoé,,,,,,,\n",
    )
    report = import_residents(path)
    assert report.created == 2
    errors = {error.line: error.message for error in report.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "31/02/1980" in errors[3] and "AAAA-MM-JJ" in errors[3]
    assert "adresse électronique" in errors[4]
    assert "téléphone" in errors[5]
    assert "external_id est vide" in errors[6]
    assert "last_name est vide" in errors[7]
    assert "11 colonnes au lieu de 10" in errors[8]
    assert "ligne 2" in errors[9]
    assert "300" not in errors[10] and "200 caractères" in errors[10]
    assert "futur" in errors[11]
    assert str(report.errors[0]) == f"Ligne 3 : {errors[3]}"


def test_reimport_updates_by_external_id_instead_of_duplicating(tmp_path: Path) -> None:
    """The same file twice changes nothing; a changed line updates its file."""
    path = write(tmp_path, f"{HEADER}\nSI-1,Dupont,Hélène,,1980-03-12,,0612345678,,,Créteil\n")
    import_residents(path)
    again = import_residents(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = write(
        tmp_path,
        f"{HEADER}\nSI-1,Martin,Hélène,,1980-03-12,,,8 rue Neuve,94000,Créteil\n",
        name="b.csv",
    )
    report = import_residents(changed)
    assert (report.created, report.updated) == (0, 1)
    resident = Resident.objects.get()
    assert resident.usage_name == "Martin"
    assert resident.search_last == "martin"
    assert resident.address == "8 rue Neuve"
    assert resident.phone == "+33612345678", "an empty cell does not erase the phone"
    change = ResidentChange.objects.filter(kind=ResidentChange.Kind.IMPORTED).first()
    assert change is not None
    assert change.changes["usage_name"] == ["Dupont", "Martin"]


def test_import_in_small_batches_reports_progress(tmp_path: Path) -> None:
    """Progress is reported after each batch, up to the number of lines."""
    lines = "".join(f"SI-{i},Nom{chr(97 + i % 26)},Prénom,,,,,,,\n" for i in range(25))
    path = write(tmp_path, f"{HEADER}\n{lines}")
    seen: list[int] = []
    report = import_residents(path, batch_size=10, on_progress=seen.append)
    assert report.created == 25
    assert seen == [10, 20, 25]


def test_command_prints_a_summary(tmp_path: Path, capsys) -> None:
    """guichet import-residents prints created, updated, unchanged and errors."""
    path = write(tmp_path, f"{HEADER}\nSI-1,Dupont,Hélène,,,,,,,\n")
    call_command("import_residents", str(path))
    assert "1 créé, 0 mis à jour, 0 inchangé, 0 erreur." in capsys.readouterr().out


def test_command_reports_bad_lines_and_fails(tmp_path: Path, capsys) -> None:
    """Bad lines are listed on stderr and the command exits with an error after importing."""
    path = write(tmp_path, f"{HEADER}\nSI-1,Dupont,Hélène,,,,,,,\nSI-2,Martin,Ivan,,hier,,,,,\n")
    with pytest.raises(CommandError, match="1 ligne"):
        call_command("import_residents", str(path))
    captured = capsys.readouterr()
    assert "Ligne 3 : date de naissance « hier » invalide" in captured.err
    assert "1 créé, 0 mis à jour, 0 inchangé, 1 erreur." in captured.out
    assert Resident.objects.count() == 1


def test_command_refuses_an_unreadable_file(tmp_path: Path) -> None:
    """A missing file is a clear error, not a traceback."""
    with pytest.raises(CommandError, match="ne peut pas être lu"):
        call_command("import_residents", str(tmp_path / "absent.csv"))


def test_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty file asks for the header line."""
    with pytest.raises(ImportFileError, match="en-tête"):
        import_residents(write(tmp_path, ""))
