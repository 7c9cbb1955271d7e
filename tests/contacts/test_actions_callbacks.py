import datetime
import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from guichet.contacts.actions import (
    CallbackAlreadyDone,
    complete_callback,
    reassign_callback,
)
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Callback, Contact, ContactEvent
from guichet.organisation.choices import Channel

pytestmark = pytest.mark.django_db


def test_complete_callback_logs_the_outgoing_call_and_closes_it(callback_contact, reception_agent):
    """Completing a callback logs an outgoing contact on the same thread and marks it done."""
    callback = callback_contact.callback
    done = complete_callback(
        callback, actor=reception_agent.user, summary="Montant donné.", outcome=Outcome.ANSWERED
    )
    callback.refresh_from_db()
    assert callback.done_at is not None
    assert callback.done_by == reception_agent.user
    assert callback.done_contact == done
    assert done.direction == Direction.OUTGOING
    assert done.channel == Channel.PHONE
    assert done.resident == callback_contact.resident
    assert done.subject == callback_contact.subject
    assert done.site == callback_contact.site
    assert ContactEvent.objects.filter(
        contact=callback_contact, kind=ContactEvent.Kind.CALLBACK_DONE
    ).exists()


def test_complete_callback_twice_fails(callback_contact, reception_agent):
    """A done callback cannot be completed again (no second outgoing contact)."""
    callback = callback_contact.callback
    complete_callback(callback, actor=reception_agent.user, summary="", outcome=Outcome.ANSWERED)
    stale = Callback.objects.get(pk=callback.pk)
    stale.done_at = None  # what a second agent's page still shows
    with pytest.raises(CallbackAlreadyDone):
        complete_callback(stale, actor=reception_agent.user, summary="", outcome=Outcome.ANSWERED)
    assert Contact.objects.filter(direction=Direction.OUTGOING).count() == 1


def test_complete_callback_refuses_outcomes_needing_details(callback_contact, reception_agent):
    """complete_callback cannot record an orientation or a new callback."""
    with pytest.raises(ValueError):
        complete_callback(
            callback_contact.callback,
            actor=reception_agent.user,
            summary="",
            outcome=Outcome.CALLBACK,
        )


def test_reassign_callback_changes_assignee_and_due_date(
    callback_contact, supervisor, reception_agent
):
    """Reassigning records the new assignee, the new due date and a history row."""
    due = timezone.now() + datetime.timedelta(days=5)
    callback = reassign_callback(
        callback_contact.callback, actor=reception_agent.user, assignee=supervisor.user, due_at=due
    )
    callback.refresh_from_db()
    assert callback.assignee == supervisor.user
    assert callback.due_at == due
    event = ContactEvent.objects.get(kind=ContactEvent.Kind.CALLBACK_REASSIGNED)
    assert event.details["from"] == reception_agent.user.pk
    assert event.details["to"] == supervisor.user.pk


def test_reassign_done_callback_fails(callback_contact, supervisor, reception_agent):
    """A done callback cannot be reassigned (which would reopen it)."""
    complete_callback(
        callback_contact.callback, actor=reception_agent.user, summary="", outcome=Outcome.ANSWERED
    )
    stale = Callback.objects.get(pk=callback_contact.callback.pk)
    stale.done_at = None
    with pytest.raises(CallbackAlreadyDone):
        reassign_callback(stale, actor=supervisor.user, assignee=supervisor.user)


@pytest.mark.django_db(transaction=True)
def test_two_agents_completing_at_once_log_one_call(callback_contact, reception_agent, supervisor):
    """When two agents complete the same callback concurrently, exactly one call is logged."""
    callback_id = callback_contact.callback.pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def complete(user):
        try:
            callback = Callback.objects.get(pk=callback_id)
            barrier.wait()
            complete_callback(callback, actor=user, summary="", outcome=Outcome.ANSWERED)
            outcomes.append("done")
        except CallbackAlreadyDone:
            outcomes.append("already done")
        except OperationalError:
            # SQLite's shared-cache test database answers "table is locked" at once where a
            # file database waits (busy_timeout): the second agent fails either way.
            assert connection.vendor == "sqlite"
            outcomes.append("already done")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=complete, args=(user,))
        for user in (reception_agent.user, supervisor.user)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already done", "done"]
    assert Contact.objects.filter(direction=Direction.OUTGOING).count() == 1
    assert ContactEvent.objects.filter(kind=ContactEvent.Kind.CALLBACK_DONE).count() == 1
