"""Small builders shared by the form engine tests: definitions, a household, documents."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guichet.cases.form_definition import parse_definition
from guichet.cases.form_schema import FormDefinition
from guichet.residents.models import Document, Resident
from tests.factories import (
    DocumentFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    ResidentFactory,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OPTIONS = [
    {"value": "titulaire", "label": "La personne concernée"},
    {"value": "parent", "label": "Son père ou sa mère"},
    {"value": "autre", "label": "Une autre personne"},
]


def field(key: str, type_: str = "text", **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": type_, "label": f"Libellé {key}", **extra}


def page(key: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": key, "title": f"Page {key}", "sections": [{"fields": list(fields)}], **extra}


def definition(*pages: dict[str, Any]) -> FormDefinition:
    return parse_definition({"procedure": "demarche", "title": "Demande", "pages": list(pages)})


def one_field(key: str, type_: str = "text", **extra: Any) -> FormDefinition:
    """Return a form of one page holding one field."""
    return definition(page("p", field(key, type_, **extra)))


def pdf_upload(name: str = "acte.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("acte.pdf", b"<script>alert(1)</script>", "application/pdf")


@dataclass
class Family:
    """Hélène's household (her, her spouse, their child) and another family's child."""

    spouse: Resident
    child: Resident
    other_child: Resident


def make_family(resident: Resident, other_resident: Resident) -> Family:
    household = HouseholdFactory(
        name="Foyer Dupont", address="3 allée des Lilas", postal_code="94000", city="Créteil"
    )
    HouseholdMemberFactory(household=household, resident=resident, relation="head")
    spouse = ResidentFactory(first_names="Marc", usage_name="Dupont")
    HouseholdMemberFactory(household=household, resident=spouse, relation="spouse")
    child = ResidentFactory(
        first_names="Léa", usage_name="Dupont", birth_date=datetime.date(2015, 5, 3)
    )
    HouseholdMemberFactory(household=household, resident=child, relation="child")
    other_household = HouseholdFactory(name="Foyer Martin")
    HouseholdMemberFactory(household=other_household, resident=other_resident, relation="head")
    other_child = ResidentFactory(first_names="Tom", usage_name="Martin")
    HouseholdMemberFactory(household=other_household, resident=other_child, relation="child")
    return Family(spouse=spouse, child=child, other_child=other_child)


def document(resident: Resident, kind: str = "birth_certificate", **extra: Any) -> Document:
    doc: Document = DocumentFactory(resident=resident, kind=kind, **extra)
    return doc


def expired(resident: Resident, kind: str = "birth_certificate") -> Document:
    return document(
        resident,
        kind,
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
        original_name="ancien.pdf",
    )
