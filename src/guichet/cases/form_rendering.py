"""What ``cases/form/page.html`` draws of a page form: sections, fields, errors and their ties.

Templates hold no logic: here each shown field becomes a ``FieldView`` saying how to draw it
(one input, a checkbox, a group of radios or boxes in a fieldset, an address in three parts…),
which ids tie its help, its condition note and its errors to the inputs (``aria-describedby``,
``aria-invalid``), and the condition ``conditions.js`` applies live.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.translation import gettext as _

from guichet.cases.form_conditions import browser_condition, describe_condition
from guichet.cases.form_schema import Field

if TYPE_CHECKING:
    from guichet.cases.form_fields import PageForm


@dataclass
class FieldView:
    """What the template needs to draw one definition field."""

    field: Field
    kind: str
    bound: BoundField | None
    parts: list[BoundField]
    container_id: str
    help_id: str
    error_id: str
    note_id: str
    errors: list[str]
    condition_json: str = ""
    condition_note: str = ""
    describedby: str = ""
    empty_note: str = ""
    choices: list[BoundWidget] = dataclasses.field(default_factory=list)

    @property
    def is_group(self) -> bool:
        """Return whether the field is drawn as a fieldset (its label is a legend)."""
        return self.kind not in ("input", "checkbox", "select")

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(part.errors for part in self.parts)


@dataclass
class SectionView:
    title: str
    intro: str
    fields: list[FieldView]


def page_sections(form: PageForm) -> list[SectionView]:
    """Return the page's sections with their shown fields (sections left empty are skipped)."""
    result = []
    for section in form.page.sections:
        views = [field_view(form, item) for item in section.fields if item in form.shown_fields]
        if views:
            result.append(SectionView(title=section.title, intro=section.intro, fields=views))
    return result


def _kind(form: PageForm, item: Field) -> str:
    if item.type == "checkbox":
        return "checkbox"
    if item.type == "multichoice":
        return "checkboxes"
    if item.type in ("choice", "household_member"):
        widget = form.fields[item.key].widget
        return "radios" if isinstance(widget, forms.RadioSelect) else "select"
    if item.type in ("file", "address", "location"):
        return item.type
    return "input"


def field_view(form: PageForm, item: Field) -> FieldView:
    """Return how to draw ``item``, and tie its help, note and errors to its inputs."""
    main = form[item.key] if item.key in form.fields else None
    auto_id = f"id_{item.key}"
    view = FieldView(
        field=item,
        kind=_kind(form, item),
        bound=main,
        parts=[form[name] for name in form.input_names(item) if name != item.key],
        container_id=f"field-{item.key}",
        help_id=f"{auto_id}-help",
        error_id=f"{auto_id}-error",
        note_id=f"{auto_id}-condition",
        errors=[str(error) for error in (main.errors if main is not None else [])],
    )
    if view.kind in ("radios", "checkboxes", "file") and main is not None:
        view.choices = list(main)
    if item.type == "household_member" and not form.resident_file.members_for(item):
        view.empty_note = _(
            "Aucune personne de votre foyer ne peut être choisie ici : votre foyer n'est pas "
            "encore enregistré. Adressez-vous à l'accueil de la mairie pour le compléter."
        )
    if item.condition is not None:
        condition = browser_condition(
            item.condition, form.page, form.answers_before, form.definition
        )
        if isinstance(condition, dict):
            view.condition_json = json.dumps(condition)
            view.condition_note = describe_condition(item.condition, form.definition)
    described = [
        view.help_id if item.help else "",
        view.note_id if view.condition_note else "",
        view.error_id if view.errors else "",
    ]
    view.describedby = " ".join(part for part in described if part)
    _tie(view)
    return view


def _tie(view: FieldView) -> None:
    # A group is described on its fieldset (by the template); a lone input on itself.
    if view.bound is not None and not view.is_group:
        attrs = view.bound.field.widget.attrs
        if view.describedby:
            attrs["aria-describedby"] = view.describedby
        if view.errors:
            attrs["aria-invalid"] = "true"
    for part in view.parts:
        attrs = part.field.widget.attrs
        if part.errors:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{part.auto_id}-error"


def error_summary(sections: list[SectionView]) -> list[tuple[str, str, str]]:
    """Return (input id, label, message) for every error, in the page's order."""
    entries: list[tuple[str, str, str]] = []
    for section in sections:
        for view in section.fields:
            if view.bound is not None:
                anchor = view.bound.auto_id
                if view.is_group:
                    # A group is reached through its first choice, if it has any.
                    anchor = f"{anchor}_0" if view.choices else view.container_id
                entries.extend((anchor, view.field.label, error) for error in view.errors)
            for part in view.parts:
                label = f"{view.field.label} — {part.label}"
                entries.extend((part.auto_id, label, str(error)) for error in part.errors)
    return entries
