import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from guichet.cases.choices import CLOSED_STATUSES, CaseEventKind, CaseStatus, DeadlineState
from guichet.cases.deadlines import deadline_state, due_date_for
from guichet.cases.escalation import escalate_deadlines
from guichet.cases.form_definition import parse_definition
from guichet.cases.form_engine import validate_answers
from guichet.cases.models import Case, CaseDraft, CaseEvent, CaseMessage, CaseNote
from guichet.demo.build import DemoReport, build_demo
from guichet.demo.case_history import Chronicle
from guichet.notifications import delivery
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification
from guichet.organisation.choices import Channel, Role
from guichet.organisation.models import User
from guichet.residents.models import Document

pytestmark = pytest.mark.django_db

SMALL = {"residents": 120, "contacts": 0}


@pytest.fixture
def small_city() -> DemoReport:
    with override_settings(GUICHET_DEMO=True):
        return build_demo(**SMALL)


def requests() -> list[Case]:
    """Return the residents' own requests (not the follow-ups filing sent to departments)."""
    return list(
        Case.objects.filter(parent__isnull=True).select_related(
            "resident__user", "filed_by__agent", "form_version", "department", "site"
        )
    )


def test_requests_of_the_last_three_months_are_filed_on_every_channel(
    small_city: DemoReport,
) -> None:
    """About 1 request per 4 residents, over 90 days, online by the resident or by reception."""
    cases = requests()
    # A request whose draws all fail (no resident fits) is left out; that stays rare.
    assert SMALL["residents"] // 4 - 2 <= len(cases) <= SMALL["residents"] // 4
    assert small_city.cases == Case.objects.count()
    now = timezone.now()
    assert all(now - datetime.timedelta(days=91) < case.submitted_at < now for case in cases)
    online = [case for case in cases if case.channel == Channel.WEB]
    assert 0.45 < len(online) / len(cases) < 0.85
    assert all(case.filed_by == case.resident.user and case.site is None for case in online)
    on_behalf = [case for case in cases if case.channel != Channel.WEB]
    assert {case.channel for case in on_behalf} <= {Channel.COUNTER, Channel.PHONE}
    assert all(
        case.site is not None and case.filed_by.agent.role == Role.RECEPTION for case in on_behalf
    )
    assert len({case.procedure_id for case in cases}) >= 8


def test_every_stored_case_validates_against_its_form_version(small_city: DemoReport) -> None:
    """Each case's answers are exactly what the form engine accepts for its resident today."""
    for case in Case.objects.select_related("form_version", "resident"):
        assert case.form_version is not None
        definition = parse_definition(case.form_version.definition)
        cleaned, errors = validate_answers(definition, case.data, resident=case.resident)
        assert errors == {}, (case.procedure_id, errors)
        assert cleaned == case.data


def test_statuses_dates_and_histories_agree(small_city: DemoReport) -> None:
    """Closed cases carry their decision, waiting ones are paused, dates follow the history."""
    now = timezone.now()
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.all())
        assert events[0].kind == CaseEventKind.SUBMITTED
        assert events[0].created_at == case.submitted_at
        assert all(case.submitted_at <= event.created_at <= now for event in events)
        changes = [event for event in events if event.kind == CaseEventKind.STATUS_CHANGED]
        last_status = changes[-1].to_status if changes else CaseStatus.SUBMITTED
        assert last_status == case.status
        if case.status in CLOSED_STATUSES:
            assert case.closed_at == changes[-1].created_at
            assert case.decision_reason.strip()
        else:
            assert case.closed_at is None
        if case.status == CaseStatus.WAITING:
            assert case.paused_at == changes[-1].created_at
        else:
            assert case.paused_at is None
        assert case.due_date == due_date_for(case)
    assert CaseMessage.objects.filter(created_at__gt=now).count() == 0
    assert CaseNote.objects.filter(created_at__gt=now).count() == 0


def test_requests_are_mostly_decided_with_a_few_late_ones(small_city: DemoReport) -> None:
    """Most are accepted, some refused or cancelled; open ones include overdue and near due."""
    cases = requests()
    statuses = [case.status for case in cases]
    assert statuses.count(CaseStatus.ACCEPTED) > len(cases) / 2
    assert {CaseStatus.WAITING, CaseStatus.ACCEPTED} <= set(statuses)
    assert {CaseStatus.REJECTED, CaseStatus.CANCELLED} & set(statuses)
    states = [deadline_state(case) for case in cases]
    assert DeadlineState.OVERDUE in states
    assert DeadlineState.NEAR in states
    assert CaseEvent.objects.filter(kind=CaseEventKind.ASSIGNED).exists()
    assert CaseMessage.objects.filter(from_resident=False).exists()


def test_escalation_finds_overdue_and_near_due_demo_cases(small_city: DemoReport) -> None:
    """The deadline watch has something to warn about in the demo city."""
    report = escalate_deadlines()
    assert report.overdue >= 1
    assert report.near >= 1


def test_ccas_requests_are_confidential(small_city: DemoReport) -> None:
    """Cases of the CCAS (a confidential department) are confidential; the others are not."""
    cases = Case.objects.select_related("department")
    assert cases.filter(department__slug="ccas").exists()
    for case in cases:
        assert case.confidential == case.department.confidential


def test_no_notification_is_left_to_send(small_city: DemoReport) -> None:
    """The demo's notifications are recorded as sent when their event happened; none goes out."""
    notifications = list(Notification.objects.all())
    assert notifications
    for notification in notifications:
        assert notification.status == NotificationStatus.SENT
        assert notification.sent_at == notification.created_at <= timezone.now()
        assert notification.changes.filter(status=NotificationStatus.SENT).exists()
    assert delivery.deliver(notifications[0].pk) == delivery.SKIPPED
    assert mail.outbox == []


def test_the_portal_account_has_a_lively_space(small_city: DemoReport) -> None:
    """The demo login has requests in different states and a draft in progress."""
    # The demo logins share a password; other residents' accounts have an unusable one ("!…").
    user = User.objects.exclude(password__startswith="!").get(resident__isnull=False)
    cases = Case.objects.filter(resident__user=user)
    assert cases.count() >= 2
    assert len({case.status for case in cases}) >= 2
    draft = CaseDraft.objects.get(owner=user, submitted_case__isnull=True)
    assert draft.data
    assert draft.page_key


def test_some_answers_come_with_pieces_and_attachments(small_city: DemoReport) -> None:
    """Forms reference the residents' documents, some given with the request."""
    referenced = {
        value["document"]
        for case in Case.objects.all()
        for value in case.data.values()
        if isinstance(value, dict) and "document" in value
    }
    assert referenced
    assert Document.objects.filter(uuid__in=referenced).count() == len(referenced)
    assert small_city.cases_open > 0


def test_running_the_demo_again_files_nothing(small_city: DemoReport) -> None:
    """A second run finds the city loaded and adds no case, event, message or notification."""
    counts = [
        model.objects.count()
        for model in (Case, CaseEvent, CaseMessage, Notification, CaseDraft, Document, User)
    ]
    with override_settings(GUICHET_DEMO=True):
        again = build_demo(**SMALL)
    assert again.already_there
    assert again.cases == 0
    assert [
        model.objects.count()
        for model in (Case, CaseEvent, CaseMessage, Notification, CaseDraft, Document, User)
    ] == counts


def test_demo_logins_lists_demo_logins_and_counts_requests(small_city: DemoReport) -> None:
    """Residents who only filed online are not listed; the requests and late ones are counted."""
    out = StringIO()
    with override_settings(GUICHET_DEMO=True):
        call_command("demo_logins", stdout=out)
    text = out.getvalue()
    listed = text.count("Usager (portail)")
    assert listed == small_city.portal_accounts
    assert small_city.online_accounts > 0
    assert f"Demandes : {Case.objects.count()} (dont " in text


def test_a_chronicle_dates_rows_by_the_step_that_wrote_them() -> None:
    """A time after a step began maps to that step's moment; before any step, to itself."""
    chronicle = Chronicle()
    before = timezone.now()
    first = timezone.now() - datetime.timedelta(days=30)
    second = timezone.now() - datetime.timedelta(days=10)
    with chronicle.at(first):
        during_first = timezone.now()
    with chronicle.at(second):
        during_second = timezone.now()
    assert chronicle.moment_of(during_first) == first
    assert chronicle.moment_of(during_second) == second
    earlier = before - datetime.timedelta(seconds=1)
    assert chronicle.moment_of(earlier) == earlier
