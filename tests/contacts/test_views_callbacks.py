import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Callback, Contact
from guichet.organisation.choices import Channel
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_callbacks_page_is_for_agents(persona, persona_client, city):
    """Every agent has a callbacks page; residents get 404."""
    response = persona_client.as_(persona).get(reverse("contacts:callbacks"))
    assert response.status_code == expected_for_agent_page(persona)


def test_my_callbacks_list_overdue_first(persona_client, city, reception_agent, resident):
    """My open callbacks are listed, the overdue one first and flagged."""
    now = timezone.now()
    for subject, delta in (("Troisième", 3), ("Premier", -1), ("Deuxième", 1)):
        contact = log_contact(
            actor=reception_agent.user,
            channel=Channel.PHONE,
            site=city.annex,
            outcome=Outcome.CALLBACK,
            resident=resident,
            subject=subject,
            callback_assignee=reception_agent.user,
            callback_due_at=now + datetime.timedelta(days=3),
        )
        Callback.objects.filter(contact=contact).update(due_at=now + datetime.timedelta(days=delta))
    html = persona_client.as_("reception_agent").get(reverse("contacts:callbacks")).content.decode()
    assert html.index("Premier</a>") < html.index("Deuxième</a>") < html.index("Troisième</a>")
    assert 'class="badge warn"' in html


def test_others_do_not_see_my_callbacks(persona_client, callback_contact):
    """A callback appears only in its assignee's list."""
    html = persona_client.as_("supervisor").get(reverse("contacts:callbacks")).content.decode()
    assert "facture de cantine" not in html


CALLBACK_HANDLERS = {"reception_agent", "supervisor", "admin_agent"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_mark_a_callback_done(persona, persona_client, callback_contact):
    """The assignee, the site's supervisors and admins may; other agents get 404."""
    response = persona_client.as_(persona).get(
        reverse("contacts:callback_done", args=[callback_contact.uuid])
    )
    expected = expected_for_agent_page(persona)
    if expected == 200 and persona not in CALLBACK_HANDLERS:
        expected = 404
    assert response.status_code == expected


def test_mark_done_logs_the_outgoing_call(persona_client, callback_contact, reception_agent):
    """Marking done logs the outgoing call and empties my list."""
    client = persona_client.as_("reception_agent")
    response = client.post(
        reverse("contacts:callback_done", args=[callback_contact.uuid]),
        {"channel": Channel.PHONE, "outcome": Outcome.ANSWERED, "summary": "Montant : 42 €."},
    )
    assert response.status_code == 302
    outgoing = Contact.objects.get(direction=Direction.OUTGOING)
    assert outgoing.summary == "Montant : 42 €."
    assert outgoing.agent == reception_agent.user
    html = client.get(reverse("contacts:callbacks")).content.decode()
    assert "Aucun rappel en attente" in html


def test_mark_done_twice_says_it_is_done(persona_client, callback_contact):
    """A second submission does not log a second call and says why."""
    client = persona_client.as_("reception_agent")
    url = reverse("contacts:callback_done", args=[callback_contact.uuid])
    data = {"channel": Channel.PHONE, "outcome": Outcome.ANSWERED, "summary": ""}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "Ce rappel a déjà été effectué." in response.content.decode()
    assert Contact.objects.filter(direction=Direction.OUTGOING).count() == 1


def test_mark_done_with_a_bad_outcome_keeps_the_summary(persona_client, callback_contact):
    """An outcome that needs details is refused, the typed summary kept."""
    response = persona_client.as_("reception_agent").post(
        reverse("contacts:callback_done", args=[callback_contact.uuid]),
        {"channel": Channel.PHONE, "outcome": Outcome.CALLBACK, "summary": "Pas de réponse"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pas de réponse" in html
    assert 'role="alert"' in html
    assert not Contact.objects.filter(direction=Direction.OUTGOING).exists()


def test_reassign_to_a_colleague(persona_client, callback_contact, supervisor):
    """Reassigning moves the callback into the colleague's list."""
    persona_client.as_("reception_agent").post(
        reverse("contacts:callback_reassign", args=[callback_contact.uuid]),
        {"assignee": supervisor.user.pk, "due_at": ""},
    )
    callback_contact.callback.refresh_from_db()
    assert callback_contact.callback.assignee == supervisor.user


def test_reassign_with_a_past_date_is_refused(persona_client, callback_contact, supervisor):
    """A due date in the past is refused with a message."""
    response = persona_client.as_("reception_agent").post(
        reverse("contacts:callback_reassign", args=[callback_contact.uuid]),
        {"assignee": supervisor.user.pk, "due_at": "2001-01-01T09:00"},
    )
    assert "La date de rappel est déjà passée" in response.content.decode()
