"""Business checks on a contact about to be logged, shared by the HTML form and the API.

Each check returns the problems found as ``{field: message}`` so each face can attach the messages
to its own fields; ``log_contact`` assumes they all passed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.catalogue.models import Procedure
from guichet.contacts.choices import Outcome
from guichet.organisation.access import get_agent
from guichet.organisation.models import Department, User

# A contact logged "in the future" is a typo in the date; a few minutes cover clock drift.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def check_contact_input(
    *,
    outcome: str,
    procedure: Procedure | None,
    subject: str,
    oriented_to_department: Department | None,
    oriented_to_partner: str,
    callback_assignee: User | None,
    callback_due_at: datetime.datetime | None,
    occurred_at: datetime.datetime | None,
) -> dict[str, str]:
    """Return the problems of a contact's input, keyed by field name (empty when it is valid)."""
    errors: dict[str, str] = {}
    now = timezone.now()
    if procedure is None and not subject.strip():
        errors["motive"] = _(
            "Indiquez le motif du contact : choisissez une démarche ou saisissez un objet libre."
        )
    if outcome == Outcome.ORIENTED_DEPARTMENT and oriented_to_department is None:
        errors["oriented_to_department"] = _(
            "Choisissez le service vers lequel l'usager a été orienté."
        )
    if outcome == Outcome.ORIENTED_PARTNER and not oriented_to_partner.strip():
        errors["oriented_to_partner"] = _(
            "Indiquez le partenaire vers lequel l'usager a été orienté (CAF, préfecture…)."
        )
    if outcome == Outcome.CALLBACK:
        if callback_assignee is None:
            errors["callback_assignee"] = _("Choisissez l'agent qui rappellera l'usager.")
        elif get_agent(callback_assignee) is None:
            errors["callback_assignee"] = _(
                "Cette personne n'est pas un agent actif : choisissez un autre agent."
            )
        if callback_due_at is None:
            errors["callback_due_at"] = _("Indiquez avant quand rappeler l'usager.")
        elif callback_due_at < now:
            errors["callback_due_at"] = _(
                "La date de rappel est déjà passée : choisissez une date à venir."
            )
    if occurred_at is not None and occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = _(
            "La date du contact est dans le futur : corrigez-la ou laissez-la vide pour maintenant."
        )
    return errors


def check_callback_due_at(due_at: datetime.datetime) -> dict[str, str]:
    """Return the problem of a new due date for a callback (empty when it is valid)."""
    if due_at < timezone.now():
        return {"due_at": _("La date de rappel est déjà passée : choisissez une date à venir.")}
    return {}
