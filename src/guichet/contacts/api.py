"""API v1 of the contact log: create a contact, list a resident's contacts.

The same access layer as the pages: agents only, and the content of a confidential contact is
left out (``restricted: true``) for those who may not read it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.audit.actions import record_access
from guichet.catalogue.models import Procedure
from guichet.contacts.access import callback_of, can_read_content
from guichet.contacts.actions import log_contact
from guichet.contacts.checks import check_contact_input
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.forms import active_agent_users
from guichet.contacts.models import Contact
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site
from guichet.residents.access import get_resident_for
from guichet.residents.models import Resident

# Fields emptied (null) in a restricted contact: everything but when, how and where.
CONTENT_FIELDS = (
    "agent",
    "procedure",
    "subject",
    "motive",
    "summary",
    "outcome",
    "oriented_to_department",
    "oriented_to_partner",
    "duration_minutes",
    "callback",
)


class IsAgent(permissions.BasePermission):
    """Agents only; the exception handler answers 404 to any other logged-in user."""

    def has_permission(self, request: Request, view: object) -> bool:
        return get_agent(request.user) is not None


class CallbackSerializer(serializers.Serializer):
    assignee = serializers.CharField(source="assignee.username")
    due_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)


class ContactSerializer(serializers.ModelSerializer):
    """A contact as the API returns it; content fields are null when ``restricted``."""

    site: serializers.SlugRelatedField[Site] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    resident: serializers.SlugRelatedField[Resident] = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True
    )
    department: serializers.SlugRelatedField[Department] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    agent = serializers.CharField(source="agent.username", read_only=True, allow_null=True)
    # Declared explicitly: the model field's range depends on the database vendor.
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    procedure: serializers.SlugRelatedField[Procedure] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    motive = serializers.CharField(read_only=True, allow_null=True)
    oriented_to_department: serializers.SlugRelatedField[Department] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    callback = serializers.SerializerMethodField()
    restricted = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "occurred_at",
            "channel",
            "direction",
            "site",
            "resident",
            "department",
            "restricted",
            *CONTENT_FIELDS,
        ]
        extra_kwargs = {
            "subject": {"allow_null": True},
            "summary": {"allow_null": True},
            "outcome": {"allow_null": True},
            "oriented_to_partner": {"allow_null": True},
        }

    @extend_schema_field(CallbackSerializer(allow_null=True))
    def get_callback(self, contact: Contact) -> dict[str, Any] | None:
        callback = callback_of(contact)
        return CallbackSerializer(callback).data if callback else None

    def get_restricted(self, contact: Contact) -> bool:
        return not can_read_content(self.context["request"].user, contact)

    def to_representation(self, contact: Contact) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(contact)
        if data["restricted"]:
            for name in CONTENT_FIELDS:
                data[name] = None
        return data


class ContactCreateSerializer(serializers.Serializer):
    """What an integration sends to log a contact: a procedure (slug) or a subject is required."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INCOMING)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    site = serializers.SlugRelatedField(
        slug_field="slug", queryset=Site.objects.filter(is_active=True), required=False
    )
    resident = serializers.UUIDField(required=False)
    procedure = serializers.SlugRelatedField(
        slug_field="slug", queryset=Procedure.objects.all(), required=False
    )
    subject = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    department = serializers.SlugRelatedField(
        slug_field="slug", queryset=Department.objects.all(), required=False
    )
    summary = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=1440, required=False)
    oriented_to_department = serializers.SlugRelatedField(
        slug_field="slug", queryset=Department.objects.all(), required=False
    )
    oriented_to_partner = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    callback_assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=active_agent_users(), required=False
    )
    callback_due_at = serializers.DateTimeField(required=False)
    occurred_at = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "resident" in attrs:
            try:
                attrs["resident"] = get_resident_for(
                    self.context["request"].user, attrs["resident"]
                )
            except Http404:
                raise serializers.ValidationError(
                    {"resident": _("Aucun usager accessible ne porte cet identifiant.")}
                ) from None
        problems = check_contact_input(
            outcome=attrs["outcome"],
            procedure=attrs.get("procedure"),
            subject=attrs.get("subject", ""),
            oriented_to_department=attrs.get("oriented_to_department"),
            oriented_to_partner=attrs.get("oriented_to_partner", ""),
            callback_assignee=attrs.get("callback_assignee"),
            callback_due_at=attrs.get("callback_due_at"),
            occurred_at=attrs.get("occurred_at"),
        )
        if problems:
            if "motive" in problems:
                problems["subject"] = problems.pop("motive")
            raise serializers.ValidationError(problems)
        attrs.setdefault("site", None)
        if attrs["outcome"] != Outcome.CALLBACK:
            attrs.pop("callback_assignee", None)
            attrs.pop("callback_due_at", None)
        return attrs


class ContactCreateView(generics.GenericAPIView):
    """Log a contact (anonymous, or for a resident given by UUID)."""

    permission_classes = [permissions.IsAuthenticated, IsAgent]
    serializer_class = ContactCreateSerializer

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = log_contact(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        contact = Contact.objects.select_related(
            "site", "agent", "resident", "procedure", "department", "oriented_to_department"
        ).get(pk=contact.pk)
        output = ContactSerializer(contact, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)


class ResidentContactsView(generics.ListAPIView):
    """List a resident's contacts, newest first; confidential ones without their content."""

    permission_classes = [permissions.IsAuthenticated, IsAgent]
    serializer_class = ContactSerializer

    def get_queryset(self) -> QuerySet[Contact]:
        resident = get_resident_for(self.request.user, self.kwargs["resident_uuid"])
        record_access(
            user=self.request.user,  # type: ignore[arg-type]
            resident=resident,
            page="api_contacts",
            path=self.request.get_full_path(),
            via_api=True,
        )
        return (
            Contact.objects.filter(resident=resident)
            .select_related(
                "site",
                "agent",
                "resident",
                "procedure",
                "department",
                "oriented_to_department",
                "callback__assignee",
            )
            .order_by("-occurred_at", "-id")
        )
