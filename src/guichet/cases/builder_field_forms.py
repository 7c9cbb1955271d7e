"""The builder's field editor and its condition builder (also used for page conditions).

What the supervisor types becomes a field dict of the definition (docs/forms.md): texts, the
settings of its type, its rules and its condition, empty ones left out for ``builder_edit``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from guichet.cases.builder_edit import derive_key
from guichet.cases.form_schema import (
    CHOICE_TYPES,
    DATE_BOUND_PATTERN,
    GROUP_OPERATORS,
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    MAX_DECIMALS,
    MAX_LENGTH_LIMIT,
    PREFILL_SOURCES,
)
from guichet.residents.choices import DocumentKind, Relation

FIELD_TYPE_LABELS = {
    "text": _("Texte court"),
    "textarea": _("Texte long"),
    "email": _("Adresse électronique"),
    "phone": _("Téléphone"),
    "date": _("Date"),
    "number": _("Nombre"),
    "choice": _("Choix unique"),
    "multichoice": _("Choix multiples"),
    "checkbox": _("Case à cocher"),
    "file": _("Pièce justificative"),
    "address": _("Adresse postale"),
    "household_member": _("Membre du foyer"),
    "location": _("Lieu"),
}
PREFILL_LABELS = {
    "resident.civility": _("Civilité"),
    "resident.first_names": _("Prénoms"),
    "resident.usage_name": _("Nom d'usage"),
    "resident.birth_name": _("Nom de naissance"),
    "resident.birth_date": _("Date de naissance"),
    "resident.birth_place": _("Lieu de naissance"),
    "resident.email": _("Adresse électronique"),
    "resident.phone": _("Téléphone"),
    "resident.address": _("Adresse"),
    "resident.postal_code": _("Code postal"),
    "resident.city": _("Commune"),
}
# The builder's operators; "is_false" and "not_answered" are is_true/answered set to false.
OPERATOR_LABELS = {
    "equals": _("est égal à"),
    "not_equals": _("est différent de"),
    "in": _("est l'une des valeurs"),
    "is_true": _("est cochée"),
    "is_false": _("n'est pas cochée"),
    "answered": _("a une réponse"),
    "not_answered": _("n'a pas de réponse"),
}
NEGATED_OPERATORS = {"is_false": "is_true", "not_answered": "answered"}
# Keeps an all/any condition written in a file, which the builder cannot edit piece by piece.
KEEP_CONDITION = "__garder__"
CONDITION_FIELD_NAMES = ("condition_field", "condition_operator", "condition_value")
MAX_OPTIONS = 100
# A checkbox's answer is a boolean: these words stand for it in a compared value.
CHECKBOX_WORDS = {"true": True, "oui": True, "false": False, "non": False}


def _option_line(option: dict[str, Any]) -> str:
    return f"{option.get('value', '')} | {option.get('label', '')}"


def _text_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class KeyField(forms.CharField):
    """An optional key typed by hand: same rules as the definition's keys."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", KEY_MAX_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        key = str(super().clean(value) or "").strip()
        if key and not KEY_PATTERN.match(key):
            raise ValidationError(
                _(
                    "Une clé s'écrit avec des lettres sans accents, des chiffres et des tirets bas "
                    "isolés, en commençant par une lettre (par exemple nom_enfant)."
                )
            )
        return key


class BuilderForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ConditionForm(BuilderForm):
    """The condition builder: an earlier field, an operator and the compared value(s)."""

    condition_field = forms.ChoiceField(label=_("Afficher seulement si le champ"), required=False)
    condition_operator = forms.ChoiceField(
        label=_("Comparaison"),
        required=False,
        choices=[("", "—"), *OPERATOR_LABELS.items()],
    )
    condition_value = forms.CharField(
        label=_("Valeur"),
        required=False,
        max_length=500,
        help_text=_(
            "Pour un champ à choix, la valeur ou le libellé d'une option. Pour « est l'une des "
            "valeurs », séparez-les par des points-virgules. Laissez vide pour « est cochée » "
            "et « a une réponse »."
        ),
    )

    def __init__(
        self,
        *args: Any,
        earlier: list[dict[str, Any]],
        current: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.earlier = {str(item.get("key")): item for item in earlier}
        self.current = current or {}
        self.current_condition = self.current.get("condition")
        kwargs.setdefault("initial", {}).update(self.condition_initial())
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("(toujours afficher)")))]
        if self.is_compound:
            choices.append((KEEP_CONDITION, str(_("(garder la condition composée actuelle)"))))
        choices += [
            (key, f"{item.get('label', key)} ({key})") for key, item in self.earlier.items()
        ]
        condition_field = self.fields["condition_field"]
        assert isinstance(condition_field, forms.ChoiceField)
        condition_field.choices = choices

    @property
    def is_compound(self) -> bool:
        condition = self.current_condition
        return isinstance(condition, dict) and any(name in condition for name in GROUP_OPERATORS)

    def condition_initial(self) -> dict[str, str]:
        condition = self.current_condition
        if not isinstance(condition, dict):
            return {}
        if self.is_compound:
            return {"condition_field": KEEP_CONDITION}
        negations = {positive: negative for negative, positive in NEGATED_OPERATORS.items()}
        for operator in ("equals", "not_equals", "in", "is_true", "answered"):
            if operator in condition:
                value = condition[operator]
                if operator in negations:
                    name = operator if value else negations[operator]
                    return {
                        "condition_field": condition.get("field", ""),
                        "condition_operator": name,
                    }
                text = (
                    "; ".join(_text_value(item) for item in value)
                    if isinstance(value, list)
                    else _text_value(value)
                )
                return {
                    "condition_field": condition.get("field", ""),
                    "condition_operator": operator,
                    "condition_value": text,
                }
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        key = cleaned.get("condition_field", "")
        if key == KEEP_CONDITION:
            cleaned["condition"] = self.current_condition
            return cleaned
        if not key:
            cleaned["condition"] = None
            return cleaned
        target = self.earlier[key]
        operator = cleaned.get("condition_operator", "")
        text = cleaned.get("condition_value", "").strip()
        if not operator:
            self.add_error("condition_operator", _("Choisissez comment comparer la réponse."))
            return cleaned
        if operator in ("is_true", "is_false"):
            if target.get("type") != "checkbox":
                self.add_error(
                    "condition_operator",
                    _("« est cochée » ne s'applique qu'à un champ de type case à cocher."),
                )
                return cleaned
            cleaned["condition"] = {"field": key, "is_true": operator == "is_true"}
            return cleaned
        if operator in ("answered", "not_answered"):
            cleaned["condition"] = {"field": key, "answered": operator == "answered"}
            return cleaned
        texts = [part.strip() for part in text.split(";") if part.strip()]
        if not texts:
            self.add_error("condition_value", _("Indiquez la valeur à comparer."))
            return cleaned
        if operator != "in" and len(texts) > 1:
            texts = [text]
        values = []
        for part in texts:
            value = self.compared_value(target, part)
            if value is None:
                return cleaned
            values.append(value)
        cleaned["condition"] = {"field": key, operator: values if operator == "in" else values[0]}
        return cleaned

    def compared_value(self, target: dict[str, Any], text: str) -> Any:
        """Return the value ``text`` stands for in ``target``'s answers, or None after an error."""
        if target.get("type") in CHOICE_TYPES:
            options = [item for item in target.get("options") or [] if isinstance(item, dict)]
            for option in options:
                if text in (option.get("value"), option.get("label")) or (
                    text.casefold() == str(option.get("label", "")).casefold()
                ):
                    return option.get("value")
            self.add_error(
                "condition_value",
                _("« %(value)s » n'est pas une option de « %(field)s » (options : %(options)s).")
                % {
                    "value": text,
                    "field": target.get("label", ""),
                    "options": ", ".join(str(option.get("label")) for option in options),
                },
            )
            return None
        if target.get("type") == "checkbox" and text.casefold() in CHECKBOX_WORDS:
            return CHECKBOX_WORDS[text.casefold()]
        if target.get("type") == "number":
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                self.add_error("condition_value", _("Indiquez un nombre, par exemple 3 ou 2,5."))
                return None
            return int(number) if number.is_integer() else number
        return text


class FieldForm(ConditionForm):
    """One field of a given type: its texts, its type's settings, rules and condition."""

    label = forms.CharField(label=_("Libellé"), max_length=300)
    key = KeyField(
        label=_("Clé (facultatif)"),
        help_text=_(
            "Nom de la réponse dans les données et les exports. Déduite du libellé si vous la "
            "laissez vide ; elle ne change plus ensuite."
        ),
    )
    help = forms.CharField(
        label=_("Aide (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("Lue par les lecteurs d'écran avec le champ."),
    )
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)

    def __init__(self, *args: Any, field_type: str, is_new: bool, **kwargs: Any) -> None:
        self.field_type = field_type
        current = kwargs.get("current") or {}
        kwargs.setdefault("initial", {}).update(self.type_initial(current))
        super().__init__(*args, **kwargs)
        if not is_new:
            del self.fields["key"]
        if field_type == "checkbox":
            self.fields["required"].label = _("Doit être cochée")
        self.add_type_fields()

    @staticmethod
    def type_initial(current: dict[str, Any]) -> dict[str, Any]:
        validation = current.get("validation") or {}
        initial: dict[str, Any] = {
            "label": current.get("label", ""),
            "help": current.get("help", ""),
            "required": bool(current.get("required")),
            "prefill": current.get("prefill", ""),
            "document_kind": current.get("document_kind") or validation.get("document_kind", ""),
            "relations": current.get("relations") or validation.get("relations") or [],
            "options": "\n".join(
                _option_line(option)
                for option in current.get("options") or []
                if isinstance(option, dict)
            ),
        }
        for name, value in validation.items():
            if name not in ("document_kind", "relations"):
                initial[name] = _text_value(value)
        return initial

    def add_type_fields(self) -> None:
        field_type = self.field_type
        if field_type in CHOICE_TYPES:
            self.fields["options"] = forms.CharField(
                label=_("Options"),
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "Une option par ligne : « valeur | libellé », ou seulement le libellé (la "
                    "valeur en est alors déduite)."
                ),
            )
        if field_type == "file":
            self.fields["document_kind"] = forms.ChoiceField(
                label=_("Type de pièce"), choices=[("", "—"), *DocumentKind.choices]
            )
        if field_type == "household_member":
            self.fields["relations"] = forms.MultipleChoiceField(
                label=_("Membres proposés (tous si aucun n'est coché)"),
                choices=Relation.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        sources = [source for source, types in PREFILL_SOURCES.items() if field_type in types]
        if sources:
            self.fields["prefill"] = forms.ChoiceField(
                label=_("Pré-remplir avec (Dites-le-nous une fois)"),
                choices=[("", str(_("(rien)")))]
                + [(source, PREFILL_LABELS[source]) for source in sources],
                required=False,
            )
        if field_type in ("text", "textarea"):
            limit = MAX_LENGTH_LIMIT[field_type]
            self.fields["min_length"] = forms.IntegerField(
                label=_("Longueur minimale (caractères)"), min_value=0, required=False
            )
            self.fields["max_length"] = forms.IntegerField(
                label=_("Longueur maximale (caractères)"),
                min_value=1,
                max_value=limit,
                required=False,
            )
        if field_type == "text":
            self.fields["pattern"] = forms.CharField(
                label=_("Format attendu (expression régulière, facultatif)"),
                max_length=500,
                required=False,
                help_text=_("Par exemple ^[0-9]{5}$ pour un code postal."),
            )
            self.fields["pattern_message"] = forms.CharField(
                label=_("Message si le format n'est pas respecté"),
                max_length=300,
                required=False,
            )
        if field_type == "date":
            bound_help = _("AAAA-MM-JJ, today (aujourd'hui) ou un décalage : -18y, +30d, -6m.")
            self.fields["min"] = forms.CharField(
                label=_("Date au plus tôt"), max_length=20, required=False, help_text=bound_help
            )
            self.fields["max"] = forms.CharField(
                label=_("Date au plus tard"), max_length=20, required=False, help_text=bound_help
            )
        if field_type == "number":
            self.fields["min"] = forms.CharField(
                label=_("Valeur minimale"), max_length=30, required=False
            )
            self.fields["max"] = forms.CharField(
                label=_("Valeur maximale"), max_length=30, required=False
            )
            self.fields["decimals"] = forms.IntegerField(
                label=_("Nombre de décimales"), min_value=0, max_value=MAX_DECIMALS, required=False
            )
        if field_type == "multichoice":
            self.fields["min_choices"] = forms.IntegerField(
                label=_("Nombre minimal de cases cochées"), min_value=0, required=False
            )
            self.fields["max_choices"] = forms.IntegerField(
                label=_("Nombre maximal de cases cochées"), min_value=0, required=False
            )

    @property
    def type_bound_fields(self) -> list[BoundField]:
        """Return the fields specific to this type, in display order."""
        common = {"label", "key", "help", "required", *CONDITION_FIELD_NAMES}
        return [self[name] for name in self.fields if name not in common]

    def clean_options(self) -> list[dict[str, str]]:
        options: list[dict[str, str]] = []
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_OPTIONS:
            raise ValidationError(_("Gardez au plus %(max)d options.") % {"max": MAX_OPTIONS})
        for line in lines:
            value, separator, label = (part.strip() for part in line.partition("|"))
            if not separator:
                label = value
                value = derive_key(label, [item["value"] for item in options], fallback="option")
            if not value or not label:
                raise ValidationError(
                    _("La ligne « %(line)s » doit avoir une valeur et un libellé.") % {"line": line}
                )
            if value in {item["value"] for item in options}:
                raise ValidationError(
                    _("La valeur « %(value)s » apparaît deux fois.") % {"value": value}
                )
            options.append({"value": value, "label": label})
        if not options:
            raise ValidationError(_("Indiquez au moins une option."))
        return options

    def clean_pattern(self) -> str:
        pattern = str(self.cleaned_data["pattern"])
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValidationError(
                    _("Cette expression régulière n'est pas valide (%(error)s).") % {"error": exc}
                ) from None
        return pattern

    def clean_min(self) -> object:
        return self.bound_value("min")

    def clean_max(self) -> object:
        return self.bound_value("max")

    def bound_value(self, name: str) -> object:
        text = str(self.cleaned_data[name]).strip()
        if not text:
            return None
        if self.field_type == "number":
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                raise ValidationError(_("Indiquez un nombre, par exemple 3 ou 2,5.")) from None
            return int(number) if number.is_integer() else number
        if not DATE_BOUND_PATTERN.match(text):
            try:
                datetime.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(
                    _("Indiquez une date AAAA-MM-JJ, today ou un décalage comme -18y.")
                ) from None
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("pattern") and not str(cleaned.get("pattern_message", "")).strip():
            self.add_error(
                "pattern_message",
                _("Expliquez à l'usager ce qu'il doit saisir quand le format n'est pas respecté."),
            )
        return cleaned

    def field(self) -> dict[str, Any]:
        """Return the field as a definition dict (empty settings left out)."""
        data = self.cleaned_data
        result: dict[str, Any] = {
            "key": data.get("key", ""),
            "type": self.field_type,
            "label": data["label"].strip(),
            "help": data["help"].strip(),
            "required": True if data["required"] else None,
            "options": data.get("options"),
            "document_kind": data.get("document_kind"),
            "relations": data.get("relations"),
            "prefill": data.get("prefill"),
            "condition": data.get("condition"),
        }
        validation = {
            name: data[name]
            for name in (
                "min_length",
                "max_length",
                "pattern",
                "pattern_message",
                "min",
                "max",
                "decimals",
                "min_choices",
                "max_choices",
            )
            if data.get(name) not in (None, "")
        }
        if validation.get("decimals") == 0:
            del validation["decimals"]
        result["validation"] = validation
        return result
