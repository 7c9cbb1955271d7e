"""Forms of the back-office form builder: settings, pages, sections, publishing and import.

The field editor and the condition builder are in ``builder_field_forms``.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.cases.builder_field_forms import BuilderForm, ConditionForm, KeyField
from guichet.cases.form_definition import DefinitionError, definition_to_dict, parse_definition
from guichet.cases.models import CaseForm
from guichet.organisation.models import Department

MAX_IMPORT_BYTES = 512 * 1024
IMPORT_EXTENSIONS = (".yaml", ".yml", ".json")


class SettingsForm(BuilderForm):
    is_online = forms.BooleanField(label=_("Demande en ligne ouverte"), required=False)
    routing_department = forms.ModelChoiceField(
        label=_("Service destinataire"),
        queryset=Department.objects.order_by("name"),
        required=False,
    )
    commitment_days = forms.IntegerField(
        label=_("Délai d'engagement (jours ouvrés)"), min_value=0, max_value=366, required=False
    )
    acknowledge_automatically = forms.BooleanField(
        label=_("Accusé de réception automatique"), required=False
    )

    def __init__(self, *args: Any, case_form: CaseForm, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "is_online": case_form.is_online,
                "routing_department": case_form.routing_department,
                "commitment_days": case_form.commitment_days,
                "acknowledge_automatically": case_form.acknowledge_automatically,
            },
        )
        super().__init__(*args, **kwargs)
        procedure = case_form.procedure
        department_field = self.fields["routing_department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.empty_label = str(
            _("Service de la démarche (%(department)s)") % {"department": procedure.department}
        )
        if procedure.commitment_days is None:
            self.fields["commitment_days"].help_text = _(
                "Vide : pas de délai d'engagement (la démarche n'en fixe pas)."
            )
        else:
            self.fields["commitment_days"].help_text = _(
                "Vide : le délai de la démarche (%(days)s jours ouvrés)."
            ) % {"days": procedure.commitment_days}


class PageForm(ConditionForm):
    title = forms.CharField(label=_("Titre de la page"), max_length=200)
    key = KeyField(
        label=_("Clé (facultatif)"),
        help_text=_("Déduite du titre si vous la laissez vide. Elle ne change plus ensuite."),
    )
    intro = forms.CharField(
        label=_("Texte d'introduction (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, is_new: bool, **kwargs: Any) -> None:
        current = kwargs.get("current") or {}
        kwargs.setdefault("initial", {}).update(
            {"title": current.get("title", ""), "intro": current.get("intro", "")}
        )
        super().__init__(*args, **kwargs)
        self.fields["condition_field"].label = _("Afficher la page seulement si le champ")
        if not is_new:
            del self.fields["key"]

    def page(self) -> dict[str, Any]:
        """Return the page's texts and condition as definition keys."""
        data = self.cleaned_data
        return {
            "key": data.get("key", ""),
            "title": data["title"].strip(),
            "intro": data["intro"].strip(),
            "condition": data.get("condition"),
        }


class SectionForm(BuilderForm):
    title = forms.CharField(
        label=_("Titre de la section (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Affiché comme légende du groupe de champs."),
    )
    intro = forms.CharField(
        label=_("Texte d'introduction (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def section(self) -> dict[str, Any]:
        return {"title": self.cleaned_data["title"].strip(), "intro": self.cleaned_data["intro"]}


class PublishForm(BuilderForm):
    comment = forms.CharField(
        label=_("Ce qui change (facultatif)"),
        help_text=_("Il apparaît dans l'historique des versions."),
        max_length=300,
        required=False,
    )


class ImportForm(BuilderForm):
    file = forms.FileField(
        label=_("Fichier de définition (YAML ou JSON)"),
        help_text=_("Le format est décrit dans la documentation des formulaires."),
    )

    def __init__(self, *args: Any, procedure_slug: str, **kwargs: Any) -> None:
        self.procedure_slug = procedure_slug
        super().__init__(*args, **kwargs)

    def clean_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(IMPORT_EXTENSIONS):
            raise ValidationError(_("Choisissez un fichier .yaml, .yml ou .json."))
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("Ce fichier est trop gros pour une définition (512 Ko au plus).")
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Le fichier doit être un texte encodé en UTF-8.")) from None
        data = load_definition_text(text)
        try:
            definition = parse_definition(data)
        except DefinitionError as exc:
            raise ValidationError(
                [_("Le fichier n'est pas une définition valide :"), *exc.messages]
            ) from None
        if definition.procedure != self.procedure_slug:
            raise ValidationError(
                _(
                    "Ce fichier décrit le formulaire de la démarche « %(other)s », pas celui de "
                    "« %(slug)s » : corrigez la clé procedure ou choisissez le bon fichier."
                )
                % {"other": definition.procedure, "slug": self.procedure_slug}
            )
        return definition_to_dict(definition)


def load_definition_text(text: str) -> object:
    """Return what a YAML (or JSON, which YAML reads too) text holds, or raise ValidationError."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            raise ValidationError(
                _(
                    "Le fichier n'est pas un YAML ou un JSON valide : ligne %(line)s, colonne "
                    "%(column)s, %(problem)s. Vérifiez l'indentation et les guillemets."
                )
                % {"line": mark.line + 1, "column": mark.column + 1, "problem": problem}
            ) from None
        raise ValidationError(
            _("Le fichier n'est pas un YAML ou un JSON valide (%(problem)s).")
            % {"problem": problem}
        ) from None


def dump_definition(definition: dict[str, Any], file_format: str) -> str:
    """Return the definition as a YAML or JSON text a supervisor can keep or edit."""
    if file_format == "json":
        return json.dumps(definition, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)
