"""Who may see and act on which case.

- **Residents** see their own cases (by uuid) — never anybody else's — and may cancel them and
  write to the department while they are open.
- **Department agents** see and process the cases of their departments.
- **Supervisors and administrators** see and process every case that is not confidential, and
  the confidential cases of their own departments.
- **Reception agents and digital helpers** (level 1) see the status and history of a resident's
  non-confidential cases to answer at the counter, and file cases on a resident's behalf; they do
  not process them.
- **Confidential cases** (CCAS): only the agents of the case's department, and the agent who filed
  it on the resident's behalf, see its content. Other agents see that a case exists, its status and
  dates on the resident's timeline, never its answers, messages or notes.
- **Anybody with the tracking code** sees the status and the dates, not the answers.

Everything that may not be seen answers 404, the same as what does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.cases.choices import TRANSITIONS, CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseDraft, CaseForm, SavedView
from guichet.cases.published_forms import online_form
from guichet.organisation.access import department_ids, get_agent
from guichet.organisation.choices import Role
from guichet.organisation.models import Agent, User
from guichet.residents.models import Resident

FRONT_DESK_ROLES = frozenset({Role.RECEPTION, Role.HELPER})

# What a resident reads of their case's history: filing, status changes and the conversation.
# Assignments, transfers (whose reason is an internal note), notes and deadline alerts are the
# department's business.
RESIDENT_EVENT_KINDS = (
    CaseEventKind.SUBMITTED,
    CaseEventKind.ACKNOWLEDGED,
    CaseEventKind.STATUS_CHANGED,
    CaseEventKind.MESSAGE_FROM_AGENT,
    CaseEventKind.MESSAGE_FROM_RESIDENT,
)


def resident_of(user: object) -> Resident | None:
    """Return the resident file of a logged-in resident account, or None."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if get_agent(user) is not None:
        return None
    try:
        resident: Resident = user.resident
    except Resident.DoesNotExist:
        return None
    return resident if resident.is_active else None


def require_resident(user: object) -> Resident:
    resident = resident_of(user)
    if resident is None:
        raise Http404
    return resident


def _parse_uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def resident_cases(resident: Resident) -> QuerySet[Case]:
    """Return the resident's own requests (follow-ups sent to other departments are shown on
    the request they came from, not listed again)."""
    return Case.objects.filter(resident=resident, parent__isnull=True)


def can_process(agent: Agent | None, case: Case) -> bool:
    """Return whether the agent may change the case (status, assignment, notes, messages)."""
    if agent is None:
        return False
    if case.department_id in department_ids(agent):
        return True
    return agent.is_supervisor and not case.confidential


def can_read(agent: Agent | None, case: Case) -> bool:
    """Return whether the agent may read the case's content (answers, messages, notes)."""
    if agent is None or agent.is_dpo:
        return False
    if can_process(agent, case):
        return True
    if case.confidential:
        return case.filed_by_id == agent.user_id
    return agent.role in FRONT_DESK_ROLES


def readable_cases(user: object) -> QuerySet[Case]:
    """Return the cases whose content the agent may read (empty for anybody else)."""
    agent = get_agent(user)
    if agent is None or agent.is_dpo:
        return Case.objects.none()
    own = Q(department_id__in=department_ids(agent))
    if agent.is_supervisor or agent.role in FRONT_DESK_ROLES:
        return Case.objects.filter(own | Q(confidential=False) | Q(filed_by_id=agent.user_id))
    return Case.objects.filter(own | Q(confidential=True, filed_by_id=agent.user_id))


def processable_cases(user: object) -> QuerySet[Case]:
    """Return the cases the agent may process: what the department inbox lists."""
    agent = get_agent(user)
    if agent is None:
        return Case.objects.none()
    own = Q(department_id__in=department_ids(agent))
    if agent.is_supervisor:
        return Case.objects.filter(own | Q(confidential=False))
    return Case.objects.filter(own)


def has_case_inbox(user: object) -> bool:
    """Return whether the agent has a department inbox: supervisors and department members."""
    agent = get_agent(user)
    return agent is not None and (agent.is_supervisor or bool(department_ids(agent)))


def get_case_for_agent(user: object, case_uuid: object) -> Case:
    """Return the case the agent may read, or raise 404."""
    key = _parse_uuid(case_uuid)
    try:
        return (
            readable_cases(user)
            .select_related("procedure", "department", "assignee", "resident", "filed_by", "site")
            .get(uuid=key)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def get_case_for_processing(user: object, case_uuid: object, *, lock: bool = False) -> Case:
    """Return the case the agent may process, or raise 404 (locked for update if asked)."""
    key = _parse_uuid(case_uuid)
    cases = processable_cases(user)
    if lock:
        # Callers run inside transaction.atomic(): two agents changing the same case wait for
        # each other, and each sees the other's change before checking the transition.
        cases = cases.select_for_update(of=("self",))
    try:
        return cases.select_related("procedure", "department", "resident").get(uuid=key)
    except Case.DoesNotExist:
        raise Http404 from None


def get_case_for_resident(user: object, case_uuid: object) -> Case:
    """Return a case of the logged-in resident, or raise 404."""
    resident = require_resident(user)
    key = _parse_uuid(case_uuid)
    try:
        return Case.objects.select_related("procedure", "department", "resident").get(
            uuid=key, resident=resident
        )
    except Case.DoesNotExist:
        raise Http404 from None


def format_tracking_code(text: str) -> str | None:
    """Return ``text`` as a tracking code ``ABCD-EFGH-JKLM`` (spaces, dashes and case ignored),
    or None when it cannot be one (not 12 letters and digits)."""
    normalized = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(normalized) != 12:
        return None
    return "-".join(normalized[i : i + 4] for i in range(0, 12, 4))


def get_case_by_tracking_code(code: str) -> Case:
    """Return the case with this tracking code (spaces, dashes and case ignored), or raise 404."""
    formatted = format_tracking_code(code)
    if formatted is None:
        raise Http404
    try:
        return Case.objects.select_related("procedure", "department").get(tracking_code=formatted)
    except Case.DoesNotExist:
        raise Http404 from None


def get_draft_for(user: object, draft_uuid: object) -> CaseDraft:
    """Return a draft the user is filling in (residents theirs, agents those they started)."""
    key = _parse_uuid(draft_uuid)
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    try:
        return CaseDraft.objects.select_related(
            "form_version__form__procedure", "resident", "owner"
        ).get(uuid=key, owner=user, submitted_case__isnull=True)
    except CaseDraft.DoesNotExist:
        raise Http404 from None


def can_file_on_behalf(user: object) -> bool:
    """Every active agent but the DPO may file a case for a resident (counter, phone, mail)."""
    agent = get_agent(user)
    return agent is not None and not agent.is_dpo


def get_online_form(slug: str) -> CaseForm:
    """Return the open online form of a published procedure, or raise 404."""
    form = online_form(slug)
    if form is None:
        raise Http404
    return form


def get_saved_view(user: object, view_id: object) -> SavedView:
    agent = get_agent(user)
    if agent is None:
        raise Http404
    try:
        return SavedView.objects.get(id=int(str(view_id)), owner_id=agent.user_id)
    except (SavedView.DoesNotExist, ValueError):
        raise Http404 from None


def abilities(user: object, case: Case) -> dict[str, Any]:
    """Return what ``user`` may do with ``case`` (templates and the API read this)."""
    agent = get_agent(user)
    process = can_process(agent, case)
    resident = resident_of(user)
    own = resident is not None and case.resident_id == resident.id
    return {
        "read": can_read(agent, case) or own,
        "process": process,
        "transitions": sorted(TRANSITIONS[case.status]) if process else [],
        "assign": process and not case.is_closed,
        "transfer": process and not case.is_closed,
        "note": process,
        "message": (process or own) and not case.is_closed,
        "cancel": own and not case.is_closed and CaseStatus.CANCELLED in TRANSITIONS[case.status],
    }
