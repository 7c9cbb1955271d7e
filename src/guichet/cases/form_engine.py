"""The forms-as-data engine of requests: what the rest of Guichet calls (docs/forms.md).

- ``visible_pages`` / ``visible_fields``: which pages and fields the answers so far show
  (``form_conditions``).
- ``build_page_form`` / ``page_answers`` / ``partial_page_answers`` / ``store_pending_uploads``:
  one page as a Django form, drawn by ``cases/form/page.html`` (``form_fields``, whose module
  docstring shows how a view uses them).
- ``validate_answers``: the whole answers dict judged at submission and by the JSON API.
- ``prefill_answers`` / ``profile_changes``: tell us once (``form_prefill``).
- ``answer_summary``: the answers as people read them, for the receipt, its PDF, the case page
  and emails.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from guichet.cases.form_conditions import condition_holds, visible_fields, visible_pages
from guichet.cases.form_fields import (
    PageForm,
    build_page_form,
    page_answers,
    partial_page_answers,
)
from guichet.cases.form_prefill import (
    load_file_references,
    one_line_address,
    prefill_answers,
    profile_changes,
)
from guichet.cases.form_schema import Field, FormDefinition
from guichet.cases.form_uploads import PendingUpload, store_pending_uploads
from guichet.cases.form_values import check_answer, error_messages, parse_date
from guichet.residents.choices import DocumentKind
from guichet.residents.models import Document, Resident
from guichet.residents.phones import display as display_phone

__all__ = [
    "PageForm",
    "PendingUpload",
    "answer_summary",
    "build_page_form",
    "page_answers",
    "partial_page_answers",
    "prefill_answers",
    "profile_changes",
    "store_pending_uploads",
    "validate_answers",
    "visible_fields",
    "visible_pages",
]


def validate_answers(
    definition: FormDefinition, answers: Mapping[str, Any], *, resident: Resident
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Return (cleaned answers, errors by field key) for a complete set of answers.

    Hidden fields and pages are skipped and their answers dropped, unknown keys too. Files are
    ``{"document": uuid}`` of the resident's own valid documents of the field's kind, household
    members people of the resident's households: anything else is refused, as an error of the
    field (never a hint that someone else's document exists).
    """
    if not isinstance(answers, Mapping):
        return {}, {"": [_("Les réponses doivent être un objet JSON {clé: réponse}.")]}
    file = load_file_references(resident, definition)
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for page in definition.pages:
        if page.condition is not None and not condition_holds(page.condition, cleaned, definition):
            continue
        for field in page.fields:
            if field.condition is not None and not condition_holds(
                field.condition, cleaned, definition
            ):
                continue
            try:
                value = check_answer(field, answers.get(field.key), file)
            except ValidationError as error:
                errors[field.key] = error_messages(error)
                continue
            if value is not None:
                cleaned[field.key] = value
    return cleaned, errors


def _uuids(values: list[Any]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return valid


def _number_text(value: Any) -> str:
    return str(number_format(Decimal(str(value)), use_l10n=True))


def _displayed(
    field: Field,
    value: Any,
    documents: Mapping[str, Document],
    members: Mapping[str, Resident],
) -> str:
    if field.type in ("choice",):
        return field.option_label(value)
    if field.type == "multichoice":
        return ", ".join(field.option_label(item) for item in value)
    if field.type == "checkbox":
        return _("Oui") if value else _("Non")
    if field.type == "date":
        day = parse_date(value)
        return date_format(day, "j F Y") if day else str(value)
    if field.type == "number":
        return _number_text(value)
    if field.type == "phone":
        return display_phone(value)
    if field.type == "address":
        return one_line_address(value)
    if field.type == "location":
        text = str(value.get("address", ""))
        if value.get("latitude") is not None and value.get("longitude") is not None:
            point = f"{_number_text(value['latitude'])} ; {_number_text(value['longitude'])}"
            text = f"{text} ({point})" if text else point
        return text
    if field.type == "file":
        document = documents.get(str(value.get("document")))
        if document is None:
            return str(DocumentKind(field.document_kind).label)
        return f"{document.get_kind_display()} — {document.original_name}"
    if field.type == "household_member":
        person = members.get(str(value))
        if person is None:
            return _("Personne retirée du foyer")
        return f"{person.first_names} {person.usage_name.upper()}"
    return str(value)


def answer_summary(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    documents: Mapping[str, Document] | None = None,
    members: Mapping[str, Resident] | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return [(page title, [(label, value as read in French)])] for the answered shown fields.

    ``documents`` and ``members`` map uuid strings to the objects answers reference; when not
    given, they are read from the database (one query each, only if the answers hold some).
    """
    shown = {page.key: visible_fields(definition, page, answers) for page in definition.pages}
    pages = visible_pages(definition, answers)
    referenced = [
        (field, answers[field.key])
        for page in pages
        for field in shown[page.key]
        if answers.get(field.key) not in (None, "", [], {})
    ]
    if documents is None:
        uuids = _uuids(
            [value.get("document") for field, value in referenced if field.type == "file"]
        )
        documents = (
            {str(item.uuid): item for item in Document.objects.filter(uuid__in=uuids)}
            if uuids
            else {}
        )
    if members is None:
        uuids = _uuids([value for field, value in referenced if field.type == "household_member"])
        members = (
            {str(item.uuid): item for item in Resident.objects.filter(uuid__in=uuids)}
            if uuids
            else {}
        )
    summary = []
    for page in pages:
        rows = [
            (field.label, _displayed(field, answers[field.key], documents, members))
            for field in shown[page.key]
            if answers.get(field.key) not in (None, "", [], {})
        ]
        if rows:
            summary.append((page.title, rows))
    return summary
