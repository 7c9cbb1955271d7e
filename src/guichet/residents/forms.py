"""Forms of the agents' resident pages: validation at the edge, then an action does the work."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.organisation.choices import Channel
from guichet.residents.actions import RESIDENT_FIELDS, normalize_email
from guichet.residents.choices import DocumentKind, Relation
from guichet.residents.models import Resident
from guichet.residents.phones import InvalidPhoneNumber, to_e164
from guichet.residents.uploads import check_document_file

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
OLDEST_BIRTH_DATE = datetime.date(1890, 1, 1)

# The fields agents fill in; external_id belongs to imports and integrations.
RESIDENT_FORM_FIELDS = [name for name in RESIDENT_FIELDS if name != "external_id"]


class DateInput(forms.DateInput):
    """The browser's date picker; a date typed 14/07/1985 is shown back in the picker's format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            for date_format in DATE_INPUT_FORMATS:
                try:
                    parsed = datetime.datetime.strptime(value.strip(), date_format)
                except ValueError:
                    continue
                return parsed.date().isoformat()
        return super().format_value(value)


def channel_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Canal de la demande"),
        help_text=_("Comment l'usager s'est adressé à nous pour cette démarche."),
        choices=Channel.choices,
        initial=Channel.COUNTER,
    )


def clean_phone_number(value: str) -> str:
    """Return the number in E.164, or raise a ValidationError saying which formats work."""
    if not value:
        return ""
    try:
        return to_e164(value)
    except InvalidPhoneNumber as exc:
        raise forms.ValidationError(
            _(
                "Ce numéro de téléphone n'est pas valide. Saisissez un numéro français "
                "(06 12 34 56 78) ou international avec son indicatif (+44 20 7946 0958)."
            ),
            code="invalid_phone",
        ) from exc


def check_birth_date(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    if value > timezone.localdate():
        raise forms.ValidationError(
            _("La date de naissance est dans le futur : vérifiez le jour, le mois et l'année."),
            code="future",
        )
    if value < OLDEST_BIRTH_DATE:
        raise forms.ValidationError(
            _("La date de naissance est trop ancienne : vérifiez l'année (4 chiffres)."),
            code="too_old",
        )
    return value


_NAME_CHARACTERS = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?$")


def check_name(value: str) -> str:
    """Return the name with single spaces, or refuse digits, symbols and markup."""
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if value and not _NAME_CHARACTERS.match(value):
        raise forms.ValidationError(
            _(
                "Un nom ne peut contenir que des lettres, des espaces, des tirets et des "
                "apostrophes : corrigez la saisie."
            ),
            code="invalid_name",
        )
    return value


class ResidentForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Numéro français (06 12 34 56 78) ou international (+44 20 7946 0958)."),
    )
    channel = channel_field()

    class Meta:
        model = Resident
        fields = RESIDENT_FORM_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "birth_date": _("Par exemple 14/07/1985."),
            "first_names": _("Tous les prénoms, dans l'ordre de l'état civil."),
        }
        error_messages = {
            "first_names": {"required": _("Saisissez le ou les prénoms de l'usager.")},
            "usage_name": {"required": _("Saisissez le nom d'usage de l'usager.")},
            "email": {
                "invalid": _(
                    "Cette adresse électronique n'est pas valide : elle doit ressembler à "
                    "prenom.nom@exemple.fr."
                )
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preferred_channel = self.fields["preferred_channel"]
        assert isinstance(preferred_channel, forms.ChoiceField)
        preferred_channel.choices = [("", _("Pas de préférence")), *Channel.choices]
        birth_date = self.fields["birth_date"]
        assert isinstance(birth_date, forms.DateField)
        birth_date.input_formats = DATE_INPUT_FORMATS
        birth_date.error_messages["invalid"] = _(
            "Cette date n'existe pas ou n'est pas au bon format : saisissez-la comme 14/07/1985."
        )

    def clean_first_names(self) -> str:
        return check_name(self.cleaned_data.get("first_names", ""))

    def clean_usage_name(self) -> str:
        return check_name(self.cleaned_data.get("usage_name", ""))

    def clean_birth_name(self) -> str:
        return check_name(self.cleaned_data.get("birth_name", ""))

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", "").strip())

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data.get("email", ""))

    def clean_birth_date(self) -> datetime.date | None:
        return check_birth_date(self.cleaned_data.get("birth_date"))

    def action_fields(self) -> dict[str, Any]:
        """Return the cleaned resident fields, as create_resident/update_resident take them."""
        return {name: self.cleaned_data[name] for name in RESIDENT_FORM_FIELDS}

    def _post_clean(self) -> None:
        # The action, not the form, writes the file: skip ModelForm's instance construction.
        # Field-level model validation (lengths, choices) already ran in the form fields.
        pass


class CreateResidentForm(ResidentForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("C'est une autre personne : créer une nouvelle fiche quand même"),
        required=False,
    )


class HouseholdForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du foyer"),
        max_length=200,
        error_messages={"required": _("Donnez un nom au foyer, par exemple « Foyer Dupont ».")},
    )
    relation = forms.ChoiceField(
        label=_("Place de l'usager dans ce foyer"), choices=Relation.choices, initial=Relation.HEAD
    )
    channel = channel_field()


class HouseholdMemberForm(forms.Form):
    resident = forms.UUIDField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(label=_("Lien"), choices=Relation.choices, initial=Relation.CHILD)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de pièce"),
        choices=[("", _("Choisissez le type de pièce")), *DocumentKind.choices],
        error_messages={"required": _("Choisissez le type de pièce.")},
    )
    file = forms.FileField(
        label=_("Fichier"),
        error_messages={
            "required": _("Choisissez le fichier de la pièce."),
            "empty": _("Le fichier est vide. Choisissez le fichier scanné ou photographié."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_("Laissez vide si la pièce n'a pas de date de fin de validité."),
        error_messages={
            "invalid": _(
                "Cette date n'existe pas ou n'est pas au bon format : saisissez-la comme "
                "31/12/2030."
            )
        },
    )
    channel = channel_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG ou PNG, %(limit)s au plus.") % {
            "limit": filesizeformat(settings.GUICHET_MAX_UPLOAD_BYTES)
        }

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            check_document_file(uploaded)
        return uploaded


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "J'ai vérifié que les deux fiches concernent la même personne : fusionner le "
            "doublon dans cette fiche"
        ),
        error_messages={"required": _("Cochez la case pour confirmer que c'est la même personne.")},
    )
