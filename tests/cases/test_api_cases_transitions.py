import pytest

from guichet.cases.choices import CaseEventKind, CaseStatus, DeadlineState
from guichet.cases.models import Case
from tests.cases.api_fixtures import transitions_url
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

START = {"status": "in_progress"}


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 401
    if persona == "resident":
        # Their own case: they may see it, and only withdraw it (400 says so); never process it.
        return 400
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_move_a_population_case(api, persona, population_case):
    """Supervisors and administrators process it; readers and others get 404, its resident 400."""
    response = api(persona).post(transitions_url(population_case), START, format="json")
    assert response.status_code == expected(persona, {"supervisor", "admin_agent"})
    moved = Case.objects.get(pk=population_case.pk).status == CaseStatus.IN_PROGRESS
    assert moved is (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_move_an_education_case(api, persona, education_case):
    """The department's agent processes it, with supervisors and administrators."""
    response = api(persona).post(transitions_url(education_case), START, format="json")
    assert response.status_code == expected(
        persona, {"education_agent", "supervisor", "admin_agent"}
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_move_a_confidential_case(api, persona, ccas_case):
    """Only the CCAS processes a CCAS case."""
    response = api(persona).post(transitions_url(ccas_case), START, format="json")
    assert response.status_code == expected(persona, {"ccas_agent"})


def test_transition_answers_the_case_and_records_who(api, education_case, education_agent):
    """The answer is the updated case; the history says who moved it and why."""
    response = api("education_agent").post(
        transitions_url(education_case),
        {"status": "waiting", "reason": "Il manque le livret de famille."},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == CaseStatus.WAITING
    assert body["deadline_state"] == DeadlineState.PAUSED
    event = education_case.events.get(kind=CaseEventKind.STATUS_CHANGED)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        education_agent.user,
        CaseStatus.SUBMITTED,
        CaseStatus.WAITING,
        "Il manque le livret de famille.",
    )
    assert body["events"][-1]["reason"] == "Il manque le livret de famille."


@pytest.mark.parametrize("status", ["waiting", "accepted", "rejected", "cancelled"])
def test_a_missing_reason_is_a_400_in_french(api, education_case, status):
    """Decisions and requests for information need a reason the resident will read."""
    for reason in ("", "   "):
        response = api("education_agent").post(
            transitions_url(education_case), {"status": status, "reason": reason}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Indiquez")
    assert Case.objects.get(pk=education_case.pk).status == CaseStatus.SUBMITTED


def test_a_closed_case_does_not_move(api, education_case):
    """Once decided, no transition leaves the case: 400 with the reason."""
    client = api("education_agent")
    accepted = {"status": "accepted", "reason": "Inscription validée."}
    assert client.post(transitions_url(education_case), accepted, format="json").status_code == 200
    response = client.post(transitions_url(education_case), START, format="json")
    assert response.status_code == 400
    assert "ne peut pas passer" in response.json()["detail"]


def test_same_status_is_not_a_transition(api, education_case):
    """Submitted to submitted is refused."""
    response = api("education_agent").post(
        transitions_url(education_case), {"status": "submitted"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"status": "done"},
        {"status": ""},
        {"status": ["accepted"]},
        {},
        {"status": "rejected", "reason": ["x"]},
        {"status": "rejected", "reason": "x" * 5001},
        {"status": "rejected", "reason": "Motif\u0000"},
    ],
)
def test_bad_bodies_are_400(api, education_case, body):
    """Unknown statuses, wrong types, over-long or unstorable reasons: 400, never a 500."""
    response = api("education_agent").post(transitions_url(education_case), body, format="json")
    assert response.status_code == 400
    assert Case.objects.get(pk=education_case.pk).status == CaseStatus.SUBMITTED


def test_lone_surrogate_in_reason_is_a_400(api, education_case):
    """A reason PostgreSQL could not store is refused at the edge."""
    response = api("education_agent").post(
        transitions_url(education_case),
        '{"status": "rejected", "reason": "Motif \\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_malformed_json_is_a_400(api, education_case):
    """A broken body is a 400."""
    response = api("education_agent").post(
        transitions_url(education_case), '{"status": ', content_type="application/json"
    )
    assert response.status_code == 400
