"""Walking through a form: which page comes next, what a draft still lacks, what it will change.

The views of the filing flow (``portal_views``) stay thin by asking this module; the rules of the
form itself (types, conditions, validation) live in ``form_engine``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guichet.cases.form_engine import (
    prefill_answers,
    profile_changes,
    validate_answers,
    visible_pages,
)
from guichet.cases.form_schema import FormDefinition, Page
from guichet.cases.models import CaseDraft, FormVersion
from guichet.cases.published_forms import definition_of as published_definition
from guichet.residents.models import Resident

# The fields of the resident's file that a form may offer to update (tell us once).
PROFILE_FIELDS = ("email", "phone", "address", "postal_code", "city")


def definition_of(version: FormVersion) -> FormDefinition:
    return published_definition(version)


def prefill(definition: FormDefinition, resident: Resident) -> dict[str, Any]:
    """Return the answers a new draft starts with: what the city already knows (tell us once)."""
    return prefill_answers(definition, resident)


def page_sequence(definition: FormDefinition, answers: dict[str, Any]) -> list[Page]:
    """Return the pages the resident goes through, given what they answered so far."""
    return list(visible_pages(definition, answers))


def neighbours(
    definition: FormDefinition, answers: dict[str, Any], page_key: str
) -> tuple[Page | None, Page | None]:
    """Return the visible pages before and after ``page_key`` (None at either end)."""
    pages = page_sequence(definition, answers)
    keys = [page.key for page in pages]
    if page_key not in keys:
        return None, (pages[0] if pages else None)
    index = keys.index(page_key)
    before = pages[index - 1] if index > 0 else None
    after = pages[index + 1] if index + 1 < len(pages) else None
    return before, after


@dataclass(frozen=True)
class DraftCheck:
    """A draft checked as a whole before submission."""

    answers: dict[str, Any]
    errors: dict[str, list[str]]
    # page key -> the labels of its fields in error, to link the resident to each page.
    pages_in_error: dict[str, list[str]]
    profile_changes: dict[str, tuple[Any, Any]]

    @property
    def is_complete(self) -> bool:
        return not self.errors


def check_draft(draft: CaseDraft) -> DraftCheck:
    """Validate the whole draft as the server will at submission."""
    definition = definition_of(draft.form_version)
    answers, errors = validate_answers(definition, draft.data, resident=draft.resident)
    pages_in_error: dict[str, list[str]] = {}
    for page in page_sequence(definition, answers):
        labels = [field.label for field in page.fields if field.key in errors]
        if labels:
            pages_in_error[page.key] = labels
    changes = {
        name: change
        for name, change in profile_changes(definition, answers, draft.resident).items()
        if name in PROFILE_FIELDS
    }
    return DraftCheck(answers, errors, pages_in_error, changes)
