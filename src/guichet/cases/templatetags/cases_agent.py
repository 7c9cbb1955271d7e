"""Template helpers of the back office for cases: the inbox link and the resident's cases."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.cases import access
from guichet.cases.inbox import DeadlineClock, agent_status_label
from guichet.organisation.models import Agent
from guichet.residents.models import Resident

register = template.Library()

# The resident page lists the most recent cases; the timeline has them all.
RESIDENT_CASES = 10


@register.filter
def has_case_inbox(agent: Agent | None) -> bool:
    """Return whether the navigation offers the department inbox to ``agent``."""
    return agent is not None and access.has_case_inbox(agent.user)


@register.filter
def agent_status(status: str) -> str:
    """Return the name of a case status as agents read it."""
    return agent_status_label(status)


@register.inclusion_tag("cases/agent/_resident_cases.html", takes_context=True)
def resident_cases(context: template.Context, resident: Resident) -> dict[str, Any]:
    """Draw the "Demandes" block of a resident page: the cases the viewer may read."""
    user = context["request"].user
    cases = list(
        access.readable_cases(user)
        .filter(resident=resident)
        .select_related("procedure")
        .order_by("-submitted_at", "-id")[: RESIDENT_CASES + 1]
    )
    shown = cases[:RESIDENT_CASES]
    clock = DeadlineClock.for_today() if shown else None
    return {
        "resident": resident,
        "rows": [(case, clock.state(case) if clock else None) for case in shown],
        "more": len(cases) > RESIDENT_CASES,
        "shown": len(shown),
        "can_file": access.can_file_on_behalf(user),
    }
