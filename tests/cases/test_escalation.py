"""The daily deadline watch: who is warned, once, about which cases."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.escalation import escalate_deadlines, recipients
from guichet.cases.models import Case, CaseEvent
from guichet.notifications.models import Notification
from guichet.organisation.choices import Role
from tests.cases.backoffice_fixtures import file
from tests.factories import AgentFactory, CaseFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 4)  # a Wednesday, no holiday around


def _due_case(due: datetime.date, **fields: object) -> Case:
    case: Case = CaseFactory(
        procedure=fields.pop("procedure"), due_date=due, status=CaseStatus.IN_PROGRESS, **fields
    )
    return case


@pytest.fixture
def school_procedure(school_form):
    return school_form.procedure


def test_escalation_warns_once_per_case(school_procedure, education_agent, supervisor):
    """Running the watch twice the same day (or the next) warns about each case once."""
    near = _due_case(datetime.date(2026, 3, 5), procedure=school_procedure)
    late = _due_case(datetime.date(2026, 3, 3), procedure=school_procedure)
    _due_case(datetime.date(2026, 3, 20), procedure=school_procedure)
    first = escalate_deadlines(TODAY)
    second = escalate_deadlines(TODAY)
    escalate_deadlines(TODAY + datetime.timedelta(days=1))
    assert (first.near, first.overdue) == (1, 1)
    assert (second.near, second.overdue, second.notices) == (0, 0, 0)
    assert near.events.filter(kind=CaseEventKind.DEADLINE_NEAR).count() == 1
    assert late.events.filter(kind=CaseEventKind.DEADLINE_PASSED).count() == 1
    assert not late.events.filter(kind=CaseEventKind.DEADLINE_NEAR).exists()
    # Chloé (the department, no assignee) and Élise (a supervisor) are told about each.
    assert first.notices == 4
    warned = Notification.objects.filter(event="case_deadline_warning")
    assert {n.user for n in warned} == {education_agent.user, supervisor.user}
    assert Notification.objects.filter(event="case_overdue").count() == 2


def test_near_due_case_is_warned_again_when_overdue(school_procedure, education_agent):
    """A case warned as near due gets one more warning once its due date has passed."""
    case = _due_case(datetime.date(2026, 3, 5), procedure=school_procedure)
    escalate_deadlines(TODAY)
    escalate_deadlines(datetime.date(2026, 3, 6))
    escalate_deadlines(datetime.date(2026, 3, 9))
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [CaseEventKind.DEADLINE_NEAR, CaseEventKind.DEADLINE_PASSED]


def test_paused_and_closed_cases_are_not_escalated(school_procedure, education_agent):
    """Waiting for the resident or decided: no warning, however late the due date."""
    _due_case(datetime.date(2026, 3, 2), procedure=school_procedure, paused_at=timezone.now())
    CaseFactory(
        procedure=school_procedure, due_date=datetime.date(2026, 3, 2), status=CaseStatus.ACCEPTED
    )
    report = escalate_deadlines(TODAY)
    assert (report.near, report.overdue, report.notices) == (0, 0, 0)
    assert not CaseEvent.objects.exists()


def test_escalation_command_is_idempotent(school_procedure, education_agent):
    """``guichet escalate_cases --date`` reports what it did, and nothing the second time."""
    _due_case(datetime.date(2026, 3, 3), procedure=school_procedure)
    out = io.StringIO()
    call_command("escalate_cases", "--date", "2026-03-04", stdout=out)
    call_command("escalate_cases", "--date", "2026-03-04", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("0 case(s) near their due date, 1 overdue")
    assert lines[1].startswith("0 case(s) near their due date, 0 overdue")


def test_recipients_are_the_assignee_and_the_supervisors(
    school_procedure, education_agent, supervisor, admin_agent
):
    """An assigned case warns its assignee and, without a department supervisor, supervisors."""
    other = AgentFactory(role=Role.DEPARTMENT, departments=[school_procedure.department])
    case = _due_case(TODAY, procedure=school_procedure, assignee=education_agent.user)
    assert set(recipients(case)) == {education_agent.user, supervisor.user}
    case.assignee = None
    assert set(recipients(case)) == {education_agent.user, other.user, supervisor.user}


def test_department_supervisor_replaces_the_others(school_procedure, education_agent, supervisor):
    """A supervisor of the department is warned instead of every supervisor."""
    own = AgentFactory(role=Role.SUPERVISOR, departments=[school_procedure.department])
    case = _due_case(TODAY, procedure=school_procedure, assignee=education_agent.user)
    assert set(recipients(case)) == {education_agent.user, own.user}


def test_inactive_assignee_falls_back_to_the_department(school_procedure, education_agent):
    """A case assigned to somebody who left warns the department's agents."""
    gone = UserFactory(username="parti", is_active=False)
    case = _due_case(TODAY, procedure=school_procedure, assignee=gone)
    assert education_agent.user in recipients(case)
    assert gone not in recipients(case)


def test_confidential_case_warns_no_outside_supervisor(social_form, ccas_agent, supervisor):
    """A CCAS case is never announced to supervisors outside the CCAS."""
    case = _due_case(TODAY, procedure=social_form.procedure)
    assert recipients(case) == [ccas_agent.user]


def test_agent_without_email_is_skipped(school_procedure, education_agent):
    """An agent without an email address gets no notice (and is not counted)."""
    education_agent.user.email = ""
    education_agent.user.save()
    _due_case(datetime.date(2026, 3, 3), procedure=school_procedure)
    report = escalate_deadlines(TODAY)
    assert report.overdue == 1 and report.notices == 0


def test_resident_without_address_gets_no_notice(school_form):
    """Filing for a resident with no email nor phone works and queues nothing."""
    nobody = ResidentFactory(email="", phone="")
    file(school_form, nobody, actor=UserFactory(username="agent-x"))
    assert not Notification.objects.exists()
