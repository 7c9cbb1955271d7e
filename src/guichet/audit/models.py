from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.residents.models import Resident


class AccessLog(models.Model):
    """One opening of a resident's file by an agent: who, when, which resident, which page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="+", verbose_name=_("usager")
    )
    page = models.CharField(_("page"), max_length=100)
    path = models.CharField(_("adresse"), max_length=500)
    via_api = models.BooleanField(_("par l'API"), default=False)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("accès à une fiche usager")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["resident", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.resident_id} ({self.page})"
