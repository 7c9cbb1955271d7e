"""Fixtures of the cases API tests: forms of three departments, cases filed through the action,
and API clients for each persona (agents by token, residents by their session)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guichet.cases.actions import file_case, send_message
from guichet.cases.models import Case, CaseForm, CaseMessage
from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.residents.models import Resident
from tests.conftest import City
from tests.factories import CaseFormFactory, ProcedureFactory

LIST = "/api/v1/cases/"
ANSWERS = {"objet": "Copie intégrale", "details": "Pour un dossier de mariage."}
RESIDENTS = {"resident", "other_resident"}


def detail_url(case: Case) -> str:
    return f"{LIST}{case.uuid}/"


def transitions_url(case: Case) -> str:
    return f"{LIST}{case.uuid}/transitions/"


def messages_url(case: Case) -> str:
    return f"{LIST}{case.uuid}/messages/"


# Hélène's population case: she and the agents who may process it take part in its conversation.
CONVERSATION = {"resident", "supervisor", "admin_agent"}


def status_for(persona: str, allowed: set[str], ok: int = 200) -> int:
    """The status ``persona`` gets: 401 anonymous, ``ok`` if allowed, else 404 (never a leak)."""
    if persona == "anonymous":
        return 401
    return ok if persona in allowed else 404


def write(case: Case, author: User, body: str, *, from_resident: bool = False) -> CaseMessage:
    """A message of the case's conversation, from the department unless ``from_resident``."""
    return send_message(
        case=case,
        author=author,
        body=body,
        from_resident=from_resident,
        channel="web" if from_resident else "",
    )


def user_of(request: pytest.FixtureRequest, persona: str) -> User:
    user: User = request.getfixturevalue(persona).user
    return user


@pytest.fixture
def api(request: pytest.FixtureRequest) -> Callable[[str], APIClient]:
    """api("persona") returns an API client: agents use a token, residents their session."""

    def client_for(persona: str) -> APIClient:
        client = APIClient()
        if persona == "anonymous":
            return client
        user = user_of(request, persona)
        if persona in RESIDENTS:
            client.force_login(user)
        else:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def _form(slug: str, department: Any) -> CaseForm:
    procedure = ProcedureFactory(
        slug=slug,
        title=slug.replace("-", " ").capitalize(),
        department=department,
        commitment_days=10,
    )
    case_form: CaseForm = CaseFormFactory(procedure=procedure)
    return case_form


@pytest.fixture
def population_form(city: City) -> CaseForm:
    """Birth certificates: the population department (nobody among the personas belongs)."""
    return _form("acte-naissance", city.population)


@pytest.fixture
def ccas_form(city: City) -> CaseForm:
    """Social help: the CCAS, a confidential department."""
    return _form("aide-sociale", city.ccas)


@pytest.fixture
def education_form(city: City) -> CaseForm:
    """School enrolment: the education department."""
    return _form("inscription-scolaire", city.education)


@pytest.fixture
def make_case(resident: Resident) -> Callable[..., Case]:
    """Return a function filing a case through the action (by the resident, online, by default)."""

    def make(case_form: CaseForm, **fields: Any) -> Case:
        fields.setdefault("resident", resident)
        owner = fields["resident"]
        fields.setdefault("actor", owner.user)
        fields.setdefault("channel", Channel.WEB)
        fields.setdefault("data", dict(ANSWERS))
        return file_case(case_form=case_form, **fields).case

    return make


@pytest.fixture
def population_case(make_case: Callable[..., Case], population_form: CaseForm) -> Case:
    return make_case(population_form)


@pytest.fixture
def ccas_case(make_case: Callable[..., Case], ccas_form: CaseForm) -> Case:
    return make_case(ccas_form)


@pytest.fixture
def education_case(make_case: Callable[..., Case], education_form: CaseForm) -> Case:
    return make_case(education_form)
