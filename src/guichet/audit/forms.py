from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.organisation.models import User

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name()} ({obj.username})"


class AccessLogFilterForm(forms.Form):
    """Filters of the access log: agent, resident (name, birth date or identifier), dates."""

    agent = AgentChoiceField(
        label=_("Agent"),
        queryset=User.objects.filter(agent__isnull=False).order_by("last_name", "first_name"),
        required=False,
        empty_label=_("Tous les agents"),
    )
    resident = forms.CharField(
        label=_("Usager"),
        max_length=200,
        required=False,
        help_text=_("Nom, date de naissance, téléphone, courriel ou identifiant de la fiche."),
    )
    date_from = forms.DateField(
        label=_("Du"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("La date de fin doit être après la date de début."))
        return data
