"""Fixtures of the contact log, shared by the contacts, audit and back-office tests."""

import datetime

import pytest
from django.utils import timezone

from guichet.catalogue.models import Procedure
from guichet.contacts.actions import log_contact
from guichet.contacts.choices import Outcome
from guichet.contacts.models import Contact
from guichet.organisation.choices import Channel
from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.conftest import City
from tests.factories import ProcedureFactory

# Text that must never reach anyone outside the CCAS (and its author).
CCAS_SECRET = "Dettes de loyer, expulsion annoncée en mars"
CCAS_SUBJECT_SECRET = "Impayés de loyer"


@pytest.fixture
def id_procedure(city: City) -> Procedure:
    procedure: Procedure = ProcedureFactory(
        slug="carte-identite",
        title="Carte nationale d'identité",
        department=city.population,
    )
    return procedure


@pytest.fixture
def ccas_procedure(city: City) -> Procedure:
    procedure: Procedure = ProcedureFactory(
        slug="aide-sociale-facultative",
        title="Demander une aide financière au CCAS",
        department=city.ccas,
    )
    return procedure


@pytest.fixture
def ccas_contact(
    city: City, ccas_agent: Agent, resident: Resident, ccas_procedure: Procedure
) -> Contact:
    """A confidential exchange Bruno (CCAS) had with Hélène at the city hall."""
    return log_contact(
        actor=ccas_agent.user,
        channel=Channel.COUNTER,
        site=city.city_hall,
        outcome=Outcome.ANSWERED,
        resident=resident,
        procedure=ccas_procedure,
        summary=CCAS_SECRET,
        duration_minutes=25,
    )


@pytest.fixture
def ccas_free_subject_contact(city: City, ccas_agent: Agent, resident: Resident) -> Contact:
    """A CCAS exchange whose motive is a free subject (the subject is content too)."""
    return log_contact(
        actor=ccas_agent.user,
        channel=Channel.PHONE,
        site=city.city_hall,
        outcome=Outcome.ANSWERED,
        resident=resident,
        subject=CCAS_SUBJECT_SECRET,
        department=city.ccas,
        summary=CCAS_SECRET,
    )


@pytest.fixture
def phone_contact(
    city: City, reception_agent: Agent, resident: Resident, id_procedure: Procedure
) -> Contact:
    """An ordinary phone call Alice (reception) took about an ID card."""
    return log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
        outcome=Outcome.ANSWERED,
        resident=resident,
        procedure=id_procedure,
        summary="Pièces à apporter expliquées.",
    )


@pytest.fixture
def callback_contact(city: City, reception_agent: Agent, resident: Resident) -> Contact:
    """A call Alice must return by tomorrow."""
    return log_contact(
        actor=reception_agent.user,
        channel=Channel.PHONE,
        site=city.annex,
        outcome=Outcome.CALLBACK,
        resident=resident,
        subject="Question sur une facture de cantine",
        summary="Rappeler avec le montant exact.",
        callback_assignee=reception_agent.user,
        callback_due_at=timezone.now() + datetime.timedelta(days=1),
    )
