"""Catalogue fixtures: a small catalogue built through the actions, and the real shipped one."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from guichet.catalogue.actions import create_article, create_procedure
from guichet.catalogue.loader import LoadReport, load_catalogue
from guichet.catalogue.models import Article, LifeEvent, Procedure
from guichet.catalogue.search_backends import SearchBackend, available_backends
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department
from tests.conftest import City
from tests.factories import DepartmentFactory, LifeEventFactory


@dataclass
class SmallCatalogue:
    papiers: LifeEvent
    scolarite: LifeEvent
    espace_public: Department
    carte_identite: Procedure
    cantine: Procedure
    carte_grise: Procedure
    brouillon: Procedure
    fiche_cni: Article
    fiche_brouillon: Article


@pytest.fixture
def small_catalogue(city: City) -> SmallCatalogue:
    """Four procedures (one not the city's, one unpublished) and two articles, via the actions."""
    papiers = LifeEventFactory(slug="papiers", title="J'ai besoin d'un papier d'identité", order=1)
    scolarite = LifeEventFactory(slug="scolarite", title="Mon enfant va à l'école", order=2)
    espace_public = DepartmentFactory(slug="espace-public", name="Espace public")
    common = {"who_can_ask": "Toute personne.", "is_published": True}
    carte_identite = create_procedure(
        actor=None,
        values={
            "slug": "carte-identite",
            "title": "Carte nationale d'identité",
            "summary": "Demander ou renouveler sa carte d'identité.",
            "body": "## Les étapes\n\n- Faites une **pré-demande** en ligne.\n- Venez en mairie.",
            "agent_note": "Vérifier la **photo** et la pré-demande.",
            "documents": ["Photo d'identité de moins de 6 mois", "Justificatif de domicile"],
            "department": city.population,
            "channels": [Channel.COUNTER, Channel.WEB],
            "appointment_required": True,
            "cost": "Gratuit",
            "commitment_days": None,
            "orient_to": "Le suivi se fait sur le site de France Titres.",
            "keywords": ["CNI", "carte d'identité", "papiers"],
            "life_events": [papiers],
            **common,
        },
    )
    cantine = create_procedure(
        actor=None,
        values={
            "slug": "restauration-scolaire",
            "title": "Inscrire son enfant à la restauration scolaire",
            "summary": "Inscription à la cantine de l'école.",
            "body": "Le repas du midi à l'école.",
            "agent_note": "Vérifier le quotient familial.",
            "documents": ["Attestation de quotient familial"],
            "department": city.education,
            "channels": [Channel.WEB, Channel.COUNTER, Channel.EMAIL],
            "cost": "Selon le quotient familial",
            "commitment_days": 10,
            "keywords": ["cantine", "repas"],
            "life_events": [scolarite],
            **common,
        },
    )
    carte_grise = create_procedure(
        actor=None,
        values={
            "slug": "carte-grise",
            "title": "Certificat d'immatriculation (carte grise)",
            "summary": "Une démarche de l'État, en ligne.",
            "body": "La mairie ne délivre pas les cartes grises.",
            "department": espace_public,
            "channels": [Channel.WEB],
            "handled_by_city": False,
            "orient_to": "Faites la démarche sur le site de France Titres (ANTS).",
            "keywords": ["carte grise", "immatriculation"],
            "life_events": [papiers],
            **common,
        },
    )
    brouillon = create_procedure(
        actor=None,
        values={
            "slug": "brouillon",
            "title": "Démarche en préparation",
            "summary": "Pas encore publiée.",
            "body": "Brouillon.",
            "department": city.population,
            "keywords": ["brouillon"],
            "life_events": [papiers],
            "is_published": False,
        },
    )
    fiche_cni = create_article(
        actor=None,
        values={
            "slug": "verifier-dossier-cni",
            "title": "Vérifier un dossier de carte d'identité",
            "summary": "Les points à contrôler au guichet.",
            "body": "- La photo\n- La pré-demande",
            "department": city.population,
            "procedures": [carte_identite],
            "keywords": ["CNI", "photo"],
        },
    )
    fiche_brouillon = create_article(
        actor=None,
        values={
            "slug": "fiche-brouillon",
            "title": "Fiche en préparation",
            "body": "Brouillon de fiche.",
            "procedures": [carte_identite],
            "is_published": False,
        },
    )
    return SmallCatalogue(
        papiers,
        scolarite,
        espace_public,
        carte_identite,
        cantine,
        carte_grise,
        brouillon,
        fiche_cni,
        fiche_brouillon,
    )


@pytest.fixture
def real_catalogue(db: None) -> LoadReport:
    """The catalogue shipped with Guichet, loaded from its YAML files."""
    return load_catalogue()


@pytest.fixture(scope="module")
def _module_catalogue(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[LoadReport]:
    # Loaded in a transaction that each test's own transaction nests in, and rolled back when
    # the module is done, as Django's TestCase does with setUpTestData.
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield load_catalogue()
        transaction.set_rollback(True)


@pytest.fixture
def shipped_catalogue(_module_catalogue: LoadReport, db: None) -> LoadReport:
    """The shipped catalogue, loaded once per test module; each test's changes are undone."""
    return _module_catalogue


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes ``backend`` once per backend available on the test database."""
    if "backend" in metafunc.fixturenames:
        names = [backend.name for backend in available_backends()]
        metafunc.parametrize("backend", names, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> SearchBackend:
    """A search backend: the generic one, and on PostgreSQL also the full-text one."""
    return next(b for b in available_backends() if b.name == request.param)


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)
