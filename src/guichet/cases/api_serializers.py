"""The shapes of the cases API: what a client sends and what it gets back.

Serializers check the form of the input (types, lengths, known values) and shape the output for
the viewer the view names in the context; who may do what is decided by ``access`` and the
actions, in the views.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.models import Case, CaseAttachment, CaseEvent, CaseMessage
from guichet.catalogue.api import DepartmentRefSerializer
from guichet.organisation.choices import Channel
from guichet.organisation.models import Site, User
from guichet.residents.uploads import check_document_file

# A form's answers are small: even a long form with every text at its longest stays far below.
MAX_ANSWERS_CHARS = 1_000_000
MAX_REASON_LENGTH = 5000
MAX_MESSAGE_LENGTH = 10000
MAX_ATTACHMENTS = 5
ASSIGNEE_HELP = "`me`, `none` (unassigned) or the id of an agent's user account."


def check_storable(value: object, *, where: str = "") -> None:
    """Raise ValidationError if a string anywhere in ``value`` cannot be stored as text.

    JSON may carry NUL characters and lone surrogates (``"\\u0000"``, ``"\\ud800"``) that
    PostgreSQL refuses: they are turned away here with a 400 instead of failing at the insert.
    """
    if isinstance(value, str):
        if "\x00" in value or not _encodable(value):
            raise serializers.ValidationError(
                _("Ce texte contient des caractères invalides (caractère nul ou mal encodé).")
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(key)
            check_storable(item)
    elif isinstance(value, list):
        for item in value:
            check_storable(item)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class StorableCharField(serializers.CharField):
    """A CharField that also refuses lone surrogates (DRF already refuses NUL characters)."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        check_storable(value)
        return value


class ProcedureRefSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)


class ResidentRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    display_name = serializers.CharField(read_only=True)


class AgentRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class CaseAbilitiesSerializer(serializers.Serializer[Any]):
    """What the caller may do with the case (the access layer's ``abilities``)."""

    read = serializers.BooleanField()
    process = serializers.BooleanField()
    transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseStatus.choices),
        help_text="The statuses the caller may move the case to.",
    )
    assign = serializers.BooleanField()
    transfer = serializers.BooleanField()
    note = serializers.BooleanField()
    message = serializers.BooleanField()
    cancel = serializers.BooleanField()


def _for_resident(serializer: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Return whether the view serializes for the resident (not an agent)."""
    return bool(serializer.context.get("for_resident"))


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case as lists show it. ``assignee`` is null for the resident."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    procedure = ProcedureRefSerializer(read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    resident = ResidentRefSerializer(read_only=True)
    site: serializers.SlugRelatedField[Site] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    assignee = serializers.SerializerMethodField()
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "tracking_code",
            "status",
            "procedure",
            "department",
            "resident",
            "channel",
            "site",
            "assignee",
            "confidential",
            "submitted_at",
            "due_date",
            "deadline_state",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AgentRefSerializer(allow_null=True))
    def get_assignee(self, case: Case) -> dict[str, Any] | None:
        if case.assignee is None or _for_resident(self):
            return None
        return _agent_ref(case.assignee)

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineState.choices))
    def get_deadline_state(self, case: Case) -> str:
        """Where the case stands against its due date, computed by the view."""
        states: dict[int, str] = self.context["deadline_states"]
        return states[case.pk]


def _agent_ref(user: User) -> dict[str, Any]:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name()}


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    """One row of the case's history. The resident sees no agent's name."""

    actor = serializers.SerializerMethodField()
    # Blank when the row has no channel or status to tell (an assignment, a note).
    channel = serializers.ChoiceField(choices=Channel.choices, allow_blank=True, read_only=True)
    from_status = serializers.ChoiceField(
        choices=CaseStatus.choices, allow_blank=True, read_only=True
    )
    to_status = serializers.ChoiceField(
        choices=CaseStatus.choices, allow_blank=True, read_only=True
    )
    from_department: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    to_department: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    assignee = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "kind",
            "created_at",
            "actor",
            "channel",
            "from_status",
            "to_status",
            "from_department",
            "to_department",
            "assignee",
            "reason",
        ]
        read_only_fields = fields

    @extend_schema_field(AgentRefSerializer(allow_null=True))
    def get_actor(self, event: CaseEvent) -> dict[str, Any] | None:
        if event.actor is None or _for_resident(self):
            return None
        return _agent_ref(event.actor)

    @extend_schema_field(AgentRefSerializer(allow_null=True))
    def get_assignee(self, event: CaseEvent) -> dict[str, Any] | None:
        if event.assignee is None or _for_resident(self):
            return None
        return _agent_ref(event.assignee)


class CaseDetailSerializer(CaseSerializer):
    """A case with its answers, history and what the caller may do with it."""

    form_version = serializers.IntegerField(
        source="form_version.number", read_only=True, allow_null=True
    )
    filed_on_behalf = serializers.BooleanField(read_only=True)
    events = serializers.SerializerMethodField()
    abilities = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "form_version",
            "filed_on_behalf",
            "decision_reason",
            "data",
            "events",
            "abilities",
        ]
        read_only_fields = fields
        extra_kwargs = {"data": {"help_text": "The answers, keyed by field key."}}

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, case: Case) -> list[dict[str, Any]]:
        events = self.context["events"]
        return CaseEventSerializer(events, many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(CaseAbilitiesSerializer)
    def get_abilities(self, case: Case) -> dict[str, Any]:
        abilities: dict[str, Any] = self.context["abilities"]
        return abilities


class CaseFiledSerializer(CaseSerializer):
    """The answer to a filing: the case as filed, and whether an earlier call with the key filed
    it. The history and abilities are left to ``GET`` on the case (the ``Location`` header): the
    answer is built from the case just written, without reading it back."""

    form_version = serializers.IntegerField(
        source="form_version.number", read_only=True, allow_null=True
    )
    filed_on_behalf = serializers.BooleanField(read_only=True)
    already_filed = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "form_version",
            "filed_on_behalf",
            "data",
            "already_filed",
        ]
        read_only_fields = fields
        extra_kwargs = {"data": {"help_text": "The answers as kept, keyed by field key."}}

    def get_already_filed(self, case: Case) -> bool:
        """True when this submission key had already filed the case (a client's retry)."""
        return bool(self.context["already_filed"])


# The fields whose output format DRF settles (time zone, ISO format), shared by ``filed_body``.
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def filed_body(
    case: Case, *, for_resident: bool, deadline_state: str, already_filed: bool
) -> dict[str, Any]:
    """Return what ``CaseFiledSerializer`` returns for ``case``, built directly.

    Filing is the API's hot path (hundreds of parents at 8:00): building a serializer's fields
    for each answer costs more than filing the case's history rows. The serializer stays the
    documented shape, and a test holds this function to it, field by field.
    """
    assignee = case.assignee if case.assignee_id and not for_resident else None
    form_version = case.form_version
    return {
        "id": str(case.uuid),
        "reference": case.reference,
        "tracking_code": case.tracking_code,
        "status": case.status,
        "procedure": {"slug": case.procedure.slug, "title": case.procedure.title},
        "department": {"slug": case.department.slug, "name": case.department.name},
        "resident": {"id": str(case.resident.uuid), "display_name": case.resident.display_name},
        "channel": case.channel,
        "site": case.site.slug if case.site is not None else None,
        "assignee": _agent_ref(assignee) if assignee is not None else None,
        "confidential": case.confidential,
        "submitted_at": _DATETIME.to_representation(case.submitted_at),
        "due_date": _DATE.to_representation(case.due_date) if case.due_date else None,
        "deadline_state": deadline_state,
        "closed_at": _DATETIME.to_representation(case.closed_at) if case.closed_at else None,
        "updated_at": _DATETIME.to_representation(case.updated_at),
        "form_version": form_version.number if form_version is not None else None,
        "filed_on_behalf": case.filed_on_behalf,
        "data": case.data,
        "already_filed": already_filed,
    }


class CaseCreateSerializer(serializers.Serializer[Any]):
    """What a client sends to file a case; the answers are checked against the form after this."""

    procedure = serializers.SlugField(help_text="Slug of a procedure open to online requests.")
    resident = serializers.UUIDField(
        required=False,
        help_text="The resident the case is for. Required for agents; a resident filing for "
        "themselves may leave it out.",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text="How the resident made the request. Required for agents; always `web` when "
        "residents file for themselves.",
    )
    # The metaclass moves declared fields into ``_declared_fields``: ``.data`` stays the property.
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="The answers to the form, keyed by field key (docs/forms.md)."
    )
    site = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Site.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Where the request was made (agents only; ignored for residents).",
    )
    submission_key = serializers.UUIDField(
        required=False,
        help_text="A key chosen by the client: sending the same key again returns the case "
        "already filed (200) instead of filing a second one. The `Idempotency-Key` header "
        "does the same.",
    )

    def validate_data(self, value: dict[str, Any]) -> dict[str, Any]:
        check_storable(value)
        if len(json.dumps(value)) > MAX_ANSWERS_CHARS:
            raise serializers.ValidationError(
                _("Les réponses sont trop volumineuses : les pièces se joignent comme documents.")
            )
        return value


class TransitionSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = StorableCharField(
        max_length=MAX_REASON_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (required for waiting, accepted, rejected and cancelled): the resident "
        "reads it.",
    )


class CaseListFilterSerializer(serializers.Serializer[Any]):
    """The filters of the case list, all optional; a bad value is a 400, never a 500."""

    status = StorableCharField(
        required=False, help_text="One status, or several separated by commas."
    )
    procedure = serializers.SlugField(required=False, help_text="Slug of a procedure.")
    department = serializers.SlugField(required=False, help_text="Slug of a department.")
    assignee = StorableCharField(required=False, max_length=20, help_text=ASSIGNEE_HELP)
    resident = serializers.UUIDField(required=False, help_text="UUID of a resident.")
    due_before = serializers.DateField(required=False, help_text="Due on or before (YYYY-MM-DD).")
    due_after = serializers.DateField(required=False, help_text="Due on or after (YYYY-MM-DD).")
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="`true`: only open cases past their due date (not paused); `false`: the others.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    reference = StorableCharField(required=False, max_length=20, help_text="Exact reference.")

    def validate_status(self, value: str) -> list[str]:
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        unknown = [part for part in statuses if part not in CaseStatus.values]
        if unknown or not statuses:
            raise serializers.ValidationError(
                _("Statut inconnu. Valeurs possibles : %(values)s.")
                % {"values": ", ".join(CaseStatus.values)}
            )
        return statuses

    def validate_assignee(self, value: str) -> str | int:
        value = value.strip().lower()
        if value in {"me", "none"}:
            return value
        if value.isascii() and value.isdigit():
            return int(value)
        raise serializers.ValidationError(
            _("Indiquez « me », « none » ou l'identifiant numérique d'un agent.")
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        before, after = attrs.get("due_before"), attrs.get("due_after")
        if before and after and after > before:
            raise serializers.ValidationError(
                {"due_after": _("La date de début doit précéder la date de fin (due_before).")}
            )
        return attrs


class AttachmentSerializer(serializers.ModelSerializer[CaseAttachment]):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="Where to download the file.")

    class Meta:
        model = CaseAttachment
        fields = ["id", "name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment: CaseAttachment) -> str:
        path = reverse("api-case-attachment", args=[self.context["case_uuid"], attachment.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class MessagesReadSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many messages were unread until now.")


class CaseMessageSerializer(serializers.ModelSerializer[CaseMessage]):
    """A message of the conversation. The resident sees no agent's name."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    author = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CaseMessage
        fields = ["id", "created_at", "from_resident", "author", "body", "read_at", "attachments"]
        read_only_fields = fields

    @extend_schema_field(AgentRefSerializer(allow_null=True))
    def get_author(self, message: CaseMessage) -> dict[str, Any] | None:
        if message.author is None or (_for_resident(self) and not message.from_resident):
            return None
        return _agent_ref(message.author)


class CaseMessageCreateSerializer(serializers.Serializer[Any]):
    """A message to send: text, and files when sent as multipart/form-data."""

    body = StorableCharField(max_length=MAX_MESSAGE_LENGTH, allow_blank=True, default="")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=MAX_ATTACHMENTS,
        help_text="PDF, JPEG or PNG files (multipart/form-data only).",
    )

    def validate_attachments(self, files: list[File]) -> list[File]:
        for uploaded in files:
            try:
                check_document_file(uploaded)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None
        return files

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["body"].strip() and not attrs["attachments"]:
            raise serializers.ValidationError(
                {"body": _("Écrivez votre message, ou joignez au moins un fichier.")}
            )
        return attrs
