"""The online forms shipped with the demo city (src/guichet/cases/content/forms/)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from guichet.cases.form_definition import FormDefinition, parse_definition
from guichet.cases.form_schema import PREFILL_SOURCES, Condition
from guichet.cases.forms_loader import DEFAULT_FORMS_DIR
from guichet.catalogue.loader import DEFAULT_CONTENT_DIR

PROCEDURES_DIR = DEFAULT_CONTENT_DIR / "procedures"
EXPECTED_SLUGS = {
    "acte-naissance",
    "acte-mariage",
    "acte-deces",
    "inscription-scolaire",
    "restauration-scolaire",
    "accueil-periscolaire",
    "quotient-familial",
    "place-creche",
    "aide-sociale-facultative",
    "signalement-espace-public",
    "encombrants",
    "occupation-domaine-public",
    "location-salle",
    "demenagement",
    "question-generale",
}
FORM_FILES = sorted(DEFAULT_FORMS_DIR.glob("*.yaml"))


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def definition(slug: str) -> FormDefinition:
    return parse_definition(read(DEFAULT_FORMS_DIR / f"{slug}.yaml"))


def procedure_content(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = read(PROCEDURES_DIR / f"{slug}.yaml")
    return data


def has_field_condition(form: FormDefinition) -> bool:
    return any(field.condition is not None for field in form.fields)


def has_page_condition(form: FormDefinition) -> bool:
    return any(page.condition is not None for page in form.pages)


def test_one_file_per_expected_procedure() -> None:
    """The shipped forms are exactly those of the 15 procedures the demo city offers online."""
    assert {path.stem for path in FORM_FILES} == EXPECTED_SLUGS


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda path: path.stem)
def test_file_parses_and_is_named_by_its_procedure(path: Path) -> None:
    """Every shipped file is a valid definition, named by the slug of its procedure."""
    form = parse_definition(read(path))
    assert form.procedure == path.stem


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda path: path.stem)
def test_procedure_exists_in_catalogue_content(path: Path) -> None:
    """Each form's procedure is shipped in the catalogue, so the loader always finds it."""
    slug = parse_definition(read(path)).procedure
    assert procedure_content(slug)["slug"] == slug


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda path: path.stem)
def test_settings_align_with_the_procedure(path: Path) -> None:
    """Receipts are acknowledged and the commitment delay is the one the procedure promises."""
    form = parse_definition(read(path))
    procedure = procedure_content(form.procedure)
    assert form.settings.acknowledge is True
    assert form.settings.commitment_days == procedure["commitment_days"]
    assert form.settings.department in {"", procedure["department"]}


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda path: path.stem)
def test_prefills_are_known_sources_suiting_their_field(path: Path) -> None:
    """Every prefill names a source of the resident's file that suits the field's type."""
    form = parse_definition(read(path))
    prefilled = [field for field in form.fields if field.prefill]
    assert prefilled, "each form takes something from the resident's file"
    for field in prefilled:
        assert field.type in PREFILL_SOURCES[field.prefill], field.key


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda path: path.stem)
def test_every_field_is_written_for_residents(path: Path) -> None:
    """Labels and help texts are plain French sentences, not keys or placeholders."""
    form = parse_definition(read(path))
    assert form.title and form.intro
    for field in form.fields:
        assert field.label and field.label != field.key, field.key
        assert "_" not in field.label and "TODO" not in field.help.upper(), field.key


def test_conditions_are_used_on_pages_and_fields() -> None:
    """At least two forms show pages on condition and at least five show fields on condition."""
    forms = [parse_definition(read(path)) for path in FORM_FILES]
    assert sum(has_page_condition(form) for form in forms) >= 2
    assert sum(has_field_condition(form) for form in forms) >= 5


def test_birth_certificate_asks_what_the_law_requires() -> None:
    """Document type, entitlement, names, past birth date, parents for copies, copies, address."""
    form = definition("acte-naissance")
    assert {option.value for option in form.field("type_acte").options} == {
        "copie_integrale",
        "extrait_avec_filiation",
        "extrait_sans_filiation",
        "extrait_plurilingue",
    }
    restricted = Condition(
        operator="in",
        field="type_acte",
        value=("copie_integrale", "extrait_avec_filiation", "extrait_plurilingue"),
    )
    assert form.field("qualite").condition == restricted
    assert form.page("parents").condition == restricted
    assert "personne_concernee" in {option.value for option in form.field("qualite").options}
    assert form.field("date_naissance").validation.max == "today"
    assert form.field("nombre_exemplaires").validation.min == 1
    assert form.field("adresse_envoi").prefill == "resident.address"


def test_school_registration_asks_for_a_child_documents_and_derogation() -> None:
    """A child of the household, the level from PS to CM2, proofs, and a derogation page."""
    form = definition("inscription-scolaire")
    child = form.field("enfant")
    assert child.type == "household_member" and child.relations == ("child",)
    levels = [option.value for option in form.field("niveau").options]
    assert levels == ["ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2"]
    assert form.field("justificatif_domicile").document_kind == "proof_of_address"
    assert form.field("livret_famille").document_kind == "family_record_book"
    assert form.page("derogation_demande").condition is not None


def test_family_quotient_asks_caf_or_income() -> None:
    """CAF number and certificate for beneficiaries, income and tax notice for the others."""
    form = definition("quotient-familial")
    assert form.page("caf").condition == Condition("equals", "allocataire", "oui")
    assert form.page("ressources").condition == Condition("equals", "allocataire", "non")
    assert form.field("attestation_caf").document_kind == "caf_certificate"
    assert form.field("avis_imposition").document_kind == "tax_notice"
    assert form.field("revenus_annuels").validation.min == 0


def test_social_help_asks_situation_resources_kind_and_amount() -> None:
    """The CCAS form asks the situation, the resources, the kinds of help and an amount."""
    form = definition("aide-sociale-facultative")
    keys = {field.key for field in form.fields}
    assert {"situation", "ressources_mensuelles", "types_aide", "montant"} <= keys
    assert form.field("types_aide").type == "multichoice"
    assert form.field("prenoms").prefill == "resident.first_names"


def test_moving_asks_new_address_date_members_and_services() -> None:
    """New address prefilled, moving date within a year either way, services to inform."""
    form = definition("demenagement")
    address = form.field("nouvelle_adresse")
    assert address.type == "address" and address.prefill == "resident.address"
    moving = form.field("date_demenagement").validation
    assert (moving.min, moving.max) == ("-1y", "+1y")
    services = {option.value for option in form.field("services").options}
    assert {"ecoles_cantine", "listes_electorales", "ccas", "stationnement"} <= services
    assert "bacs_dechets" in services
    assert form.field("nombre_personnes").validation.min == 1


def test_street_report_has_category_location_and_optional_photo() -> None:
    """The report asks a category, a description, a location and an optional photo."""
    form = definition("signalement-espace-public")
    categories = {option.value for option in form.field("categorie").options}
    assert categories == {
        "eclairage",
        "voirie",
        "proprete",
        "tags",
        "mobilier",
        "espaces_verts",
        "autre",
    }
    assert form.field("lieu").type == "location" and form.field("lieu").required
    photo = form.field("photo")
    assert (photo.type, photo.document_kind, photo.label) == ("file", "other", "Photo")
    assert not photo.required
    assert form.field("description").required
