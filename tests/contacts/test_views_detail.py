import pytest
from django.urls import reverse

from guichet.audit.models import AccessLog
from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_annex_contact(city, reception_agent):
    """An anonymous contact Alice logged at the northern annex."""
    return log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        subject="Question sans usager",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_of_a_resident_is_open_to_every_agent(persona, persona_client, phone_contact):
    """A contact in a resident's file opens for any agent (as the timeline shows it)."""
    response = persona_client.as_(persona).get(
        reverse("contacts:detail", args=[phone_contact.uuid])
    )
    assert response.status_code == expected_for_agent_page(persona)


ANONYMOUS_CONTACT_READERS = {"reception_agent", "supervisor", "admin_agent", "dpo"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_anonymous_contact_is_open_to_its_site_and_author(
    persona, persona_client, anonymous_annex_contact
):
    """An anonymous contact opens for its author, its site's agents, admins and the DPO."""
    response = persona_client.as_(persona).get(
        reverse("contacts:detail", args=[anonymous_annex_contact.uuid])
    )
    expected = expected_for_agent_page(persona)
    if expected == 200 and persona not in ANONYMOUS_CONTACT_READERS:
        expected = 404
    assert response.status_code == expected


def test_unknown_contact_is_404(persona_client, city):
    """A contact that does not exist answers 404, like a forbidden one."""
    response = persona_client.as_("admin_agent").get(
        reverse("contacts:detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


def test_opening_a_resident_contact_is_logged(persona_client, phone_contact, education_agent):
    """Opening a contact of a resident records an access to the resident's file."""
    persona_client.as_("education_agent").get(reverse("contacts:detail", args=[phone_contact.uuid]))
    entry = AccessLog.objects.get()
    assert entry.user == education_agent.user
    assert entry.resident == phone_contact.resident
    assert entry.page == "contact"


def test_detail_shows_the_content_and_history(persona_client, phone_contact):
    """The detail page shows the motive, summary, outcome and history."""
    html = (
        persona_client.as_("education_agent")
        .get(reverse("contacts:detail", args=[phone_contact.uuid]))
        .content.decode()
    )
    assert "<h1>Carte nationale d&#x27;identité</h1>" in html
    assert "Pièces à apporter expliquées." in html
    assert "Réponse apportée au premier contact" in html
    assert "Historique" in html


def test_detail_offers_to_attach_an_anonymous_contact(persona_client, anonymous_annex_contact):
    """An anonymous contact offers the "attach to a resident" link."""
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("contacts:detail", args=[anonymous_annex_contact.uuid]))
        .content.decode()
    )
    assert reverse("contacts:attach", args=[anonymous_annex_contact.uuid]) in html
