from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Procedure
from guichet.contacts.choices import Direction, Outcome
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site
from guichet.residents.models import Resident


class Contact(models.Model):
    """One interaction with a resident, on any channel, at any site."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("sens"), max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("site"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="contacts",
        verbose_name=_("agent"),
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("usager"),
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("démarche"),
    )
    subject = models.CharField(_("objet"), max_length=300, blank=True)
    # The department the exchange concerns; its confidentiality governs who reads the content.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("service concerné"),
    )
    summary = models.TextField(_("résumé de l'échange"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), null=True, blank=True)
    outcome = models.CharField(_("suite donnée"), max_length=30, choices=Outcome.choices)
    oriented_to_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orienté vers le service"),
    )
    oriented_to_partner = models.CharField(
        _("orienté vers le partenaire"), max_length=200, blank=True
    )
    occurred_at = models.DateTimeField(_("date"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        indexes = [
            models.Index(fields=["resident", "-occurred_at"]),
            models.Index(fields=["site", "-occurred_at"]),
            models.Index(fields=["agent", "-occurred_at"]),
            models.Index(fields=["-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def motive(self) -> str:
        return self.procedure.title if self.procedure_id and self.procedure else self.subject


class Callback(models.Model):
    """A promise to call the resident back: who will, by when, and whether it was done."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="callback")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name=_("à rappeler par"),
    )
    due_at = models.DateTimeField(_("à rappeler avant le"))
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Le contact sortant qui a honoré ce rappel."),
    )

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("rappel")
        indexes = [models.Index(fields=["assignee", "done_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.assignee_id} avant {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at < timezone.now()


class ContactEvent(models.Model):
    """History of a contact: created, attached to a resident, callback reassigned or done."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Créé")
        ATTACHED = "attached", _("Rattaché à un usager")
        CALLBACK_DONE = "callback_done", _("Rappel effectué")
        CALLBACK_REASSIGNED = "callback_reassigned", _("Rappel réattribué")
        MOVED_BY_MERGE = "moved_by_merge", _("Déplacé par une fusion de fiches")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.contact_id}"
