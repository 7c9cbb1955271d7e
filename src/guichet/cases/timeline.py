"""The cases' part of the resident timeline: each case filed, and each decision."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.cases.access import can_read
from guichet.cases.choices import CLOSED_STATUSES, CaseEventKind, CaseStatus
from guichet.cases.inbox import agent_status_label
from guichet.cases.models import Case, CaseEvent
from guichet.core.timeline import TimelineEntry
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.residents.models import Resident

KIND = "case"
_URL_PLACEHOLDER = uuid.UUID(int=0)


def case_title(case: Case) -> str:
    return _("Demande %(reference)s — %(procedure)s") % {
        "reference": case.reference,
        "procedure": case.procedure.title,
    }


def restricted_case_title(department: str) -> str:
    """Return the title shown instead of a confidential case the viewer may not read."""
    return _("Demande confidentielle (%(department)s)") % {"department": department}


def _on_behalf_filer(case: Case, resident: Resident) -> str:
    """Return the agent who filed the case for the resident ("" when the resident did)."""
    if case.filed_by is None or case.filed_by_id == resident.user_id:
        return ""
    return case.filed_by.display_name()


def timeline_entries(resident: Resident, viewer: object) -> list[TimelineEntry]:
    """Return the resident's cases and their decisions as timeline entries (agents only).

    A case the viewer may not read is shown without link; a confidential one only by its dates,
    status and the department that holds it.
    """
    agent = get_agent(viewer)
    if agent is None:
        return []
    cases = {
        case.pk: case
        for case in Case.objects.filter(resident=resident)
        .select_related("procedure", "department", "site", "filed_by")
        .order_by("-submitted_at", "-id")
    }
    decisions = (
        CaseEvent.objects.filter(
            case__resident=resident,
            kind=CaseEventKind.STATUS_CHANGED,
            to_status__in=CLOSED_STATUSES,
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    channels = {value: str(label) for value, label in Channel.choices}
    statuses = {value: agent_status_label(value) for value in CaseStatus.values}
    # Reverse once: resolving the URL per row is a noticeable share of a long file.
    url_template = reverse("cases:agent_case", args=[_URL_PLACEHOLDER])
    readable = {pk: can_read(agent, case) for pk, case in cases.items()}
    entries = []
    for case in cases.values():
        status = statuses.get(case.status, case.status)
        if case.confidential and not readable[case.pk]:
            entries.append(
                TimelineEntry(
                    occurred_at=case.submitted_at,
                    kind=KIND,
                    title=restricted_case_title(case.department.name),
                    department=case.department.name,
                    restricted=True,
                    badges=(status,),
                )
            )
            continue
        entries.append(
            TimelineEntry(
                occurred_at=case.submitted_at,
                kind=KIND,
                title=case_title(case),
                channel=case.channel,
                channel_label=channels.get(case.channel, case.channel),
                site=case.site.name if case.site else "",
                agent=_on_behalf_filer(case, resident),
                department=case.department.name,
                url=url_template.replace(str(_URL_PLACEHOLDER), str(case.uuid))
                if readable[case.pk]
                else "",
                badges=(status,),
            )
        )
    for event in decisions:
        case = cases[event.case_id]
        decision = statuses.get(event.to_status, event.to_status)
        if case.confidential and not readable[case.pk]:
            entries.append(
                TimelineEntry(
                    occurred_at=event.created_at,
                    kind=KIND,
                    title=restricted_case_title(case.department.name),
                    department=case.department.name,
                    restricted=True,
                    badges=(decision,),
                )
            )
            continue
        entries.append(
            TimelineEntry(
                occurred_at=event.created_at,
                kind=KIND,
                title=_("Décision : %(decision)s — demande %(reference)s")
                % {"decision": decision, "reference": case.reference},
                agent=event.actor.display_name() if event.actor else "",
                department=case.department.name,
                summary=event.reason if readable[case.pk] else "",
                url=url_template.replace(str(_URL_PLACEHOLDER), str(case.uuid))
                if readable[case.pk]
                else "",
                badges=(decision,),
            )
        )
    return entries
