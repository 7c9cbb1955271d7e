import uuid

import pytest

from guichet.cases.actions import add_note, assign_case, transfer_case, transition_case
from guichet.cases.choices import CaseEventKind, CaseStatus, DeadlineState
from tests.cases.api_fixtures import ANSWERS, LIST, detail_url
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "Dossier suivi par l'assistante sociale, situation d'impayés"


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 401
    return 200 if persona in allowed else 404


# Hélène's own population case: her, front-desk agents, supervisors and administrators.
POPULATION_READERS = {"resident", "reception_agent", "helper_agent", "supervisor", "admin_agent"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_a_case(api, persona, population_case):
    """The resident and agents who may read it get the case; everybody else 404."""
    response = api(persona).get(detail_url(population_case))
    assert response.status_code == expected(persona, POPULATION_READERS)
    if response.status_code == 200:
        assert response.json()["data"] == ANSWERS


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_a_confidential_case(api, persona, ccas_case):
    """A CCAS case: its resident and the CCAS only, not even supervisors."""
    response = api(persona).get(detail_url(ccas_case))
    assert response.status_code == expected(persona, {"resident", "ccas_agent"})


@pytest.mark.parametrize("persona", ["reception_agent", "helper_agent"])
def test_the_agent_who_filed_a_confidential_case_reads_it(
    api, persona, request, make_case, ccas_form, resident
):
    """The filer reads the CCAS case they filed; the other front-desk agent does not."""
    filer = request.getfixturevalue(persona).user
    case = make_case(ccas_form, actor=filer, channel="counter")
    other = "helper_agent" if persona == "reception_agent" else "reception_agent"
    assert api(persona).get(detail_url(case)).status_code == 200
    assert api(other).get(detail_url(case)).status_code == 404


def test_unknown_case_is_404(api, population_case):
    """A UUID that names no case answers like a forbidden one."""
    response = api("supervisor").get(f"{LIST}{uuid.uuid4()}/")
    assert response.status_code == 404


def test_detail_shape_for_an_agent(api, population_case, supervisor):
    """Answers, history with actors, abilities, deadline state and the form version."""
    assign_case(case=population_case, assignee=supervisor.user, actor=supervisor.user)
    body = api("supervisor").get(detail_url(population_case)).json()
    assert body["id"] == str(population_case.uuid)
    assert body["form_version"] == 1
    assert body["deadline_state"] == DeadlineState.ON_TIME
    assert body["assignee"]["username"] == "elise"
    assert [event["kind"] for event in body["events"]] == [
        CaseEventKind.SUBMITTED,
        CaseEventKind.ACKNOWLEDGED,
        CaseEventKind.ASSIGNED,
    ]
    assert body["events"][2]["actor"]["username"] == "elise"
    assert body["abilities"]["process"] is True
    assert body["abilities"]["transitions"] == sorted(
        [
            CaseStatus.IN_PROGRESS,
            CaseStatus.WAITING,
            CaseStatus.ACCEPTED,
            CaseStatus.REJECTED,
            CaseStatus.CANCELLED,
        ]
    )
    assert body["abilities"]["cancel"] is False


def test_front_desk_reads_but_may_not_process(api, population_case):
    """A reception agent sees the case to answer at the counter, with no transition offered."""
    abilities = api("reception_agent").get(detail_url(population_case)).json()["abilities"]
    assert abilities["read"] is True
    assert abilities["process"] is False
    assert abilities["transitions"] == []
    assert abilities["message"] is False


def test_resident_sees_no_internal_event_nor_agent_name(api, population_case, supervisor, city):
    """Assignments, transfers and notes stay internal; the resident sees statuses, not names."""
    actor = supervisor.user
    assign_case(case=population_case, assignee=actor, actor=actor)
    add_note(case=population_case, author=actor, body=INTERNAL_NOTE)
    transition_case(
        case=population_case,
        to_status=CaseStatus.WAITING,
        actor=actor,
        channel="",
        reason="Joignez un justificatif de domicile.",
    )
    transfer_case(case=population_case, department=city.education, actor=actor, note=INTERNAL_NOTE)
    response = api("resident").get(detail_url(population_case))
    assert response.status_code == 200
    body = response.json()
    assert INTERNAL_NOTE not in response.content.decode()
    assert "elise" not in response.content.decode()
    assert body["assignee"] is None
    assert [event["kind"] for event in body["events"]] == [
        CaseEventKind.SUBMITTED,
        CaseEventKind.ACKNOWLEDGED,
        CaseEventKind.STATUS_CHANGED,
    ]
    assert body["events"][2]["reason"] == "Joignez un justificatif de domicile."
    assert all(event["actor"] is None for event in body["events"])
    assert body["deadline_state"] == DeadlineState.PAUSED
    assert body["abilities"]["cancel"] is True
    assert body["abilities"]["process"] is False
    agent_view = api("supervisor").get(detail_url(population_case)).json()
    assert CaseEventKind.TRANSFERRED in [event["kind"] for event in agent_view["events"]]


def test_decided_case_shows_its_reason_and_no_deadline(api, population_case, supervisor):
    """A closed case has no deadline state and carries the decision's reason."""
    transition_case(
        case=population_case,
        to_status=CaseStatus.ACCEPTED,
        actor=supervisor.user,
        channel="",
        reason="Acte envoyé par courrier.",
    )
    body = api("resident").get(detail_url(population_case)).json()
    assert body["status"] == CaseStatus.ACCEPTED
    assert body["decision_reason"] == "Acte envoyé par courrier."
    assert body["deadline_state"] == DeadlineState.NONE
    assert body["closed_at"] is not None
    assert body["abilities"]["message"] is False
