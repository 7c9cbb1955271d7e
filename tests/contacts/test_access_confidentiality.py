"""The confidentiality matrix: who reads the content of a CCAS contact, on every surface."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from guichet.contacts.access import can_read_content
from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.contacts.timeline import timeline_entries
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.fixtures import CCAS_SECRET, CCAS_SUBJECT_SECRET
from tests.contacts.helpers import AGENT_PERSONAS

pytestmark = pytest.mark.django_db

AGENTS = AGENT_PERSONAS
READERS = {"ccas_agent"}
OUTSIDERS = sorted(set(AGENTS) - READERS)


def user_of(request, persona):
    if persona == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(persona).user


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_ccas_agents_read_a_ccas_contact(request, persona, ccas_contact):
    """can_read_content is true for the CCAS agent only (and the author, who is the CCAS agent)."""
    assert can_read_content(user_of(request, persona), ccas_contact) is (persona in READERS)


@pytest.mark.parametrize("persona", AGENTS)
def test_every_agent_reads_an_ordinary_contact(request, persona, phone_contact):
    """A contact of a non-confidential department is readable by every agent."""
    assert can_read_content(user_of(request, persona), phone_contact)


def test_author_outside_the_ccas_reads_what_they_logged(city, reception_agent, ccas_procedure):
    """The agent who logged a CCAS contact keeps reading it though not in the CCAS."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ORIENTED_DEPARTMENT,
        procedure=ccas_procedure,
        oriented_to_department=city.ccas,
        summary=CCAS_SECRET,
    )
    assert can_read_content(reception_agent.user, contact)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_timeline_entry_of_outsiders_carries_no_content(
    request, persona, resident, ccas_contact, ccas_free_subject_contact, ccas_procedure
):
    """Outsiders get restricted entries: when, channel, site, and nothing of the content."""
    entries = timeline_entries(resident, user_of(request, persona))
    assert len(entries) == 2
    for entry in entries:
        assert entry.restricted
        assert entry.title == "Contact confidentiel (CCAS)"
        assert entry.summary == "" and entry.agent == "" and entry.badges == ()
        assert entry.site == "Hôtel de Ville"
        dumped = repr(entry)
        for secret in (CCAS_SECRET, CCAS_SUBJECT_SECRET, ccas_procedure.title):
            assert secret not in dumped


def test_timeline_entry_of_the_ccas_agent_has_the_content(resident, ccas_agent, ccas_contact):
    """The CCAS agent's entry shows motive, summary and outcome."""
    [entry] = timeline_entries(resident, ccas_agent.user)
    assert not entry.restricted
    assert entry.summary == CCAS_SECRET
    assert "Réponse apportée au premier contact" in entry.badges


@pytest.mark.parametrize("persona", ["anonymous", "resident", "other_resident"])
def test_non_agents_get_no_timeline_entries(request, persona, resident, phone_contact):
    """Residents never see the agents' contact log."""
    assert timeline_entries(resident, user_of(request, persona)) == []


@pytest.mark.parametrize("persona", AGENTS)
def test_contact_page_hides_the_content_from_outsiders(
    persona, persona_client, ccas_free_subject_contact
):
    """The contact page says a CCAS contact happened, its content only to the CCAS."""
    response = persona_client.as_(persona).get(
        reverse("contacts:detail", args=[ccas_free_subject_contact.uuid])
    )
    html = response.content.decode()
    assert response.status_code == 200
    if persona in READERS:
        assert CCAS_SECRET in html and CCAS_SUBJECT_SECRET in html
    else:
        assert CCAS_SECRET not in html and CCAS_SUBJECT_SECRET not in html
        assert "Contact confidentiel (CCAS)" in html


@pytest.mark.parametrize("persona", AGENTS)
def test_api_hides_the_content_from_outsiders(persona, persona_client, resident, ccas_contact):
    """The API lists a CCAS contact as restricted, with every content field null."""
    response = persona_client.as_(persona).get(
        reverse("api-resident-contacts", args=[resident.uuid])
    )
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["channel"] == "counter" and item["site"] == "hotel-de-ville"
    if persona in READERS:
        assert item["restricted"] is False
        assert item["summary"] == CCAS_SECRET
    else:
        assert item["restricted"] is True
        assert item["summary"] is None and item["procedure"] is None and item["motive"] is None
        assert CCAS_SECRET not in response.content.decode()


def test_site_contacts_and_csv_hide_the_content_from_a_supervisor(
    persona_client, ccas_free_subject_contact
):
    """The supervisor's list and CSV show the CCAS contact without its content."""
    client = persona_client.as_("supervisor")
    html = client.get(reverse("contacts:site_contacts")).content.decode()
    assert "Contact confidentiel (CCAS)" in html
    assert CCAS_SECRET not in html and CCAS_SUBJECT_SECRET not in html
    response = client.get(reverse("contacts:site_contacts") + "?format=csv")
    csv_text = b"".join(response.streaming_content).decode()
    assert "Contact confidentiel (CCAS)" in csv_text
    assert CCAS_SECRET not in csv_text and CCAS_SUBJECT_SECRET not in csv_text
