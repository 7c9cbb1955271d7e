"""Conditions of a form (docs/forms.md "Conditions"): which pages and fields are shown.

The server is the authority: ``visible_answers`` walks the form in order and keeps only the
answers of fields that are shown, so a hidden field's answer is dropped even if a browser sent
it. A condition reads only earlier fields, and a field hidden by its own condition counts as
unanswered for the later conditions that read it, so one pass in form order decides everything.

For the browser, ``browser_condition`` rewrites a condition for one page: tests on fields of other
pages are replaced by their result (``{"value": true}``), so ``static/cases/conditions.js`` only
has to read the inputs it can see. ``describe_condition`` says the condition in French for the
note shown without JavaScript ("À remplir seulement si …").
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from guichet.cases.form_schema import Condition, Field, FormDefinition, Page


def is_empty(value: object) -> bool:
    """Return whether an answer counts as not given (``False``, an unticked box, is an answer)."""
    if value is None or value == "" or value == [] or value == {}:
        return True
    if isinstance(value, dict):
        return all(is_empty(part) for part in value.values())
    return False


def _same(answer: object, expected: object, field_type: str) -> bool:
    if field_type == "number" and not isinstance(answer, bool) and not isinstance(expected, bool):
        # "12.50" stored for a decimal field equals 12.5 written in the definition.
        try:
            return Decimal(str(answer)) == Decimal(str(expected))
        except InvalidOperation:
            return False
    return answer == expected


def _matches(answer: object, expected: object, field_type: str) -> bool:
    if isinstance(answer, list):
        # A multichoice "equals" a value when that value is among the ticked ones.
        return expected in answer
    return _same(answer, expected, field_type)


def condition_holds(
    condition: Condition, answers: Mapping[str, Any], definition: FormDefinition
) -> bool:
    """Return whether ``condition`` holds on ``answers`` (only shown answers should be given)."""
    if condition.operator == "all":
        return all(condition_holds(item, answers, definition) for item in condition.conditions)
    if condition.operator == "any":
        return any(condition_holds(item, answers, definition) for item in condition.conditions)
    answer = answers.get(condition.field)
    field_type = definition.field(condition.field).type
    if condition.operator == "answered":
        return (not is_empty(answer)) is condition.value
    if condition.operator == "is_true":
        return (answer is True) is condition.value
    if is_empty(answer):
        # An unanswered field equals nothing, and "differs" only from a given answer.
        return False
    if condition.operator == "equals":
        return _matches(answer, condition.value, field_type)
    if condition.operator == "not_equals":
        return not _matches(answer, condition.value, field_type)
    return any(_matches(answer, value, field_type) for value in condition.value)


def _shown(
    condition: Condition | None, answers: Mapping[str, Any], definition: FormDefinition
) -> bool:
    return condition is None or condition_holds(condition, answers, definition)


def visible_answers(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answers of the fields shown, dropping hidden and unknown keys and empty ones."""
    kept: dict[str, Any] = {}
    for page in definition.pages:
        if not _shown(page.condition, kept, definition):
            continue
        for field in page.fields:
            if _shown(field.condition, kept, definition) and not is_empty(answers.get(field.key)):
                kept[field.key] = answers[field.key]
    return kept


def visible_pages(definition: FormDefinition, answers: Mapping[str, Any]) -> list[Page]:
    """Return the pages to show given the answers so far, in order."""
    kept = visible_answers(definition, answers)
    return [page for page in definition.pages if _shown(page.condition, kept, definition)]


def visible_fields(
    definition: FormDefinition, page: Page, answers: Mapping[str, Any]
) -> list[Field]:
    """Return the fields of ``page`` to show given ``answers`` (this page's included), in order."""
    before = answers_before_page(definition, page, answers)
    if not _shown(page.condition, before, definition):
        return []
    shown = []
    for field in page.fields:
        if _shown(field.condition, before, definition):
            shown.append(field)
            if not is_empty(answers.get(field.key)):
                before[field.key] = answers[field.key]
    return shown


def answers_before_page(
    definition: FormDefinition, page: Page, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the shown answers of the pages before ``page``."""
    earlier_keys: set[str] = set()
    for other in definition.pages:
        if other.key == page.key:
            break
        earlier_keys.update(field.key for field in other.fields)
    kept = visible_answers(definition, answers)
    return {key: value for key, value in kept.items() if key in earlier_keys}


def browser_condition(
    condition: Condition,
    page: Page,
    answers_before: Mapping[str, Any],
    definition: FormDefinition,
) -> dict[str, Any] | bool:
    """Return the condition for conditions.js, or its result if it reads no field of ``page``."""
    page_keys = {field.key for field in page.fields}
    if condition.operator in ("all", "any"):
        parts = [
            browser_condition(item, page, answers_before, definition)
            for item in condition.conditions
        ]
        decided = [part for part in parts if isinstance(part, bool)]
        open_parts = [part for part in parts if not isinstance(part, bool)]
        if condition.operator == "all":
            if False in decided:
                return False
            return {"all": open_parts} if open_parts else True
        if True in decided:
            return True
        return {"any": open_parts} if open_parts else False
    if condition.field not in page_keys:
        return condition_holds(condition, answers_before, definition)
    result = condition.to_dict()
    # The script compares numbers as numbers and needs no other type.
    if definition.field(condition.field).type == "number":
        result["numeric"] = True
    return result


def describe_condition(condition: Condition, definition: FormDefinition) -> str:
    """Return the condition in French words, for readers without JavaScript."""
    if condition.operator in ("all", "any"):
        joiner = _(" et ") if condition.operator == "all" else _(" ou ")
        return joiner.join(describe_condition(item, definition) for item in condition.conditions)
    field = definition.field(condition.field)
    label = field.label
    if condition.operator == "is_true":
        if condition.value:
            return _("vous avez coché « %(label)s »") % {"label": label}
        return _("vous n'avez pas coché « %(label)s »") % {"label": label}
    if condition.operator == "answered":
        if condition.value:
            return _("vous avez répondu à « %(label)s »") % {"label": label}
        return _("vous n'avez pas répondu à « %(label)s »") % {"label": label}
    values = condition.value if condition.operator == "in" else (condition.value,)
    shown = _(" ou ").join(f"« {_value_label(field, value)} »" for value in values)
    if condition.operator == "not_equals":
        return _("vous n'avez pas répondu %(values)s à « %(label)s »") % {
            "values": shown,
            "label": label,
        }
    return _("vous avez répondu %(values)s à « %(label)s »") % {"values": shown, "label": label}


def _value_label(field: Field, value: object) -> str:
    if field.options:
        return field.option_label(value)
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    return str(value)
