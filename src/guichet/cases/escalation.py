"""The daily deadline watch: warn assignees and supervisors once per case before and after due.

Run by Celery beat (``cases.tasks.escalate_deadlines``) and by ``guichet escalate-cases`` for cron.
Running it twice the same day, or concurrently, warns nobody twice: each case carries the day it
was warned, set under a row lock, and each notice has a de-duplication key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from guichet.cases.actions import public_url
from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.deadlines import near_due_days
from guichet.cases.models import Case, CaseEvent
from guichet.notifications.actions import notify_user
from guichet.notifications.events import ContextValue
from guichet.organisation.choices import Role
from guichet.organisation.models import User
from guichet.organisation.working_days import add_working_days


@dataclass
class EscalationReport:
    near: int = 0
    overdue: int = 0
    notices: int = 0


def recipients(case: Case) -> list[User]:
    """Return who is warned about a case: its assignee (or, if none, the agents of its
    department) and the supervisors of its department (every supervisor if it has none)."""
    people: dict[int, User] = {}
    if case.assignee is not None and case.assignee.is_active:
        people[case.assignee.pk] = case.assignee
    else:
        for user in User.objects.filter(
            is_active=True, agent__is_active=True, agent__departments=case.department_id
        ):
            people[user.pk] = user
    supervisors = User.objects.filter(
        is_active=True, agent__is_active=True, agent__role__in=[Role.SUPERVISOR, Role.ADMIN]
    )
    own = supervisors.filter(agent__departments=case.department_id)
    chosen = own if own.exists() else supervisors.filter(agent__role=Role.SUPERVISOR)
    if case.confidential:
        chosen = own
    for user in chosen:
        people[user.pk] = user
    return list(people.values())


def _warn(case: Case, kind: str, today: datetime.date) -> int:
    event = "case_deadline_warning" if kind == CaseEventKind.DEADLINE_NEAR else "case_overdue"
    context: dict[str, ContextValue] = {
        "reference": case.reference,
        "procedure": case.procedure.title,
        "department": case.department.name,
        "status": CaseStatus(case.status).label,
        "city": settings.GUICHET_CITY_NAME,
        "case_url": public_url(reverse("cases:agent_case", args=[case.uuid])),
    }
    if case.due_date:
        context["due_date"] = case.due_date
    notices = 0
    for user in recipients(case):
        if not user.email:
            continue
        notify_user(
            user=user,
            event=event,
            context=context,
            dedupe_key=f"case:{case.uuid}:{kind}:{user.pk}",
            related_label=case.reference,
        )
        notices += 1
    CaseEvent.objects.create(case=case, kind=kind, channel="")
    return notices


def escalate_deadlines(today: datetime.date | None = None) -> EscalationReport:
    """Warn about the open, running cases that are near their due date or past it."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, near_due_days())
    report = EscalationReport()
    candidates = (
        Case.objects.open()
        .filter(paused_at__isnull=True, due_date__isnull=False, due_date__lte=horizon)
        .filter(
            Q(due_date__lt=today, overdue_warned_on__isnull=True)
            | Q(due_date__gte=today, near_due_warned_on__isnull=True)
        )
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():
            # Two runs at once (beat and a cron, or two workers): the second waits here and then
            # sees the warned day the first one set.
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("procedure", "department", "assignee")
                .get(pk=pk)
            )
            if case.is_closed or case.is_paused or case.due_date is None:
                continue
            if case.due_date < today and case.overdue_warned_on is None:
                case.overdue_warned_on = today
                # An overdue case needs no "near due" warning any more.
                case.near_due_warned_on = case.near_due_warned_on or today
                case.save(update_fields=["overdue_warned_on", "near_due_warned_on"])
                report.overdue += 1
                report.notices += _warn(case, CaseEventKind.DEADLINE_PASSED, today)
            elif case.due_date >= today and case.near_due_warned_on is None:
                case.near_due_warned_on = today
                case.save(update_fields=["near_due_warned_on"])
                report.near += 1
                report.notices += _warn(case, CaseEventKind.DEADLINE_NEAR, today)
    return report
