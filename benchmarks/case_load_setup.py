"""The submission benchmark's database: a fresh one, with what school registration needs.

``prepare_database`` migrates, loads the catalogue and the online forms (as ``guichet demo``
does), creates the throwaway table of the floor, an agent with an API token (the account an
online registration front-end would use), and one family per planned submission: a parent with
an email, a phone and an address, a child in their household, and the two documents the
school form requires (a proof of address and the family record book) already on file. Every
case then goes through the whole form: household member, documents, address, conditions.

Residents are written with ``bulk_create`` (with the search columns the actions fill), as
``generate_volume.py`` does: the benchmark measures filing, not the creation of 4,000 files.
Document rows all point to one small PDF in the run's media directory.

``inscription-scolaire`` is the form used: the issue's scenario (registration opening at 8:00),
and one of the richest forms (a household member, two documents, an address, conditional pages).
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROCEDURE = "inscription-scolaire"
AGENT_USERNAME = "portail-inscriptions"
DOCUMENT_NAME = "bench/justificatif.pdf"
# A valid one-page PDF: enough for a document row to point at a real file.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
LEVELS = ["ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2"]
SCHOOLS = ["École Jules-Ferry", "École Victor-Hugo", "École Jean-Macé", "École Pauline-Kergomard"]
TOWNS = ["Créteil", "Maisons-Alfort", "Saint-Maur-des-Fossés", "Bonneuil-sur-Marne"]
STREETS = ["rue de Paris", "avenue du Général-de-Gaulle", "rue des Écoles", "allée des Tilleuls"]
REASONS = ["fratrie", "garde", "travail", "sante", "autre"]


@dataclass(frozen=True)
class Family:
    """What a submission names: the parent, their child and their two documents."""

    parent: str
    child: str
    child_birth_year: int
    proof_of_address: str
    family_record_book: str
    email: str
    phone: str
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Fixture:
    """What the clients need: the agent's API token and the families to file for."""

    token: str
    families: list[Family]


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def create_postgres_database(url: str, *, replace: bool) -> None:
    """Create the (empty) database ``url`` names; an existing one is dropped only if ``replace``."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(_maintenance_url(url), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not replace:
            raise SystemExit(
                f"The database {name} already exists: the benchmark makes a fresh one. Name "
                "another, or pass --replace-database to drop it first."
            )
        if exists:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_maintenance_url(url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def prepare_database(families: int, *, seed: int, media_root: Path) -> Fixture:
    """Migrate and fill the configured (empty) database; return the token and the families."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.floor_urls import FloorRow
    from guichet.cases.forms_loader import load_forms
    from guichet.cases.models import CaseForm
    from guichet.catalogue.loader import load_catalogue

    call_command("migrate", interactive=False, verbosity=0)
    catalogue = load_catalogue()
    forms = load_forms()
    if not CaseForm.objects.filter(procedure__slug=PROCEDURE, is_online=True).exists():
        problems = [str(error) for error in (*catalogue.errors, *forms.errors)]
        raise SystemExit(f"The form {PROCEDURE} did not load: " + "; ".join(problems))
    with connection.schema_editor() as editor:
        editor.create_model(FloorRow)
    (media_root / DOCUMENT_NAME).parent.mkdir(parents=True, exist_ok=True)
    (media_root / DOCUMENT_NAME).write_bytes(TINY_PDF)
    return Fixture(token=_api_token(), families=_families(families, random.Random(seed)))


def _api_token() -> str:
    from guichet.organisation.actions import create_agent, create_api_token
    from guichet.organisation.choices import Role

    account = create_agent(
        actor=None,
        username=AGENT_USERNAME,
        first_name="Portail",
        last_name="Inscriptions",
        email="portail-inscriptions@example.org",
        role=Role.RECEPTION,
    )
    return create_api_token(account.agent, actor=None)


def _person(first_names: str, usage_name: str, birth_date: datetime.date, **fields: Any) -> Any:
    from guichet.residents.models import Resident
    from guichet.residents.names import search_fields

    resident = Resident(
        first_names=first_names, usage_name=usage_name, birth_date=birth_date, **fields
    )
    for name, value in search_fields(first_names, usage_name, "").items():
        setattr(resident, name, value)
    return resident


def _families(count: int, rng: random.Random) -> list[Family]:
    """Write ``count`` parents, each with a child in their household and two documents."""
    from django.db import transaction
    from django.utils import timezone
    from faker import Faker

    from guichet.residents.choices import DocumentKind, Relation
    from guichet.residents.models import Document, Household, HouseholdMember, Resident

    fake = Faker("fr_FR")
    fake.seed_instance(rng.random())
    last_names = [fake.last_name() for _ in range(500)]
    first_names = [fake.first_name() for _ in range(300)]
    today = timezone.localdate()
    parents, children, households = [], [], []
    for index in range(count):
        name = rng.choice(last_names)
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
        # 06 10 to 06 38: ranges the phone library knows as valid French mobiles.
        phone = f"+336{rng.randint(10, 38)}{rng.randint(0, 999_999):06d}"
        address = {"address": street, "postal_code": "94000", "city": "Créteil"}
        parents.append(
            _person(
                rng.choice(first_names),
                name,
                today - datetime.timedelta(days=rng.randint(25 * 365, 45 * 365)),
                email=f"parent{index}@example.org",
                phone=phone,
                consent_email=True,
                **address,
            )
        )
        children.append(
            _person(
                rng.choice(first_names),
                name,
                today - datetime.timedelta(days=rng.randint(3 * 365, 10 * 365)),
                **address,
            )
        )
        households.append(Household(name=f"Foyer {name}", **address))
    valid_until = today + datetime.timedelta(days=80)
    with transaction.atomic():
        Resident.objects.bulk_create(parents + children, batch_size=2000)
        Household.objects.bulk_create(households, batch_size=2000)
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household=household, resident=person, relation=relation)
                for household, parent, child in zip(households, parents, children, strict=True)
                for person, relation in ((parent, Relation.HEAD), (child, Relation.CHILD))
            ],
            batch_size=5000,
        )
        documents = [
            Document(
                resident=parent,
                kind=kind,
                file=DOCUMENT_NAME,
                original_name=f"{kind}.pdf",
                content_type="application/pdf",
                size=len(TINY_PDF),
                valid_until=valid_until if kind == DocumentKind.PROOF_OF_ADDRESS else None,
            )
            for parent in parents
            for kind in (DocumentKind.PROOF_OF_ADDRESS, DocumentKind.FAMILY_RECORD_BOOK)
        ]
        Document.objects.bulk_create(documents, batch_size=5000)
    return [
        Family(
            parent=str(parent.uuid),
            child=str(child.uuid),
            child_birth_year=child.birth_date.year,
            proof_of_address=str(documents[2 * index].uuid),
            family_record_book=str(documents[2 * index + 1].uuid),
            email=parent.email,
            phone=parent.phone,
            street=parent.address,
            postal_code=parent.postal_code,
            city=parent.city,
        )
        for index, (parent, child) in enumerate(zip(parents, children, strict=True))
    ]


def school_start(today: datetime.date) -> datetime.date:
    """Return the next 1 September: the day the form asks for (within a year from today)."""
    this_year = datetime.date(today.year, 9, 1)
    return this_year if today < this_year else datetime.date(today.year + 1, 9, 1)


def answers(family: Family, rng: random.Random, today: datetime.date) -> dict[str, Any]:
    """Return the answers a parent gives to the school registration form."""
    start = school_start(today)
    level = LEVELS[min(max(start.year - family.child_birth_year - 3, 0), len(LEVELS) - 1)]
    data: dict[str, Any] = {
        "enfant": family.child,
        "niveau": level,
        "date_entree": start.isoformat(),
        "derogation": "non",
        "adresse": {
            "street": family.street,
            "postal_code": family.postal_code,
            "city": family.city,
        },
        "justificatif_domicile": {"document": family.proof_of_address},
        "livret_famille": {"document": family.family_record_book},
        "parents_separes": False,
        "courriel": family.email,
        "telephone": family.phone,
    }
    if level == "ps":
        data["scolarite_actuelle"] = "premiere"
    else:
        draw = rng.random()
        if draw < 0.05:
            data["scolarite_actuelle"] = "instruction_famille"
        else:
            data["scolarite_actuelle"] = "ecole_ville" if draw < 0.65 else "autre_commune"
            data["ecole_actuelle"] = f"{rng.choice(SCHOOLS)}, {rng.choice(TOWNS)}"
    if rng.random() < 0.15:
        data["derogation"] = "oui"
        data["ecole_souhaitee"] = rng.choice(SCHOOLS)
        data["motif_derogation"] = rng.choice(REASONS)
        data["explication_derogation"] = (
            "Son grand frère est déjà scolarisé dans cette école et nous travaillons à côté."
        )
    return data


def submission_body(family: Family, data: dict[str, Any], key: str) -> dict[str, Any]:
    """Return the JSON body of ``POST /api/v1/cases/`` for this family and key."""
    return {
        "procedure": PROCEDURE,
        "resident": family.parent,
        "channel": "web",
        "data": data,
        "submission_key": key,
    }


def new_key(rng: random.Random) -> str:
    """Return a random UUID drawn from ``rng`` (a seeded run sends the same keys)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
