"""Forms of the back office for cases: inbox filters, the case page's actions, filing on behalf."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.inbox import AGENT_STATUS_LABELS, ASSIGNEE_ME, ASSIGNEE_NONE
from guichet.cases.models import Case, CaseForm
from guichet.cases.portal_forms import MAX_ATTACHMENTS, AttachmentsField
from guichet.catalogue.models import Procedure
from guichet.contacts.forms import DATE_INPUT_FORMATS, AgentChoiceField, DateInput
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site, User

# What an agent does when moving a case to each status (the status labels speak to residents).
TRANSITION_LABELS: dict[str, StrOrPromise] = {
    CaseStatus.IN_PROGRESS: _("Passer en cours de traitement"),
    CaseStatus.WAITING: _("Demander un complément à l'usager (suspend le délai)"),
    CaseStatus.ACCEPTED: _("Accepter la demande"),
    CaseStatus.REJECTED: _("Refuser la demande"),
    CaseStatus.CANCELLED: _("Annuler la demande"),
}

# The channels through which an agent receives a request on a resident's behalf.
ON_BEHALF_CHANNELS = [
    (Channel.COUNTER.value, Channel.COUNTER.label),
    (Channel.PHONE.value, Channel.PHONE.label),
    (Channel.MAIL.value, Channel.MAIL.label),
    (Channel.EMAIL.value, Channel.EMAIL.label),
]


def department_agents(
    department_ids: set[int] | None, *, also: int | None = None
) -> QuerySet[User]:
    """Return the active agents' accounts of these departments (of any department for None).

    ``also`` adds one account (the viewer's, who may take cases of another department).
    """
    in_departments = (
        Q(agent__departments__isnull=False)
        if department_ids is None
        else Q(agent__departments__in=department_ids)
    )
    users = User.objects.filter(is_active=True, agent__is_active=True)
    if also is not None:
        users = users.filter(in_departments | Q(pk=also))
    else:
        users = users.filter(in_departments)
    return users.distinct().order_by("last_name", "first_name", "username")


class InboxFilterForm(forms.Form):
    """The inbox filters. Every field is optional; invalid values are reported, not guessed."""

    q = forms.CharField(
        label=_("Rechercher"),
        max_length=200,
        required=False,
        help_text=_("Référence, code de suivi, nom ou courriel de l'usager."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.MultipleChoiceField(
        label=_("Statut"),
        choices=[
            (value, AGENT_STATUS_LABELS.get(value, label)) for value, label in CaseStatus.choices
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sans choix : les demandes en cours."),
    )
    due = forms.ChoiceField(
        label=_("Échéance"),
        choices=[
            ("", _("Toutes")),
            (DeadlineState.OVERDUE.value, DeadlineState.OVERDUE.label),
            (DeadlineState.NEAR.value, DeadlineState.NEAR.label),
            (DeadlineState.ON_TIME.value, DeadlineState.ON_TIME.label),
            (DeadlineState.PAUSED.value, DeadlineState.PAUSED.label),
        ],
        required=False,
    )
    procedure = forms.ModelChoiceField(
        label=_("Démarche"),
        queryset=Procedure.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes"),
    )
    assignee = forms.ChoiceField(label=_("Agent en charge"), required=False)
    channel = forms.ChoiceField(
        label=_("Canal de dépôt"), choices=[("", _("Tous")), *Channel.choices], required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site de dépôt"),
        queryset=Site.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous"),
    )
    department = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Department.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous"),
    )
    submitted_from = forms.DateField(
        label=_("Déposée du"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    submitted_to = forms.DateField(
        label=_("au"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        choices=[
            ("due", _("Échéance la plus proche")),
            ("submitted", _("Dépôt le plus récent")),
            ("updated", _("Mise à jour la plus récente")),
        ],
        required=False,
    )

    # The fields a saved view keeps (everything but the page number).
    QUERY_KEYS = (
        "q",
        "status",
        "due",
        "procedure",
        "assignee",
        "channel",
        "site",
        "department",
        "submitted_from",
        "submitted_to",
        "sort",
    )

    def __init__(
        self,
        *args: Any,
        agents: QuerySet[User],
        departments: QuerySet[Department] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.filter(  # type: ignore[attr-defined]
            case_form__isnull=False
        ).order_by("title")
        self.fields["site"].queryset = Site.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.agents = {str(user.pk): user for user in agents}
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Tous")),
            (ASSIGNEE_ME, _("Moi")),
            (ASSIGNEE_NONE, _("Non attribuées")),
            *((pk, user.display_name()) for pk, user in self.agents.items()),
        ]
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("La date de fin doit être après la date de début."))
        return data


class TransitionForm(forms.Form):
    """Move a case to another status; the reason is told to the resident."""

    to_status = forms.ChoiceField(label=_("Nouveau statut"), choices=CaseStatus.choices)
    reason = forms.CharField(
        label=_("Motif ou pièces manquantes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Envoyé à l'usager. Obligatoire pour demander un complément, accepter, refuser ou "
            "annuler."
        ),
    )

    def __init__(self, *args: Any, transitions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any status is accepted here: the action says why a move is not possible right now
        # (another agent may have decided the case since the page was drawn).
        self.fields["to_status"].widget.choices = [
            (status, TRANSITION_LABELS.get(status, CaseStatus(status).label))
            for status in transitions
        ]


class AssignForm(forms.Form):
    """Give the case to an agent of its department, to oneself, or back to the department."""

    assignee = AgentChoiceField(
        label=_("Attribuer à"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Personne (remettre dans la file du service)"),
    )

    def __init__(self, *args: Any, case: Case, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                Q(is_active=True, agent__is_active=True, agent__departments=case.department_id)
                | Q(pk=actor.pk)
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["assignee"].error_messages["invalid_choice"] = _(
            "Choisissez un agent du service %(department)s dans la liste."
        ) % {"department": case.department.name}
        if case.assignee_id is not None:
            self.fields["assignee"].initial = case.assignee_id


class TransferForm(forms.Form):
    """Send the case to another department, saying why in an internal note."""

    department = forms.ModelChoiceField(
        label=_("Transférer au service"),
        queryset=Department.objects.none(),
        empty_label=_("Choisissez un service"),
        error_messages={"invalid_choice": _("Choisissez un service dans la liste.")},
    )
    note = forms.CharField(
        label=_("Motif du transfert (note interne)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.exclude(  # type: ignore[attr-defined]
            pk=case.department_id
        )


class MessageForm(forms.Form):
    """Write to the resident, with files if needed."""

    body = forms.CharField(
        label=_("Message à l'usager"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = AttachmentsField(label=_("Pièces jointes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "PDF, JPEG ou PNG, %(count)d fichiers au plus. En cas d'erreur, choisissez de "
            "nouveau les fichiers : votre texte est conservé."
        ) % {"count": MAX_ATTACHMENTS}


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible des seuls agents, jamais de l'usager."),
    )


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Nom de la vue"), max_length=100)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class CaseUUIDsField(forms.Field):
    """The uuids of the cases ticked in the inbox (one checkbox per row, same name)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        try:
            return [uuid.UUID(str(item)) for item in value or []]
        except ValueError:
            raise ValidationError(
                _("La sélection n'est pas valide : cochez de nouveau les demandes."),
                code="invalid",
            ) from None


class BulkAssignForm(forms.Form):
    """Give the ticked cases of the inbox to one agent."""

    cases = CaseUUIDsField(
        label=_("Demandes sélectionnées"),
        error_messages={"required": _("Cochez au moins une demande dans la liste.")},
    )
    assignee = AgentChoiceField(
        label=_("Attribuer la sélection à"),
        queryset=User.objects.none(),
        empty_label=_("Choisissez un agent"),
        error_messages={
            "required": _("Choisissez l'agent à qui attribuer les demandes."),
            "invalid_choice": _("Choisissez un agent dans la liste."),
        },
    )

    def __init__(self, *args: Any, agents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents  # type: ignore[attr-defined]


def grouped_online_forms(forms_: list[CaseForm]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Return the forms as select option groups, one per destination department."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for case_form in forms_:
        groups.setdefault(case_form.department.name, []).append(
            (case_form.pk, case_form.procedure.title)
        )
    return [
        (name, sorted(items, key=lambda item: item[1])) for name, items in sorted(groups.items())
    ]


class OnBehalfForm(forms.Form):
    """Choose the procedure, the channel and the site of a request filed for a resident."""

    case_form = forms.TypedChoiceField(
        label=_("Démarche"),
        coerce=int,
        error_messages={"invalid_choice": _("Choisissez une démarche dans la liste.")},
    )
    channel = forms.ChoiceField(
        label=_("Canal"),
        choices=ON_BEHALF_CHANNELS,
        initial=Channel.COUNTER,
        help_text=_("Comment l'usager vous a transmis sa demande."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("Aucun site (téléphone, courrier…)"),
    )

    def __init__(
        self, *args: Any, online_forms: list[CaseForm], sites: QuerySet[Site], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.online_forms = {case_form.pk: case_form for case_form in online_forms}
        self.fields["case_form"].choices = [  # type: ignore[attr-defined]
            ("", _("Choisissez une démarche")),
            *grouped_online_forms(online_forms),
        ]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean_case_form(self) -> CaseForm:
        return self.online_forms[self.cleaned_data["case_form"]]
