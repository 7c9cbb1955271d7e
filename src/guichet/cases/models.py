"""Requests (demandes): online forms and their versions, cases, drafts, history and messages."""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.catalogue.models import Procedure
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site
from guichet.residents.models import Resident


class CaseForm(models.Model):
    """How a procedure is requested: its online form (versioned) and its case settings."""

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, related_name="case_form", verbose_name=_("démarche")
    )
    is_online = models.BooleanField(
        _("demande en ligne ouverte"),
        default=True,
        help_text=_("Les usagers peuvent déposer cette demande depuis leur espace."),
    )
    routing_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service destinataire"),
        help_text=_("Par défaut, le service de la démarche."),
    )
    commitment_days = models.PositiveSmallIntegerField(
        _("délai d'engagement (jours ouvrés)"),
        null=True,
        blank=True,
        help_text=_("Par défaut, le délai de la démarche."),
    )
    acknowledge_automatically = models.BooleanField(
        _("accusé de réception automatique"), default=True
    )
    # Set when a supervisor edits the form: a later load of the shipped file leaves it alone.
    edited_in_back_office = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("formulaire de demande")

    def __str__(self) -> str:
        return str(self.procedure)

    @property
    def department(self) -> Department:
        return self.routing_department or self.procedure.department

    @property
    def deadline_days(self) -> int | None:
        if self.commitment_days is not None:
            return self.commitment_days
        return self.procedure.commitment_days

    def current_version(self) -> FormVersion | None:
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One published definition of a form (docs/forms.md). Never changed once published."""

    form = models.ForeignKey(CaseForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("version de formulaire")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(
            status__in=[CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED]
        )


class Case(models.Model):
    """A demande: what a resident asked the city, and where it stands."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    # Lets someone without an account follow the case: random, never derived from the id.
    tracking_code = models.CharField(_("code de suivi"), max_length=20, unique=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="cases", verbose_name=_("démarche")
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="cases", verbose_name=_("usager")
    )
    data = models.JSONField(_("réponses"), default=dict, blank=True)
    # A follow-up sent to another department by the resident's request (tell us once: moving
    # house informs the schools, the CCAS…); residents see it on the request it came from.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("demande d'origine"),
    )
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="cases_filed",
        verbose_name=_("déposée par"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_assigned",
        verbose_name=_("agent en charge"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    confidential = models.BooleanField(_("confidentielle"), default=False)
    submitted_at = models.DateTimeField(_("déposée le"), default=timezone.now)
    # The commitment taken at filing (working days) and the deadline it gives: a local date,
    # moved later by every pause (waiting for the resident).
    commitment_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    # A draft's or an API client's key: the same submission twice makes one case.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # The escalation job warns once per case and kind (see deadlines.escalate).
    near_due_warned_on = models.DateField(null=True, blank=True, editable=False)
    overdue_warned_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("demande")
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["resident", "-submitted_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.procedure}"

    @property
    def is_closed(self) -> bool:
        return self.status in {CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED}

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def filed_on_behalf(self) -> bool:
        return self.filed_by_id is not None and self.filed_by_id != self.resident.user_id


class CaseDraft(models.Model):
    """A request being filled in: saved as the resident types, until it is submitted."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="drafts")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="case_drafts")
    # Who fills it in: the resident's account, or an agent filing on their behalf.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_drafts"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Contact details and address the resident agreed to copy to their file on submission.
    profile_updates = models.JSONField(default=dict, blank=True)
    page_key = models.CharField(max_length=100, blank=True)
    submission_key = models.UUIDField(default=uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_case = models.OneToOneField(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft"
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("brouillon de demande")

    def __str__(self) -> str:
        return f"{self.form_version.form} — {self.resident}"

    @property
    def procedure(self) -> Procedure:
        return self.form_version.form.procedure


class CaseEvent(models.Model):
    """One row of a case's history: who did what, when, on which channel, from what to what."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    from_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"


class CaseNote(models.Model):
    """An internal note: agents only, never shown to the resident."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} note @ {self.created_at:%Y-%m-%d %H:%M}"


class CaseMessage(models.Model):
    """A message between the department and the resident, either way."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_resident = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} message @ {self.created_at:%Y-%m-%d %H:%M}"


def attachment_upload_to(instance: CaseAttachment, filename: str) -> str:
    # Never keep the sender's file name in the path: it may hold personal data.
    return f"cases/{instance.message.case.uuid}/{instance.uuid}"


class CaseAttachment(models.Model):
    """A file sent with a message (checked by content and size like documents)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    message = models.ForeignKey(CaseMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class SavedView(models.Model):
    """An agent's saved inbox filters ("my overdue école cases")."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_case_views"
    )
    name = models.CharField(_("nom"), max_length=100)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_once")
        ]

    def __str__(self) -> str:
        return self.name


__all__ = [
    "Case",
    "CaseAttachment",
    "CaseDraft",
    "CaseEvent",
    "CaseEventKind",
    "CaseForm",
    "CaseMessage",
    "CaseNote",
    "FormVersion",
    "SavedView",
]
