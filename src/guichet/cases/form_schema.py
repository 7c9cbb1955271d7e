"""The typed objects of a form definition (docs/forms.md) and their canonical dict.

Every object is frozen: a published definition never changes. ``form_definition.parse_definition``
builds them from a dict and checks them; ``definition_to_dict`` turns them back into JSON types,
leaving default values out, so that two definitions that mean the same compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FIELD_TYPES = (
    "text",
    "textarea",
    "email",
    "phone",
    "date",
    "number",
    "choice",
    "multichoice",
    "checkbox",
    "file",
    "address",
    "household_member",
    "location",
)
CHOICE_TYPES = frozenset({"choice", "multichoice"})

# Where a field's answer may come from in the resident's file, and the types it suits.
PREFILL_SOURCES: dict[str, frozenset[str]] = {
    "resident.civility": frozenset({"choice", "text"}),
    "resident.first_names": frozenset({"text"}),
    "resident.usage_name": frozenset({"text"}),
    "resident.birth_name": frozenset({"text"}),
    "resident.birth_date": frozenset({"date"}),
    "resident.birth_place": frozenset({"text"}),
    "resident.email": frozenset({"email"}),
    "resident.phone": frozenset({"phone"}),
    "resident.address": frozenset({"address", "location", "text", "textarea"}),
    "resident.postal_code": frozenset({"text"}),
    "resident.city": frozenset({"text"}),
}

# The validation keys each type accepts (docs/forms.md, "Field types and their answer").
VALIDATION_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"min_length", "max_length", "pattern", "pattern_message"}),
    "textarea": frozenset({"min_length", "max_length"}),
    "email": frozenset(),
    "phone": frozenset(),
    "date": frozenset({"min", "max"}),
    "number": frozenset({"min", "max", "decimals"}),
    "choice": frozenset(),
    "multichoice": frozenset({"min_choices", "max_choices"}),
    "checkbox": frozenset(),
    "file": frozenset(),
    "address": frozenset(),
    "household_member": frozenset(),
    "location": frozenset(),
}
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000}
MAX_LENGTH_LIMIT = {"text": 1000, "textarea": 20000}
MAX_DECIMALS = 6

KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$")
KEY_MAX_LENGTH = 60
DATE_BOUND_PATTERN = re.compile(r"^(?:today|[+-]\d{1,4}[dmy])$")

FORM_KEYS = frozenset({"procedure", "title", "intro", "settings", "pages"})
SETTINGS_KEYS = frozenset({"acknowledge", "department", "commitment_days", "inform"})
PAGE_KEYS = frozenset({"key", "title", "intro", "condition", "sections"})
SECTION_KEYS = frozenset({"title", "intro", "fields"})
FIELD_KEYS = frozenset(
    {
        "key",
        "type",
        "label",
        "help",
        "required",
        "options",
        "prefill",
        "condition",
        "validation",
        "document_kind",
        "relations",
    }
)
VALUE_OPERATORS = ("equals", "not_equals", "in", "is_true", "answered")
GROUP_OPERATORS = ("all", "any")


@dataclass(frozen=True)
class Condition:
    """When a page or field is shown: a test on one earlier answer, or ``all``/``any`` of some."""

    operator: str
    field: str = ""
    value: Any = None
    conditions: tuple[Condition, ...] = ()

    def field_keys(self) -> Iterator[str]:
        """Yield the keys of the fields this condition reads."""
        if self.operator in GROUP_OPERATORS:
            for condition in self.conditions:
                yield from condition.field_keys()
        else:
            yield self.field

    def to_dict(self) -> dict[str, Any]:
        if self.operator in GROUP_OPERATORS:
            return {self.operator: [condition.to_dict() for condition in self.conditions]}
        value = list(self.value) if self.operator == "in" else self.value
        return {"field": self.field, self.operator: value}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Validation:
    """The rules of a field beyond ``required``; which apply depends on its type."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    pattern_message: str = ""
    # Dates: an ISO date, "today" or an offset ("-18y"); numbers: an int or a float.
    min: str | int | float | None = None
    max: str | int | float | None = None
    decimals: int = 0
    min_choices: int | None = None
    max_choices: int | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in (
            "min_length",
            "max_length",
            "min",
            "max",
            "min_choices",
            "max_choices",
        ):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        if self.pattern:
            result["pattern"] = self.pattern
        if self.pattern_message:
            result["pattern_message"] = self.pattern_message
        if self.decimals:
            result["decimals"] = self.decimals
        return result


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    prefill: str = ""
    condition: Condition | None = None
    validation: Validation = field(default_factory=Validation)
    # For ``file``: the DocumentKind the piece must be.
    document_kind: str = ""
    # For ``household_member``: the relations offered (all when empty).
    relations: tuple[str, ...] = ()

    @property
    def max_length(self) -> int | None:
        """Return the longest text accepted (the type's default when the form sets none)."""
        if self.validation.max_length is not None:
            return self.validation.max_length
        return DEFAULT_MAX_LENGTH.get(self.type)

    def option_label(self, value: object) -> str:
        """Return the label of the option with this value (the value itself if unknown)."""
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"key": self.key, "type": self.type, "label": self.label}
        if self.help:
            result["help"] = self.help
        if self.required:
            result["required"] = True
        if self.options:
            result["options"] = [
                {"value": option.value, "label": option.label} for option in self.options
            ]
        if self.prefill:
            result["prefill"] = self.prefill
        if self.condition is not None:
            result["condition"] = self.condition.to_dict()
        validation = self.validation.to_dict()
        if validation:
            result["validation"] = validation
        if self.document_kind:
            result["document_kind"] = self.document_kind
        if self.relations:
            result["relations"] = list(self.relations)
        return result


@dataclass(frozen=True)
class Section:
    fields: tuple[Field, ...]
    title: str = ""
    intro: str = ""

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.title:
            result["title"] = self.title
        if self.intro:
            result["intro"] = self.intro
        result["fields"] = [item.to_dict() for item in self.fields]
        return result


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    sections: tuple[Section, ...]
    intro: str = ""
    condition: Condition | None = None

    @property
    def fields(self) -> tuple[Field, ...]:
        """Return the page's fields in order, all sections together."""
        return tuple(item for section in self.sections for item in section.fields)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"key": self.key, "title": self.title}
        if self.intro:
            result["intro"] = self.intro
        if self.condition is not None:
            result["condition"] = self.condition.to_dict()
        result["sections"] = [section.to_dict() for section in self.sections]
        return result


@dataclass(frozen=True)
class FormSettings:
    """Per-procedure case settings; empty values mean "the procedure's own"."""

    acknowledge: bool = True
    department: str = ""
    commitment_days: int | None = None
    # Tell us once: the departments to inform, chosen by the answer of a choice field
    # (option value -> department slug). Moving house tells schools, the CCAS… in one go.
    inform_field: str = ""
    inform_departments: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if not self.acknowledge:
            result["acknowledge"] = False
        if self.department:
            result["department"] = self.department
        if self.commitment_days is not None:
            result["commitment_days"] = self.commitment_days
        if self.inform_field:
            result["inform"] = {
                "field": self.inform_field,
                "departments": dict(self.inform_departments),
            }
        return result

    def departments_to_inform(self, answers: dict[str, Any]) -> list[str]:
        """Return the slugs of the departments the answers ask to inform, in option order."""
        if not self.inform_field:
            return []
        answer = answers.get(self.inform_field)
        chosen = set(answer) if isinstance(answer, list) else {answer}
        slugs: list[str] = []
        for value, slug in self.inform_departments:
            if value in chosen and slug not in slugs:
                slugs.append(slug)
        return slugs


@dataclass(frozen=True)
class FormDefinition:
    procedure: str
    title: str
    pages: tuple[Page, ...]
    intro: str = ""
    settings: FormSettings = field(default_factory=FormSettings)

    @property
    def fields(self) -> tuple[Field, ...]:
        """Return every field of the form, in page, section and field order."""
        return tuple(item for page in self.pages for item in page.fields)

    def field(self, key: str) -> Field:
        """Return the field with this key, or raise KeyError."""
        for item in self.fields:
            if item.key == key:
                return item
        raise KeyError(key)

    def page(self, key: str) -> Page:
        """Return the page with this key, or raise KeyError."""
        for page in self.pages:
            if page.key == key:
                return page
        raise KeyError(key)


def definition_to_dict(definition: FormDefinition) -> dict[str, Any]:
    """Return the canonical dict of a definition: JSON types only, default values left out."""
    result: dict[str, Any] = {"procedure": definition.procedure, "title": definition.title}
    if definition.intro:
        result["intro"] = definition.intro
    settings = definition.settings.to_dict()
    if settings:
        result["settings"] = settings
    result["pages"] = [page.to_dict() for page in definition.pages]
    return result
