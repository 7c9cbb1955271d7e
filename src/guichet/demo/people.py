"""Invented residents of the demo city: households, documents, look-alike pairs, portal accounts.

Rows are written with ``bulk_create`` (the demo's own fast path) with the same derived values the
residents' actions compute: the search columns of ``names.search_fields``, the dictionary of
names (``lookup_dictionary.remember_names``), E.164 phones and lower-case emails. Everything is
drawn from one seeded ``random.Random``, so a seed gives the same city every time.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone
from faker import Faker
from faker.providers.person.fr_FR import Provider as FrenchNames

from guichet.core.text import normalize
from guichet.demo.city import DemoCity
from guichet.demo.files import pdf_document, png_card
from guichet.organisation.choices import Channel, Role
from guichet.organisation.models import Agent, User
from guichet.residents.choices import (
    Civility,
    DigitalAutonomy,
    DocumentKind,
    Language,
    Relation,
)
from guichet.residents.lookup_dictionary import remember_names
from guichet.residents.models import (
    Document,
    Household,
    HouseholdMember,
    Resident,
    ResidentChange,
    document_upload_to,
)
from guichet.residents.names import search_fields
from guichet.residents.phones import InvalidPhoneNumber, to_e164

DEMO_ID_PREFIX = "demo-"

# Faker's French lists are mostly names of old French stock; a city of the Île-de-France suburbs
# is more varied than that.
EXTRA_LAST_NAMES = (
    "Benali", "Haddad", "Diallo", "Traoré", "Nguyen", "Da Silva", "Ferreira", "Koné", "Cissé",
    "Mendy", "Bensaïd", "Boukhalfa", "Rodrigues", "Pereira", "Lopes", "Tran", "Chen", "Yilmaz",
    "Kaya", "Mansour", "Sow", "Ba", "Ndiaye", "Camara", "Keïta", "Touré", "Ouattara",
    "Dos Santos", "Gonçalves", "Hamidi", "Cherif", "Meziane", "Saïdi", "Amrani", "Belkacem",
    "Aït Ali", "Bouzid", "Ouali", "Rahmani", "Fofana", "Sylla", "Coulibaly", "Dembélé",
    "Le Goff", "Le Gall", "Kerbrat", "Nicolas-Durand", "Martin-Dupont", "de La Fontaine",
    "Van der Berg", "Lefèbvre", "Pham", "Vo", "Zhang", "Wang", "Öztürk", "Popescu", "Kowalski",
)  # fmt: skip
EXTRA_FIRST_NAMES_FEMALE = (
    "Fatima", "Aïcha", "Yasmine", "Inès", "Nadia", "Awa", "Mariama", "Aminata", "Leïla", "Sofia",
    "Ana", "Maria", "Lina", "Jade", "Léa", "Chloé", "Emma", "Zoé", "Maëlle", "Anaïs", "Thi Lan",
    "Mei", "Elif", "Kenza", "Sarah", "Myriam", "Océane", "Noémie", "Marie-Claire", "Anne-Sophie",
)  # fmt: skip
EXTRA_FIRST_NAMES_MALE = (
    "Mohamed", "Karim", "Mehdi", "Yacine", "Amadou", "Moussa", "Ibrahima", "Mamadou", "Bilal",
    "Rayan", "Adam", "Nathan", "Lucas", "Hugo", "Enzo", "João", "Pedro", "Minh", "Wei", "Emre",
    "Jean-Pierre", "Jean-Baptiste", "Pierre-Louis", "Noé", "Théo", "Youssef", "Ilyès", "Loïc",
)  # fmt: skip
BIRTH_PLACES = (
    ("Créteil", 30), ("Paris 12e", 8), ("Vitry-sur-Seine", 5), ("Saint-Maur-des-Fossés", 4),
    ("Maisons-Alfort", 4), ("Champigny-sur-Marne", 3), ("Lyon", 2), ("Marseille", 2), ("Lille", 2),
    ("Fort-de-France (Martinique)", 2), ("Alger (Algérie)", 3), ("Tunis (Tunisie)", 2),
    ("Casablanca (Maroc)", 3), ("Dakar (Sénégal)", 2), ("Bamako (Mali)", 2),
    ("Porto (Portugal)", 2), ("Lisbonne (Portugal)", 1), ("Hô Chi Minh-Ville (Viêt Nam)", 1),
    ("Istanbul (Turquie)", 1), ("Bucarest (Roumanie)", 1),
)  # fmt: skip
LANGUAGES = (
    (Language.FRENCH, 88), (Language.ARABIC, 4), (Language.PORTUGUESE, 3),
    (Language.SPANISH, 1), (Language.ENGLISH, 2), (Language.OTHER, 2),
)  # fmt: skip
EMAIL_DOMAINS = ("example.org", "example.net", "example.com")
# Documents: kind → (share of the adults who gave one, months of validity or None, as image?)
DOCUMENT_KINDS: dict[str, tuple[float, int | None, bool]] = {
    DocumentKind.IDENTITY_CARD: (0.5, 180, True),
    DocumentKind.PASSPORT: (0.12, 120, True),
    DocumentKind.PROOF_OF_ADDRESS: (0.45, 3, False),
    DocumentKind.FAMILY_RECORD_BOOK: (0.15, None, False),
    DocumentKind.TAX_NOTICE: (0.2, 20, False),
    DocumentKind.CAF_CERTIFICATE: (0.12, 3, False),
    DocumentKind.INCOME_PROOF: (0.06, 3, False),
    DocumentKind.RESIDENCE_PERMIT: (0.05, 60, True),
}
DOCUMENT_FILE_NAMES: dict[str, str] = {
    DocumentKind.IDENTITY_CARD: "CNI recto verso",
    DocumentKind.PASSPORT: "passeport",
    DocumentKind.PROOF_OF_ADDRESS: "facture EDF",
    DocumentKind.FAMILY_RECORD_BOOK: "livret de famille",
    DocumentKind.TAX_NOTICE: "avis impot",
    DocumentKind.CAF_CERTIFICATE: "attestation CAF",
    DocumentKind.INCOME_PROOF: "bulletins de salaire",
    DocumentKind.RESIDENCE_PERMIT: "titre de sejour",
    DocumentKind.BIRTH_CERTIFICATE: "acte de naissance",
    DocumentKind.VACCINATION: "carnet de sante vaccins",
}


@dataclass
class Population:
    """The saved residents, grouped the way the contact generator picks them."""

    adults: list[Resident] = field(default_factory=list)
    parents: list[Resident] = field(default_factory=list)
    parents_of_young: list[Resident] = field(default_factory=list)
    elderly: list[Resident] = field(default_factory=list)
    portal_users: list[User] = field(default_factory=list)
    duplicate_pairs: int = 0
    households: int = 0
    documents: int = 0


@dataclass
class _Member:
    resident: Resident
    relation: str
    age: int


@dataclass
class _Plan:
    residents: list[Resident] = field(default_factory=list)
    ages: dict[int, int] = field(default_factory=dict)  # id(resident) → age
    households: list[tuple[Household, list[_Member]]] = field(default_factory=list)


class PeopleFactory:
    """Invent people, households and documents from one seeded random generator."""

    def __init__(self, rng: random.Random, city_name: str, postal_code: str) -> None:
        self.rng = rng
        self.city_name = city_name
        self.postal_code = postal_code
        self.today = timezone.localdate()
        self.now = timezone.now()
        fake = Faker("fr_FR")
        fake.seed_instance(rng.getrandbits(32))
        self.streets = sorted({fake.street_name() for _ in range(400)})
        self.last_names = list(FrenchNames.last_names) + list(EXTRA_LAST_NAMES) * 3
        self.female = list(FrenchNames.first_names_female) + list(EXTRA_FIRST_NAMES_FEMALE) * 2
        self.male = list(FrenchNames.first_names_male) + list(EXTRA_FIRST_NAMES_MALE) * 2
        self.birth_places = [p for p, _ in BIRTH_PLACES]
        self.birth_place_weights = [w for _, w in BIRTH_PLACES]
        self.languages = [lang for lang, _ in LANGUAGES]
        self.language_weights = [w for _, w in LANGUAGES]
        self.email_locals: set[str] = set()
        self.serial = 0

    # People ------------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def birth_date(self, age: int) -> datetime.date:
        return self.today - datetime.timedelta(days=age * 365 + self.rng.randrange(365))

    def address(self) -> str:
        return f"{self.rng.randint(1, 120)} {self.rng.choice(self.streets)}"

    def email_for(self, first: str, last: str) -> str:
        """Return a new address; its local part is unique too (portal logins are made of it)."""
        base = f"{normalize(first).replace(' ', '-')}.{normalize(last).replace(' ', '')}"
        local, n = base, 1
        while local in self.email_locals:
            n += 1
            local = f"{base}{n}"
        self.email_locals.add(local)
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def mobile(self) -> str:
        prefix = "06" if self.rng.random() < 0.8 else "07" + self.rng.choice("5678")
        return self._phone(prefix)

    def landline(self) -> str:
        return self._phone("01" + self.rng.choice(["42", "43", "45", "48", "49", "56"]))

    def _phone(self, prefix: str) -> str:
        """Return a valid number starting with ``prefix``, in E.164 as the actions store it."""
        while True:
            digits = "".join(str(self.rng.randrange(10)) for _ in range(10 - len(prefix)))
            try:
                return to_e164(prefix + digits)
            except InvalidPhoneNumber:
                continue  # a few prefixes (06 39, 06 9x) belong to overseas territories

    def person(
        self, age: int, female: bool, last_name: str, *, birth_name: str = "", address: str = ""
    ) -> Resident:
        """Return an unsaved resident with every derived field set as the actions set it."""
        rng = self.rng
        first = rng.choice(self.female if female else self.male)
        if age >= 18 and rng.random() < 0.08:
            first = f"{first} {rng.choice(self.female if female else self.male)}"
        self.serial += 1
        adult = age >= 18
        elderly = age >= 70
        email = ""
        if (adult and rng.random() < (0.35 if elderly else 0.75)) or (
            age >= 15 and rng.random() < 0.3
        ):
            email = self.email_for(first.split()[0], last_name)
        phone = ""
        if adult or age >= 13:
            if rng.random() < (0.5 if elderly else 0.85):
                phone = self.mobile()
            elif elderly and rng.random() < 0.8:
                phone = self.landline()
        created_at = self.now - datetime.timedelta(
            days=rng.randrange(min(max(age, 1) * 365, 6 * 365)), minutes=rng.randrange(1440)
        )
        resident = Resident(
            uuid=self.uuid(),
            external_id=f"{DEMO_ID_PREFIX}{self.serial:06d}",
            civility=(Civility.MADAME if female else Civility.MONSIEUR) if adult else "",
            first_names=first,
            usage_name=last_name,
            birth_name=birth_name,
            birth_date=self.birth_date(age),
            birth_place=(
                "Créteil"
                if age < 18 and rng.random() < 0.7
                else rng.choices(self.birth_places, self.birth_place_weights)[0]
            ),
            email=email,
            phone=phone,
            address=address or self.address(),
            postal_code=self.postal_code,
            city=self.city_name,
            preferred_channel=rng.choice(
                [Channel.COUNTER, Channel.PHONE, Channel.EMAIL, Channel.WEB, ""]
            )
            if adult
            else "",
            preferred_language=rng.choices(self.languages, self.language_weights)[0],
            needs_hearing=elderly and rng.random() < 0.15,
            needs_sight=rng.random() < (0.08 if elderly else 0.01),
            needs_mobility=rng.random() < (0.2 if elderly else 0.02),
            needs_interpreter=rng.random() < 0.02,
            digital_autonomy=rng.choices(
                [
                    DigitalAutonomy.UNKNOWN,
                    DigitalAutonomy.AUTONOMOUS,
                    DigitalAutonomy.NEEDS_HELP,
                    DigitalAutonomy.NOT_AUTONOMOUS,
                ],
                [4, 1, 3, 3] if elderly else [4, 5, 1, 0.3],
            )[0]
            if adult
            else "",
            consent_email=bool(email) and rng.random() < 0.6,
            consent_sms=bool(phone) and rng.random() < 0.5,
            created_at=created_at,
            updated_at=created_at,
            **search_fields(first, last_name, birth_name),
        )
        return resident

    # Households --------------------------------------------------------------------------

    def plan(self, count: int) -> _Plan:
        """Return about ``count`` people living in households of believable shapes."""
        plan = _Plan()
        shapes: list[tuple[float, Callable[[_Plan], None]]] = [
            (0.30, self._family),
            (0.10, self._single_parent),
            (0.12, self._couple),
            (0.25, self._single),
            (0.15, self._elderly),
            (0.08, self._flatshare),
        ]
        makers = [make for _, make in shapes]
        weights = [w for w, _ in shapes]
        while len(plan.residents) < count:
            self.rng.choices(makers, weights)[0](plan)
        del plan.residents[count:]
        kept = {id(r) for r in plan.residents}
        for _, members in plan.households:
            members[:] = [m for m in members if id(m.resident) in kept]
        plan.households = [(h, m) for h, m in plan.households if m]
        return plan

    def _add(self, plan: _Plan, name: str, address: str, members: list[_Member]) -> None:
        for member in members:
            if id(member.resident) not in plan.ages:
                plan.residents.append(member.resident)
                plan.ages[id(member.resident)] = member.age
        household = Household(
            uuid=self.uuid(),
            name=name,
            address=address,
            postal_code=self.postal_code,
            city=self.city_name,
            created_at=min(m.resident.created_at for m in members),
        )
        plan.households.append((household, members))

    def _surname(self) -> str:
        return self.rng.choice(self.last_names)

    def _children(self, last_name: str, address: str, parent_age: int) -> list[_Member]:
        count = self.rng.choices([1, 2, 3, 4], [40, 40, 15, 5])[0]
        oldest = max(0, min(parent_age - 20, 17))
        return [
            _Member(
                self.person(age, self.rng.random() < 0.5, last_name, address=address),
                Relation.CHILD,
                age,
            )
            for age in sorted((self.rng.randint(0, oldest) for _ in range(count)), reverse=True)
        ]

    def _family(self, plan: _Plan) -> None:
        last, address = self._surname(), self.address()
        age = self.rng.randint(24, 55)
        birth_name = self._surname() if self.rng.random() < 0.6 else ""
        members = [
            _Member(self.person(age, False, last, address=address), Relation.HEAD, age),
            _Member(
                self.person(age + self.rng.randint(-5, 3), True, last, birth_name=birth_name,
                            address=address),
                Relation.SPOUSE,
                age,
            ),
        ]  # fmt: skip
        members += self._children(last, address, age)
        self._add(plan, f"Foyer {last.upper()}", address, members)

    def _single_parent(self, plan: _Plan) -> None:
        """A separated parent; often the children also live part-time with the other parent."""
        last, address = self._surname(), self.address()
        age = self.rng.randint(25, 52)
        mother = self.person(age, True, last, address=address)
        children = self._children(last, address, age)
        self._add(
            plan, f"Foyer {last.upper()}", address, [_Member(mother, Relation.HEAD, age), *children]
        )
        if self.rng.random() < 0.5:
            other_address = self.address()
            father_age = age + self.rng.randint(-2, 6)
            father_last = self._surname()
            father = self.person(father_age, False, father_last, address=other_address)
            self._add(
                plan,
                f"Foyer {father_last.upper()}",
                other_address,
                [_Member(father, Relation.HEAD, father_age), *children],
            )

    def _couple(self, plan: _Plan) -> None:
        last, address = self._surname(), self.address()
        age = self.rng.randint(22, 68)
        partner_last = last if self.rng.random() < 0.5 else self._surname()
        members = [
            _Member(self.person(age, False, last, address=address), Relation.HEAD, age),
            _Member(self.person(age + self.rng.randint(-6, 6), True, partner_last, address=address),
                    Relation.SPOUSE, age),
        ]  # fmt: skip
        self._add(plan, f"Foyer {last.upper()}", address, members)

    def _single(self, plan: _Plan) -> None:
        last, address = self._surname(), self.address()
        age = self.rng.randint(18, 69)
        person = self.person(age, self.rng.random() < 0.5, last, address=address)
        self._add(plan, f"Foyer {last.upper()}", address, [_Member(person, Relation.HEAD, age)])

    def _elderly(self, plan: _Plan) -> None:
        last, address = self._surname(), self.address()
        age = self.rng.randint(70, 96)
        members = [_Member(self.person(age, True, last, address=address), Relation.HEAD, age)]
        if self.rng.random() < 0.4:
            husband_age = min(age + self.rng.randint(-2, 4), 99)
            members.append(
                _Member(self.person(husband_age, False, last, address=address), Relation.SPOUSE,
                        husband_age)
            )  # fmt: skip
        self._add(plan, f"Foyer {last.upper()}", address, members)

    def _flatshare(self, plan: _Plan) -> None:
        address = self.address()
        members = []
        for index in range(self.rng.randint(2, 3)):
            age = self.rng.randint(19, 35)
            person = self.person(age, self.rng.random() < 0.5, self._surname(), address=address)
            members.append(_Member(person, Relation.HEAD if index == 0 else Relation.OTHER, age))
        name = f"Colocation {address}"
        self._add(plan, name, address, members)

    # Look-alikes ---------------------------------------------------------------------------

    def look_alike(self, original: Resident) -> Resident:
        """Return a second file for the same person, as a hurried agent might have typed it."""
        rng = self.rng
        variant = rng.randrange(3)
        last, first = original.usage_name, original.first_names
        birth_name = original.birth_name
        if variant == 0:
            last = misspell(rng, last)
        elif variant == 1:
            first = first.replace("-", " ") if "-" in first else misspell(rng, first)
        elif birth_name:
            last, birth_name = birth_name, ""
        else:
            last = last.upper() if rng.random() < 0.5 else misspell(rng, last)
        self.serial += 1
        created_at = self.now - datetime.timedelta(days=rng.randrange(1, 200))
        return Resident(
            uuid=self.uuid(),
            external_id=f"{DEMO_ID_PREFIX}{self.serial:06d}",
            civility=original.civility,
            first_names=first,
            usage_name=last,
            birth_name=birth_name,
            birth_date=original.birth_date,
            birth_place=original.birth_place if rng.random() < 0.5 else "",
            email=original.email if variant == 2 else "",
            phone=original.phone if variant != 1 else "",
            address=original.address,
            postal_code=original.postal_code,
            city=original.city,
            created_at=created_at,
            updated_at=created_at,
            **search_fields(first, last, birth_name),
        )

    # Documents -----------------------------------------------------------------------------

    def documents_for(
        self, resident: Resident, age: int, uploaders: list[Agent], verifiers: list[Agent]
    ) -> Iterator[tuple[Document, bytes]]:
        """Yield the pièces a resident gave, each with the bytes of its file."""
        rng = self.rng
        kinds: list[str] = []
        if age >= 18:
            kinds = [k for k, (share, _, _) in DOCUMENT_KINDS.items() if rng.random() < share]
        elif rng.random() < 0.25:
            kinds = [rng.choice([DocumentKind.BIRTH_CERTIFICATE, DocumentKind.VACCINATION])]
        for kind in kinds:
            _, months, image = DOCUMENT_KINDS.get(kind, (0, None, False))
            given = self.now - datetime.timedelta(days=rng.randrange(3, 720))
            valid_until = None
            if months is not None:
                issued = given.date() - datetime.timedelta(days=rng.randrange(0, 60))
                valid_until = issued + datetime.timedelta(days=months * 30)
            verifier = rng.choice(verifiers) if verifiers and rng.random() < 0.6 else None
            label = DocumentKind(kind).label
            if image:
                content = png_card(
                    (rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200))
                )
                content_type, extension = "image/png", "png"
            else:
                content = pdf_document(
                    str(label),
                    [
                        resident.display_name,
                        f"{resident.address}, {resident.postal_code} {resident.city}",
                    ],
                )
                content_type, extension = "application/pdf", "pdf"
            document = Document(
                uuid=self.uuid(),
                resident=resident,
                kind=kind,
                original_name=f"{DOCUMENT_FILE_NAMES.get(kind, 'piece')}.{extension}",
                content_type=content_type,
                size=len(content),
                valid_until=valid_until,
                verified_by=verifier.user if verifier else None,
                verified_at=given + datetime.timedelta(minutes=rng.randrange(5, 600))
                if verifier
                else None,
                uploaded_by=(
                    rng.choice(uploaders).user if uploaders and rng.random() < 0.7 else None
                ),
                created_at=given,
            )
            yield document, content


def misspell(rng: random.Random, name: str) -> str:
    """Return a name misspelled the way names are misheard: Dupont/Dupond, Lefèvre/Lefebvre."""
    swaps = [
        ("t", "d"), ("d", "t"), ("è", "e"), ("é", "e"), ("ph", "f"), ("ll", "l"), ("nn", "n"),
        ("y", "i"), ("ai", "é"), ("-", " "), ("au", "eau"), ("c", "k"), ("s", "z"), ("mm", "m"),
    ]  # fmt: skip
    candidates = [(a, b) for a, b in swaps if a in name.lower()]
    if not candidates:
        return name + "e"
    old, new = rng.choice(candidates)
    index = name.lower().rindex(old)
    replacement = new.upper() if name[index].isupper() else new
    return name[:index] + replacement + name[index + len(old) :]


def build_people(
    rng: random.Random,
    demo: DemoCity,
    *,
    count: int,
    city_name: str,
    postal_code: str,
    duplicate_pairs: int,
    portal_accounts: int,
    with_documents: bool,
) -> Population:
    """Create about ``count`` residents in households (plus look-alikes); return them grouped."""
    factory = PeopleFactory(rng, city_name, postal_code)
    plan = factory.plan(count)
    ages = plan.ages
    adults = [r for r in plan.residents if ages[id(r)] >= 18]

    originals = rng.sample(adults, min(duplicate_pairs, len(adults)))
    look_alikes = []
    for original in originals:
        look_alike = factory.look_alike(original)
        ages[id(look_alike)] = ages[id(original)]
        look_alikes.append(look_alike)

    population = Population(duplicate_pairs=len(look_alikes))
    portal_residents = [r for r in adults if r.email and ages[id(r)] < 70][:portal_accounts]
    population.portal_users = User.objects.bulk_create(
        User(
            username=resident.email.split("@")[0],
            first_name=resident.first_names.split()[0],
            last_name=resident.usage_name,
            email=resident.email,
            password=demo.password_hash,
        )
        for resident in portal_residents
    )
    for resident, user in zip(portal_residents, population.portal_users, strict=True):
        resident.user = user

    everyone = plan.residents + look_alikes
    Resident.objects.bulk_create(everyone, batch_size=2000)
    remember_names((r.first_names, r.usage_name, r.birth_name) for r in everyone)
    counter_agents = [
        a for a in demo.agents.values() if a.role in {Role.RECEPTION, Role.SUPERVISOR}
    ]
    ResidentChange.objects.bulk_create(
        (
            ResidentChange(
                resident=resident,
                kind=ResidentChange.Kind.CREATED,
                actor=rng.choice(counter_agents).user if counter_agents else None,
                channel=Channel.COUNTER,
                changes={
                    "first_names": [None, resident.first_names],
                    "usage_name": [None, resident.usage_name],
                },
                created_at=resident.created_at,
            )
            for resident in everyone
        ),
        batch_size=5000,
    )

    households = [household for household, _ in plan.households]
    Household.objects.bulk_create(households, batch_size=2000)
    HouseholdMember.objects.bulk_create(
        (
            HouseholdMember(
                household=household,
                resident=member.resident,
                relation=member.relation,
                joined_at=_joined(household, member.resident),
            )
            for household, members in plan.households
            for member in members
        ),
        batch_size=5000,
    )
    population.households = len(households)

    if with_documents:
        population.documents = _save_documents(factory, everyone, ages, demo)

    population.adults = [r for r in everyone if ages[id(r)] >= 18]
    population.elderly = [r for r in population.adults if ages[id(r)] >= 70]
    for _household, members in plan.households:
        child_ages = [m.age for m in members if m.relation == Relation.CHILD]
        if not child_ages:
            continue
        parents = [m.resident for m in members if m.relation != Relation.CHILD]
        if any(3 <= a <= 11 for a in child_ages):
            population.parents += parents
        if any(a < 3 for a in child_ages):
            population.parents_of_young += parents
    return population


def _joined(household: Household, resident: Resident) -> datetime.date:
    """Return when the member joined: when the household was created, or their birth."""
    created = timezone.localdate(household.created_at)
    return max(created, resident.birth_date) if resident.birth_date else created


def _save_documents(
    factory: PeopleFactory, residents: list[Resident], ages: dict[int, int], demo: DemoCity
) -> int:
    storage = Document._meta.get_field("file").storage
    uploaders = [
        a for a in demo.agents.values() if a.role in {Role.RECEPTION, Role.HELPER, Role.DEPARTMENT}
    ]
    # Digital helpers may not certify originals (residents.access.VERIFYING_ROLES).
    verifiers = [a for a in uploaders if a.role != Role.HELPER]
    documents = []
    for resident in residents:
        for document, content in factory.documents_for(
            resident, ages[id(resident)], uploaders, verifiers
        ):
            name = document_upload_to(document, document.original_name)
            document.file = storage.save(name, ContentFile(content))
            documents.append(document)
    Document.objects.bulk_create(documents, batch_size=2000)
    return len(documents)
