import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db

URL = reverse("contacts:site_contacts")


def contact_at(site, actor, subject, *, days_ago=0, channel=Channel.PHONE):
    return log_contact(
        actor=actor,
        channel=channel,
        site=site,
        outcome=Outcome.ANSWERED,
        subject=subject,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def contacts(city, reception_agent, helper_agent):
    contact_at(city.annex, reception_agent.user, "Aujourd'hui à l'annexe")
    contact_at(city.annex, reception_agent.user, "Hier à l'annexe", days_ago=1)
    contact_at(city.relais, helper_agent.user, "Aujourd'hui au relais", channel=Channel.COUNTER)


@pytest.mark.parametrize("persona", PERSONAS)
def test_site_contacts_page_is_for_agents(persona, persona_client, city):
    """Every agent has the page; residents get 404."""
    assert persona_client.as_(persona).get(URL).status_code == expected_for_agent_page(persona)


def test_agents_see_todays_contacts_of_their_sites(persona_client, contacts):
    """A reception agent sees today's contacts of her sites, not yesterday's nor other sites'."""
    html = persona_client.as_("reception_agent").get(URL).content.decode()
    assert "Aujourd&#x27;hui à l&#x27;annexe" in html
    assert "Hier à l&#x27;annexe" not in html
    assert "Aujourd&#x27;hui au relais" not in html
    assert "Exporter en CSV" not in html


def test_supervisors_see_past_contacts_and_filter(persona_client, contacts, city):
    """A supervisor sees older contacts of her sites and filters them by date and channel."""
    client = persona_client.as_("supervisor")
    html = client.get(URL).content.decode()
    assert "Hier à l&#x27;annexe" in html
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    html = client.get(URL, {"date_from": yesterday, "date_to": yesterday}).content.decode()
    assert "Hier à l&#x27;annexe" in html
    assert "Aujourd&#x27;hui à l&#x27;annexe" not in html
    html = client.get(URL, {"channel": Channel.EMAIL}).content.decode()
    assert "Aucun contact ne correspond" in html


def test_reversed_dates_get_a_message(persona_client, contacts):
    """A period ending before it starts is explained, not an error page."""
    response = persona_client.as_("supervisor").get(
        URL, {"date_from": "2025-05-10", "date_to": "2025-05-01"}
    )
    assert response.status_code == 200
    assert "La date de fin doit être après la date de début." in response.content.decode()


def test_garbage_filters_do_not_break_the_page(persona_client, contacts):
    """Malformed filter values give messages, never a 500."""
    response = persona_client.as_("supervisor").get(
        URL, {"date_from": "32/13/2025", "site": "x", "agent": "<script>", "page": "abc"}
    )
    assert response.status_code == 200
    assert "Saisissez une date valide" in response.content.decode()


def test_supervisor_exports_csv_without_formulas(persona_client, city, supervisor):
    """The CSV export lists the contacts and neutralises spreadsheet formulas."""
    contact_at(city.annex, supervisor.user, '=HYPERLINK("http://x")')
    response = persona_client.as_("supervisor").get(URL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffDate;Canal;")
    assert "'=HYPERLINK" in text


def test_agents_cannot_export(persona_client, contacts):
    """The CSV export is for supervisors: others get the page."""
    response = persona_client.as_("reception_agent").get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/html")
