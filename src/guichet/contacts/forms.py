"""Forms of the contact log. Business checks come from ``checks.py``, shared with the API."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Procedure
from guichet.contacts.actions import OUTCOMES_NEEDING_DETAILS
from guichet.contacts.checks import check_callback_due_at, check_contact_input
from guichet.contacts.choices import Direction, Outcome
from guichet.core.text import normalize
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site, User

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M"]
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name()


def active_agent_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, agent__is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def published_procedures() -> list[Procedure]:
    """Return the procedures offered as motives, lightest columns only."""
    return list(
        Procedure.objects.filter(is_published=True)
        .only("id", "slug", "title", "department_id")
        .order_by("title")
    )


def tomorrow_noon() -> datetime.datetime:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12)))


class ContactForm(forms.Form):
    """Log a contact. The motive is one text field: a procedure's title, or a free subject."""

    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PHONE)
    outcome = forms.ChoiceField(
        label=_("Suite donnée"), choices=Outcome.choices, initial=Outcome.ANSWERED
    )
    motive = forms.CharField(
        label=_("Motif"),
        max_length=300,
        required=False,
        help_text=_("Choisissez une démarche dans les suggestions ou saisissez un objet libre."),
    )
    summary = forms.CharField(
        label=_("Résumé de l'échange"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ctrl+Entrée pour enregistrer."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.filter(is_active=True),
        required=False,
        empty_label=_("Aucun site (standard, courrier central…)"),
    )
    direction = forms.ChoiceField(
        label=_("Sens"), choices=Direction.choices, initial=Direction.INCOMING
    )
    department = forms.ModelChoiceField(
        label=_("Service concerné"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Celui de la démarche, sinon le vôtre"),
        help_text=_(
            "Le contenu d'un échange avec un service confidentiel (CCAS) n'est lisible que par "
            "les agents de ce service et par vous."
        ),
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=0, max_value=1440, required=False
    )
    oriented_to_department = forms.ModelChoiceField(
        label=_("Orienté vers le service"),
        queryset=Department.objects.all(),
        required=False,
        empty_label="—",
    )
    oriented_to_partner = forms.CharField(
        label=_("Orienté vers le partenaire"), max_length=200, required=False
    )
    callback_assignee = AgentChoiceField(
        label=_("Rappel par"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    callback_due_at = forms.DateTimeField(
        label=_("Rappeler avant le"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
    )
    occurred_at = forms.DateTimeField(
        label=_("Date du contact"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Laissez vide pour maintenant."),
    )

    # Fields shown folded under "Plus de précisions"; the template opens it when one has an error.
    DETAIL_FIELDS = (
        "site",
        "direction",
        "department",
        "duration_minutes",
        "oriented_to_department",
        "oriented_to_partner",
        "callback_assignee",
        "callback_due_at",
        "occurred_at",
    )

    def __init__(
        self,
        *args: Any,
        actor: User,
        procedures: list[Procedure] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.procedures = published_procedures() if procedures is None else procedures
        self._by_title = {normalize(p.title): p for p in self.procedures}
        self._by_slug = {p.slug: p for p in self.procedures}
        self.fields["callback_assignee"].queryset = active_agent_users()  # type: ignore[attr-defined]
        self.fields["callback_assignee"].initial = actor.pk
        self.fields["callback_due_at"].initial = tomorrow_noon
        self.fields["motive"].widget.attrs.update(
            {"list": "motive-suggestions", "autocomplete": "off"}
        )
        self.fields["summary"].widget.attrs["data-submit-on-ctrl-enter"] = ""

    def procedure_for_motive(self, motive: str) -> Procedure | None:
        """Return the procedure whose title (or slug) ``motive`` names, if any."""
        return self._by_title.get(normalize(motive)) or self._by_slug.get(motive.strip())

    @property
    def details_have_errors(self) -> bool:
        return any(name in self.errors for name in self.DETAIL_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        motive = data.get("motive", "") or ""
        procedure = self.procedure_for_motive(motive) if motive else None
        data["procedure"] = procedure
        data["subject"] = "" if procedure else motive.strip()
        outcome = data.get("outcome", "")
        # Details typed for another outcome (then changed) must not be recorded.
        if outcome != Outcome.ORIENTED_DEPARTMENT:
            data["oriented_to_department"] = None
        if outcome != Outcome.ORIENTED_PARTNER:
            data["oriented_to_partner"] = ""
        if outcome != Outcome.CALLBACK:
            data["callback_assignee"] = None
            data["callback_due_at"] = None
        if outcome:
            problems = check_contact_input(
                outcome=outcome,
                procedure=procedure,
                subject=data["subject"],
                oriented_to_department=data.get("oriented_to_department"),
                oriented_to_partner=data.get("oriented_to_partner", ""),
                callback_assignee=data.get("callback_assignee"),
                callback_due_at=data.get("callback_due_at"),
                occurred_at=data.get("occurred_at"),
            )
            for field, message in problems.items():
                if field not in self.errors:  # one message per field: the parsing one comes first
                    self.add_error(field, message)
        return data

    def action_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments of ``log_contact`` from the cleaned data."""
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "site": data.get("site"),
            "outcome": data["outcome"],
            "procedure": data["procedure"],
            "subject": data["subject"],
            "department": data.get("department"),
            "summary": data.get("summary", ""),
            "duration_minutes": data.get("duration_minutes"),
            "direction": data["direction"],
            "oriented_to_department": data.get("oriented_to_department"),
            "oriented_to_partner": data.get("oriented_to_partner", ""),
            "callback_assignee": data.get("callback_assignee"),
            "callback_due_at": data.get("callback_due_at"),
            "occurred_at": data.get("occurred_at"),
        }


CALLBACK_DONE_OUTCOMES = [
    (value, label) for value, label in Outcome.choices if value not in OUTCOMES_NEEDING_DETAILS
]


class CallbackDoneForm(forms.Form):
    """Record the outgoing call that honours a callback."""

    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.PHONE)
    outcome = forms.ChoiceField(
        label=_("Suite donnée"), choices=CALLBACK_DONE_OUTCOMES, initial=Outcome.ANSWERED
    )
    summary = forms.CharField(
        label=_("Résumé de l'appel"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignCallbackForm(forms.Form):
    assignee = AgentChoiceField(label=_("Rappel par"), queryset=User.objects.none())
    due_at = forms.DateTimeField(
        label=_("Rappeler avant le"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Laissez vide pour garder la date actuelle."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = active_agent_users()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_at"):
            for field, message in check_callback_due_at(data["due_at"]).items():
                self.add_error(field, message)
        return data


class ContactFilterForm(forms.Form):
    """Filters of the site contacts page; dates are for supervisors only."""

    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Tous")
    )
    date_from = forms.DateField(
        label=_("Du"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    channel = forms.ChoiceField(
        label=_("Canal"), choices=[("", _("Tous")), *Channel.choices], required=False
    )
    agent = AgentChoiceField(
        label=_("Agent"), queryset=User.objects.none(), required=False, empty_label=_("Tous")
    )
    outcome = forms.ChoiceField(
        label=_("Suite donnée"), choices=[("", _("Toutes")), *Outcome.choices], required=False
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], with_dates: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["agent"].queryset = active_agent_users()  # type: ignore[attr-defined]
        if not with_dates:
            del self.fields["date_from"]
            del self.fields["date_to"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("La date de fin doit être après la date de début."))
        return data
