"""Shared fixtures: the personas every permission test runs through."""

from dataclasses import dataclass

import pytest
from django.test import Client

from guichet.core.process_cache import forget_all
from guichet.organisation.choices import Role, SiteKind
from guichet.organisation.models import Agent, Department, Site, User
from guichet.residents.models import Resident
from tests.factories import (
    AgentFactory,
    DepartmentFactory,
    ResidentFactory,
    SiteFactory,
    UserFactory,
)

PASSWORD = "motdepasse-test"


@pytest.fixture(autouse=True)
def _fresh_reference_tables() -> None:
    """Each test reads the closures and templates of its own database (a rolled-back test sends
    no signal to forget what the previous one kept)."""
    forget_all()


@dataclass
class City:
    city_hall: Site
    annex: Site
    relais: Site
    population: Department
    ccas: Department
    education: Department


@pytest.fixture
def city(db: None) -> City:
    return City(
        city_hall=SiteFactory(
            slug="hotel-de-ville", name="Hôtel de Ville", kind=SiteKind.CITY_HALL
        ),
        annex=SiteFactory(slug="mairie-annexe-nord", name="Mairie annexe Nord"),
        relais=SiteFactory(
            slug="relais-centre", name="Relais numérique Centre", kind=SiteKind.DIGITAL_HELP_POINT
        ),
        population=DepartmentFactory(slug="population", name="Population"),
        ccas=DepartmentFactory(slug="ccas", name="CCAS", confidential=True),
        education=DepartmentFactory(slug="education", name="Éducation"),
    )


def _agent(username: str, role: str, sites: list[Site], departments: list[Department]) -> Agent:
    agent: Agent = AgentFactory(
        user=UserFactory(username=username), role=role, sites=sites, departments=departments
    )
    return agent


@pytest.fixture
def reception_agent(city: City) -> Agent:
    """Alice, agent d'accueil at the northern neighbourhood office."""
    return _agent("alice", Role.RECEPTION, [city.annex, city.city_hall], [])


@pytest.fixture
def ccas_agent(city: City) -> Agent:
    """Bruno, CCAS agent (confidential department)."""
    return _agent("bruno", Role.DEPARTMENT, [city.city_hall], [city.ccas])


@pytest.fixture
def education_agent(city: City) -> Agent:
    """Chloé, agent of another department (education)."""
    return _agent("chloe", Role.DEPARTMENT, [city.city_hall], [city.education])


@pytest.fixture
def helper_agent(city: City) -> Agent:
    """Damien, médiateur numérique at the relais."""
    return _agent("damien", Role.HELPER, [city.relais], [])


@pytest.fixture
def supervisor(city: City) -> Agent:
    """Élise, reception supervisor."""
    return _agent("elise", Role.SUPERVISOR, [city.annex, city.city_hall], [])


@pytest.fixture
def admin_agent(city: City) -> Agent:
    """Farid, administrator."""
    return _agent("farid", Role.ADMIN, [city.city_hall], [])


@pytest.fixture
def dpo(city: City) -> Agent:
    """Gaëlle, data protection officer."""
    return _agent("gaelle", Role.DPO, [city.city_hall], [])


@pytest.fixture
def resident(db: None) -> Resident:
    """Hélène, a resident with a portal account."""
    user = UserFactory(username="helene")
    resident: Resident = ResidentFactory(
        first_names="Hélène", usage_name="Dupont", user=user, email="helene@example.org"
    )
    return resident


@pytest.fixture
def other_resident(db: None) -> Resident:
    """Ivan, another resident with a portal account."""
    user = UserFactory(username="ivan")
    resident: Resident = ResidentFactory(first_names="Ivan", usage_name="Martin", user=user)
    return resident


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def persona_client(request: pytest.FixtureRequest, client: Client) -> "PersonaClient":
    return PersonaClient(request, client)


class PersonaClient:
    """``persona_client.as_("reception_agent")`` returns a client logged in as that persona."""

    def __init__(self, request: pytest.FixtureRequest, client: Client) -> None:
        self.request = request
        self.client = client

    def as_(self, persona: str) -> Client:
        if persona == "anonymous":
            return self.client
        obj = self.request.getfixturevalue(persona)
        user = obj.user
        self.client.force_login(user)
        return self.client


PERSONAS = [
    "anonymous",
    "resident",
    "other_resident",
    "reception_agent",
    "ccas_agent",
    "education_agent",
    "helper_agent",
    "supervisor",
    "admin_agent",
    "dpo",
]
