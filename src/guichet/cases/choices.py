from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Déposée")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    WAITING = "waiting", _("En attente de votre réponse")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")


# A case in one of these states is finished: no deadline runs, no transition leaves it.
CLOSED_STATUSES = frozenset({CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED})

# The statuses an agent may move a case to from each status. A decision needs a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.SUBMITTED: frozenset(
        {
            CaseStatus.IN_PROGRESS,
            CaseStatus.WAITING,
            CaseStatus.ACCEPTED,
            CaseStatus.REJECTED,
            CaseStatus.CANCELLED,
        }
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {CaseStatus.WAITING, CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED}
    ),
    CaseStatus.WAITING: frozenset(
        {CaseStatus.IN_PROGRESS, CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED}
    ),
    CaseStatus.ACCEPTED: frozenset(),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.CANCELLED: frozenset(),
}

# Moving to these statuses needs a written reason (shown to the resident).
REASON_REQUIRED = frozenset(
    {CaseStatus.WAITING, CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED}
)


class CaseEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Demande déposée")
    ACKNOWLEDGED = "acknowledged", _("Réception accusée")
    STATUS_CHANGED = "status_changed", _("Statut modifié")
    ASSIGNED = "assigned", _("Attribuée")
    TRANSFERRED = "transferred", _("Transférée à un autre service")
    NOTE_ADDED = "note_added", _("Note interne ajoutée")
    MESSAGE_FROM_AGENT = "message_from_agent", _("Message envoyé à l'usager")
    MESSAGE_FROM_RESIDENT = "message_from_resident", _("Message de l'usager")
    DEADLINE_NEAR = "deadline_near", _("Échéance proche signalée")
    DEADLINE_PASSED = "deadline_passed", _("Échéance dépassée signalée")


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("Dans les délais")
    NEAR = "near", _("Échéance proche")
    OVERDUE = "overdue", _("En retard")
    PAUSED = "paused", _("Délai suspendu")
    NONE = "none", _("Sans délai")
