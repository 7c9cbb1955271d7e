"""Reading a form definition's values: the problems found, and each field's type-specific keys.

``FieldRulesReader`` collects problems (in French, with their location) instead of stopping at
the first one, reads texts, and checks what depends on a field's type: its options, prefill
source, document kind, household relations and validation rules (docs/forms.md, "Field types
and their answer"). ``form_definition`` builds on it for the form's structure and conditions.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from guichet.cases.form_schema import (
    CHOICE_TYPES,
    DATE_BOUND_PATTERN,
    MAX_DECIMALS,
    MAX_LENGTH_LIMIT,
    PREFILL_SOURCES,
    VALIDATION_KEYS,
    Option,
    Validation,
)
from guichet.residents.choices import DocumentKind, Relation


def is_int(value: object) -> bool:
    # YAML's true/false are ints to Python: a count or a bound is never a boolean.
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return is_int(value) or isinstance(value, float)


def display(value: object) -> str:
    return str(value) if isinstance(value, str) else repr(value)


class FieldRulesReader:
    """Collects the problems of one definition and checks the keys that depend on a type."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where} : {message}" if where else message)

    def check_keys(self, where: str, data: dict[Any, Any], allowed: frozenset[str]) -> None:
        for key in data:
            if key not in allowed:
                self.error(where, _("clé inconnue « %(key)s »") % {"key": display(key)})

    def text(self, where: str, data: dict[Any, Any], key: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(where, _("« %(key)s » est obligatoire") % {"key": key})
            return ""
        if not isinstance(value, str):
            self.error(where, _("« %(key)s » doit être un texte") % {"key": key})
            return ""
        value = value.strip()
        if required and not value:
            self.error(where, _("« %(key)s » est obligatoire") % {"key": key})
        return value

    def options(self, where: str, field_type: str, data: object) -> tuple[Option, ...]:
        if field_type not in CHOICE_TYPES:
            if data is not None and field_type:
                self.error(
                    where,
                    _("« options » ne s'applique qu'aux types choice et multichoice"),
                )
            return ()
        if not isinstance(data, list) or not data:
            self.error(where, _("« options » est obligatoire : une liste de {value, label}"))
            return ()
        options: list[Option] = []
        seen: set[str] = set()
        for index, item in enumerate(data, start=1):
            option_where = _("%(field)s, option n° %(index)s") % {"field": where, "index": index}
            if not isinstance(item, dict):
                self.error(option_where, _("une option doit être un dictionnaire {value, label}"))
                continue
            self.check_keys(option_where, item, frozenset({"value", "label"}))
            value = item.get("value")
            if not isinstance(value, str) or not value.strip():
                # YAML reads yes/no/on/off and numbers as other types: say how to keep text.
                self.error(
                    option_where,
                    _("« value » doit être un texte non vide (mettez-le entre guillemets)"),
                )
                continue
            value = value.strip()
            label = self.text(option_where, item, "label", required=True)
            if value in seen:
                self.error(
                    option_where, _("la valeur « %(value)s » est en double") % {"value": value}
                )
                continue
            seen.add(value)
            options.append(Option(value=value, label=label))
        return tuple(options)

    def prefill(self, where: str, field_type: str, data: object) -> str:
        if data is None or data == "":
            return ""
        if not isinstance(data, str) or data not in PREFILL_SOURCES:
            self.error(
                where,
                _("pré-remplissage inconnu « %(source)s » (possibles : %(sources)s)")
                % {"source": display(data), "sources": ", ".join(PREFILL_SOURCES)},
            )
            return ""
        if field_type and field_type not in PREFILL_SOURCES[data]:
            self.error(
                where,
                _("le pré-remplissage « %(source)s » ne convient pas à un champ de type %(type)s")
                % {"source": data, "type": field_type},
            )
            return ""
        return data

    def document_kind(self, where: str, field_type: str, data: object) -> str:
        if field_type != "file":
            if data is not None and field_type:
                self.error(where, _("« document_kind » ne s'applique qu'au type file"))
            return ""
        if data is None:
            self.error(where, _("« document_kind » est obligatoire pour un champ de type file"))
            return ""
        if data not in DocumentKind.values:
            self.error(
                where,
                _("type de pièce inconnu « %(kind)s » (possibles : %(kinds)s)")
                % {"kind": display(data), "kinds": ", ".join(DocumentKind.values)},
            )
            return ""
        return str(data)

    def relations(self, where: str, field_type: str, data: object) -> tuple[str, ...]:
        if data is None:
            return ()
        if field_type != "household_member":
            if field_type:
                self.error(where, _("« relations » ne s'applique qu'au type household_member"))
            return ()
        if not isinstance(data, list) or not data:
            self.error(where, _("« relations » doit être une liste non vide de liens"))
            return ()
        relations: list[str] = []
        for item in data:
            if item not in Relation.values or item == "":
                self.error(
                    where,
                    _("lien inconnu « %(relation)s » (possibles : %(relations)s)")
                    % {"relation": display(item), "relations": ", ".join(Relation.values)},
                )
            elif item not in relations:
                relations.append(str(item))
        return tuple(relations)

    def validation(
        self, where: str, field_type: str, option_count: int, data: dict[Any, Any]
    ) -> Validation:
        if not field_type:
            return Validation()
        allowed = VALIDATION_KEYS[field_type]
        for key in data:
            if key not in allowed:
                self.error(
                    where,
                    _("la règle « %(rule)s » ne s'applique pas au type %(type)s")
                    % {"rule": display(key), "type": field_type},
                )
        values: dict[str, Any] = {}
        for name in ("min_length", "max_length", "min_choices", "max_choices", "decimals"):
            if name in data and name in allowed:
                value = data[name]
                if not is_int(value) or value < 0:
                    self.error(
                        where, _("« %(rule)s » doit être un entier positif ou nul") % {"rule": name}
                    )
                else:
                    values[name] = value
        if "max_length" in values:
            limit = MAX_LENGTH_LIMIT[field_type]
            if not 1 <= values["max_length"] <= limit:
                self.error(
                    where, _("« max_length » doit être entre 1 et %(limit)s") % {"limit": limit}
                )
                del values["max_length"]
        self.check_order(where, values, "min_length", "max_length")
        if "decimals" in values and values["decimals"] > MAX_DECIMALS:
            self.error(where, _("« decimals » ne peut dépasser %(max)s") % {"max": MAX_DECIMALS})
            del values["decimals"]
        for name in ("min_choices", "max_choices"):
            if name in values and values[name] > option_count:
                self.error(
                    where,
                    _("« %(rule)s » dépasse le nombre d'options (%(count)s)")
                    % {"rule": name, "count": option_count},
                )
                del values[name]
        self.check_order(where, values, "min_choices", "max_choices")
        if "pattern" in data and "pattern" in allowed:
            self.pattern(where, data, values)
        elif "pattern_message" in data and "pattern_message" in allowed:
            self.error(where, _("« pattern_message » n'a de sens qu'avec « pattern »"))
        for name in ("min", "max"):
            if name in data and name in allowed:
                bound = self.bound(where, field_type, name, data[name])
                if bound is not None:
                    values[name] = bound
        # Relative date bounds ("today", "-18y") cannot be compared before the day comes.
        if field_type == "number" or not any(
            DATE_BOUND_PATTERN.match(str(values.get(name, ""))) for name in ("min", "max")
        ):
            self.check_order(where, values, "min", "max")
        return Validation(**values)

    def pattern(self, where: str, data: dict[Any, Any], values: dict[str, Any]) -> None:
        pattern = data["pattern"]
        if not isinstance(pattern, str) or not pattern:
            self.error(where, _("« pattern » doit être une expression régulière"))
            return
        try:
            re.compile(pattern)
        except re.error as exc:
            self.error(
                where,
                _("« pattern » n'est pas une expression régulière valide (%(error)s)")
                % {"error": exc},
            )
            return
        values["pattern"] = pattern
        message = data.get("pattern_message")
        if not isinstance(message, str) or not message.strip():
            # The resident must be told what to type, not shown a regular expression.
            self.error(where, _("« pattern_message » est obligatoire avec « pattern »"))
        else:
            values["pattern_message"] = message.strip()

    def bound(self, where: str, field_type: str, name: str, value: object) -> Any:
        if field_type == "number":
            if not is_number(value) or value != value or value in (float("inf"), -float("inf")):
                self.error(where, _("« %(rule)s » doit être un nombre") % {"rule": name})
                return None
            return value
        # YAML reads an unquoted 2026-01-01 as a date.
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            if DATE_BOUND_PATTERN.match(value):
                return value
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        self.error(
            where,
            _(
                "« %(rule)s » doit être une date AAAA-MM-JJ, « today » ou un décalage comme "
                "-18y, +30d ou -6m"
            )
            % {"rule": name},
        )
        return None

    def check_order(self, where: str, values: dict[str, Any], low: str, high: str) -> None:
        if low in values and high in values and values[low] > values[high]:
            self.error(
                where,
                _("« %(low)s » est plus grand que « %(high)s »") % {"low": low, "high": high},
            )
            del values[low]
