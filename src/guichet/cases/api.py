"""API v1 of requests (cases): file, list, read, move through the workflow, exchange messages.

Agents (token or session) and residents (their own session) go through the same access layer
and actions as the pages: what the caller may not see answers 404, a request without
credentials 401. Filing is idempotent by a client's key, so a retry never files twice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from guichet.cases import access
from guichet.cases.actions import (
    TransitionNotAllowed,
    cancel_by_resident,
    file_case,
    mark_messages_read,
    send_message,
    transition_case,
)
from guichet.cases.api_serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseFiledSerializer,
    CaseListFilterSerializer,
    CaseMessageCreateSerializer,
    CaseMessageSerializer,
    CaseSerializer,
    MessagesReadSerializer,
    TransitionSerializer,
    filed_body,
)
from guichet.cases.attachments import attachment_response
from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.deadlines import deadline_state
from guichet.cases.form_engine import validate_answers
from guichet.cases.inbox import DeadlineClock
from guichet.cases.models import Case, CaseEvent, CaseForm, CaseMessage
from guichet.cases.published_forms import current_version, definition_of
from guichet.catalogue.models import Procedure
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.organisation.models import Site, User
from guichet.residents.access import get_resident_for
from guichet.residents.models import Resident

LIST_RELATIONS = ("procedure", "department", "resident", "assignee", "site")
DETAIL_RELATIONS = (*LIST_RELATIONS, "form_version", "filed_by")
REPLAYED_HEADER = "Idempotent-Replayed"

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="Same as `submission_key` in the body (a UUID); give one or the other, or the "
    "same value in both.",
)
REPLAYED_RESPONSE_HEADER = OpenApiParameter(
    REPLAYED_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="`true` when the key had already filed this case.",
    response=[200],
)
NOT_FOUND = OpenApiResponse(
    description="The case does not exist, or the caller may not see it (the same answer)."
)


class CaseJSONParser(JSONParser):
    """DRF's JSON parser, saying in French where the body stops being JSON."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            cause = exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                message = _(
                    "Le corps de la requête n'est pas du JSON valide (ligne %(line)d, "
                    "colonne %(column)d) : vérifiez sa syntaxe."
                ) % {"line": cause.lineno, "column": cause.colno}
            else:
                message = _("Le corps de la requête n'est pas du JSON valide.")
            raise exceptions.ParseError(message) from cause


class IsAgentOrResident(permissions.BasePermission):
    """Agents and residents; the exception handler answers 404 to any other logged-in user."""

    def has_permission(self, request: Request, view: object) -> bool:
        return get_agent(request.user) is not None or access.resident_of(request.user) is not None


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _serializer_context(request: Request, *, for_resident: bool, **extra: Any) -> dict[str, Any]:
    return {"request": request, "for_resident": for_resident, **extra}


def _events(case: Case, *, for_resident: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor", "from_department", "to_department", "assignee")
    if for_resident:
        events = events.filter(kind__in=access.RESIDENT_EVENT_KINDS)
    return events


def _detail(request: Request, case: Case, *, for_resident: bool) -> dict[str, Any]:
    """Return the full representation of a case the caller may read."""
    context = _serializer_context(
        request,
        for_resident=for_resident,
        events=_events(case, for_resident=for_resident),
        abilities=access.abilities(request.user, case),
        deadline_states={case.pk: deadline_state(case)},
    )
    data: dict[str, Any] = CaseDetailSerializer(case, context=context).data
    return data


def _reload(case: Case) -> Case:
    return Case.objects.select_related(*DETAIL_RELATIONS).get(pk=case.pk)


def _idempotency_key(request: Request) -> uuid.UUID | None:
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise exceptions.ParseError(
            _("L'en-tête Idempotency-Key doit être un UUID (par exemple %(example)s).")
            % {"example": "0b7e5a52-3c1e-4c8e-9a1f-6f1d2a3b4c5d"}
        ) from None


def _online_form(slug: str) -> CaseForm:
    try:
        return access.get_online_form(slug)
    except Http404:
        if Procedure.objects.filter(slug=slug, is_published=True).exists():
            message = _("Cette démarche ne se demande pas en ligne.")
        else:
            message = _("Aucune démarche publiée ne porte cet identifiant.")
        raise serializers.ValidationError({"procedure": [message]}) from None


class CaseListCreateView(generics.GenericAPIView[Case]):
    """List the cases the caller may process (a resident: their own), or file one."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]
    parser_classes = [CaseJSONParser]
    serializer_class = CaseSerializer

    @extend_schema(
        summary="List cases: an agent's inbox (the cases they may process), a resident's own",
        parameters=[CaseListFilterSerializer],
        responses={200: CaseSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        filters = CaseListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        user = _user(request)
        own = access.resident_of(user)
        cases = access.processable_cases(user) if own is None else access.resident_cases(own)
        # One calendar lookup for the whole page, and for the overdue filter.
        clock = DeadlineClock.for_today()
        cases = _filter(cases, filters.validated_data, user, clock)
        page = self.paginate_queryset(cases.select_related(*LIST_RELATIONS))
        assert page is not None
        states = {case.pk: clock.state(case) for case in page}
        context = _serializer_context(request, for_resident=own is not None, deadline_states=states)
        return self.get_paginated_response(CaseSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="File a case (idempotent by submission key)",
        description="Agents file for any resident (the channel says how the resident asked); a "
        "resident's session files for themselves only, on the web channel. The answers are "
        "checked against the procedure's current form: errors come back under `data`, keyed "
        "by field key. Sending the same `submission_key` (or `Idempotency-Key` header) again "
        "answers 200 with the case already filed, `already_filed: true` and the header "
        "`Idempotent-Replayed: true`.",
        parameters=[IDEMPOTENCY_HEADER, REPLAYED_RESPONSE_HEADER],
        request=CaseCreateSerializer,
        responses={
            201: CaseFiledSerializer,
            200: OpenApiResponse(CaseFiledSerializer, description="Already filed with this key."),
            400: OpenApiResponse(description="Invalid input, each problem on its field."),
            409: OpenApiResponse(description="The key already filed another request."),
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        agent_files = access.can_file_on_behalf(user)
        own = None if agent_files else access.resident_of(user)
        if not agent_files and own is None:
            raise Http404
        header_key = _idempotency_key(request)
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        key = fields.get("submission_key")
        if header_key is not None and key is not None and header_key != key:
            raise serializers.ValidationError(
                {"submission_key": [_("La clé diffère de celle de l'en-tête Idempotency-Key.")]}
            )
        # Say every problem of the request at once, not one per attempt.
        problems: dict[str, Any] = {}
        try:
            case_form = _online_form(fields["procedure"])
        except serializers.ValidationError as exc:
            problems.update(exc.detail)  # type: ignore[arg-type]
        try:
            resident, channel, site = _filer_choices(user, own, fields)
        except serializers.ValidationError as exc:
            problems.update(exc.detail)  # type: ignore[arg-type]
        if problems:
            raise serializers.ValidationError(problems)
        version = current_version(case_form)
        if version is None:
            raise serializers.ValidationError(
                {"procedure": [_("Le formulaire de cette démarche n'est pas encore publié.")]}
            )
        cleaned, errors = validate_answers(
            definition_of(version), fields["data"], resident=resident
        )
        if errors:
            raise serializers.ValidationError({"data": errors})
        filing = file_case(
            case_form=case_form,
            resident=resident,
            data=cleaned,
            actor=user,
            channel=channel,
            form_version=version,
            site=site,
            submission_key=key or header_key,
        )
        case = filing.case
        if not filing.created and (
            case.filed_by_id != user.pk
            or case.resident_id != resident.pk
            or case.procedure_id != case_form.procedure_id
        ):
            reused = _("Cette clé a déjà servi pour une autre demande : utilisez-en une nouvelle.")
            return Response({"detail": reused}, status=status.HTTP_409_CONFLICT)
        if not filing.created:
            case = _reload(case)
        body = filed_body(
            case,
            for_resident=own is not None,
            deadline_state=deadline_state(case),
            already_filed=not filing.created,
        )
        if filing.created:
            location = request.build_absolute_uri(reverse("api-case", args=[case.uuid]))
            return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})
        return Response(body, headers={REPLAYED_HEADER: "true"})


def _filer_choices(
    user: User, own: Resident | None, fields: dict[str, Any]
) -> tuple[Resident, str, Site | None]:
    """Return the resident, channel and site of a filing, or raise the 400 saying what is wrong.

    A resident files for themselves, online; an agent names the resident and the channel.
    """
    not_found = _("Usager introuvable.")
    if own is not None:
        given = fields.get("resident")
        if given is not None and given != own.uuid:
            raise serializers.ValidationError({"resident": [not_found]})
        return own, Channel.WEB, None
    errors: dict[str, list[str]] = {}
    resident = None
    if fields.get("resident") is None:
        errors["resident"] = [_("Indiquez l'usager pour qui la demande est déposée.")]
    else:
        try:
            resident = get_resident_for(user, fields["resident"])
        except Http404:
            errors["resident"] = [not_found]
    if not fields.get("channel"):
        errors["channel"] = [_("Indiquez par quel canal l'usager a fait sa demande.")]
    if errors:
        raise serializers.ValidationError(errors)
    assert resident is not None
    return resident, fields["channel"], fields.get("site")


def _filter(
    cases: QuerySet[Case], filters: dict[str, Any], user: User, clock: DeadlineClock
) -> QuerySet[Case]:
    """Apply the list's validated filters."""
    if "status" in filters:
        cases = cases.filter(status__in=filters["status"])
    if "procedure" in filters:
        cases = cases.filter(procedure__slug=filters["procedure"])
    if "department" in filters:
        cases = cases.filter(department__slug=filters["department"])
    if "assignee" in filters:
        assignee = filters["assignee"]
        if assignee == "me":
            cases = cases.filter(assignee=user)
        elif assignee == "none":
            cases = cases.filter(assignee__isnull=True)
        else:
            cases = cases.filter(assignee_id=assignee)
    if "resident" in filters:
        cases = cases.filter(resident__uuid=filters["resident"])
    if "due_before" in filters:
        cases = cases.filter(due_date__lte=filters["due_before"])
    if "due_after" in filters:
        cases = cases.filter(due_date__gte=filters["due_after"])
    if filters.get("overdue") is not None:
        overdue = clock.filter(cases, DeadlineState.OVERDUE)
        cases = overdue if filters["overdue"] else cases.exclude(pk__in=overdue.values("pk"))
    if "channel" in filters:
        cases = cases.filter(channel=filters["channel"])
    if "reference" in filters:
        cases = cases.filter(reference__iexact=filters["reference"].strip())
    return cases


def _readable_case(user: User, case_uuid: uuid.UUID) -> tuple[Case, bool]:
    """Return the case the caller may read, and whether the caller is its resident."""
    if get_agent(user) is not None:
        case = access.get_case_for_agent(user, case_uuid)
        return case, False
    return access.get_case_for_resident(user, case_uuid), True


class CaseDetailView(generics.GenericAPIView[Case]):
    """Read one case, by UUID."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]
    parser_classes = [CaseJSONParser]
    serializer_class = CaseDetailSerializer

    @extend_schema(
        summary="Read a case: answers, history, deadline and what the caller may do",
        description="The resident reads their own cases, without internal events or agents' "
        "names; agents read what the access rules let them (confidential cases: their "
        "department and the agent who filed them).",
        responses={200: CaseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, case_uuid: uuid.UUID) -> Response:
        case, for_resident = _readable_case(_user(request), case_uuid)
        return Response(_detail(request, _reload(case), for_resident=for_resident))


class CaseTransitionView(generics.GenericAPIView[Case]):
    """Move a case to another status."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]
    parser_classes = [CaseJSONParser]
    serializer_class = TransitionSerializer

    @extend_schema(
        summary="Change a case's status (agents who may process it); a resident withdraws",
        description="Allowed moves are listed in the case's `abilities.transitions`. Waiting, "
        "accepted, rejected and cancelled need a `reason`, which the resident receives. A "
        'resident may only withdraw their own open case: `{"status": "cancelled"}`, the '
        "reason optional (`abilities.cancel`).",
        request=TransitionSerializer,
        responses={
            200: CaseDetailSerializer,
            400: OpenApiResponse(description="Move not allowed now, or reason missing."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, case_uuid: uuid.UUID) -> Response:
        user = _user(request)
        if get_agent(user) is None:
            return self._resident_withdraws(request, user, case_uuid)
        case = access.get_case_for_processing(user, case_uuid)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            transition_case(
                case=case,
                to_status=serializer.validated_data["status"],
                actor=user,
                channel="",
                reason=serializer.validated_data["reason"],
            )
        except TransitionNotAllowed as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(_detail(request, _reload(case), for_resident=False))

    def _resident_withdraws(self, request: Request, user: User, case_uuid: uuid.UUID) -> Response:
        """A resident may only withdraw their own open case (``cancelled``, reason optional)."""
        case = access.get_case_for_resident(user, case_uuid)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["status"] != CaseStatus.CANCELLED:
            message = _("Vous pouvez seulement retirer votre demande (statut « cancelled »).")
            return Response({"status": [message]}, status=status.HTTP_400_BAD_REQUEST)
        if not access.abilities(user, case)["cancel"]:
            message = _("Cette demande ne peut plus être retirée : elle est déjà close.")
            return Response({"detail": message}, status=status.HTTP_400_BAD_REQUEST)
        cancel_by_resident(case=case, actor=user, reason=serializer.validated_data["reason"])
        return Response(_detail(request, _reload(case), for_resident=True))


def _conversation_case(user: User, case_uuid: uuid.UUID) -> tuple[Case, bool]:
    """Return the case whose conversation the caller takes part in, and whether as its resident.

    Agents who may process the case write to the resident; front-desk agents do not.
    """
    if get_agent(user) is not None:
        return access.get_case_for_processing(user, case_uuid), False
    return access.get_case_for_resident(user, case_uuid), True


class CaseMessagesView(generics.GenericAPIView[CaseMessage]):
    """The conversation between the department and the resident about a case."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]
    # Files come as multipart/form-data; text alone may be JSON.
    parser_classes = [CaseJSONParser, MultiPartParser]
    serializer_class = CaseMessageSerializer

    @extend_schema(
        summary="List a case's messages, oldest first",
        responses={200: CaseMessageSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, case_uuid: uuid.UUID) -> Response:
        case, for_resident = _conversation_case(_user(request), case_uuid)
        messages = case.messages.select_related("author").prefetch_related("attachments")
        page = self.paginate_queryset(messages)
        assert page is not None
        context = _serializer_context(request, for_resident=for_resident, case_uuid=case.uuid)
        return self.get_paginated_response(
            CaseMessageSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Send a message about a case (JSON, or multipart/form-data with files)",
        description="From the department, the resident is notified; from the resident, a case "
        "waiting for them goes back to processing.",
        request={
            "application/json": CaseMessageCreateSerializer,
            "multipart/form-data": CaseMessageCreateSerializer,
        },
        responses={
            201: CaseMessageSerializer,
            400: OpenApiResponse(description="Empty message, bad file, or the case is closed."),
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, case_uuid: uuid.UUID) -> Response:
        user = _user(request)
        case, for_resident = _conversation_case(user, case_uuid)
        serializer = CaseMessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not access.abilities(user, case)["message"]:
            return Response(
                {"detail": _("Cette demande est close : il n'est plus possible d'y écrire.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        message = send_message(
            case=case,
            author=user,
            body=serializer.validated_data["body"],
            from_resident=for_resident,
            channel=Channel.WEB if for_resident else "",
            attachments=serializer.validated_data["attachments"],
        )
        message = (
            CaseMessage.objects.select_related("author")
            .prefetch_related("attachments")
            .get(pk=message.pk)
        )
        context = _serializer_context(request, for_resident=for_resident, case_uuid=case.uuid)
        return Response(
            CaseMessageSerializer(message, context=context).data, status=status.HTTP_201_CREATED
        )


class CaseMessagesReadView(generics.GenericAPIView[CaseMessage]):
    """Mark the messages written to the caller about a case as read."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]
    parser_classes = [CaseJSONParser]
    serializer_class = MessagesReadSerializer

    @extend_schema(
        summary="Mark the case's messages to the caller as read",
        description="For the resident, the department's messages; for an agent, the resident's "
        "(what opening the case's page does). Returns how many were unread.",
        request=None,
        responses={200: MessagesReadSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_uuid: uuid.UUID) -> Response:
        case, for_resident = _conversation_case(_user(request), case_uuid)
        marked = mark_messages_read(case=case, by_resident=for_resident)
        return Response(MessagesReadSerializer({"marked": marked}).data)


class CaseAttachmentView(generics.GenericAPIView[CaseMessage]):
    """Download a file of a case's conversation."""

    permission_classes = [permissions.IsAuthenticated, IsAgentOrResident]

    @extend_schema(
        summary="Download a file sent with a message of the case",
        description="Whoever may read the case's messages may download their files. The file "
        "comes as an attachment, with its original name and type.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(
        self, request: Request, case_uuid: uuid.UUID, attachment_uuid: uuid.UUID
    ) -> FileResponse:
        case, _for_resident = _conversation_case(_user(request), case_uuid)
        return attachment_response(case, attachment_uuid)
