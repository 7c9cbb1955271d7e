from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INCOMING = "in", _("Entrant")
    OUTGOING = "out", _("Sortant")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Réponse apportée au premier contact")
    ORIENTED_DEPARTMENT = "oriented_department", _("Orienté vers un service de la ville")
    ORIENTED_PARTNER = "oriented_partner", _("Orienté vers un partenaire")
    APPOINTMENT = "appointment", _("Rendez-vous pris")
    REQUEST_FILED = "request_filed", _("Demande déposée")
    CALLBACK = "callback", _("Rappel nécessaire")
