"""Every change to a case: filing, transitions, assignment, transfer, notes and messages.

Each action runs in a transaction, writes a ``CaseEvent`` history row (who, when, channel, from,
to, why) and tells the resident through the notifications outbox after commit. Views, the API,
commands, the demo and tests all call these functions.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.cases.choices import REASON_REQUIRED, TRANSITIONS, CaseEventKind, CaseStatus
from guichet.cases.deadlines import due_date_for, paused_days_until
from guichet.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseForm,
    CaseMessage,
    CaseNote,
    FormVersion,
)
from guichet.cases.published_forms import definition_of
from guichet.notifications.actions import (
    PreparedMessage,
    notify_resident,
    prepare_resident_message,
    queue_prepared,
)
from guichet.notifications.events import ContextValue
from guichet.organisation.models import Department, Site, User
from guichet.residents.actions import update_resident
from guichet.residents.models import Resident
from guichet.residents.uploads import sniff_content_type

# Unambiguous letters and digits (no 0/O, 1/I/L): codes are read aloud on the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
# Draws of a reference and tracking code before giving up (a collision is already rare).
CODE_ATTEMPTS = 5


class TransitionNotAllowed(Exception):
    """The case cannot move to that status now (already decided, or a reason is missing)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Filing:
    """The outcome of a submission: the case, and whether this call created it."""

    case: Case
    created: bool


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    """Return a tracking code: 12 random characters (60 bits), grouped by 4 for reading aloud."""
    code = _random_code(12)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def new_reference(year: int) -> str:
    """Return a case reference such as ``2026-K7M3QP``: the year and 6 random characters.

    Random rather than sequential, so that filing needs no shared counter (a hot row when
    hundreds of parents submit at 8:00) and references reveal nothing about volumes.
    """
    return f"{year}-{_random_code(REFERENCE_LENGTH)}"


def public_url(path: str) -> str:
    return settings.GUICHET_BASE_URL.rstrip("/") + path


def tracking_url(case: Case) -> str:
    return public_url(reverse("cases:track", args=[case.tracking_code]))


def notification_context(case: Case, **extra: str) -> dict[str, ContextValue]:
    """Return the values the case notification templates may use (dates and labels are
    rendered in the recipient's language by the notifications app)."""
    context: dict[str, ContextValue] = {
        "resident_name": case.resident.display_name,
        "reference": case.reference,
        "tracking_code": case.tracking_code,
        "procedure": case.procedure.title,
        "status": CaseStatus(case.status).label,
        "tracking_url": tracking_url(case),
        "case_url": public_url(reverse("cases:resident_case", args=[case.uuid])),
        "department": case.department.name,
        "city": settings.GUICHET_CITY_NAME,
        **extra,
    }
    if case.due_date:
        context["due_date"] = case.due_date
    return context


def _notify(case: Case, event: str, key: str, **extra: str) -> None:
    notify_resident(
        resident=case.resident,
        event=event,
        context=notification_context(case, **extra),
        dedupe_key=f"case:{case.uuid}:{key}",
        related_label=case.reference,
    )


def _prepare(case: Case, event: str, key: str) -> PreparedMessage | None:
    """Render a message about a case not stored yet (no earlier message can bear its key)."""
    return prepare_resident_message(
        resident=case.resident,
        event=event,
        context=notification_context(case),
        dedupe_key=f"case:{case.uuid}:{key}",
        related_label=case.reference,
    )


def _event(case: Case, kind: str, *, actor: User | None, channel: str, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, channel=channel, **fields)


def _draw_codes(case: Case, year: int) -> None:
    case.reference = new_reference(year)
    case.tracking_code = new_tracking_code()


def _codes_taken(case: Case) -> bool:
    """Return whether the reference or tracking code drawn for ``case`` belongs to another."""
    return Case.objects.filter(
        Q(reference=case.reference) | Q(tracking_code=case.tracking_code)
    ).exists()


def _insert_case(case: Case, year: int) -> None:
    """Insert a follow-up case, drawing a new reference/tracking code on the rare collision."""
    for _attempt in range(CODE_ATTEMPTS):
        _draw_codes(case, year)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError:
            if not _codes_taken(case):
                raise
            case.pk = None
    raise IntegrityError("could not draw a unique case reference")


def file_case(
    *,
    case_form: CaseForm,
    resident: Resident,
    data: dict[str, Any],
    actor: User,
    channel: str,
    form_version: FormVersion | None = None,
    site: Site | None = None,
    submission_key: uuid.UUID | None = None,
    profile_updates: dict[str, Any] | None = None,
) -> Filing:
    """File a case with already validated answers; the same ``submission_key`` files it once.

    A double click, a browser retry or an API client's retry with the same key returns the case
    the first call made (``created=False``) instead of filing a second one. The unique key
    decides: a second submission waits for the first one's commit, its insert is refused, and
    it answers with the case the first one filed. Nothing is read before the insert, so the
    common case (a new key) costs no extra query.
    """
    case = _new_case(
        case_form=case_form,
        resident=resident,
        data=data,
        actor=actor,
        channel=channel,
        form_version=form_version or case_form.current_version(),
        site=site,
        submission_key=submission_key,
    )
    for _attempt in range(CODE_ATTEMPTS):
        _draw_codes(case, timezone.localdate(case.submitted_at).year)
        # The acknowledgement is rendered before the transaction, which stays short (other
        # filings wait for it on SQLite); after a change of address, inside it, to the new one.
        message = None
        if case_form.acknowledge_automatically and not profile_updates:
            message = _prepare(case, "case_received", "received")
        try:
            with transaction.atomic():
                _file_case(case, case_form, profile_updates or {}, message)
        except IntegrityError:
            if submission_key is not None:
                existing = Case.objects.filter(submission_key=submission_key).first()
                if existing is not None:
                    return Filing(existing, created=False)
            if not _codes_taken(case):
                raise
            # The rare reference or tracking code drawn twice: file again with new ones.
            case.pk = None
            continue
        return Filing(case, created=True)
    raise IntegrityError("could not draw a unique case reference")


def _new_case(
    *,
    case_form: CaseForm,
    resident: Resident,
    data: dict[str, Any],
    actor: User,
    channel: str,
    form_version: FormVersion | None,
    site: Site | None,
    submission_key: uuid.UUID | None,
) -> Case:
    now = timezone.now()
    department = case_form.department
    case = Case(
        procedure=case_form.procedure,
        form_version=form_version,
        resident=resident,
        data=data,
        channel=channel,
        site=site,
        filed_by=actor,
        department=department,
        confidential=department.confidential,
        submitted_at=now,
        commitment_days=case_form.deadline_days,
        submission_key=submission_key,
        updated_at=now,
    )
    case.due_date = due_date_for(case)
    return case


def _file_case(
    case: Case,
    case_form: CaseForm,
    profile_updates: dict[str, Any],
    message: PreparedMessage | None,
) -> None:
    actor = case.filed_by
    assert actor is not None
    # No savepoint: a refused insert (key already used, codes drawn twice) ends the whole
    # transaction, and ``file_case`` decides what it was.
    case.save(force_insert=True)
    events = [
        CaseEvent(
            case=case,
            kind=CaseEventKind.SUBMITTED,
            actor=actor,
            channel=case.channel,
            to_status=CaseStatus.SUBMITTED,
            to_department=case.department,
            created_at=case.submitted_at,
        )
    ]
    if case_form.acknowledge_automatically:
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEventKind.ACKNOWLEDGED,
                actor=None,
                channel=case.channel,
                created_at=case.submitted_at,
            )
        )
    # One statement for both rows (the order of ``id`` keeps them in sequence).
    CaseEvent.objects.bulk_create(events)
    if profile_updates:
        # Tell us once: what the resident agreed to copy to their file.
        update_resident(case.resident, actor=actor, channel=case.channel, **profile_updates)
    _inform_departments(case, actor=actor)
    if message is not None:
        queue_prepared(message, new_key=True)
    elif case_form.acknowledge_automatically:
        _notify(case, "case_received", "received")


def _inform_departments(case: Case, *, actor: User) -> list[Case]:
    """File a follow-up for each department the answers ask to inform (tell us once).

    Each lands in that department's inbox with the same answers and deadline, so the school
    service, the CCAS… update their own records from one declaration of the resident.
    """
    if case.form_version is None:
        return []
    settings = definition_of(case.form_version).settings
    slugs = [slug for slug in settings.departments_to_inform(case.data) if slug]
    if not slugs:
        return []
    departments = Department.objects.filter(slug__in=slugs).exclude(pk=case.department_id)
    follow_ups = []
    for department in departments:
        follow_up = Case(
            procedure=case.procedure,
            form_version=case.form_version,
            resident=case.resident,
            data=case.data,
            parent=case,
            channel=case.channel,
            site=case.site,
            filed_by=case.filed_by,
            department=department,
            confidential=department.confidential or case.confidential,
            submitted_at=case.submitted_at,
            commitment_days=case.commitment_days,
            updated_at=case.updated_at,
        )
        follow_up.due_date = due_date_for(follow_up)
        _insert_case(follow_up, timezone.localdate(case.submitted_at).year)
        _event(
            follow_up,
            CaseEventKind.SUBMITTED,
            actor=actor,
            channel=case.channel,
            to_status=CaseStatus.SUBMITTED,
            to_department=department,
            reason=_("Information transmise à la demande de l'usager (demande %(reference)s).")
            % {"reference": case.reference},
        )
        follow_ups.append(follow_up)
    return follow_ups


def check_transition(case: Case, to_status: str, reason: str) -> None:
    """Raise ``TransitionNotAllowed`` unless the case may move to ``to_status`` with ``reason``."""
    if to_status not in TRANSITIONS.get(case.status, frozenset()):
        raise TransitionNotAllowed(
            _("Cette demande ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {
                "from": CaseStatus(case.status).label,
                "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status,
            }
        )
    if to_status in REASON_REQUIRED and not reason.strip():
        raise TransitionNotAllowed(
            _("Indiquez le motif : il sera communiqué à l'usager.")
            if to_status != CaseStatus.WAITING
            else _("Indiquez ce qui manque : l'usager le recevra.")
        )


def _end_pause(case: Case, now: Any) -> None:
    if case.paused_at is None:
        return
    case.paused_working_days += paused_days_until(case, now)
    case.paused_at = None
    case.due_date = due_date_for(case)


@transaction.atomic
def transition_case(
    *, case: Case, to_status: str, actor: User | None, channel: str, reason: str = ""
) -> CaseEvent:
    """Move the case to ``to_status`` (checked), pausing or resuming its deadline as needed."""
    case = Case.objects.select_for_update().select_related("resident", "procedure").get(pk=case.pk)
    check_transition(case, to_status, reason)
    now = timezone.now()
    from_status = case.status
    if to_status == CaseStatus.WAITING:
        # Stop the clock: the city waits for the resident.
        case.paused_at = now
    else:
        _end_pause(case, now)
    case.status = to_status
    if to_status in {CaseStatus.ACCEPTED, CaseStatus.REJECTED, CaseStatus.CANCELLED}:
        case.closed_at = now
        case.decision_reason = reason.strip()
    case.updated_at = now
    case.save()
    event = _event(
        case,
        CaseEventKind.STATUS_CHANGED,
        actor=actor,
        channel=channel,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip(),
    )
    if to_status == CaseStatus.WAITING:
        _notify(case, "case_information_needed", f"event:{event.pk}", reason=reason.strip())
    elif case.is_closed:
        _notify(case, "case_decided", f"event:{event.pk}", reason=reason.strip())
    return event


@transaction.atomic
def assign_case(*, case: Case, assignee: User | None, actor: User, channel: str = "") -> CaseEvent:
    """Give the case to an agent (or take it back to the department's pool with ``None``)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.assignee = assignee
    case.updated_at = timezone.now()
    case.save(update_fields=["assignee", "updated_at"])
    return _event(case, CaseEventKind.ASSIGNED, actor=actor, channel=channel, assignee=assignee)


@transaction.atomic
def transfer_case(
    *, case: Case, department: Department, actor: User, note: str, channel: str = ""
) -> CaseEvent:
    """Send the case to another department with a note; it leaves its assignee's queue."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_department = case.department
    case.department = department
    case.assignee = None
    case.confidential = department.confidential
    case.updated_at = timezone.now()
    case.save(update_fields=["department", "assignee", "confidential", "updated_at"])
    if note.strip():
        CaseNote.objects.create(case=case, author=actor, body=note.strip())
    return _event(
        case,
        CaseEventKind.TRANSFERRED,
        actor=actor,
        channel=channel,
        from_department=from_department,
        to_department=department,
        reason=note.strip(),
    )


@transaction.atomic
def add_note(*, case: Case, author: User, body: str) -> CaseNote:
    """Add an internal note (agents only; never sent to the resident)."""
    note = CaseNote.objects.create(case=case, author=author, body=body.strip())
    _event(case, CaseEventKind.NOTE_ADDED, actor=author, channel="")
    return note


def send_message(
    *,
    case: Case,
    author: User,
    body: str,
    from_resident: bool,
    channel: str,
    attachments: Sequence[File] | None = None,
) -> CaseMessage:
    """Add a message to the conversation with the resident, with attachments already checked.

    A message from the department is sent to the resident; an answer from the resident while the
    case waits for them resumes its processing (and its deadline).
    """
    with transaction.atomic():
        message = CaseMessage.objects.create(
            case=case, author=author, body=body.strip(), from_resident=from_resident
        )
        for uploaded in attachments or []:
            attachment = CaseAttachment(
                message=message,
                original_name=(uploaded.name or "piece-jointe").rsplit("/", 1)[-1][:255],
                content_type=sniff_content_type(uploaded) or "application/octet-stream",
                size=uploaded.size or 0,
            )
            attachment.file.save(str(attachment.uuid), uploaded, save=False)
            attachment.save()
        kind = (
            CaseEventKind.MESSAGE_FROM_RESIDENT
            if from_resident
            else CaseEventKind.MESSAGE_FROM_AGENT
        )
        _event(case, kind, actor=author, channel=channel)
        Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        if not from_resident:
            _notify(case, "case_message", f"message:{message.uuid}", message=message.body)
    if from_resident and case.status == CaseStatus.WAITING:
        transition_case(
            case=case,
            to_status=CaseStatus.IN_PROGRESS,
            actor=author,
            channel=channel,
            reason=_("Réponse de l'usager reçue."),
        )
    return message


def cancel_by_resident(*, case: Case, actor: User, reason: str) -> CaseEvent:
    """Let the resident withdraw their own open case."""
    return transition_case(
        case=case,
        to_status=CaseStatus.CANCELLED,
        actor=actor,
        channel="web",
        reason=reason.strip() or _("Demande retirée par l'usager."),
    )


def mark_messages_read(*, case: Case, by_resident: bool) -> int:
    """Mark the messages written to this reader as read; return how many were unread."""
    return CaseMessage.objects.filter(
        case=case, from_resident=not by_resident, read_at__isnull=True
    ).update(read_at=timezone.now())
