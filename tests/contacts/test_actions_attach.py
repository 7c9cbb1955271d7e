import pytest

from guichet.contacts.actions import ContactAlreadyAttached, attach_contact_to_resident, log_contact
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Contact, ContactEvent
from guichet.organisation.choices import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_contact(city, reception_agent):
    return log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        subject="Horaires d'ouverture",
    )


def test_attach_links_the_contact_and_writes_history(anonymous_contact, resident, supervisor):
    """Attaching an anonymous contact sets its resident and records who did it."""
    attach_contact_to_resident(anonymous_contact, resident, actor=supervisor.user)
    anonymous_contact.refresh_from_db()
    assert anonymous_contact.resident == resident
    event = ContactEvent.objects.get(contact=anonymous_contact, kind=ContactEvent.Kind.ATTACHED)
    assert event.actor == supervisor.user
    assert event.details == {"resident": str(resident.uuid)}


def test_attach_an_attached_contact_fails(anonymous_contact, resident, other_resident, supervisor):
    """A contact already attached (by someone else meanwhile) is not moved to another resident."""
    attach_contact_to_resident(anonymous_contact, resident, actor=supervisor.user)
    stale = Contact.objects.get(pk=anonymous_contact.pk)
    stale.resident = None
    with pytest.raises(ContactAlreadyAttached):
        attach_contact_to_resident(stale, other_resident, actor=supervisor.user)
    anonymous_contact.refresh_from_db()
    assert anonymous_contact.resident == resident
