from __future__ import annotations

import datetime
import re
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.notifications.choices import (
    Event,
    MessageChannel,
    NotificationStatus,
    TemplateChangeSource,
)
from guichet.notifications.events import ACCOUNT, spec
from guichet.residents.choices import Language
from guichet.residents.models import Resident

_WEB_ADDRESS = re.compile(r"https?://\S+")


def stuck_before() -> datetime.datetime:
    """Return the time before which a row still "sending" is considered stuck."""
    minutes = settings.GUICHET_NOTIFICATION_STUCK_MINUTES
    return timezone.now() - datetime.timedelta(minutes=minutes)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def stuck(self) -> NotificationQuerySet:
        """Rows whose send started long ago and never finished (the worker probably died)."""
        return self.filter(status=NotificationStatus.SENDING, last_attempt_at__lt=stuck_before())

    def due(self) -> NotificationQuerySet:
        """Pending rows whose next attempt time has come."""
        return self.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=timezone.now())


class Notification(models.Model):
    """One message in the outbox: rendered once when queued, then delivered (and retried)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("usager"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("agent"),
    )
    channel = models.CharField(_("canal"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("destinataire"), max_length=254)
    language = models.CharField(_("langue"), max_length=5, choices=Language.choices)
    event = models.CharField(_("événement"), max_length=50, choices=Event.choices)
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    # The same event is never queued twice: callers derive the key from what happened
    # ("case:<uuid>:received"), so a repeated call finds the existing row.
    dedupe_key = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    related_label = models.CharField(_("objet concerné"), max_length=200, blank=True)
    provider_id = models.CharField(_("identifiant d'envoi"), max_length=255, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        indexes = [
            # The periodic job's query: pending rows by next attempt time.
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("notifications:detail", args=[self.uuid])

    @property
    def text_for_supervisors(self) -> str:
        """Return the text sent, with the web addresses of account emails masked.

        Those links confirm an address, sign in or set a password: whoever reads one could
        take over the resident's account, so the outbox shows that a link was sent, not which.
        """
        if spec(self.event).audience != ACCOUNT:
            return self.body_text
        return _WEB_ADDRESS.sub(gettext("[lien masqué]"), self.body_text)

    @property
    def is_stuck(self) -> bool:
        return (
            self.status == NotificationStatus.SENDING
            and self.last_attempt_at is not None
            and self.last_attempt_at < stuck_before()
        )

    @property
    def can_retry(self) -> bool:
        """Failed and stuck rows may be sent again by a supervisor."""
        return self.status == NotificationStatus.FAILED or self.is_stuck

    @property
    def can_cancel(self) -> bool:
        """Rows not sent yet (or stuck) may be cancelled by a supervisor."""
        return self.status in {NotificationStatus.PENDING, NotificationStatus.FAILED} or (
            self.is_stuck
        )


class NotificationChange(models.Model):
    """One status change of a notification: queued, attempt, error, sent, manual retry…"""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("état"), max_length=10, choices=NotificationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    note = models.TextField(_("détail"), blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("changement d'état d'une notification")

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.status}"


class MessageTemplate(models.Model):
    """The text of one event's message on one channel in one language, editable by supervisors."""

    event = models.CharField(_("événement"), max_length=50, choices=Event.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=MessageChannel.choices)
    language = models.CharField(_("langue"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    is_active = models.BooleanField(_("actif"), default=True)
    # Set when a supervisor edits the text: loading the default templates then keeps it.
    is_edited = models.BooleanField(_("modifié localement"), default=False)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifié par"),
    )

    class Meta:
        ordering = ["event", "channel", "language"]
        verbose_name = _("modèle de message")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="message_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel} / {self.language}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:template_edit", args=[self.pk])


class MessageTemplateRevision(models.Model):
    """A version of a template, recorded each time it is loaded, edited or restored."""

    template = models.ForeignKey(
        MessageTemplate, on_delete=models.CASCADE, related_name="revisions"
    )
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    is_active = models.BooleanField(_("actif"))
    source = models.CharField(_("origine"), max_length=10, choices=TemplateChangeSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    comment = models.CharField(_("motif"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("version d'un modèle de message")

    def __str__(self) -> str:
        return f"{self.template_id} @ {self.created_at:%Y-%m-%d %H:%M}"
