import pytest
from django.urls import reverse

from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.contacts.models import ContactEvent
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_contact(city, reception_agent):
    return log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.city_hall,
        outcome=Outcome.ANSWERED,
        subject="Question sur une facture",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_attach_page_permissions(persona, persona_client, anonymous_contact):
    """The city hall's agents may attach the contact; residents get 404."""
    response = persona_client.as_(persona).get(
        reverse("contacts:attach", args=[anonymous_contact.uuid])
    )
    expected = expected_for_agent_page(persona)
    if persona == "helper_agent":  # works at the relais only: cannot open this contact
        expected = 404
    assert response.status_code == expected


def test_search_then_attach(persona_client, anonymous_contact, resident):
    """The agent searches the resident by a misspelled name and attaches the contact."""
    client = persona_client.as_("reception_agent")
    url = reverse("contacts:attach", args=[anonymous_contact.uuid])
    html = client.get(url, {"q": "Dupond Helene"}).content.decode()
    assert str(resident.uuid) in html
    response = client.post(url, {"resident": str(resident.uuid)})
    assert response.status_code == 302
    assert response["Location"] == resident.get_absolute_url()
    anonymous_contact.refresh_from_db()
    assert anonymous_contact.resident == resident
    assert ContactEvent.objects.filter(kind=ContactEvent.Kind.ATTACHED).count() == 1


def test_attach_with_a_bogus_resident_says_what_to_do(persona_client, anonymous_contact):
    """A malformed resident identifier gives a message, not an error page."""
    url = reverse("contacts:attach", args=[anonymous_contact.uuid])
    response = persona_client.as_("reception_agent").post(url, {"resident": "<script>"})
    assert response.status_code == 200
    assert "Choisissez l&#x27;usager dans la liste" in response.content.decode()


def test_attach_an_attached_contact_goes_back_to_it(persona_client, phone_contact, other_resident):
    """A contact already attached is not re-attached."""
    url = reverse("contacts:attach", args=[phone_contact.uuid])
    response = persona_client.as_("reception_agent").post(
        url, {"resident": str(other_resident.uuid)}
    )
    assert response.status_code == 302
    phone_contact.refresh_from_db()
    assert phone_contact.resident != other_resident
