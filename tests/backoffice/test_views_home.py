import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.fixtures import CCAS_SECRET
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:home")


@pytest.mark.parametrize("persona", PERSONAS)
def test_console_is_for_agents(persona, persona_client, city):
    """Agents open the console; residents get 404; anonymous visitors log in first."""
    assert persona_client.as_(persona).get(URL).status_code == expected_for_agent_page(persona)


def test_console_has_one_labelled_search_box(persona_client, city):
    """The search box is labelled, autofocused, suggests as you type and works without JS."""
    html = persona_client.as_("reception_agent").get(URL).content.decode()
    assert '<label for="console-search">' in html
    assert 'id="console-search"' in html and " autofocus" in html
    assert f'data-combobox-source="{reverse("backoffice:suggestions")}"' in html
    assert 'id="console-search-status" class="visually-hidden" role="status"' in html
    assert "guichet/combobox.js" in html
    assert f'action="{reverse("backoffice:search")}"' in html
    assert reverse("residents:create") in html
    assert reverse("contacts:log") in html


def test_console_lists_my_callbacks_and_todays_contacts(
    persona_client, callback_contact, ccas_contact, city, reception_agent
):
    """The console shows my callbacks and today's contacts of my sites, confidential ones closed."""
    log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        subject="Contact d'hier",
        occurred_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = persona_client.as_("reception_agent").get(URL).content.decode()
    assert "Question sur une facture de cantine" in html
    assert "Contact confidentiel (CCAS)" in html
    assert CCAS_SECRET not in html
    assert "Contact d&#x27;hier" not in html
