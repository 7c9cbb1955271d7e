import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.cases.actions import assign_case, transition_case
from guichet.cases.choices import DeadlineState
from guichet.cases.models import Case
from tests.cases.api_fixtures import LIST
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

# Who lists which of Hélène's three cases (population, CCAS, education): agents their inbox
# (what they may process), residents their own cases.
LISTED = {
    "resident": {"population", "ccas", "education"},
    "other_resident": set(),
    "reception_agent": set(),
    "ccas_agent": {"ccas"},
    "education_agent": {"education"},
    "helper_agent": set(),
    "supervisor": {"population", "education"},
    "admin_agent": {"population", "education"},
    "dpo": set(),
}


@pytest.fixture
def three_cases(population_case, ccas_case, education_case):
    return {
        population_case.reference: "population",
        ccas_case.reference: "ccas",
        education_case.reference: "education",
    }


def references(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_lists_what(api, persona, three_cases):
    """Each persona lists exactly the cases the access layer gives them."""
    response = api(persona).get(LIST)
    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert {three_cases[ref] for ref in references(response)} == LISTED[persona]


def test_list_row_shape(api, education_case, education_agent):
    """A row: identifiers, status, procedure, department, resident, deadline; no answers."""
    assign_case(case=education_case, assignee=education_agent.user, actor=education_agent.user)
    row = api("education_agent").get(LIST).json()["results"][0]
    assert row["id"] == str(education_case.uuid)
    assert row["procedure"]["slug"] == "inscription-scolaire"
    assert row["department"] == {"slug": "education", "name": "Éducation"}
    assert row["resident"]["id"] == str(education_case.resident.uuid)
    assert row["assignee"]["username"] == "chloe"
    assert row["deadline_state"] == DeadlineState.ON_TIME
    assert "data" not in row


def test_resident_rows_hide_the_assignee(api, education_case, education_agent):
    """The resident's list does not name agents."""
    assign_case(case=education_case, assignee=education_agent.user, actor=education_agent.user)
    row = api("resident").get(LIST).json()["results"][0]
    assert row["assignee"] is None


def test_other_residents_cases_are_never_listed(api, make_case, population_form, other_resident):
    """Ivan lists his case only, even when filtering on Hélène."""
    mine = make_case(population_form, resident=other_resident)
    make_case(population_form)
    assert references(api("other_resident").get(LIST)) == {mine.reference}


@pytest.fixture
def varied(make_case, education_form, education_agent, resident, other_resident, city):
    """Education cases with different statuses, assignees, channels, residents and due dates."""
    today = timezone.localdate()
    agent = education_agent.user
    cases = {
        "mine": make_case(education_form),
        "phone": make_case(education_form, actor=agent, channel="phone", resident=other_resident),
        "waiting": make_case(education_form),
        "late": make_case(education_form),
        "closed_late": make_case(education_form),
    }
    assign_case(case=cases["mine"], assignee=agent, actor=agent)
    transition_case(
        case=cases["waiting"], to_status="waiting", actor=agent, channel="", reason="Pièce ?"
    )
    Case.objects.filter(pk__in=[cases["late"].pk, cases["closed_late"].pk]).update(
        due_date=today - datetime.timedelta(days=3)
    )
    Case.objects.filter(pk=cases["phone"].pk).update(due_date=today + datetime.timedelta(days=60))
    transition_case(
        case=cases["closed_late"], to_status="accepted", actor=agent, channel="", reason="OK"
    )
    return {key: case.reference for key, case in cases.items()}


def test_filters(api, varied, education_agent, other_resident):
    """Each filter keeps the matching cases only."""
    client = api("education_agent")
    today = timezone.localdate()

    def listed(**params):
        return references(client.get(LIST, params))

    everyone = set(varied.values())
    assert listed() == everyone
    assert listed(status="waiting") == {varied["waiting"]}
    assert listed(status="waiting,accepted") == {varied["waiting"], varied["closed_late"]}
    assert listed(procedure="inscription-scolaire") == everyone
    assert listed(procedure="autre") == set()
    assert listed(department="education") == everyone
    assert listed(department="ccas") == set()
    assert listed(assignee="me") == {varied["mine"]}
    assert listed(assignee="ME") == {varied["mine"]}
    assert listed(assignee=str(education_agent.user.pk)) == {varied["mine"]}
    assert listed(assignee="none") == everyone - {varied["mine"]}
    assert listed(resident=str(other_resident.uuid)) == {varied["phone"]}
    assert listed(channel="phone") == {varied["phone"]}
    assert listed(overdue="true") == {varied["late"]}
    assert listed(overdue="false") == everyone - {varied["late"]}
    assert listed(due_before=today.isoformat()) == {varied["late"], varied["closed_late"]}
    in_30_days = (today + datetime.timedelta(days=30)).isoformat()
    assert listed(due_after=in_30_days) == {varied["phone"]}
    assert listed(reference=varied["late"].lower()) == {varied["late"]}
    assert listed(status="submitted", channel="web", overdue="false") == {varied["mine"]}


def test_deadline_states_in_rows(api, varied):
    """Rows carry the same deadline state as the case pages."""
    rows = api("education_agent").get(LIST).json()["results"]
    states = {row["reference"]: row["deadline_state"] for row in rows}
    assert states[varied["late"]] == DeadlineState.OVERDUE
    assert states[varied["waiting"]] == DeadlineState.PAUSED
    assert states[varied["closed_late"]] == DeadlineState.NONE
    assert states[varied["phone"]] == DeadlineState.ON_TIME


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "done"}, "status"),
        ({"status": ","}, "status"),
        ({"assignee": "bob"}, "assignee"),
        ({"assignee": "-1"}, "assignee"),
        ({"assignee": "٣"}, "assignee"),
        ({"resident": "pas-un-uuid"}, "resident"),
        ({"due_before": "31/12/2026"}, "due_before"),
        ({"due_after": "demain"}, "due_after"),
        ({"due_after": "2026-12-31", "due_before": "2026-01-01"}, "due_after"),
        ({"overdue": "peut-être"}, "overdue"),
        ({"channel": "pigeon"}, "channel"),
        ({"reference": "x" * 100}, "reference"),
        ({"reference": "\x00"}, "reference"),
        ({"procedure": "pas un slug"}, "procedure"),
        ({"department": "a\x00b"}, "department"),
    ],
)
def test_bad_filter_values_are_400(api, education_case, params, field):
    """A filter value that makes no sense is a 400 on its name with a French message."""
    response = api("education_agent").get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()
    assert response.json()[field][0]


def test_status_message_lists_the_values(api, education_case):
    """The message says which statuses exist."""
    message = api("education_agent").get(LIST, {"status": "fini"}).json()["status"][0]
    assert message.startswith("Statut inconnu")
    assert "in_progress" in message


def test_list_is_paginated(api, make_case, education_form):
    """Fifty cases per page, with count and next."""
    for _ in range(51):
        make_case(education_form)
    first = api("supervisor").get(LIST).json()
    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"]
    assert api("supervisor").get(LIST, {"page": 99}).status_code == 404


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["supervisor", "education_agent", "resident"])
def test_list_query_count_does_not_grow_with_cases(
    api, persona, make_case, education_form, education_agent, city
):
    """Twenty cases cost as many queries as two, for agents and residents alike."""
    client = api(persona)
    agent = education_agent.user
    for _ in range(2):
        case = make_case(education_form, site=city.annex)
        assign_case(case=case, assignee=agent, actor=agent)
    few = _queries(client, {"overdue": "false"})
    for _ in range(18):
        case = make_case(education_form, site=city.annex)
        assign_case(case=case, assignee=agent, actor=agent)
    assert _queries(client, {"overdue": "false"}) == few
    assert few <= 8
