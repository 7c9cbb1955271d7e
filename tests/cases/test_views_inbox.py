"""The department inbox: who sees it, filters, search, sort, saved views, bulk, CSV export."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.cases import actions
from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.deadlines import deadline_state
from guichet.cases.inbox import DeadlineClock
from guichet.cases.models import Case
from guichet.organisation.choices import Channel, Role
from guichet.organisation.models import CityClosure
from guichet.organisation.working_days import add_working_days
from tests.cases.backoffice_fixtures import case_for
from tests.conftest import PERSONAS
from tests.factories import AgentFactory, ResidentFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("cases:inbox")
INBOX_PERSONAS = {"ccas_agent", "education_agent", "supervisor", "admin_agent"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_inbox_is_for_agents_who_process_cases(persona, persona_client, city):
    """Department agents and supervisors have an inbox; everybody else gets 404 (or login)."""
    response = persona_client.as_(persona).get(INBOX)
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in INBOX_PERSONAS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_navigation_links_the_inbox_for_those_who_have_one(persona, persona_client, city):
    """The console navigation shows "Demandes" only to agents with an inbox."""
    if persona in {"anonymous", "resident", "other_resident"}:
        return
    html = persona_client.as_(persona).get(reverse("backoffice:home")).content.decode()
    assert (f'href="{INBOX}"' in html) == (persona in INBOX_PERSONAS)


def test_department_agent_sees_the_open_cases_of_their_department(
    persona_client, school_form, birth_form, social_form
):
    """Chloé sees open education cases only: not population, not CCAS, not closed ones."""
    case_for(school_form, reference="2026-OPEN01")
    case_for(school_form, reference="2026-DONE01", status=CaseStatus.ACCEPTED)
    case_for(birth_form, reference="2026-POPU01")
    case_for(social_form, reference="2026-CCAS01")
    html = persona_client.as_("education_agent").get(INBOX).content.decode()
    assert "2026-OPEN01" in html
    assert "2026-DONE01" not in html
    assert "2026-POPU01" not in html and "2026-CCAS01" not in html
    assert "1 demande" in html


def test_supervisor_sees_every_department_but_confidential_ones(
    persona_client, school_form, birth_form, social_form
):
    """Élise sees education and population cases, never the CCAS's."""
    case_for(school_form, reference="2026-EDUC01")
    case_for(birth_form, reference="2026-POPU01")
    case_for(social_form, reference="2026-CCAS01")
    html = persona_client.as_("supervisor").get(INBOX).content.decode()
    assert "2026-EDUC01" in html and "2026-POPU01" in html
    assert "2026-CCAS01" not in html


def test_ccas_agent_sees_confidential_cases(persona_client, social_form):
    """Bruno processes the CCAS cases; they are marked confidential."""
    case_for(social_form, reference="2026-CCAS01")
    html = persona_client.as_("ccas_agent").get(INBOX).content.decode()
    assert "2026-CCAS01" in html
    assert "Confidentiel" in html


def test_status_filter_shows_closed_cases(persona_client, school_form):
    """Ticking statuses replaces the default "open cases" selection."""
    case_for(school_form, reference="2026-OPEN01")
    case_for(school_form, reference="2026-DONE01", status=CaseStatus.ACCEPTED)
    case_for(school_form, reference="2026-REFU01", status=CaseStatus.REJECTED)
    html = (
        persona_client.as_("education_agent")
        .get(INBOX, {"status": [CaseStatus.ACCEPTED, CaseStatus.REJECTED]})
        .content.decode()
    )
    assert "2026-DONE01" in html and "2026-REFU01" in html
    assert "2026-OPEN01" not in html


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (DeadlineState.OVERDUE, {"2026-LATE01"}),
        (DeadlineState.NEAR, {"2026-NEAR01"}),
        (DeadlineState.ON_TIME, {"2026-FINE01"}),
        (DeadlineState.PAUSED, {"2026-WAIT01"}),
    ],
)
def test_due_filter(due, expected, persona_client, school_form):
    """The deadline filter keeps overdue, near, on-time or paused cases."""
    today = timezone.localdate()
    case_for(school_form, reference="2026-LATE01", due_date=today - datetime.timedelta(days=1))
    case_for(school_form, reference="2026-NEAR01", due_date=today)
    case_for(school_form, reference="2026-FINE01", due_date=today + datetime.timedelta(days=30))
    case_for(
        school_form,
        reference="2026-WAIT01",
        status=CaseStatus.WAITING,
        paused_at=timezone.now(),
        due_date=today - datetime.timedelta(days=3),
    )
    html = persona_client.as_("education_agent").get(INBOX, {"due": due}).content.decode()
    if due == DeadlineState.PAUSED:
        assert "En attente de l&#x27;usager" in html and "votre réponse" not in html
    shown = {
        ref for ref in ("2026-LATE01", "2026-NEAR01", "2026-FINE01", "2026-WAIT01") if ref in html
    }
    assert shown == expected


def test_near_and_overdue_rows_say_so_in_words(persona_client, school_form):
    """A badge with text marks near-due and overdue cases, not only a colour."""
    today = timezone.localdate()
    case_for(school_form, reference="2026-LATE01", due_date=today - datetime.timedelta(days=1))
    case_for(school_form, reference="2026-NEAR01", due_date=today)
    html = persona_client.as_("education_agent").get(INBOX).content.decode()
    assert "<strong>En retard</strong>" in html
    assert "<strong>Échéance proche</strong>" in html


@pytest.mark.parametrize("offset", range(-3, 25))
def test_inbox_deadline_agrees_with_deadline_state(offset, school_form):
    """The inbox's one-query deadline reading gives the same answer as ``deadline_state``."""
    CityClosure.objects.create(
        start_date=timezone.localdate() + datetime.timedelta(days=2),
        end_date=timezone.localdate() + datetime.timedelta(days=3),
        reason="Pont",
    )
    case = Case(
        due_date=timezone.localdate() + datetime.timedelta(days=offset), status=CaseStatus.SUBMITTED
    )
    assert DeadlineClock.for_today().state(case) == deadline_state(case)


def test_assignee_filter(persona_client, school_form, education_agent):
    """Me, unassigned, or a given agent of the department."""
    colleague = AgentFactory(role=Role.DEPARTMENT, departments=[school_form.procedure.department])
    case_for(school_form, reference="2026-MINE01", assignee=education_agent.user)
    case_for(school_form, reference="2026-POOL01")
    case_for(school_form, reference="2026-COLL01", assignee=colleague.user)
    client = persona_client.as_("education_agent")

    def shown(value: str) -> set[str]:
        html = client.get(INBOX, {"assignee": value}).content.decode()
        return {ref for ref in ("2026-MINE01", "2026-POOL01", "2026-COLL01") if ref in html}

    assert shown("moi") == {"2026-MINE01"}
    assert shown("aucun") == {"2026-POOL01"}
    assert shown(str(colleague.user.pk)) == {"2026-COLL01"}


def test_channel_site_procedure_and_dates_filters(persona_client, school_form, city):
    """Channel, site, procedure and the filing date range narrow the list."""
    from guichet.cases.models import CaseForm
    from tests.factories import ProcedureFactory

    canteen = CaseForm.objects.create(
        procedure=ProcedureFactory(slug="cantine", title="Cantine", department=city.education)
    )
    now = timezone.now()
    case_for(school_form, reference="2026-WEB001", channel=Channel.WEB)
    case_for(
        school_form,
        reference="2026-DESK01",
        channel=Channel.COUNTER,
        site=city.annex,
        submitted_at=now - datetime.timedelta(days=40),
    )
    case_for(canteen, reference="2026-CANT01")
    client = persona_client.as_("education_agent")

    def shown(**query: str) -> set[str]:
        html = client.get(INBOX, query).content.decode()
        return {ref for ref in ("2026-WEB001", "2026-DESK01", "2026-CANT01") if ref in html}

    assert shown(channel=Channel.COUNTER) == {"2026-DESK01"}
    assert shown(site=city.annex.slug) == {"2026-DESK01"}
    assert shown(procedure="cantine") == {"2026-CANT01"}
    # Filing dates are the city's (Europe/Paris): from 22:00 UTC in summer it is already the
    # next day there, so the date is taken in local time, as the filter does.
    old = timezone.localdate(now - datetime.timedelta(days=40)).isoformat()
    assert shown(submitted_from=old, submitted_to=old) == {"2026-DESK01"}
    recent = timezone.localdate(now - datetime.timedelta(days=1)).isoformat()
    assert shown(submitted_from=recent) == {"2026-WEB001", "2026-CANT01"}


def test_department_filter_for_supervisors(persona_client, school_form, birth_form, city):
    """A supervisor narrows the list to one department; a department agent has no such filter."""
    case_for(school_form, reference="2026-EDUC01")
    case_for(birth_form, reference="2026-POPU01")
    html = (
        persona_client.as_("supervisor").get(INBOX, {"department": "population"}).content.decode()
    )
    assert "2026-POPU01" in html and "2026-EDUC01" not in html
    html = persona_client.as_("education_agent").get(INBOX).content.decode()
    assert 'name="department"' not in html


def test_search_by_reference_tracking_code_name_and_email(persona_client, school_form, resident):
    """The search box finds a case by reference, tracking code, resident name or email."""
    mine = case_for(school_form, reference="2026-K7M3QP", resident=resident)
    other = case_for(
        school_form,
        reference="2026-ZZZZZZ",
        resident=ResidentFactory(first_names="Ivan", usage_name="Martin", email="ivan@example.org"),
    )
    client = persona_client.as_("education_agent")

    def shown(query: str) -> set[str]:
        html = client.get(INBOX, {"q": query}).content.decode()
        return {case.reference for case in (mine, other) if case.reference in html}

    assert shown("k7m3qp") == {"2026-K7M3QP"}
    assert shown(mine.tracking_code.replace("-", "").lower()) == {"2026-K7M3QP"}
    assert shown("Dupont") == {"2026-K7M3QP"}
    assert shown("ivan@example.org") == {"2026-ZZZZZZ"}
    assert shown("personne-inconnue") == set()


def test_sort_orders(persona_client, school_form):
    """Due date first by default; newest filing, or latest update, on demand."""
    today = timezone.localdate()
    now = timezone.now()
    case_for(
        school_form,
        reference="2026-AAAAAA",
        due_date=today + datetime.timedelta(days=2),
        submitted_at=now - datetime.timedelta(days=9),
        updated_at=now - datetime.timedelta(days=1),
    )
    case_for(
        school_form,
        reference="2026-BBBBBB",
        due_date=today + datetime.timedelta(days=9),
        submitted_at=now - datetime.timedelta(days=1),
        updated_at=now - datetime.timedelta(days=5),
    )
    case_for(school_form, reference="2026-CCCCCC", due_date=None, submitted_at=now)
    client = persona_client.as_("education_agent")

    def order(sort: str) -> list[str]:
        html = client.get(INBOX, {"sort": sort} if sort else {}).content.decode()
        refs = ["2026-AAAAAA", "2026-BBBBBB", "2026-CCCCCC"]
        return sorted(refs, key=html.index)

    assert order("") == ["2026-AAAAAA", "2026-BBBBBB", "2026-CCCCCC"]
    assert order("submitted") == ["2026-CCCCCC", "2026-BBBBBB", "2026-AAAAAA"]
    assert order("updated")[-1] == "2026-BBBBBB"


def test_unread_resident_messages_are_shown(persona_client, school_case, resident):
    """The number of the resident's unread messages shows on the row."""
    for body in ("Bonjour", "Encore moi"):
        actions.send_message(
            case=school_case,
            author=resident.user,
            body=body,
            from_resident=True,
            channel=Channel.WEB,
        )
    html = persona_client.as_("education_agent").get(INBOX).content.decode()
    assert "2 messages non lus" in html


def test_bad_filters_are_reported_not_guessed(persona_client, school_form):
    """An unknown status or inverted dates show a French error and no list."""
    case_for(school_form, reference="2026-OPEN01")
    response = persona_client.as_("education_agent").get(
        INBOX, {"status": "perdue", "submitted_from": "2026-03-10", "submitted_to": "2026-03-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient 2 erreurs" in html
    assert "La date de fin doit être après la date de début." in html
    assert "2026-OPEN01" not in html


def test_pagination_by_fifty(persona_client, school_form):
    """The inbox shows 50 cases a page."""
    for number in range(55):
        case_for(school_form, reference=f"2026-P{number:05d}")
    client = persona_client.as_("education_agent")
    html = client.get(INBOX).content.decode()
    assert "55 demandes" in html
    assert html.count('name="cases"') == 50
    assert "Page 1 sur 2" in html
    assert client.get(INBOX, {"page": "2"}).content.decode().count('name="cases"') == 5


def test_query_count_does_not_grow_with_rows(
    persona_client, school_form, education_agent, resident, city, django_assert_num_queries
):
    """One case or forty, with assignees, sites and unread messages: the same queries."""
    client = persona_client.as_("education_agent")
    filters = {"assignee": "moi", "due": "on_time", "channel": "web", "sort": "updated"}

    def make(count: int) -> None:
        for _ in range(count):
            case = case_for(
                school_form,
                resident=ResidentFactory(),
                assignee=education_agent.user,
                site=city.annex,
                due_date=timezone.localdate() + datetime.timedelta(days=30),
            )
            case.messages.create(body="?", from_resident=True, author=resident.user)

    make(1)
    client.get(INBOX)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX, filters)
    # Read now: every request clears the connection's query log.
    expected_count = len(one.captured_queries)
    make(39)
    with django_assert_num_queries(expected_count):
        html = client.get(INBOX, filters).content.decode()
    assert "40 demandes" in html
    assert expected_count <= 14


def test_search_queries_are_bounded(persona_client, school_form, django_assert_max_num_queries):
    """Searching by name reads a bounded number of candidates, whatever the number of cases."""
    for _ in range(40):
        case_for(school_form, resident=ResidentFactory())
    client = persona_client.as_("education_agent")
    client.get(INBOX)
    with django_assert_max_num_queries(30):
        assert client.get(INBOX, {"q": "Dupont Hélène"}).status_code == 200


def test_due_in_two_working_days_is_near(school_form):
    """A case due in two working days is near its due date, whatever the weekday."""
    today = timezone.localdate()
    due = add_working_days(today, 2)
    case = Case(due_date=due, status=CaseStatus.IN_PROGRESS)
    assert DeadlineClock.for_today().state(case) == DeadlineState.NEAR
