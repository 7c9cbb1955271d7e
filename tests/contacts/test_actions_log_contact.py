import datetime

import pytest
from django.utils import timezone

from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Callback, ContactEvent
from guichet.organisation.choices import Channel

pytestmark = pytest.mark.django_db


def test_log_contact_records_the_interaction_and_a_created_event(
    city, reception_agent, resident, id_procedure
):
    """A logged contact keeps channel, site, agent, resident, motive and writes a CREATED row."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        resident=resident,
        procedure=id_procedure,
        summary="  Liste des pièces remise.  ",
        duration_minutes=7,
    )
    contact.refresh_from_db()
    assert contact.agent == reception_agent.user
    assert contact.site == city.annex
    assert contact.resident == resident
    assert contact.summary == "Liste des pièces remise."
    assert contact.direction == Direction.INCOMING
    assert contact.motive == id_procedure.title
    event = ContactEvent.objects.get(contact=contact)
    assert event.kind == ContactEvent.Kind.CREATED
    assert event.actor == reception_agent.user
    assert event.details["resident"] == str(resident.uuid)


def test_department_defaults_to_the_procedure_department(city, ccas_agent, ccas_procedure):
    """Without an explicit department, the contact takes the procedure's (here the CCAS)."""
    contact = log_contact(
        actor=ccas_agent.user,
        channel=Channel.PHONE,
        site=None,
        outcome=Outcome.ANSWERED,
        procedure=ccas_procedure,
    )
    assert contact.department == city.ccas


def test_explicit_department_wins_over_the_procedure(city, reception_agent, id_procedure):
    """An explicit department overrides the procedure's."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=None,
        outcome=Outcome.ANSWERED,
        procedure=id_procedure,
        department=city.education,
    )
    assert contact.department == city.education


def test_anonymous_contact_with_free_subject(city, reception_agent):
    """A contact may have no resident and a free subject instead of a procedure."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        site=city.annex,
        outcome=Outcome.ORIENTED_PARTNER,
        subject="Question sur la carte grise",
        oriented_to_partner="Préfecture (ANTS)",
    )
    assert contact.resident is None
    assert contact.department is None
    assert contact.motive == "Question sur la carte grise"
    assert contact.oriented_to_partner == "Préfecture (ANTS)"


def test_callback_outcome_creates_the_callback(city, reception_agent, supervisor, resident):
    """The CALLBACK outcome records who calls back and by when."""
    due = timezone.now() + datetime.timedelta(days=2)
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
        outcome=Outcome.CALLBACK,
        resident=resident,
        subject="Facture",
        callback_assignee=supervisor.user,
        callback_due_at=due,
    )
    callback = Callback.objects.get(contact=contact)
    assert callback.assignee == supervisor.user
    assert callback.due_at == due
    assert callback.done_at is None


def test_callback_fields_are_ignored_for_other_outcomes(city, reception_agent):
    """A callback is only created for the CALLBACK outcome."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        subject="Horaires",
        callback_assignee=reception_agent.user,
        callback_due_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert not Callback.objects.filter(contact=contact).exists()


def test_callback_outcome_without_callback_is_a_programming_error(city, reception_agent):
    """log_contact refuses a CALLBACK outcome with no assignee or due date."""
    with pytest.raises(ValueError, match="callback"):
        log_contact(
            actor=reception_agent.user,
            channel=Channel.PHONE,
            site=city.annex,
            outcome=Outcome.CALLBACK,
            subject="Facture",
        )


def test_contact_without_motive_is_a_programming_error(city, reception_agent):
    """log_contact refuses a contact with neither procedure nor subject."""
    with pytest.raises(ValueError, match="motive"):
        log_contact(
            actor=reception_agent.user,
            channel=Channel.PHONE,
            site=city.annex,
            outcome=Outcome.ANSWERED,
            subject="   ",
        )


def test_naive_datetime_is_refused(city, reception_agent):
    """Only aware datetimes are accepted."""
    with pytest.raises(ValueError, match="aware"):
        log_contact(
            actor=reception_agent.user,
            channel=Channel.MAIL,
            site=city.annex,
            outcome=Outcome.ANSWERED,
            subject="Courrier",
            occurred_at=datetime.datetime(2025, 1, 1, 10, 0),
        )


def test_occurred_at_is_kept(city, reception_agent):
    """A contact logged afterwards keeps the time it happened."""
    when = timezone.now() - datetime.timedelta(hours=3)
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.MAIL,
        site=city.annex,
        outcome=Outcome.REQUEST_FILED,
        subject="Courrier reçu",
        occurred_at=when,
    )
    assert contact.occurred_at == when
    assert contact.created_at > when


def test_free_subject_of_a_ccas_agent_belongs_to_the_ccas(city, ccas_agent):
    """Without procedure nor department, the contact takes the actor's only department."""
    contact = log_contact(
        actor=ccas_agent.user,
        channel=Channel.PHONE,
        site=city.city_hall,
        outcome=Outcome.ANSWERED,
        subject="Impayés de loyer",
    )
    assert contact.department == city.ccas


def test_free_subject_of_a_reception_agent_has_no_department(city, reception_agent):
    """An agent without a department leaves the department empty."""
    contact = log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        subject="Horaires",
    )
    assert contact.department is None
