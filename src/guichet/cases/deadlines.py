"""Deadlines in working days: the due date of a case, its pauses, and how close it is."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from guichet.cases.choices import DeadlineState
from guichet.cases.models import Case
from guichet.organisation.working_days import add_working_days, working_days_between


def near_due_days() -> int:
    """Return how many working days before the due date a case counts as "near due"."""
    return int(getattr(settings, "GUICHET_CASE_NEAR_DUE_DAYS", 2))


def due_date_for(case: Case) -> datetime.date | None:
    """Return the due date: the commitment plus the paused days, from the filing day.

    Counting starts the working day after filing (a case filed on Friday evening with a
    commitment of 1 day is due on Monday), and every working day spent waiting for the resident
    is added back.
    """
    if case.commitment_days is None:
        return None
    filed_on = timezone.localdate(case.submitted_at)
    return add_working_days(filed_on, case.commitment_days + case.paused_working_days)


def paused_days_until(case: Case, moment: datetime.datetime) -> int:
    """Return the working days the current pause has lasted at ``moment`` (0 when not paused).

    A pause that starts and ends on the same day costs nothing; the day the resident answers
    counts as a day waited when the pause began on an earlier day.
    """
    if case.paused_at is None:
        return 0
    return working_days_between(timezone.localdate(case.paused_at), timezone.localdate(moment))


def deadline_state(case: Case, today: datetime.date | None = None) -> DeadlineState:
    """Return whether the case is on time, near its due date, overdue, paused or without one."""
    if case.is_closed or case.due_date is None:
        return DeadlineState.NONE
    if case.is_paused:
        return DeadlineState.PAUSED
    today = today or timezone.localdate()
    if today > case.due_date:
        return DeadlineState.OVERDUE
    if working_days_between(today, case.due_date) <= near_due_days():
        return DeadlineState.NEAR
    return DeadlineState.ON_TIME
