import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guichet.audit.models import AccessLog
from guichet.residents.models import Resident, ResidentChange
from tests.conftest import PERSONAS
from tests.residents.test_views_create import EDITORS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/residents/"


def detail(resident) -> str:
    return f"/api/v1/residents/{resident.uuid}/"


@pytest.fixture
def api(request):
    """api("persona") returns an APIClient authenticated with that persona's token."""

    def client_for(persona: str) -> APIClient:
        client = APIClient()
        if persona != "anonymous":
            user = request.getfixturevalue(persona).user
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 401
    return 200 if persona in allowed else 404


AGENTS = {p for p in PERSONAS if p not in {"anonymous", "resident", "other_resident"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_list(api, helene, persona: str) -> None:
    """Agents list residents; others get 404, no credentials 401."""
    assert api(persona).get(LIST).status_code == expected(persona, AGENTS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_retrieve(api, helene, persona: str) -> None:
    """Agents read a file; others get 404, no credentials 401."""
    assert api(persona).get(detail(helene)).status_code == expected(persona, AGENTS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_update(api, helene, persona: str) -> None:
    """Agents who edit files may PATCH; the DPO and non-agents get 404."""
    response = api(persona).patch(detail(helene), {"city": "Paris"}, format="json")
    assert response.status_code == expected(persona, EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_create(api, persona: str) -> None:
    """Agents who edit files may create; the DPO and non-agents may not."""
    response = api(persona).post(LIST, {"first_names": "Léa", "usage_name": "Roux"}, format="json")
    status = expected(persona, EDITORS)
    assert response.status_code == (201 if status == 200 else status)


def test_list_is_paginated_and_searchable(api, helene, make_resident) -> None:
    """Without q: every active file, paginated; with q: ranked matches."""
    make_resident(first_names="Paul", usage_name="Durand")
    client = api("reception_agent")
    everyone = client.get(LIST).json()
    assert everyone["count"] == 2
    found = client.get(LIST, {"q": "dupond"}).json()
    assert [r["id"] for r in found["results"]] == [str(helene.uuid)]
    assert found["results"][0]["phone"] == "+33612345678"


def test_retrieve_is_recorded_in_the_access_log(api, helene, reception_agent) -> None:
    """Each API read is a row of the access log, marked as API."""
    data = api("reception_agent").get(detail(helene)).json()
    assert data["id"] == str(helene.uuid)
    assert data["display_name"] == "DUPONT Hélène"
    assert data["abilities"]["merge"] is False
    log = AccessLog.objects.get()
    assert (log.user, log.resident, log.page, log.via_api) == (
        reception_agent.user,
        helene,
        "api:resident",
        True,
    )
    assert log.path == detail(helene)


def test_create_answers_409_with_the_possible_duplicates(api, helene) -> None:
    """A look-alike is answered 409 with candidates; confirming creates the file."""
    payload = {"first_names": "Helene", "usage_name": "Dupond", "birth_date": "1980-03-12"}
    client = api("reception_agent")
    response = client.post(LIST, payload, format="json")
    assert response.status_code == 409
    [candidate] = response.json()["candidates"]
    assert candidate["id"] == str(helene.uuid)
    assert candidate["reasons"] == ["même date de naissance et nom proche"]
    assert Resident.objects.count() == 1
    created = client.post(LIST, {**payload, "confirm_not_duplicate": True}, format="json")
    assert created.status_code == 201
    assert Resident.objects.count() == 2


def test_create_normalises_and_records_history(api, reception_agent) -> None:
    """The API goes through create_resident: E.164 phone, history with the channel given."""
    response = api("reception_agent").post(
        LIST,
        {"first_names": "Léa", "usage_name": "Roux", "phone": "06 12 34 56 78", "channel": "web"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["phone"] == "+33612345678"
    change = ResidentChange.objects.get()
    assert (change.actor, change.channel) == (reception_agent.user, "web")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"first_names": "Léa"}, "usage_name"),
        ({"first_names": "Léa", "usage_name": "<b>Roux</b>"}, "usage_name"),
        ({"first_names": "Léa", "usage_name": "Roux", "phone": "12"}, "phone"),
        ({"first_names": "Léa", "usage_name": "Roux", "birth_date": "31/02/1980"}, "birth_date"),
        ({"first_names": "Léa", "usage_name": "Roux", "birth_date": "2999-01-01"}, "birth_date"),
        ({"first_names": "Léa", "usage_name": "Roux", "email": "pas-un-email"}, "email"),
        ({"first_names": "L" * 500, "usage_name": "Roux"}, "first_names"),
        ({"first_names": "Léa", "usage_name": "Roux", "civility": "roi"}, "civility"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, payload, field: str) -> None:
    """Invalid fields are answered 400 with a message per field, nothing created."""
    response = api("reception_agent").post(LIST, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Resident.objects.exists()


def test_patch_updates_through_the_action(api, helene, reception_agent) -> None:
    """PATCH changes only the fields sent and writes the history."""
    response = api("reception_agent").patch(
        detail(helene), {"phone": "+44 20 7946 0958", "channel": "phone"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "+442079460958"
    helene.refresh_from_db()
    assert helene.usage_name == "Dupont"
    change = ResidentChange.objects.get(kind=ResidentChange.Kind.UPDATED)
    assert change.changes == {"phone": ["+33612345678", "+442079460958"]}
    assert change.channel == "phone"


def test_external_id_is_unique(api, make_resident) -> None:
    """Two files cannot share an external identifier."""
    make_resident(external_id="SI-1")
    response = api("reception_agent").post(
        LIST,
        {
            "first_names": "Léa",
            "usage_name": "Roux",
            "external_id": "SI-1",
            "confirm_not_duplicate": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "external_id" in response.json()


def test_put_is_not_offered(api, helene) -> None:
    """Updates are PATCH only."""
    assert api("reception_agent").put(detail(helene), {}, format="json").status_code == 405


def test_unknown_uuid_is_404(api) -> None:
    """An unknown file is 404."""
    response = api("reception_agent").get("/api/v1/residents/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_schema_documents_the_resident_endpoints(api) -> None:
    """The OpenAPI schema lists the endpoints and the 409 answer."""
    response = api("reception_agent").get("/api/v1/schema/", {"format": "json"})
    schema = response.json()
    assert "/api/v1/residents/" in schema["paths"]
    assert "409" in schema["paths"]["/api/v1/residents/"]["post"]["responses"]
    assert "patch" in schema["paths"]["/api/v1/residents/{resident_uuid}/"]
