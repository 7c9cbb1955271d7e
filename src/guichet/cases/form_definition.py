"""Form definitions (docs/forms.md): parse a dict into typed, checked, immutable objects.

``parse_definition`` takes what a YAML file or a ``FormVersion.definition`` holds and returns a
``FormDefinition`` (see ``form_schema``), or raises ``DefinitionError`` listing every problem
found, in French, each with its location ("Page « personne », champ « qualite » : type inconnu
« txt »"), so that a supervisor or the author of a form file can fix them all at once.
``definition_to_dict`` gives the canonical dict back (JSON types only, defaults left out): two
definitions that mean the same have equal canonical dicts, which is how a loader tells whether
a new version is needed.

Parsing touches no database: whether a department slug exists is the loader's business.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from guichet.cases.form_field_rules import FieldRulesReader, display, is_int
from guichet.cases.form_schema import (
    CHOICE_TYPES,
    FIELD_KEYS,
    FIELD_TYPES,
    FORM_KEYS,
    GROUP_OPERATORS,
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    PAGE_KEYS,
    SECTION_KEYS,
    SETTINGS_KEYS,
    VALUE_OPERATORS,
    Condition,
    Field,
    FormDefinition,
    FormSettings,
    Option,
    Page,
    Section,
    Validation,
    definition_to_dict,
)

__all__ = [
    "Condition",
    "DefinitionError",
    "Field",
    "FormDefinition",
    "FormSettings",
    "Option",
    "Page",
    "Section",
    "Validation",
    "definition_to_dict",
    "parse_definition",
]


class DefinitionError(ValueError):
    """The definition cannot be used; ``messages`` says every reason, in French, with where."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def parse_definition(data: object) -> FormDefinition:
    """Return the definition ``data`` describes, or raise DefinitionError listing every problem."""
    parser = _Parser()
    definition = parser.form(data)
    if parser.errors or definition is None:
        raise DefinitionError(parser.errors)
    return definition


class _Parser(FieldRulesReader):
    """One parse: the structure of the form, its keys and its conditions."""

    def __init__(self) -> None:
        super().__init__()
        # Fields seen so far, in form order: a condition may only read these.
        self.earlier: dict[str, Field] = {}
        self.page_keys: set[str] = set()

    def key(self, where: str, data: dict[Any, Any]) -> str:
        value = self.text(where, data, "key", required=True)
        if value and (len(value) > KEY_MAX_LENGTH or not KEY_PATTERN.match(value)):
            self.error(
                where,
                _(
                    "la clé « %(key)s » n'est pas valide : lettres sans accents, chiffres et "
                    "tirets bas isolés, en commençant par une lettre (%(max)s caractères au plus)"
                )
                % {"key": value, "max": KEY_MAX_LENGTH},
            )
            return ""
        return value

    def items(self, where: str, data: dict[Any, Any], key: str) -> list[Any]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.error(where, _("« %(key)s » doit être une liste non vide") % {"key": key})
            return []
        return value

    def form(self, data: object) -> FormDefinition | None:
        if not isinstance(data, dict):
            self.error("", _("La définition doit être un dictionnaire (clé: valeur)."))
            return None
        where = _("Formulaire")
        self.check_keys(where, data, FORM_KEYS)
        procedure = self.text(where, data, "procedure", required=True)
        title = self.text(where, data, "title", required=True)
        intro = self.text(where, data, "intro")
        settings = self.settings(data.get("settings"))
        pages = []
        for index, item in enumerate(self.items(where, data, "pages"), start=1):
            page = self.page(index, item)
            if page is not None:
                pages.append(page)
        settings = self.inform(settings, data.get("settings"))
        return FormDefinition(
            procedure=procedure, title=title, intro=intro, settings=settings, pages=tuple(pages)
        )

    def inform(self, settings: FormSettings, data: object) -> FormSettings:
        """Read ``settings.inform`` once every field is known: it names a choice field."""
        if not isinstance(data, dict) or "inform" not in data:
            return settings
        where = _("Réglages, « inform »")
        inform = data["inform"]
        if not isinstance(inform, dict) or set(inform) != {"field", "departments"}:
            self.error(where, _("« inform » doit avoir les clés « field » et « departments »"))
            return settings
        key, departments = inform["field"], inform["departments"]
        target = self.earlier.get(key) if isinstance(key, str) else None
        if target is None or target.type not in CHOICE_TYPES:
            self.error(where, _("« field » doit être la clé d'un champ à choix du formulaire"))
            return settings
        values = {option.value for option in target.options}
        if not isinstance(departments, dict) or not departments:
            self.error(where, _("« departments » doit associer des choix à des services"))
            return settings
        pairs = []
        for value, slug in departments.items():
            if value not in values:
                self.error(
                    where,
                    _("« %(value)s » n'est pas un choix du champ « %(key)s »")
                    % {"value": value, "key": key},
                )
            elif not isinstance(slug, str) or not slug:
                self.error(where, _("chaque choix doit désigner un service par son identifiant"))
            else:
                pairs.append((value, slug))
        return replace(settings, inform_field=key, inform_departments=tuple(pairs))

    def settings(self, data: object) -> FormSettings:
        if data is None:
            return FormSettings()
        where = _("Réglages")
        if not isinstance(data, dict):
            self.error(where, _("« settings » doit être un dictionnaire"))
            return FormSettings()
        self.check_keys(where, data, SETTINGS_KEYS)
        acknowledge = data.get("acknowledge", True)
        if not isinstance(acknowledge, bool):
            self.error(where, _("« acknowledge » doit valoir true ou false"))
            acknowledge = True
        department = self.text(where, data, "department")
        commitment_days = data.get("commitment_days")
        if commitment_days is not None and (
            not is_int(commitment_days) or not 0 <= commitment_days <= 366
        ):
            self.error(
                where, _("« commitment_days » doit être un nombre entier de jours entre 0 et 366")
            )
            commitment_days = None
        return FormSettings(
            acknowledge=acknowledge, department=department, commitment_days=commitment_days
        )

    def page(self, index: int, data: object) -> Page | None:
        where = _("Page n° %(index)s") % {"index": index}
        if not isinstance(data, dict):
            self.error(where, _("une page doit être un dictionnaire"))
            return None
        key = self.key(where, data)
        if key:
            where = _("Page « %(key)s »") % {"key": key}
            if key in self.page_keys:
                self.error(where, _("une autre page a déjà cette clé"))
            self.page_keys.add(key)
        self.check_keys(where, data, PAGE_KEYS)
        title = self.text(where, data, "title", required=True)
        intro = self.text(where, data, "intro")
        # Read before the page's own fields are known: a page cannot depend on itself.
        condition = self.condition(where, data.get("condition"))
        sections = []
        for section_index, item in enumerate(self.items(where, data, "sections"), start=1):
            section = self.section(where, section_index, item)
            if section is not None:
                sections.append(section)
        return Page(
            key=key, title=title, intro=intro, condition=condition, sections=tuple(sections)
        )

    def section(self, page_where: str, index: int, data: object) -> Section | None:
        where = _("%(page)s, section n° %(index)s") % {"page": page_where, "index": index}
        if not isinstance(data, dict):
            self.error(where, _("une section doit être un dictionnaire"))
            return None
        self.check_keys(where, data, SECTION_KEYS)
        title = self.text(where, data, "title")
        intro = self.text(where, data, "intro")
        fields = []
        for field_index, item in enumerate(self.items(where, data, "fields"), start=1):
            parsed = self.field(page_where, where, field_index, item)
            if parsed is not None:
                fields.append(parsed)
        return Section(title=title, intro=intro, fields=tuple(fields))

    def field(self, page_where: str, section_where: str, index: int, data: object) -> Field | None:
        where = _("%(section)s, champ n° %(index)s") % {"section": section_where, "index": index}
        if not isinstance(data, dict):
            self.error(where, _("un champ doit être un dictionnaire"))
            return None
        key = self.key(where, data)
        if key:
            where = _("%(page)s, champ « %(key)s »") % {"page": page_where, "key": key}
            if key in self.earlier:
                self.error(where, _("un autre champ du formulaire a déjà cette clé"))
        self.check_keys(where, data, FIELD_KEYS)
        field_type = self.text(where, data, "type", required=True)
        if field_type and field_type not in FIELD_TYPES:
            self.error(
                where,
                _("type inconnu « %(type)s » (types possibles : %(types)s)")
                % {"type": field_type, "types": ", ".join(FIELD_TYPES)},
            )
            field_type = ""
        label = self.text(where, data, "label", required=True)
        help_text = self.text(where, data, "help")
        required = data.get("required", False)
        if not isinstance(required, bool):
            self.error(where, _("« required » doit valoir true ou false"))
            required = False
        # Read before the field is recorded: a field cannot depend on itself.
        condition = self.condition(where, data.get("condition"))
        options = self.options(where, field_type, data.get("options"))
        prefill = self.prefill(where, field_type, data.get("prefill"))
        raw_validation = data.get("validation")
        if raw_validation is not None and not isinstance(raw_validation, dict):
            self.error(where, _("« validation » doit être un dictionnaire"))
            raw_validation = None
        raw_validation = dict(raw_validation or {})
        # document_kind and relations belong to the field; also accepted under validation.
        document_kind = self.document_kind(
            where, field_type, data.get("document_kind", raw_validation.pop("document_kind", None))
        )
        relations = self.relations(
            where, field_type, data.get("relations", raw_validation.pop("relations", None))
        )
        validation = self.validation(where, field_type, len(options), raw_validation)
        parsed = Field(
            key=key,
            type=field_type,
            label=label,
            help=help_text,
            required=required,
            options=options,
            prefill=prefill,
            condition=condition,
            validation=validation,
            document_kind=document_kind,
            relations=relations,
        )
        if key and key not in self.earlier:
            self.earlier[key] = parsed
        return parsed

    def condition(self, where: str, data: object) -> Condition | None:
        if data is None:
            return None
        return self.parse_condition(_("%(where)s, condition") % {"where": where}, data)

    def parse_condition(self, where: str, data: object) -> Condition | None:
        if not isinstance(data, dict):
            self.error(where, _("une condition doit être un dictionnaire"))
            return None
        groups = [name for name in GROUP_OPERATORS if name in data]
        if groups:
            if len(data) != 1:
                self.error(where, _("« all » ou « any » doit être seul dans sa condition"))
                return None
            operator = groups[0]
            items = data[operator]
            if not isinstance(items, list) or not items:
                self.error(
                    where,
                    _("« %(operator)s » doit être une liste non vide de conditions")
                    % {"operator": operator},
                )
                return None
            children = [self.parse_condition(where, item) for item in items]
            if any(child is None for child in children):
                return None
            return Condition(
                operator=operator,
                conditions=tuple(child for child in children if child is not None),
            )
        operators = [name for name in VALUE_OPERATORS if name in data]
        unknown = set(data) - {"field", *VALUE_OPERATORS}
        if len(operators) != 1 or unknown or "field" not in data:
            self.error(
                where,
                _(
                    "une condition s'écrit {field: CLÉ, OPÉRATEUR: VALEUR} avec un seul "
                    "opérateur parmi %(operators)s, ou {all: […]} / {any: […]}"
                )
                % {"operators": ", ".join(VALUE_OPERATORS)},
            )
            return None
        operator = operators[0]
        key = data["field"]
        target = self.earlier.get(key) if isinstance(key, str) else None
        if target is None:
            self.error(
                where,
                _(
                    "le champ « %(field)s » n'existe pas plus haut dans le formulaire (une "
                    "condition ne peut porter que sur un champ placé avant, jamais sur lui-même "
                    "ni sur un champ de la même page pour une condition de page)"
                )
                % {"field": display(key)},
            )
            return None
        value = self.condition_value(where, operator, target, data[operator])
        if value is None:
            return None
        return Condition(operator=operator, field=target.key, value=value)

    def condition_value(self, where: str, operator: str, target: Field, value: object) -> Any:
        if operator in ("is_true", "answered"):
            if not isinstance(value, bool):
                self.error(
                    where, _("« %(operator)s » doit valoir true ou false") % {"operator": operator}
                )
                return None
            if operator == "is_true" and target.type != "checkbox":
                self.error(
                    where,
                    _("« is_true » ne s'applique qu'à un champ de type checkbox (« %(field)s »)")
                    % {"field": target.key},
                )
                return None
            return value
        candidates: list[Any]
        if operator == "in":
            if not isinstance(value, list) or not value:
                self.error(where, _("« in » doit être une liste non vide de valeurs"))
                return None
            candidates = list(value)
        else:
            candidates = [value]
        for candidate in candidates:
            if isinstance(candidate, dict | list) or candidate is None:
                self.error(
                    where, _("la valeur comparée doit être un texte, un nombre ou un booléen")
                )
                return None
            if target.type in CHOICE_TYPES and candidate not in {o.value for o in target.options}:
                self.error(
                    where,
                    _("« %(value)s » n'est pas une des options du champ « %(field)s »")
                    % {"value": display(candidate), "field": target.key},
                )
                return None
        return tuple(candidates) if operator == "in" else value
