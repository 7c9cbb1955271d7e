import pytest
from django.urls import reverse

from guichet.audit.models import AccessLog
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_agents_list_a_residents_contacts(persona, persona_client, resident, phone_contact):
    """Agents get the list; residents (even the one concerned) 404; no credentials 401/403."""
    response = persona_client.as_(persona).get(
        reverse("api-resident-contacts", args=[resident.uuid])
    )
    if persona == "anonymous":
        assert response.status_code in (401, 403)
    elif persona in {"resident", "other_resident"}:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.json()["count"] == 1


def test_list_is_newest_first_and_logged(
    persona_client, resident, phone_contact, callback_contact, dpo
):
    """Contacts come newest first and the read is written to the access log as an API access."""
    response = persona_client.as_("dpo").get(reverse("api-resident-contacts", args=[resident.uuid]))
    uuids = [item["uuid"] for item in response.json()["results"]]
    assert uuids == [str(callback_contact.uuid), str(phone_contact.uuid)]
    entry = AccessLog.objects.get()
    assert entry.user == dpo.user and entry.via_api and entry.page == "api_contacts"


def test_unknown_resident_is_404(persona_client, city):
    """An unknown resident answers 404."""
    response = persona_client.as_("reception_agent").get(
        reverse("api-resident-contacts", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404
