import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.contacts.actions import complete_callback
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Callback
from guichet.contacts.timeline import timeline_entries

pytestmark = pytest.mark.django_db


def test_entries_are_newest_first_and_link_to_the_contact(
    resident, reception_agent, phone_contact, callback_contact
):
    """Entries come newest first, each linking to its contact page."""
    entries = timeline_entries(resident, reception_agent.user)
    assert [entry.url for entry in entries] == [
        reverse("contacts:detail", args=[callback_contact.uuid]),
        reverse("contacts:detail", args=[phone_contact.uuid]),
    ]
    assert entries[1].title == "Carte nationale d'identité"
    assert entries[1].channel == "phone" and entries[1].channel_label == "Téléphone"
    assert entries[1].site == "Mairie annexe Nord"
    assert entries[1].agent == reception_agent.user.get_full_name()


def test_callback_badges_follow_the_callback(resident, reception_agent, callback_contact):
    """The badge says when to call back, then that it is late, then that it was done."""
    [entry] = timeline_entries(resident, reception_agent.user)
    assert any(badge.startswith("Rappel prévu avant le") for badge in entry.badges)

    Callback.objects.update(due_at=timezone.now() - datetime.timedelta(hours=1))
    [entry] = timeline_entries(resident, reception_agent.user)
    assert any(badge.startswith("Rappel en retard") for badge in entry.badges)

    complete_callback(
        callback_contact.callback, actor=reception_agent.user, summary="", outcome=Outcome.ANSWERED
    )
    outgoing, original = timeline_entries(resident, reception_agent.user)
    assert "Rappel effectué" in original.badges
    assert outgoing.badges[0] == "Sortant"
