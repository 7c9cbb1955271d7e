"""API v1 of resident files: list and search, create (with duplicate detection), read, update.

Agents only, through the same access layer as the pages: another logged-in user gets 404, a
request without credentials 401. Serializers only validate; the actions do the work.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

# The API records its reads in the access log as the back office pages do. audit sits above
# residents in the app order; this face of the residents app is the one place that calls up.
from guichet.audit.actions import record_access
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.residents.access import (
    abilities,
    get_resident_for,
    get_resident_for_ability,
    require_editing_agent,
)
from guichet.residents.actions import create_resident, normalize_email, update_resident
from guichet.residents.duplicates import find_possible_duplicates
from guichet.residents.forms import (
    RESIDENT_FORM_FIELDS,
    check_birth_date,
    check_name,
    clean_phone_number,
)
from guichet.residents.models import Resident
from guichet.residents.search import ResidentMatch, find_residents

# Search results are ranked, then paginated like any list.
MAX_SEARCH_RESULTS = 200


class IsAgent(permissions.BasePermission):
    """Agents only; the exception handler answers 404 to any other logged-in user."""

    def has_permission(self, request: Request, view: object) -> bool:
        return get_agent(request.user) is not None


class AbilitiesSerializer(serializers.Serializer):
    view = serializers.BooleanField()
    edit = serializers.BooleanField()
    manage_household = serializers.BooleanField()
    add_document = serializers.BooleanField()
    download_document = serializers.BooleanField()
    verify_document = serializers.BooleanField()
    merge = serializers.BooleanField()


class ResidentSerializer(serializers.ModelSerializer):
    """A resident file. ``phone`` is accepted in any French or international format and
    returned in E.164; ``id`` is the file's UUID."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    display_name = serializers.CharField(read_only=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    abilities = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "external_id",
            "display_name",
            *RESIDENT_FORM_FIELDS,
            "created_at",
            "updated_at",
            "abilities",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(AbilitiesSerializer)
    def get_abilities(self, resident: Resident) -> dict[str, bool]:
        return abilities(self.context["request"].user, resident)

    # Django ValidationErrors raised here become 400 answers with their French messages.
    def validate_first_names(self, value: str) -> str:
        return check_name(value)

    def validate_usage_name(self, value: str) -> str:
        return check_name(value)

    def validate_birth_name(self, value: str) -> str:
        return check_name(value)

    def validate_birth_date(self, value: datetime.date | None) -> datetime.date | None:
        return check_birth_date(value)

    def validate_phone(self, value: str) -> str:
        return clean_phone_number(value.strip())

    def validate_email(self, value: str) -> str:
        return normalize_email(value)


class ResidentUpdateSerializer(ResidentSerializer):
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        write_only=True,
        required=False,
        help_text="How the resident asked for the change, if they did.",
    )

    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "channel"]


class ResidentCreateSerializer(ResidentUpdateSerializer):
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Create the file even though possible duplicates exist (answered with 409).",
    )

    class Meta(ResidentUpdateSerializer.Meta):
        fields = [*ResidentUpdateSerializer.Meta.fields, "confirm_not_duplicate"]


class ResidentListItemSerializer(ResidentSerializer):
    """A resident file in the list; with ``q``, also how well and why it matched."""

    score = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta(ResidentSerializer.Meta):
        fields = [*ResidentSerializer.Meta.fields, "score", "reasons"]

    def _match(self, resident: Resident) -> ResidentMatch | None:
        matches: dict[int, ResidentMatch] = self.context.get("matches", {})
        return matches.get(resident.pk)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, resident: Resident) -> float | None:
        """Relevance for ``q`` (higher is better); null without ``q``."""
        match = self._match(resident)
        return match.score if match else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, resident: Resident) -> list[str]:
        """Short French labels of why the file matched ``q`` ("nom approchant"…); [] without q."""
        match = self._match(resident)
        return list(match.reasons) if match else []


class DuplicateCandidateSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="resident.uuid")
    display_name = serializers.CharField(source="resident.display_name")
    birth_date = serializers.DateField(source="resident.birth_date", allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField()


class DuplicatesSerializer(serializers.Serializer):
    detail = serializers.CharField()
    candidates = DuplicateCandidateSerializer(many=True)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class ResidentListCreateView(generics.GenericAPIView):
    """List active residents (ranked by relevance with ``q``), or create one."""

    permission_classes = [permissions.IsAuthenticated, IsAgent]
    serializer_class = ResidentSerializer

    @extend_schema(
        summary="List active residents, or search them with q (ranked, best first)",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Names, a birth date (DD/MM/YYYY or YYYY-MM-DD), a phone or an email. "
                "Each result then carries its score and the reasons it matched.",
            )
        ],
        responses=ResidentListItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        residents: Any
        context = self.get_serializer_context()
        if query:
            matches = find_residents(query, limit=MAX_SEARCH_RESULTS)
            residents = [match.resident for match in matches]
            context["matches"] = {match.resident.pk: match for match in matches}
        else:
            residents = Resident.objects.active().order_by("search_last", "search_first", "pk")
        page = self.paginate_queryset(residents)
        serializer = ResidentListItemSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Create a resident file (409 with the possible duplicates unless confirmed)",
        request=ResidentCreateSerializer,
        responses={
            201: ResidentSerializer,
            409: OpenApiResponse(
                DuplicatesSerializer,
                description="Possible duplicates: send again with confirm_not_duplicate=true "
                "to create the file anyway.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        require_editing_agent(request.user)
        serializer = ResidentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        confirmed = fields.pop("confirm_not_duplicate")
        channel = fields.pop("channel", "")
        if not confirmed:
            candidates = find_possible_duplicates(
                first_names=fields["first_names"],
                usage_name=fields["usage_name"],
                birth_name=fields.get("birth_name", ""),
                birth_date=fields.get("birth_date"),
                email=fields.get("email", ""),
                phone=fields.get("phone", ""),
            )
            if candidates:
                answer = DuplicatesSerializer(
                    {
                        "detail": _(
                            "Des fiches existantes ressemblent à cette personne. Utilisez l'une "
                            "d'elles, ou renvoyez la demande avec confirm_not_duplicate=true."
                        ),
                        "candidates": candidates,
                    }
                )
                return Response(answer.data, status=status.HTTP_409_CONFLICT)
        resident = create_resident(actor=_user(request), channel=channel, **fields)
        output = ResidentSerializer(resident, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)


class ResidentDetailView(generics.GenericAPIView):
    """Read or change one resident file, by UUID. Each read is written to the access log."""

    permission_classes = [permissions.IsAuthenticated, IsAgent]
    serializer_class = ResidentSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        summary="Read a resident file (recorded in the access log)", responses=ResidentSerializer
    )
    def get(self, request: Request, resident_uuid: uuid.UUID) -> Response:
        resident = get_resident_for(request.user, resident_uuid)
        record_access(
            user=_user(request),
            resident=resident,
            page="api:resident",
            path=request.path,
            via_api=True,
        )
        return Response(self.get_serializer(resident).data)

    @extend_schema(
        summary="Change some fields of a resident file",
        request=ResidentUpdateSerializer,
        responses=ResidentSerializer,
    )
    def patch(self, request: Request, resident_uuid: uuid.UUID) -> Response:
        resident = get_resident_for_ability(request.user, resident_uuid, "edit")
        serializer = ResidentUpdateSerializer(
            resident, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        channel = fields.pop("channel", "")
        update_resident(resident, actor=_user(request), channel=channel, **fields)
        return Response(self.get_serializer(resident).data)
