import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guichet.contacts.models import Callback, Contact
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

URL = reverse("api-contact-create")


def payload(**overrides):
    data = {"channel": "phone", "outcome": "answered", "subject": "Horaires"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_agents_create_contacts(persona, persona_client, city):
    """Agents get 201; residents 404; without credentials 401/403."""
    response = persona_client.as_(persona).post(URL, payload(), content_type="application/json")
    if persona == "anonymous":
        assert response.status_code in (401, 403)
    elif persona in {"resident", "other_resident"}:
        assert response.status_code == 404
    else:
        assert response.status_code == 201


def test_create_with_token_for_a_resident(city, reception_agent, resident, id_procedure):
    """An integration logs a contact with a token; the answer is the contact."""
    token = Token.objects.create(user=reception_agent.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        URL,
        payload(
            subject="",
            procedure="carte-identite",
            resident=str(resident.uuid),
            site="mairie-annexe-nord",
            summary="Dossier complet.",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    contact = Contact.objects.get()
    assert body["uuid"] == str(contact.uuid)
    assert body["procedure"] == "carte-identite"
    assert body["department"] == "population"
    assert body["restricted"] is False
    assert contact.resident == resident
    assert contact.agent == reception_agent.user


def test_missing_motive_is_a_400_with_a_french_message(persona_client, city):
    """Neither procedure nor subject: 400 on "subject" with what to do."""
    response = persona_client.as_("reception_agent").post(
        URL, payload(subject=""), content_type="application/json"
    )
    assert response.status_code == 400
    assert "motif" in response.json()["subject"][0]


def test_unknown_resident_is_a_400(persona_client, city):
    """A resident UUID that does not exist is refused on the field."""
    response = persona_client.as_("reception_agent").post(
        URL,
        payload(resident="00000000-0000-0000-0000-000000000000"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "resident" in response.json()


def test_callback_over_the_api(persona_client, supervisor):
    """A callback outcome needs an assignee username and a due date."""
    client = persona_client.as_("reception_agent")
    response = client.post(URL, payload(outcome="callback"), content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"callback_assignee", "callback_due_at"}
    response = client.post(
        URL,
        payload(
            outcome="callback", callback_assignee="elise", callback_due_at="2099-01-01T10:00:00Z"
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Callback.objects.get().assignee == supervisor.user
    assert response.json()["callback"]["assignee"] == "elise"


@pytest.mark.parametrize(
    "field, value",
    [
        ("channel", "pigeon"),
        ("duration_minutes", -3),
        ("subject", "x" * 301),
        ("occurred_at", "hier"),
        ("site", "nowhere"),
    ],
)
def test_bad_values_are_400(persona_client, city, field, value):
    """Invalid values are rejected on their field, never a 500."""
    response = persona_client.as_("reception_agent").post(
        URL, payload(**{field: value}), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
