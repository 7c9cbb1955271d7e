"""The builder's working copy of a form, kept in the supervisor's session, and how the builder
shows a definition (its structure, in words, with every condition summarised).

A supervisor edits a copy, never the published version: the copy starts from the current
version (or a blank form), remembers which version number it started from, and is published as a
new version, or thrown away. The session lives in the database (or the cache in production), so
the copy survives restarts and does not depend on which server answers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _

from guichet.cases import builder_edit
from guichet.cases.builder_field_forms import FIELD_TYPE_LABELS
from guichet.cases.form_definition import DefinitionError, definition_to_dict, parse_definition
from guichet.cases.models import CaseForm, FormVersion

SESSION_PREFIX = "guichet.form_builder."


@dataclass
class WorkingCopy:
    """A definition being edited, and the version number it started from (0: none)."""

    definition: dict[str, Any]
    based_on: int
    # False while the copy is only the published version, shown but not yet edited.
    stored: bool = False

    def problems(self) -> list[str]:
        """Return what prevents publishing the copy (empty when it can be published)."""
        try:
            parse_definition(self.definition)
        except DefinitionError as exc:
            return exc.messages
        return []


def _session_key(form: CaseForm) -> str:
    return f"{SESSION_PREFIX}{form.pk}"


def load_copy(session: SessionBase, form: CaseForm, current: FormVersion | None) -> WorkingCopy:
    """Return the supervisor's working copy of ``form``, or a fresh one from ``current``."""
    stored = session.get(_session_key(form))
    if isinstance(stored, dict) and isinstance(stored.get("definition"), dict):
        return WorkingCopy(
            definition=stored["definition"], based_on=int(stored.get("based_on", 0)), stored=True
        )
    if current is not None:
        return WorkingCopy(definition=copy.deepcopy(current.definition), based_on=current.number)
    procedure = form.procedure
    return WorkingCopy(
        definition=builder_edit.blank_definition(procedure.slug, procedure.title), based_on=0
    )


def save_copy(session: SessionBase, form: CaseForm, working: WorkingCopy) -> None:
    session[_session_key(form)] = {"definition": working.definition, "based_on": working.based_on}
    working.stored = True


def discard_copy(session: SessionBase, form: CaseForm) -> None:
    session.pop(_session_key(form), None)


def publisher_name(version: FormVersion | None) -> str:
    """Return who published a version, in words (the loading of the shipped files for none)."""
    if version is None:
        return ""
    if version.published_by is None:
        return _("le chargement des formulaires")
    return version.published_by.display_name()


def for_form(definition: dict[str, Any], form: CaseForm) -> dict[str, Any]:
    """Return the definition with what the form itself decides: procedure and case settings.

    The settings are edited on the form and take effect at once; a published version or an
    exported file records them as they are, so that loading the file gives the same form.
    """
    settings: dict[str, Any] = {"acknowledge": form.acknowledge_automatically}
    if form.routing_department is not None:
        settings["department"] = form.routing_department.slug
    if form.commitment_days is not None:
        settings["commitment_days"] = form.commitment_days
    return {**definition, "procedure": form.procedure.slug, "settings": settings}


def publishable(definition: dict[str, Any], form: CaseForm) -> dict[str, Any]:
    """Return the canonical definition to publish (raise DefinitionError if it cannot be)."""
    return definition_to_dict(parse_definition(for_form(definition, form)))


@dataclass
class FieldRow:
    key: str
    label: str
    type_label: str
    required: bool
    condition: str
    number: int


@dataclass
class SectionRow:
    number: int
    title: str
    intro: str
    fields: list[FieldRow] = field(default_factory=list)


@dataclass
class PageRow:
    key: str
    title: str
    intro: str
    condition: str
    number: int
    sections: list[SectionRow] = field(default_factory=list)


def structure(definition: dict[str, Any]) -> list[PageRow]:
    """Return the definition's pages, sections and fields, as the builder lists them."""
    fields_by_key = {str(item.get("key")): item for item in builder_edit.all_fields(definition)}
    rows: list[PageRow] = []
    for page_number, page in enumerate(builder_edit.pages(definition), start=1):
        page_row = PageRow(
            key=str(page.get("key", "")),
            title=str(page.get("title", "")),
            intro=str(page.get("intro", "")),
            condition=describe_condition(page.get("condition"), fields_by_key),
            number=page_number,
        )
        for section_number, section in enumerate(builder_edit.sections(page), start=1):
            section_row = SectionRow(
                number=section_number,
                title=str(section.get("title", "")),
                intro=str(section.get("intro", "")),
            )
            for field_number, item in enumerate(builder_edit.fields(section), start=1):
                field_type = str(item.get("type", ""))
                section_row.fields.append(
                    FieldRow(
                        key=str(item.get("key", "")),
                        label=str(item.get("label", "")),
                        type_label=str(FIELD_TYPE_LABELS.get(field_type, field_type)),
                        required=item.get("required") is True,
                        condition=describe_condition(item.get("condition"), fields_by_key),
                        number=field_number,
                    )
                )
            page_row.sections.append(section_row)
        rows.append(page_row)
    return rows


def _value_label(target: dict[str, Any] | None, value: object) -> str:
    if target is not None:
        for option in target.get("options") or []:
            if isinstance(option, dict) and option.get("value") == value:
                return str(option.get("label", value))
    return str(value)


def describe_condition(condition: object, fields_by_key: dict[str, dict[str, Any]]) -> str:
    """Return a condition in words ("« Vous êtes » est « Autre »"); empty for none."""
    if not isinstance(condition, dict):
        return ""
    for group, joiner in (("all", _(" et ")), ("any", _(" ou "))):
        if isinstance(condition.get(group), list):
            parts = [describe_condition(item, fields_by_key) for item in condition[group]]
            return "(" + joiner.join(parts) + ")"
    key = str(condition.get("field", ""))
    target = fields_by_key.get(key)
    name = str(target.get("label", key)) if target else key
    if "equals" in condition:
        return _("« %(field)s » est « %(value)s »") % {
            "field": name,
            "value": _value_label(target, condition["equals"]),
        }
    if "not_equals" in condition:
        return _("« %(field)s » n'est pas « %(value)s »") % {
            "field": name,
            "value": _value_label(target, condition["not_equals"]),
        }
    if "in" in condition and isinstance(condition["in"], list):
        values = ", ".join(f"« {_value_label(target, value)} »" for value in condition["in"])
        return _("« %(field)s » est l'une de : %(values)s") % {"field": name, "values": values}
    if "is_true" in condition:
        if condition["is_true"]:
            return _("« %(field)s » est cochée") % {"field": name}
        return _("« %(field)s » n'est pas cochée") % {"field": name}
    if "answered" in condition:
        if condition["answered"]:
            return _("« %(field)s » a une réponse") % {"field": name}
        return _("« %(field)s » n'a pas de réponse") % {"field": name}
    return _("condition illisible")
