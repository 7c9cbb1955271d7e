import pytest
from django.urls import reverse

from guichet.audit.models import AccessLog
from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Contact
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.fixtures import CCAS_SECRET, CCAS_SUBJECT_SECRET
from tests.contacts.helpers import AGENT_PERSONAS, expected_for_agent_page
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def url(resident):
    return reverse("backoffice:resident", args=[resident.uuid])


@pytest.mark.parametrize("persona", PERSONAS)
def test_resident_page_is_for_agents(persona, persona_client, resident):
    """Agents open any resident's file; residents (even their own) get 404."""
    assert persona_client.as_(persona).get(url(resident)).status_code == expected_for_agent_page(
        persona
    )


def test_unknown_resident_is_404(persona_client, city):
    """A file that does not exist is 404."""
    response = persona_client.as_("reception_agent").get(
        reverse("backoffice:resident", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", AGENT_PERSONAS)
def test_every_opening_is_logged(persona, request, persona_client, resident):
    """Opening the file writes who, which resident and which page to the access log."""
    persona_client.as_(persona).get(url(resident) + "?page=1")
    entry = AccessLog.objects.get()
    assert entry.user == request.getfixturevalue(persona).user
    assert entry.resident == resident
    assert entry.page == "resident"
    assert entry.path == url(resident) + "?page=1"


def test_page_shows_identity_household_documents_and_timeline(
    persona_client, resident, phone_contact
):
    """The file shows the residents partials, the timeline and the quick contact form."""
    html = persona_client.as_("reception_agent").get(url(resident)).content.decode()
    assert "<h1>DUPONT Hélène</h1>" in html
    assert 'id="resident-identity-title"' in html
    assert 'id="resident-household-title"' in html
    assert 'id="resident-documents-title"' in html
    assert "Pièces à apporter expliquées." in html
    assert 'id="contact-form"' in html


def test_quick_form_is_preset_for_a_phone_answer(persona_client, resident, id_procedure):
    """Channel is preset to phone and outcome to answered; the motive has focus and suggestions."""
    html = persona_client.as_("reception_agent").get(url(resident)).content.decode()
    assert '<option value="phone" selected>Téléphone</option>' in html
    assert '<option value="answered" selected>' in html
    assert 'list="motive-suggestions"' in html and "autofocus" in html
    assert '<option value="Carte nationale d&#x27;identité"></option>' in html


def test_quick_log_with_three_fields(persona_client, resident, id_procedure, reception_agent):
    """Posting motive and summary (the rest preset) logs a phone contact for the resident."""
    client = persona_client.as_("reception_agent")
    page = client.get(url(resident))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(motive="Carte nationale d'identité", summary="Pièces expliquées.")
    response = client.post(url(resident), data)
    assert response.status_code == 302
    assert response["Location"] == url(resident)
    contact = Contact.objects.get()
    assert contact.channel == Channel.PHONE
    assert contact.outcome == Outcome.ANSWERED
    assert contact.procedure == id_procedure
    assert contact.resident == resident
    assert contact.agent == reception_agent.user


def test_quick_log_error_keeps_the_input_on_the_page(persona_client, resident):
    """An invalid quick form re-renders the file with the message and the typed text."""
    response = persona_client.as_("reception_agent").post(
        url(resident),
        {"channel": "phone", "outcome": "answered", "direction": "in", "summary": "x" * 6000},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le motif du contact" in html
    assert "au plus 5000 caractères" in html
    assert "x" * 6000 in html
    assert not Contact.objects.exists()


@pytest.mark.parametrize("persona", sorted(set(AGENT_PERSONAS) - {"ccas_agent"}))
def test_ccas_content_is_absent_from_the_file(
    persona, persona_client, resident, ccas_free_subject_contact
):
    """Outsiders see that a CCAS contact happened, never its content."""
    html = persona_client.as_(persona).get(url(resident)).content.decode()
    assert "Contact confidentiel (CCAS)" in html
    assert CCAS_SECRET not in html and CCAS_SUBJECT_SECRET not in html


def test_ccas_agent_reads_the_content(persona_client, resident, ccas_free_subject_contact):
    """The CCAS agent reads the CCAS contact in the file."""
    html = persona_client.as_("ccas_agent").get(url(resident)).content.decode()
    assert CCAS_SECRET in html and CCAS_SUBJECT_SECRET in html


def test_timeline_filters_by_channel(persona_client, resident, phone_contact, ccas_contact):
    """Filtering by channel keeps the entries of that channel."""
    html = persona_client.as_("ccas_agent").get(url(resident), {"canal": "counter"}).content
    html = html.decode()
    assert CCAS_SECRET in html
    assert "Pièces à apporter expliquées." not in html
    assert "1 élément correspond aux filtres sur 2." in html


def test_timeline_htmx_fragment(persona_client, resident, phone_contact):
    """The filter and pagination requests get the timeline fragment and still log the access."""
    response = persona_client.as_("reception_agent").get(
        url(resident), {"canal": "phone"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="timeline"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html
    assert "Pièces à apporter expliquées." in html
    assert AccessLog.objects.count() == 1


def test_timeline_is_paginated(persona_client, city, reception_agent, resident):
    """Twenty entries a page, newest first, with a link to older ones."""
    for number in range(25):
        log_contact(
            actor=reception_agent.user,
            channel=Channel.PHONE,
            site=city.annex,
            outcome=Outcome.ANSWERED,
            resident=resident,
            subject=f"Sujet numéro {number:02d}",
        )
    client = persona_client.as_("reception_agent")
    html = client.get(url(resident)).content.decode()
    assert "Sujet numéro 24" in html and "Sujet numéro 04" not in html
    assert "Plus anciens" in html
    html = client.get(url(resident), {"page": "2"}).content.decode()
    assert "Sujet numéro 04" in html and "Sujet numéro 24" not in html


def test_page_queries_do_not_grow_with_contacts(
    persona_client, city, reception_agent, resident, django_assert_max_num_queries
):
    """The file with 500 contacts needs no more queries than with one (bounded)."""
    contacts = [
        Contact(
            channel=Channel.PHONE,
            site=city.annex,
            agent=reception_agent.user,
            resident=resident,
            subject=f"Sujet {number}",
            summary="Résumé",
            outcome=Outcome.ANSWERED,
            department=city.ccas if number % 10 == 0 else None,
        )
        for number in range(500)
    ]
    Contact.objects.bulk_create(contacts)
    client = persona_client.as_("reception_agent")
    client.get(url(resident))  # warm the session and caches like any second page
    with django_assert_max_num_queries(20):
        response = client.get(url(resident))
    assert response.status_code == 200
    assert "500 éléments dans la chronologie." in response.content.decode()


def test_merged_file_redirects_to_the_kept_one(persona_client, resident):
    """An old link to a merged duplicate opens the file that was kept."""
    duplicate = ResidentFactory(is_active=False, merged_into=resident)
    response = persona_client.as_("reception_agent").get(url(duplicate))
    assert response.status_code == 302
    assert response["Location"] == url(resident)
