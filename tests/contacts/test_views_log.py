import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.contacts.choices import Outcome
from guichet.contacts.models import Callback, Contact
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db

URL = reverse("contacts:log")


def post_data(**overrides):
    data = {
        "channel": Channel.PHONE,
        "outcome": Outcome.ANSWERED,
        "direction": "in",
        "motive": "Horaires de la mairie annexe",
        "summary": "Horaires donnés.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_log_page_is_for_agents(persona, persona_client, city):
    """Agents open the log form; residents get 404; anonymous visitors are sent to log in."""
    response = persona_client.as_(persona).get(URL)
    assert response.status_code == expected_for_agent_page(persona)


def test_log_an_anonymous_contact(persona_client, reception_agent, city):
    """A valid form logs an anonymous contact and opens it."""
    response = persona_client.as_("reception_agent").post(URL, post_data(site=city.annex.pk))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.uuid])
    assert contact.resident is None
    assert contact.agent == reception_agent.user
    assert contact.subject == "Horaires de la mairie annexe"
    assert contact.site == city.annex


def test_log_for_a_resident_goes_back_to_the_file(persona_client, resident):
    """With ?usager=, the contact is attached and the agent returns to the resident's file."""
    response = persona_client.as_("reception_agent").post(
        f"{URL}?usager={resident.uuid}", post_data()
    )
    assert response.status_code == 302
    assert response["Location"] == resident.get_absolute_url()
    assert Contact.objects.get().resident == resident


def test_motive_naming_a_procedure_links_it(persona_client, id_procedure, city):
    """A motive equal to a procedure title (accents and case aside) links that procedure."""
    persona_client.as_("reception_agent").post(URL, post_data(motive="carte nationale d IDENTITE"))
    contact = Contact.objects.get()
    assert contact.procedure == id_procedure
    assert contact.subject == ""
    assert contact.department == city.population


def test_procedure_link_from_the_console_prefills_the_motive(persona_client, id_procedure):
    """?demarche=<slug> prefills the motive with the procedure's title."""
    html = persona_client.as_("reception_agent").get(f"{URL}?demarche=carte-identite").content
    assert b'value="Carte nationale d&#x27;identit\xc3\xa9"' in html


def test_missing_motive_keeps_what_was_typed(persona_client):
    """Without a motive the form says what to do and keeps the typed summary."""
    response = persona_client.as_("reception_agent").post(
        URL, post_data(motive="", summary="<script>alert('x')</script> Bonjour")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le motif du contact" in html
    assert 'role="alert"' in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Bonjour" in html
    assert "<script>alert" not in html
    assert not Contact.objects.exists()


def test_too_long_motive_is_refused_and_kept(persona_client):
    """A motive longer than 300 characters is refused with a message, the text kept."""
    motive = "é" * 400
    response = persona_client.as_("reception_agent").post(URL, post_data(motive=motive))
    html = response.content.decode()
    assert response.status_code == 200
    assert "au plus 300 caractères" in html
    assert motive in html
    assert not Contact.objects.exists()


def test_wrong_date_is_refused(persona_client):
    """An impossible date gets a message and the details section opens on it."""
    response = persona_client.as_("reception_agent").post(
        URL, post_data(occurred_at="31/02/2025 10:00")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une date et une heure valides" in html
    assert "<details open>" in html


def test_future_date_is_refused(persona_client):
    """A contact cannot be dated tomorrow."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    response = persona_client.as_("reception_agent").post(
        URL, post_data(occurred_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
    )
    assert "La date du contact est dans le futur" in response.content.decode()
    assert not Contact.objects.exists()


def test_callback_needs_a_due_date(persona_client, reception_agent):
    """The callback outcome without a due date asks for one."""
    response = persona_client.as_("reception_agent").post(
        URL,
        post_data(
            outcome=Outcome.CALLBACK, callback_assignee=reception_agent.user.pk, callback_due_at=""
        ),
    )
    assert "Indiquez avant quand rappeler l&#x27;usager." in response.content.decode()
    assert not Contact.objects.exists()


def test_callback_in_the_past_is_refused(persona_client, reception_agent):
    """A callback due yesterday is refused."""
    response = persona_client.as_("reception_agent").post(
        URL,
        post_data(
            outcome=Outcome.CALLBACK,
            callback_assignee=reception_agent.user.pk,
            callback_due_at="2020-01-01T10:00",
        ),
    )
    assert "La date de rappel est déjà passée" in response.content.decode()


def test_callback_to_a_resident_account_is_refused(persona_client, resident):
    """Only agents can be asked to call back."""
    response = persona_client.as_("reception_agent").post(
        URL,
        post_data(
            outcome=Outcome.CALLBACK,
            callback_assignee=resident.user.pk,
            callback_due_at="2099-01-01T10:00",
        ),
    )
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_callback_is_created(persona_client, supervisor):
    """A valid callback outcome creates the callback for the chosen agent."""
    persona_client.as_("reception_agent").post(
        URL,
        post_data(
            outcome=Outcome.CALLBACK,
            callback_assignee=supervisor.user.pk,
            callback_due_at="2099-01-01T10:00",
        ),
    )
    callback = Callback.objects.get()
    assert callback.assignee == supervisor.user
    assert timezone.localtime(callback.due_at).hour == 10


def test_orientation_details_are_dropped_for_another_outcome(persona_client, city):
    """A partner typed before switching to "answered" is not recorded."""
    persona_client.as_("reception_agent").post(
        URL, post_data(outcome=Outcome.ANSWERED, oriented_to_partner="CAF")
    )
    assert Contact.objects.get().oriented_to_partner == ""


def test_orientation_to_a_partner_needs_the_partner(persona_client):
    """Oriented to a partner: the partner is required."""
    response = persona_client.as_("reception_agent").post(
        URL, post_data(outcome=Outcome.ORIENTED_PARTNER)
    )
    assert "Indiquez le partenaire" in response.content.decode()


def test_the_site_used_is_remembered(persona_client, city):
    """The next form preselects the site of the agent's last contact."""
    client = persona_client.as_("reception_agent")
    client.post(URL, post_data(site=city.annex.pk))
    html = client.get(URL).content.decode()
    assert f'<option value="{city.annex.pk}" selected>' in html


def test_unknown_resident_in_query_is_404(persona_client):
    """A resident UUID that does not exist gives 404."""
    response = persona_client.as_("reception_agent").get(
        f"{URL}?usager=00000000-0000-0000-0000-000000000000"
    )
    assert response.status_code == 404
