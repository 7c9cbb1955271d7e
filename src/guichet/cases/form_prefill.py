"""Tell us once (docs/forms.md): what the resident's file already gives a form.

``ResidentFile`` gathers, in two queries, the resident's still-valid documents and the members of
their households: the pieces a ``file`` field offers and the people a ``household_member`` field
lists, and also the only ones an answer may reference. ``prefill_answers`` fills a form from the
file; ``profile_changes`` lists the contact details and address the resident changed in a form,
which the caller offers to copy back to the file (only with the resident's consent).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.utils import timezone

from guichet.cases.form_conditions import visible_answers
from guichet.cases.form_schema import Field, FormDefinition
from guichet.residents.actions import normalize_email
from guichet.residents.models import Document, HouseholdMember, Resident
from guichet.residents.phones import InvalidPhoneNumber, to_e164


@dataclass(frozen=True)
class ResidentFile:
    """What a form may use from a resident's file: valid documents and household members."""

    resident: Resident
    # Still-valid documents, newest first, by uuid string.
    documents: dict[str, Document]
    # Members of the resident's households (the resident included), by resident uuid string.
    members: dict[str, HouseholdMember]

    def documents_of_kind(self, kind: str) -> list[Document]:
        """Return the valid documents of this kind, newest first."""
        return [document for document in self.documents.values() if document.kind == kind]

    def members_for(self, field: Field) -> list[HouseholdMember]:
        """Return the household members a field offers (restricted to its relations, if any)."""
        return [
            member
            for member in self.members.values()
            if not field.relations or member.relation in field.relations
        ]

    def references(self) -> FileReferences:
        """Return what an answer may reference, from what this file already holds."""
        return FileReferences(
            document_kinds={key: document.kind for key, document in self.documents.items()},
            member_relations={key: {member.relation} for key, member in self.members.items()},
        )


@dataclass(frozen=True)
class FileReferences:
    """What answers may reference in a resident's file: the uuids of their valid documents (with
    their kind) and of the members of their households (with their relation).

    Checking answers needs no more than this, which two narrow queries give
    (``load_file_references``); showing a form needs the whole ``ResidentFile``.
    """

    # Valid document uuid -> its kind.
    document_kinds: dict[str, str]
    # Household member's resident uuid -> their relations (one per household listing them).
    member_relations: dict[str, set[str]]

    def document_kind(self, reference: str) -> str | None:
        """Return the kind of the resident's valid document ``reference``, None if it is not."""
        return self.document_kinds.get(reference)

    def member_uuids(self, field: Field) -> set[str]:
        """Return the people a household-member field may name (restricted to its relations)."""
        return {
            key
            for key, relations in self.member_relations.items()
            if not field.relations or relations & set(field.relations)
        }


def load_resident_file(resident: Resident) -> ResidentFile:
    """Return the resident's valid documents and household members (two queries)."""
    today = timezone.localdate()
    documents = Document.objects.filter(resident=resident).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    members: dict[str, HouseholdMember] = {}
    # Someone in two of the resident's households (a child of separated parents) is listed once.
    for member in (
        HouseholdMember.objects.filter(household__members__resident=resident)
        .select_related("resident", "household")
        .order_by("household__name", "household_id", "relation", "resident__birth_date", "id")
    ):
        members.setdefault(str(member.resident.uuid), member)
    return ResidentFile(
        resident=resident,
        documents={str(document.uuid): document for document in documents.order_by("-created_at")},
        members=members,
    )


def load_file_references(resident: Resident, definition: FormDefinition) -> FileReferences:
    """Return what the form's answers may reference, in one narrow query: the resident's valid
    documents if the form has file fields, their households' members if it has
    household-member fields."""
    types = {field.type for field in definition.fields}
    parts: list[QuerySet[Any]] = []
    if "file" in types:
        valid = Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())
        documents = Document.objects.filter(valid, resident=resident).order_by()
        parts.append(documents.values_list(Value("document"), "uuid", "kind"))
    if "household_member" in types:
        members = HouseholdMember.objects.filter(household__members__resident=resident).order_by()
        parts.append(members.values_list(Value("member"), "resident__uuid", "relation"))
    document_kinds: dict[str, str] = {}
    member_relations: dict[str, set[str]] = {}
    if parts:
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for what, key, value in rows:
            if what == "document":
                document_kinds[str(key)] = value
            else:
                member_relations.setdefault(str(key), set()).add(value)
    return FileReferences(document_kinds, member_relations)


def _resident_address(resident: Resident, file: ResidentFile) -> dict[str, str]:
    parts = {"street": resident.address, "postal_code": resident.postal_code, "city": resident.city}
    if parts["street"]:
        return parts
    # A resident known only through their household: its address is theirs.
    for member in file.members.values():
        household = member.household
        if member.resident_id == resident.pk and household.address:
            return {
                "street": household.address,
                "postal_code": household.postal_code,
                "city": household.city,
            }
    return parts


def one_line_address(parts: Mapping[str, str]) -> str:
    """Return "12 rue X, 94000 Créteil" from an address answer's parts."""
    town = " ".join(part for part in (parts.get("postal_code", ""), parts.get("city", "")) if part)
    return ", ".join(part for part in (parts.get("street", ""), town) if part)


def _source_value(field: Field, file: ResidentFile) -> Any:
    resident = file.resident
    name = field.prefill.removeprefix("resident.")
    if name == "address":
        parts = _resident_address(resident, file)
        if field.type == "address":
            return parts if parts["street"] else None
        if field.type == "location":
            return {"address": one_line_address(parts)} if parts["street"] else None
        return parts["street"]
    value = getattr(resident, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.type == "choice" and value not in {option.value for option in field.options}:
        return None
    return value


def prefill_from_file(definition: FormDefinition, file: ResidentFile) -> dict[str, Any]:
    """Return the answers the resident's file gives, for fields they are not typed in yet."""
    answers: dict[str, Any] = {}
    for field in definition.fields:
        value: Any = None
        if field.prefill:
            value = _source_value(field, file)
        elif field.type == "file":
            documents = file.documents_of_kind(field.document_kind)
            if documents:
                value = {"document": str(documents[0].uuid)}
        elif field.type == "household_member":
            # Only one person fits (the only child): choose them; otherwise let the resident.
            members = file.members_for(field)
            if len(members) == 1:
                value = str(members[0].resident.uuid)
        if value not in (None, "", {}):
            answers[field.key] = value
    return answers


def prefill_answers(definition: FormDefinition, resident: Resident) -> dict[str, Any]:
    """Return the answers the resident's file gives (identity, contact, documents, household)."""
    return prefill_from_file(definition, load_resident_file(resident))


def _same_phone(old: str, new: str) -> bool:
    try:
        return bool(old) and to_e164(old) == to_e164(new)
    except InvalidPhoneNumber:
        return False


def _compact(value: str) -> str:
    return " ".join(value.split())


def profile_changes(
    definition: FormDefinition, answers: Mapping[str, Any], resident: Resident
) -> dict[str, tuple[str, str]]:
    """Return {resident field: (old, new)} for prefilled contact details the resident changed.

    Only email, phone and address (street, postal code, city) are offered back; an empty answer
    never erases what the file holds. The caller asks for consent before ``update_resident``.
    """
    shown = visible_answers(definition, answers)
    changes: dict[str, tuple[str, str]] = {}

    def offer(name: str, new: str, same: bool) -> None:
        old = getattr(resident, name)
        if new and not same and name not in changes:
            changes[name] = (old, new)

    for field in definition.fields:
        value = shown.get(field.key)
        if not field.prefill or value is None:
            continue
        if field.prefill == "resident.email" and isinstance(value, str):
            offer("email", value, normalize_email(value) == resident.email)
        elif field.prefill == "resident.phone" and isinstance(value, str):
            offer("phone", value, _same_phone(resident.phone, value))
        elif field.prefill == "resident.address" and field.type == "address":
            for part, name in (
                ("street", "address"),
                ("postal_code", "postal_code"),
                ("city", "city"),
            ):
                new = _compact(str(value.get(part, "")))
                offer(name, new, new == _compact(getattr(resident, name)))
        elif field.prefill == "resident.address" and field.type in ("text", "textarea"):
            new = _compact(str(value))
            offer("address", new, new == _compact(resident.address))
        elif field.prefill in ("resident.postal_code", "resident.city") and isinstance(value, str):
            name = field.prefill.removeprefix("resident.")
            offer(name, _compact(value), _compact(value) == _compact(getattr(resident, name)))
    return changes
