"""Accessible form rendering: inputs linked to their hint and errors, and an error summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.organisation.forms import is_marked_for_deletion

register = template.Library()


@register.filter
def accessible_widget(field: BoundField) -> SafeString:
    """Render the field's widget with ``aria-describedby`` (hint, errors) and ``aria-invalid``."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_hint")
    attrs: dict[str, Any] = {}
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_checkbox_group(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple)


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


@register.simple_tag
def error_summary(*forms_and_formsets: forms.Form | forms.BaseFormSet[Any]) -> list[SummaryError]:
    """Return every error of the given forms and formsets, each with the id of its field."""
    errors: list[SummaryError] = []
    for item in forms_and_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            for message in item.non_form_errors():
                errors.append(SummaryError(f"{item.prefix}-errors", "", str(message)))
            for index, form in enumerate(item.forms, start=1):
                if item.can_delete and is_marked_for_deletion(form):
                    continue
                errors.extend(_form_errors(form, _("ligne %(n)s") % {"n": index}))
        elif item.is_bound:
            errors.extend(_form_errors(item, ""))
    return errors


def _form_errors(form: forms.Form, context: str) -> list[SummaryError]:
    errors: list[SummaryError] = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            # Our forms attach errors to fields; anything else is read in the summary itself.
            errors.extend(SummaryError("error-summary", context, str(m)) for m in messages)
            continue
        field = form[name]
        label = f"{field.label} ({context})" if context else str(field.label)
        errors.extend(SummaryError(field.auto_id, label, str(m)) for m in messages)
    return errors
