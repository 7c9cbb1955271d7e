"""The department inbox: which cases the filters select, in which order, and how each row reads."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from guichet.cases.choices import CLOSED_STATUSES, CaseStatus, DeadlineState
from guichet.cases.deadlines import near_due_days
from guichet.cases.models import Case, CaseMessage
from guichet.organisation.working_days import add_working_days
from guichet.residents.search import find_residents

OPEN_STATUSES = [status for status in CaseStatus.values if status not in CLOSED_STATUSES]
# Residents found by name whose cases the search box looks at (the best matches only).
RESIDENT_MATCHES = 50
TRACKING_CODE_LENGTH = 12
# A reference ("2026-K7M3QP", or its last part) or a tracking code ("K7M3-QP9X-…").
CODE_SHAPE = re.compile(r"(\d{4}-)?[A-Z0-9]{6}|[A-Z0-9]{4}[- ]?[A-Z0-9]{4}[- ]?[A-Z0-9]{4}")
# The assignee filter's values besides an agent's id.
ASSIGNEE_ME = "moi"
ASSIGNEE_NONE = "aucun"

# The status names residents read speak to them ("votre réponse"); agents read these instead.
AGENT_STATUS_LABELS: dict[str, StrOrPromise] = {CaseStatus.WAITING: _("En attente de l'usager")}

ORDERINGS: dict[str, tuple[Any, ...]] = {
    "due": (F("due_date").asc(nulls_last=True), "submitted_at", "id"),
    "submitted": ("-submitted_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


def agent_status_label(status: str) -> str:
    """Return the name of a status as the back office shows it."""
    label = AGENT_STATUS_LABELS.get(status)
    if label is None:
        label = CaseStatus(status).label if status in CaseStatus.values else status
    return str(label)


def near_due_horizon(today: datetime.date) -> datetime.date:
    """Return the last day a due date counts as "near" seen from ``today``.

    It is the day before the working day that comes after the near-due window, so that
    ``due <= horizon`` is exactly ``deadlines.deadline_state``'s rule (at most N working days
    left), also for a due date that falls on a day off.
    """
    return add_working_days(today, near_due_days() + 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class DeadlineClock:
    """Tell the deadline state of many cases with one calendar lookup (one query in all)."""

    today: datetime.date
    horizon: datetime.date

    @classmethod
    def for_today(cls, today: datetime.date | None = None) -> DeadlineClock:
        today = today or timezone.localdate()
        return cls(today, near_due_horizon(today))

    def state(self, case: Case) -> DeadlineState:
        """Return the same answer as ``deadlines.deadline_state`` for ``case``."""
        if case.is_closed or case.due_date is None:
            return DeadlineState.NONE
        if case.is_paused:
            return DeadlineState.PAUSED
        if case.due_date < self.today:
            return DeadlineState.OVERDUE
        if case.due_date <= self.horizon:
            return DeadlineState.NEAR
        return DeadlineState.ON_TIME

    def filter(self, cases: QuerySet[Case], state: str) -> QuerySet[Case]:
        """Keep the cases in deadline ``state`` (closed cases have none)."""
        if state == DeadlineState.PAUSED:
            return cases.exclude(status__in=CLOSED_STATUSES).filter(paused_at__isnull=False)
        running = cases.exclude(status__in=CLOSED_STATUSES).filter(
            paused_at__isnull=True, due_date__isnull=False
        )
        if state == DeadlineState.OVERDUE:
            return running.filter(due_date__lt=self.today)
        if state == DeadlineState.NEAR:
            return running.filter(due_date__gte=self.today, due_date__lte=self.horizon)
        if state == DeadlineState.ON_TIME:
            return running.filter(due_date__gt=self.horizon)
        return cases


def search_condition(query: str) -> Q:
    """Return what the search box matches: a reference, a tracking code, or a resident.

    A query shaped like a reference or a tracking code (with a digit: names have none) is
    looked up as such only: read as a person, its digits would pass for a birth year.
    """
    query = query.strip()
    condition = Q(reference__icontains=query)
    code = "".join(ch for ch in query.upper() if ch.isalnum())
    if len(code) == TRACKING_CODE_LENGTH:
        condition |= Q(tracking_code="-".join(code[i : i + 4] for i in range(0, 12, 4)))
    if CODE_SHAPE.fullmatch(query.upper()) and any(ch.isdigit() for ch in query):
        return condition
    condition |= Q(resident__email__iexact=query)
    ids = [match.resident.pk for match in find_residents(query, limit=RESIDENT_MATCHES)]
    if ids:
        condition |= Q(resident_id__in=ids)
    return condition


def filter_cases(
    cases: QuerySet[Case], data: dict[str, Any], *, user_id: int, clock: DeadlineClock
) -> QuerySet[Case]:
    """Apply the inbox filters' cleaned ``data`` to ``cases`` (open cases by default)."""
    cases = cases.filter(status__in=data.get("status") or OPEN_STATUSES)
    if data.get("due"):
        cases = clock.filter(cases, data["due"])
    if data.get("procedure"):
        cases = cases.filter(procedure=data["procedure"])
    assignee = data.get("assignee")
    if assignee == ASSIGNEE_ME:
        cases = cases.filter(assignee_id=user_id)
    elif assignee == ASSIGNEE_NONE:
        cases = cases.filter(assignee__isnull=True)
    elif assignee:
        cases = cases.filter(assignee_id=int(assignee))
    if data.get("channel"):
        cases = cases.filter(channel=data["channel"])
    if data.get("site"):
        cases = cases.filter(site=data["site"])
    if data.get("department"):
        cases = cases.filter(department=data["department"])
    if data.get("submitted_from"):
        cases = cases.filter(submitted_at__gte=day_start(data["submitted_from"]))
    if data.get("submitted_to"):
        next_day = data["submitted_to"] + datetime.timedelta(days=1)
        cases = cases.filter(submitted_at__lt=day_start(next_day))
    if data.get("q"):
        cases = cases.filter(search_condition(data["q"]))
    return cases


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def with_unread_messages(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with ``unread_count``: the resident's messages nobody has read yet."""
    unread = (
        CaseMessage.objects.filter(case=OuterRef("pk"), from_resident=True, read_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return cases.annotate(unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), 0))


def ordered(cases: QuerySet[Case], sort: str) -> QuerySet[Case]:
    return cases.order_by(*ORDERINGS.get(sort, ORDERINGS["due"]))


def list_columns(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Load what a list row shows in the same query (no query per row)."""
    return cases.select_related("procedure", "department", "assignee", "resident", "site")


@dataclass(frozen=True)
class InboxRow:
    case: Case
    deadline: DeadlineState
    unread: int


def inbox_rows(cases: Iterable[Case], clock: DeadlineClock) -> list[InboxRow]:
    return [InboxRow(case, clock.state(case), getattr(case, "unread_count", 0)) for case in cases]


def view_query(query: QueryDict, keys: Iterable[str]) -> str:
    """Return the filters of ``query`` worth keeping in a link or a saved view (no page)."""
    kept = QueryDict(mutable=True)
    for key in keys:
        values = [value for value in query.getlist(key) if value]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()
