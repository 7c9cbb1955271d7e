"""Deadlines in working days: due dates, their state, and pauses while the resident answers."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from guichet.cases import actions
from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.deadlines import deadline_state, due_date_for, paused_days_until
from guichet.cases.models import Case
from guichet.organisation.models import CityClosure
from guichet.organisation.working_days import add_working_days, working_days_between
from tests.cases.backoffice_fixtures import file

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("filed", "days", "due"),
    [
        (paris(2026, 3, 2, 10), 2, datetime.date(2026, 3, 4)),  # Monday + 2 → Wednesday
        (paris(2026, 1, 9, 23, 30), 1, datetime.date(2026, 1, 12)),  # Friday night → Monday
        (paris(2026, 4, 30, 17), 2, datetime.date(2026, 5, 5)),  # over 1 May
        (paris(2026, 5, 13, 9), 1, datetime.date(2026, 5, 15)),  # over Ascension
        (paris(2026, 3, 2, 10), 10, datetime.date(2026, 3, 16)),  # two weeks
    ],
)
def test_due_date_counts_working_days(filed, days, due):
    """The due date counts working days from the day after filing, skipping holidays."""
    assert due_date_for(Case(submitted_at=filed, commitment_days=days)) == due


def test_due_date_skips_city_closures():
    """A day when the administration is closed does not count."""
    CityClosure.objects.create(
        start_date=datetime.date(2026, 1, 12), end_date=datetime.date(2026, 1, 12), reason="Pont"
    )
    filed = Case(submitted_at=paris(2026, 1, 9, 10), commitment_days=1)
    assert due_date_for(filed) == datetime.date(2026, 1, 13)


def test_due_date_adds_the_days_already_paused():
    """Working days spent waiting for the resident move the due date later."""
    case = Case(submitted_at=paris(2026, 3, 2, 10), commitment_days=2, paused_working_days=3)
    assert due_date_for(case) == datetime.date(2026, 3, 9)


def test_no_commitment_means_no_due_date(school_form, resident):
    """A procedure without commitment gives a case without due date, never late."""
    school_form.procedure.commitment_days = None
    school_form.procedure.save()
    case = file(school_form, resident)
    assert case.due_date is None
    assert deadline_state(case) == DeadlineState.NONE


def test_filed_case_is_due_after_its_commitment(school_case):
    """A filed case is due its commitment in working days after the filing day."""
    filed_on = timezone.localdate(school_case.submitted_at)
    assert school_case.due_date == add_working_days(filed_on, 10)


def test_pause_length_counts_working_days_only():
    """A pause from Friday to Tuesday lasts two working days (Monday and Tuesday)."""
    case = Case(paused_at=paris(2026, 3, 6, 16))
    assert paused_days_until(case, paris(2026, 3, 10, 9)) == 2
    assert paused_days_until(case, paris(2026, 3, 6, 18)) == 0
    assert paused_days_until(Case(), paris(2026, 3, 10, 9)) == 0


@pytest.mark.parametrize(
    ("due", "paused", "status", "state"),
    [
        (datetime.date(2026, 3, 20), False, CaseStatus.IN_PROGRESS, DeadlineState.ON_TIME),
        (datetime.date(2026, 3, 6), False, CaseStatus.IN_PROGRESS, DeadlineState.NEAR),
        (datetime.date(2026, 3, 4), False, CaseStatus.SUBMITTED, DeadlineState.NEAR),
        (datetime.date(2026, 3, 3), False, CaseStatus.IN_PROGRESS, DeadlineState.OVERDUE),
        (datetime.date(2026, 3, 3), True, CaseStatus.WAITING, DeadlineState.PAUSED),
        (datetime.date(2026, 3, 3), False, CaseStatus.ACCEPTED, DeadlineState.NONE),
        (None, False, CaseStatus.IN_PROGRESS, DeadlineState.NONE),
    ],
)
def test_deadline_state(due, paused, status, state):
    """Near means at most two working days left; closed cases have no deadline."""
    case = Case(due_date=due, status=status, paused_at=paris(2026, 3, 1, 9) if paused else None)
    assert deadline_state(case, today=datetime.date(2026, 3, 4)) == state


# Pauses


def _pause_since(case: Case, days_ago: int) -> None:
    """Backdate the filing and the current pause, as if the resident had been slow."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        submitted_at=now - datetime.timedelta(days=days_ago + 3),
        paused_at=now - datetime.timedelta(days=days_ago),
    )
    case.refresh_from_db()


def test_resuming_extends_the_due_date_by_the_working_days_waited(school_case, education_agent):
    """The working days spent waiting are added to the due date when processing resumes."""
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Pièce manquante",
    )
    _pause_since(school_case, 14)
    paused_on = timezone.localdate(school_case.paused_at)
    waited = working_days_between(paused_on, timezone.localdate())
    assert waited >= 8
    actions.transition_case(
        case=school_case, to_status=CaseStatus.IN_PROGRESS, actor=education_agent.user, channel=""
    )
    school_case.refresh_from_db()
    assert not school_case.is_paused
    assert school_case.paused_working_days == waited
    filed_on = timezone.localdate(school_case.submitted_at)
    assert school_case.due_date == add_working_days(filed_on, 10 + waited)


def test_a_pause_ended_the_same_day_costs_nothing(school_case, education_agent):
    """Asking and getting the answer the same day leaves the due date unchanged."""
    due = school_case.due_date
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Précisez la classe.",
    )
    actions.transition_case(
        case=school_case, to_status=CaseStatus.IN_PROGRESS, actor=education_agent.user, channel=""
    )
    school_case.refresh_from_db()
    assert (school_case.paused_working_days, school_case.due_date) == (0, due)


def test_deciding_a_waiting_case_ends_its_pause(school_case, education_agent):
    """A case decided while waiting counts the days waited and is no longer paused."""
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Pièce manquante",
    )
    _pause_since(school_case, 7)
    actions.transition_case(
        case=school_case,
        to_status=CaseStatus.REJECTED,
        actor=education_agent.user,
        channel="",
        reason="Pièce jamais reçue.",
    )
    school_case.refresh_from_db()
    assert school_case.paused_at is None
    assert school_case.paused_working_days > 0
