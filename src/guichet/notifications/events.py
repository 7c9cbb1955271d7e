"""What each event's messages may say: its audience, its channels and its template variables.

Templates only ever see the variables listed for their event, as plain text: no object of the
application reaches a template, so a supervisor's edit cannot read anything else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.notifications.choices import Event, MessageChannel

# A value given to a template: text, a lazy translation (resolved in the recipient's
# language) or a date (formatted in the recipient's language).
ContextValue = str | Promise | datetime.date

RESIDENT = "resident"
AGENT = "agent"
ACCOUNT = "account"

VARIABLES: dict[str, Promise] = {
    "city": _("Nom de la ville (rempli automatiquement)"),
    "resident_name": _("Prénom et nom de l'usager (rempli automatiquement pour un usager connu)"),
    "agent_name": _("Prénom et nom de l'agent destinataire (rempli automatiquement)"),
    "reference": _("Référence de la demande"),
    "procedure": _("Nom de la démarche"),
    "department": _("Service qui traite la demande"),
    "status": _("Nouveau statut de la demande (par exemple « Acceptée »)"),
    "reason": _("Motif ou précisions écrits par l'agent"),
    "due_date": _("Date d'échéance"),
    "tracking_code": _("Code de suivi de la demande"),
    "tracking_url": _("Adresse de suivi de la demande sur le portail"),
    "case_url": _(
        "Adresse de la demande : dans l'espace en ligne de l'usager, ou dans l'espace agents "
        "pour un message aux agents"
    ),
    "message": _("Texte du message de l'agent"),
    "link": _(
        "Lien à ouvrir (vérification, connexion, nouveau mot de passe, nouvelle adresse, ou "
        "page de connexion)"
    ),
    "valid_for": _("Durée de validité du lien (par exemple « 24 heures »)"),
}


@dataclass(frozen=True)
class EventSpec:
    audience: str
    channels: tuple[str, ...]
    variables: tuple[str, ...]


_BOTH = (MessageChannel.EMAIL.value, MessageChannel.SMS.value)
_EMAIL = (MessageChannel.EMAIL.value,)
_CASE = (
    "city",
    "resident_name",
    "reference",
    "procedure",
    "department",
    "status",
    "due_date",
    "tracking_code",
    "tracking_url",
    "case_url",
)
_AGENT_CASE = (
    "city",
    "agent_name",
    "reference",
    "procedure",
    "department",
    "status",
    "due_date",
    "case_url",
)
_ACCOUNT = ("city", "resident_name", "link", "valid_for")

EVENTS: dict[str, EventSpec] = {
    Event.CASE_RECEIVED: EventSpec(RESIDENT, _BOTH, _CASE),
    Event.CASE_INFORMATION_NEEDED: EventSpec(RESIDENT, _BOTH, (*_CASE, "reason")),
    Event.CASE_DECIDED: EventSpec(RESIDENT, _BOTH, (*_CASE, "reason")),
    Event.CASE_MESSAGE: EventSpec(RESIDENT, _BOTH, (*_CASE, "message")),
    Event.CASE_DEADLINE_WARNING: EventSpec(AGENT, _EMAIL, _AGENT_CASE),
    Event.CASE_OVERDUE: EventSpec(AGENT, _EMAIL, _AGENT_CASE),
    Event.ACCOUNT_VERIFY_EMAIL: EventSpec(ACCOUNT, _EMAIL, _ACCOUNT),
    Event.ACCOUNT_MAGIC_LINK: EventSpec(ACCOUNT, _EMAIL, _ACCOUNT),
    Event.ACCOUNT_PASSWORD_RESET: EventSpec(ACCOUNT, _EMAIL, _ACCOUNT),
    # The link is the login page, which also offers a sign-in link and a new password.
    Event.ACCOUNT_SIGNUP_ATTEMPT: EventSpec(ACCOUNT, _EMAIL, ("city", "resident_name", "link")),
    Event.ACCOUNT_EMAIL_CHANGE: EventSpec(ACCOUNT, _EMAIL, _ACCOUNT),
    # No link and not the new address: whoever reads the former mailbox need not learn it.
    Event.ACCOUNT_EMAIL_CHANGED: EventSpec(ACCOUNT, _EMAIL, ("city", "resident_name")),
}


def spec(event: str) -> EventSpec:
    """Return the event's specification, or raise ValueError for an unknown event."""
    try:
        return EVENTS[event]
    except KeyError:
        raise ValueError(f"Unknown notification event: {event!r}") from None


def event_context(event: str, context: dict[str, ContextValue]) -> dict[str, ContextValue]:
    """Return the values of ``context`` that the event's templates may use.

    A caller may pass one set of values for several events (a case's reference, status,
    links…): values of known variables that this event does not use are left out. An unknown
    name (a typo) raises ValueError, a value that is not text or a date TypeError.
    """
    unknown = sorted(set(context) - set(VARIABLES))
    if unknown:
        raise ValueError(f"Unknown template variables {unknown}; known: {sorted(VARIABLES)}")
    for name, value in context.items():
        if not isinstance(value, str | Promise | datetime.date):
            raise TypeError(f"Variable {name!r} must be text or a date, not {type(value)}")
    allowed = spec(event).variables
    return {name: value for name, value in context.items() if name in allowed}


def example_context(event: str) -> dict[str, ContextValue]:
    """Return believable values of the event's variables, for previews and checks."""
    examples: dict[str, ContextValue] = {
        "resident_name": "Hélène Dupont",
        "agent_name": "Bruno Leroy",
        "reference": "DEM-2025-00042",
        "procedure": pgettext_lazy("example", "Inscription scolaire"),
        "department": pgettext_lazy("example", "Éducation"),
        "status": pgettext_lazy("example", "Acceptée"),
        "reason": pgettext_lazy(
            "example", "Merci de nous transmettre un justificatif de domicile de moins de 3 mois."
        ),
        "due_date": timezone.localdate() + datetime.timedelta(days=14),
        "tracking_code": "K7M2P9QX",
        "tracking_url": "https://guichet.ville.example/suivi/K7M2P9QX",
        "case_url": "https://guichet.ville.example/agents/demandes/DEM-2025-00042/",
        "message": pgettext_lazy(
            "example", "Bonjour, votre dossier est complet. Nous revenons vers vous sous 8 jours."
        ),
        "link": "https://guichet.ville.example/compte/lien/5f2b9c1e7a",
        "valid_for": pgettext_lazy("example", "24 heures"),
    }
    return {name: examples[name] for name in spec(event).variables if name in examples}
