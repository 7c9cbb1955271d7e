"""Loading the online forms from YAML files: versions, back-office edits, bad files."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from guichet.cases.form_actions import (
    get_or_create_case_form,
    publish_form_version,
    update_case_form,
)
from guichet.cases.forms_loader import DEFAULT_FORMS_DIR, load_forms
from guichet.cases.models import CaseForm, FormVersion
from guichet.catalogue.models import Procedure
from guichet.organisation.models import Department
from tests.catalogue.conftest import _module_catalogue, shipped_catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("shipped_catalogue")


def copy_forms(directory: Path, *slugs: str) -> None:
    for slug in slugs:
        shutil.copy(DEFAULT_FORMS_DIR / f"{slug}.yaml", directory / f"{slug}.yaml")


def edit_form(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def versions(slug: str) -> list[int]:
    return list(
        FormVersion.objects.filter(form__procedure__slug=slug)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_shipped_forms_load_then_reload_unchanged() -> None:
    """Every shipped form is created with version 1; a second load changes nothing."""
    first = load_forms()
    assert first.ok, first.summary()
    assert len(first.created) == len(list(DEFAULT_FORMS_DIR.glob("*.yaml"))) == 15
    assert FormVersion.objects.filter(number=1).count() == 15

    second = load_forms()
    assert second.ok
    assert (second.created, second.new_versions, second.skipped) == ([], [], [])
    assert len(second.unchanged) == 15
    assert FormVersion.objects.count() == 15


def test_settings_come_from_the_file(tmp_path: Path) -> None:
    """The case form gets the file's commitment delay, receipt and routing department."""
    copy_forms(tmp_path, "acte-naissance")
    edit_form(
        tmp_path / "acte-naissance.yaml",
        settings={"acknowledge": False, "department": "relation-usager", "commitment_days": 3},
    )
    load_forms(tmp_path)
    form = CaseForm.objects.get(procedure__slug="acte-naissance")
    assert form.routing_department == Department.objects.get(slug="relation-usager")
    assert (form.commitment_days, form.acknowledge_automatically) == (3, False)
    current = form.current_version()
    assert current is not None and current.definition["settings"]["commitment_days"] == 3


def test_changed_file_publishes_a_new_version(tmp_path: Path) -> None:
    """A changed definition is published as the next version; the first stays as it was."""
    copy_forms(tmp_path, "acte-deces", "encombrants")
    load_forms(tmp_path)
    edit_form(tmp_path / "acte-deces.yaml", title="Copie d'acte de décès")

    report = load_forms(tmp_path)

    assert report.new_versions == ["acte-deces.yaml"]
    assert report.unchanged == ["encombrants.yaml"]
    assert versions("acte-deces") == [1, 2]
    form = CaseForm.objects.get(procedure__slug="acte-deces")
    latest = form.current_version()
    assert latest is not None and latest.definition["title"] == "Copie d'acte de décès"
    assert latest.published_by is None and "acte-deces.yaml" in latest.comment
    assert form.versions.get(number=1).definition["title"] == "Demande de copie d'acte de décès"


def test_form_edited_in_back_office_is_kept_unless_forced(tmp_path: Path) -> None:
    """A form a supervisor edited is skipped; --force publishes the file and clears the mark."""
    copy_forms(tmp_path, "encombrants")
    load_forms(tmp_path)
    form = CaseForm.objects.get(procedure__slug="encombrants")
    update_case_form(form, edited_in_back_office=True, commitment_days=7)
    edit_form(tmp_path / "encombrants.yaml", title="Enlèvement des encombrants")

    skipped = load_forms(tmp_path)
    assert skipped.skipped == ["encombrants.yaml"] and skipped.ok
    assert versions("encombrants") == [1]
    form.refresh_from_db()
    assert form.commitment_days == 7

    forced = load_forms(tmp_path, force=True)
    assert forced.new_versions == ["encombrants.yaml"]
    assert versions("encombrants") == [1, 2]
    form.refresh_from_db()
    assert (form.edited_in_back_office, form.commitment_days) == (False, 10)


def test_bad_file_is_reported_by_name_and_others_load(tmp_path: Path) -> None:
    """Invalid YAML and an invalid definition are reported with their file; the rest loads."""
    copy_forms(tmp_path, "acte-mariage", "question-generale")
    (tmp_path / "encombrants.yaml").write_text("procedure: [encombrants\n", encoding="utf-8")
    edit_form(tmp_path / "question-generale.yaml", pages=[])

    report = load_forms(tmp_path)

    assert report.created == ["acte-mariage.yaml"]
    assert [error.file for error in report.errors] == ["encombrants.yaml", "question-generale.yaml"]
    assert "YAML invalide" in report.errors[0].messages[0]
    assert any("pages" in message for message in report.errors[1].messages)
    assert not CaseForm.objects.filter(procedure__slug__in=["encombrants", "question-generale"])
    assert "question-generale.yaml" in report.summary()


def test_unknown_procedure_or_department_is_an_error(tmp_path: Path) -> None:
    """A form for a procedure or a department that does not exist is refused with the slug."""
    copy_forms(tmp_path, "acte-deces", "encombrants")
    data = yaml.safe_load((tmp_path / "acte-deces.yaml").read_text(encoding="utf-8"))
    data["procedure"] = "permis-de-chasse"
    (tmp_path / "permis-de-chasse.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "acte-deces.yaml").unlink()
    edit_form(tmp_path / "encombrants.yaml", settings={"department": "voirie"})

    report = load_forms(tmp_path)

    messages = {error.file: " ".join(error.messages) for error in report.errors}
    assert "permis-de-chasse" in messages["permis-de-chasse.yaml"]
    assert "voirie" in messages["encombrants.yaml"]
    assert not CaseForm.objects.exists()


def test_file_must_be_named_by_its_procedure(tmp_path: Path) -> None:
    """A file whose name is not its procedure's slug is refused, to keep one file per form."""
    shutil.copy(DEFAULT_FORMS_DIR / "acte-deces.yaml", tmp_path / "deces.yaml")
    report = load_forms(tmp_path)
    assert report.errors[0].file == "deces.yaml"
    assert "acte-deces.yaml" in report.errors[0].messages[0]


def test_publish_numbers_versions_after_the_last() -> None:
    """Publishing adds the next number, whoever publishes, and keeps the earlier versions."""
    procedure = Procedure.objects.get(slug="location-salle")
    form, created = get_or_create_case_form(procedure, commitment_days=5)
    assert created and form.commitment_days == 5
    definition = {"procedure": "location-salle", "title": "Salle", "pages": []}
    first = publish_form_version(form=form, definition=definition, actor=None, comment="")
    second = publish_form_version(form=form, definition=definition, actor=None, comment="v2")
    assert (first.number, second.number) == (1, 2)
    again, created = get_or_create_case_form(procedure, commitment_days=9)
    assert again == form and not created and again.commitment_days == 5


def test_command_prints_summary_and_fails_on_errors(tmp_path: Path) -> None:
    """`load-forms` prints what it did and exits with an error when a file was not loaded."""
    copy_forms(tmp_path, "encombrants")
    out = StringIO()
    call_command("load_forms", content_dir=tmp_path, stdout=out, verbosity=2)
    assert "encombrants.yaml" in out.getvalue() and "Formulaires" in out.getvalue()

    (tmp_path / "acte-deces.yaml").write_text("title: sans démarche\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_forms", content_dir=tmp_path, stdout=StringIO())
