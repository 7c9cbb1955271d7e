"""Edit a form definition dict (docs/forms.md) one step at a time, for the back-office builder.

Every function takes a definition dict and returns a new one, leaving its argument untouched, or
raises ``EditError`` with a French message when the step cannot be done (an unknown page or
field, a move past the first place, or a step that would make a condition read a field placed
after it). The result is not a checked definition: an empty section, say, is a normal state
while a supervisor builds a form. ``form_definition.parse_definition`` says whether it can be
published.

Pages are found by key, sections by their position in their page (from 0), fields by key.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.cases.form_schema import GROUP_OPERATORS, KEY_MAX_LENGTH

Definition = dict[str, Any]

UP = -1
DOWN = 1
# Room kept at the end of a derived key for a "_2"…"_999" suffix.
SUFFIX_ROOM = 4


class EditError(ValueError):
    """The step was not done; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def blank_definition(procedure_slug: str, title: str) -> Definition:
    """Return the starting point of a new form: one page with one empty section."""
    return {
        "procedure": procedure_slug,
        "title": title,
        "pages": [
            {"key": "demande", "title": _("Votre demande"), "sections": [{"fields": []}]},
        ],
    }


def derive_key(text: str, taken: Iterable[str], *, fallback: str) -> str:
    """Return a key made from ``text`` (ASCII, underscores) that is not among ``taken``."""
    base = re.sub(r"_+", "_", slugify(text).replace("-", "_")).strip("_")
    if not base or not base[0].isalpha():
        base = f"{fallback}_{base}".strip("_")
    base = base[: KEY_MAX_LENGTH - SUFFIX_ROOM].rstrip("_")
    used = set(taken)
    key, number = base, 2
    while key in used:
        key = f"{base}_{number}"
        number += 1
    return key


def pages(definition: Definition) -> list[dict[str, Any]]:
    """Return the definition's pages (an empty list when it has none yet)."""
    value = definition.get("pages")
    return value if isinstance(value, list) else []


def sections(page: dict[str, Any]) -> list[dict[str, Any]]:
    value = page.get("sections")
    return value if isinstance(value, list) else []


def fields(section: dict[str, Any]) -> list[dict[str, Any]]:
    value = section.get("fields")
    return value if isinstance(value, list) else []


def page_fields(page: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the page's fields, all sections together."""
    return [item for section in sections(page) for item in fields(section)]


def all_fields(definition: Definition) -> list[dict[str, Any]]:
    """Return every field of the definition in form order."""
    return [item for page in pages(definition) for item in page_fields(page)]


def field_keys(definition: Definition) -> list[str]:
    return [str(item.get("key", "")) for item in all_fields(definition)]


def condition_fields(condition: object) -> Iterator[str]:
    """Yield the keys of the fields a condition dict reads (``all``/``any`` included)."""
    if not isinstance(condition, dict):
        return
    for operator in GROUP_OPERATORS:
        if isinstance(condition.get(operator), list):
            for item in condition[operator]:
                yield from condition_fields(item)
    if isinstance(condition.get("field"), str):
        yield condition["field"]


def find_page(definition: Definition, key: str) -> int:
    """Return the position of the page with this key, or raise EditError."""
    for index, page in enumerate(pages(definition)):
        if page.get("key") == key:
            return index
    raise EditError(_("Cette page n'existe plus dans la copie de travail."))


def find_section(definition: Definition, page_key: str, index: int) -> tuple[int, int]:
    page_index = find_page(definition, page_key)
    if not 0 <= index < len(sections(pages(definition)[page_index])):
        raise EditError(_("Cette section n'existe plus dans la copie de travail."))
    return page_index, index


def find_field(definition: Definition, key: str) -> tuple[int, int, int]:
    """Return (page, section, field) positions of the field with this key, or raise EditError."""
    for page_index, page in enumerate(pages(definition)):
        for section_index, section in enumerate(sections(page)):
            for field_index, item in enumerate(fields(section)):
                if item.get("key") == key:
                    return page_index, section_index, field_index
    raise EditError(_("Ce champ n'existe plus dans la copie de travail."))


def get_field(definition: Definition, key: str) -> dict[str, Any]:
    page_index, section_index, field_index = find_field(definition, key)
    return fields(sections(pages(definition)[page_index])[section_index])[field_index]


def fields_before_page(definition: Definition, page_key: str | None) -> list[dict[str, Any]]:
    """Return the fields a page condition may read: those of earlier pages (all for a new one)."""
    result: list[dict[str, Any]] = []
    for page in pages(definition):
        if page.get("key") == page_key:
            break
        result.extend(page_fields(page))
    return result


def fields_before_field(definition: Definition, key: str) -> list[dict[str, Any]]:
    """Return the fields placed before the field with this key (a condition may read them)."""
    find_field(definition, key)
    result: list[dict[str, Any]] = []
    for item in all_fields(definition):
        if item.get("key") == key:
            break
        result.append(item)
    return result


def fields_before_section_end(
    definition: Definition, page_key: str, index: int
) -> list[dict[str, Any]]:
    """Return the fields a new field added at the end of this section may read."""
    page_index, section_index = find_section(definition, page_key, index)
    result: list[dict[str, Any]] = []
    for position, page in enumerate(pages(definition)):
        for number, section in enumerate(sections(page)):
            result.extend(fields(section))
            if (position, number) == (page_index, section_index):
                return result
    return result


def _label(item: dict[str, Any]) -> str:
    return str(item.get("label") or item.get("title") or item.get("key") or "?")


def order_problems(definition: Definition) -> list[str]:
    """Return a message for each condition that reads a field not placed before it."""
    labels = {str(item.get("key")): _label(item) for item in all_fields(definition)}
    problems: list[str] = []
    earlier_pages: set[str] = set()
    for page in pages(definition):
        for key in condition_fields(page.get("condition")):
            if key in labels and key not in earlier_pages:
                problems.append(
                    _(
                        "la condition de la page « %(page)s » porte sur « %(field)s », qui doit "
                        "rester sur une page précédente"
                    )
                    % {"page": _label(page), "field": labels[key]}
                )
        earlier = set(earlier_pages)
        for item in page_fields(page):
            for key in condition_fields(item.get("condition")):
                if key in labels and key not in earlier:
                    problems.append(
                        _(
                            "la condition de « %(field)s » porte sur « %(other)s », qui doit "
                            "rester placé avant lui"
                        )
                        % {"field": _label(item), "other": labels[key]}
                    )
            earlier.add(str(item.get("key")))
        earlier_pages = earlier
    return problems


def _checked_move(before: Definition, after: Definition) -> Definition:
    # Moving is refused only for what it breaks: problems already there stay the user's to fix.
    new = [problem for problem in order_problems(after) if problem not in order_problems(before)]
    if new:
        raise EditError(_("Déplacement impossible : %(reason)s.") % {"reason": new[0]})
    return after


def _check_not_read(definition: Definition, removed: list[dict[str, Any]], what: str) -> None:
    """Raise EditError if a condition of ``definition`` (already without them) reads ``removed``."""
    removed_keys = {str(item.get("key")) for item in removed}
    for page in pages(definition):
        for reader in [page, *page_fields(page)]:
            used = removed_keys.intersection(condition_fields(reader.get("condition")))
            if used:
                field = next(item for item in removed if item.get("key") in used)
                raise EditError(
                    _(
                        "Impossible de supprimer %(what)s : la condition de « %(reader)s » porte "
                        "sur « %(field)s ». Modifiez ou retirez d'abord cette condition."
                    )
                    % {"what": what, "reader": _label(reader), "field": _label(field)}
                )


def _without_empty(item: dict[str, Any]) -> dict[str, Any]:
    # An optional text left blank or a condition removed is absent, as in a written definition.
    return {key: value for key, value in item.items() if value not in ("", None, [], {})}


def _apply_changes(item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**item, **changes}
    return {key: value for key, value in merged.items() if value not in ("", None)}


def add_page(definition: Definition, page: dict[str, Any]) -> Definition:
    """Return the definition with ``page`` added last (its key derived from its title if none).

    A page without sections gets one empty section, ready for its first field.
    """
    result = copy.deepcopy(definition)
    new_page = _without_empty(copy.deepcopy(page))
    taken = [str(item.get("key")) for item in pages(result)]
    key = str(new_page.get("key") or "")
    if not key:
        key = derive_key(str(new_page.get("title", "")), taken, fallback="page")
    elif key in taken:
        raise EditError(_("Une autre page a déjà la clé « %(key)s ».") % {"key": key})
    new_page["key"] = key
    new_page.setdefault("sections", [{"fields": []}])
    ordered = {"key": key, **{name: value for name, value in new_page.items() if name != "key"}}
    result["pages"] = [*pages(result), ordered]
    return result


def update_page(definition: Definition, key: str, changes: dict[str, Any]) -> Definition:
    """Return the definition with the page's title, intro or condition changed (None removes)."""
    result = copy.deepcopy(definition)
    index = find_page(result, key)
    changes = {name: value for name, value in changes.items() if name not in ("key", "sections")}
    pages(result)[index] = _apply_changes(pages(result)[index], changes)
    return result


def remove_page(definition: Definition, key: str) -> Definition:
    """Return the definition without the page, unless a condition reads one of its fields."""
    index = find_page(definition, key)
    result = copy.deepcopy(definition)
    removed = pages(result).pop(index)
    _check_not_read(
        result, page_fields(removed), _("la page « %(page)s »") % {"page": _label(removed)}
    )
    return result


def move_page(definition: Definition, key: str, direction: int) -> Definition:
    """Return the definition with the page moved one place up (UP) or down (DOWN)."""
    index = find_page(definition, key)
    target = index + direction
    if not 0 <= target < len(pages(definition)):
        raise EditError(
            _("Cette page est déjà la première.")
            if direction == UP
            else _("Cette page est déjà la dernière.")
        )
    result = copy.deepcopy(definition)
    items = pages(result)
    items[index], items[target] = items[target], items[index]
    return _checked_move(definition, result)


def add_section(definition: Definition, page_key: str, section: dict[str, Any]) -> Definition:
    """Return the definition with a section added at the end of the page."""
    result = copy.deepcopy(definition)
    page = pages(result)[find_page(result, page_key)]
    new_section = _without_empty(copy.deepcopy(section))
    new_section.setdefault("fields", [])
    page["sections"] = [*sections(page), new_section]
    return result


def update_section(
    definition: Definition, page_key: str, index: int, changes: dict[str, Any]
) -> Definition:
    """Return the definition with the section's title or intro changed (empty removes)."""
    result = copy.deepcopy(definition)
    page_index, section_index = find_section(result, page_key, index)
    items = sections(pages(result)[page_index])
    changes = {name: value for name, value in changes.items() if name != "fields"}
    items[section_index] = _apply_changes(items[section_index], changes)
    items[section_index].setdefault("fields", [])
    return result


def remove_section(definition: Definition, page_key: str, index: int) -> Definition:
    """Return the definition without the section, unless a condition reads one of its fields."""
    page_index, section_index = find_section(definition, page_key, index)
    result = copy.deepcopy(definition)
    removed = sections(pages(result)[page_index]).pop(section_index)
    _check_not_read(
        result,
        fields(removed),
        _("la section n° %(number)s") % {"number": section_index + 1},
    )
    return result


def move_section(definition: Definition, page_key: str, index: int, direction: int) -> Definition:
    """Return the definition with the section moved one place up or down within its page."""
    page_index, section_index = find_section(definition, page_key, index)
    target = section_index + direction
    if not 0 <= target < len(sections(pages(definition)[page_index])):
        raise EditError(
            _("Cette section est déjà la première de sa page.")
            if direction == UP
            else _("Cette section est déjà la dernière de sa page.")
        )
    result = copy.deepcopy(definition)
    items = sections(pages(result)[page_index])
    items[section_index], items[target] = items[target], items[section_index]
    return _checked_move(definition, result)


def add_field(
    definition: Definition, page_key: str, section_index: int, field: dict[str, Any]
) -> Definition:
    """Return the definition with ``field`` added at the end of the section.

    Without a key, the field gets one derived from its label, unique in the form.
    """
    result = copy.deepcopy(definition)
    page_index, index = find_section(result, page_key, section_index)
    new_field = _without_empty(copy.deepcopy(field))
    taken = field_keys(result)
    key = str(new_field.get("key") or "")
    if not key:
        key = derive_key(str(new_field.get("label", "")), taken, fallback="champ")
    elif key in taken:
        raise EditError(_("Un autre champ du formulaire a déjà la clé « %(key)s ».") % {"key": key})
    ordered = {"key": key, **{name: value for name, value in new_field.items() if name != "key"}}
    section = sections(pages(result)[page_index])[index]
    section["fields"] = [*fields(section), ordered]
    return result


def update_field(definition: Definition, key: str, field: dict[str, Any]) -> Definition:
    """Return the definition with the field replaced by ``field`` (its key is kept).

    The key stays because answers already given and other fields' conditions refer to it.
    """
    result = copy.deepcopy(definition)
    page_index, section_index, field_index = find_field(result, key)
    replacement = _without_empty(copy.deepcopy(field))
    replacement.pop("key", None)
    fields(sections(pages(result)[page_index])[section_index])[field_index] = {
        "key": key,
        **replacement,
    }
    return result


def remove_field(definition: Definition, key: str) -> Definition:
    """Return the definition without the field, unless a condition reads it."""
    page_index, section_index, field_index = find_field(definition, key)
    result = copy.deepcopy(definition)
    removed = fields(sections(pages(result)[page_index])[section_index]).pop(field_index)
    _check_not_read(result, [removed], _("« %(field)s »") % {"field": _label(removed)})
    return result


def move_field(definition: Definition, key: str, direction: int) -> Definition:
    """Return the definition with the field moved one place up or down.

    At the edge of its section the field goes to the end of the previous section (or the start
    of the next one), on the same page or the neighbouring one.
    """
    page_index, section_index, field_index = find_field(definition, key)
    result = copy.deepcopy(definition)
    slots = [
        (position, number)
        for position, page in enumerate(pages(result))
        for number in range(len(sections(page)))
    ]
    slot = slots.index((page_index, section_index))
    items = fields(sections(pages(result)[page_index])[section_index])
    target = field_index + direction
    if 0 <= target < len(items):
        items[field_index], items[target] = items[target], items[field_index]
        return _checked_move(definition, result)
    if not 0 <= slot + direction < len(slots):
        raise EditError(
            _("Ce champ est déjà le premier du formulaire.")
            if direction == UP
            else _("Ce champ est déjà le dernier du formulaire.")
        )
    moved = items.pop(field_index)
    other_page, other_section = slots[slot + direction]
    other = sections(pages(result)[other_page])[other_section]
    other["fields"] = [*fields(other), moved] if direction == UP else [moved, *fields(other)]
    return _checked_move(definition, result)
