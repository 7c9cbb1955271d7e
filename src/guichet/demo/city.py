"""The demo city's organisation: its sites with opening hours and closures, and its agents."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from guichet.organisation import actions
from guichet.organisation.actions import OpeningPeriod
from guichet.organisation.choices import Role, SiteKind
from guichet.organisation.models import Agent, Department, Site, User

# Every demo account (agents and residents with a portal account) has this password. It is
# printed by `guichet demo_logins`: the demo must never be loaded into a real city's database.
DEMO_PASSWORD = "demo-guichet"  # noqa: S105

T = datetime.time


def _week(days: range | tuple[int, ...], *periods: tuple[T, T]) -> list[OpeningPeriod]:
    return [OpeningPeriod(day, opens, closes) for day in days for opens, closes in periods]


WEEKDAYS = range(5)
MORNING, AFTERNOON = (T(8, 30), T(12)), (T(13, 30), T(17, 30))


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    name: str
    kind: str
    address: str
    phone: str
    hours: list[OpeningPeriod]
    accessibility: str = ""
    # (days from today to the first closed day, number of days, reason)
    closures: tuple[tuple[int, int, str], ...] = ()


SITES = [
    SiteSpec(
        "hotel-de-ville",
        "Hôtel de Ville",
        SiteKind.CITY_HALL,
        "1 place de l'Hôtel de Ville",
        "01 49 80 92 94",
        _week((0, 1, 2, 4), (T(8, 30), T(17, 30)))
        + _week((3,), (T(8, 30), T(19)))
        + _week((5,), (T(9), T(12))),
        "Accès de plain-pied, boucle magnétique aux guichets, places réservées sur le parvis.",
        ((-40, 1, "Panne du système informatique"),),
    ),
    SiteSpec(
        "mairie-annexe-mont-mesly",
        "Mairie annexe du Mont-Mesly",
        SiteKind.NEIGHBOURHOOD_OFFICE,
        "12 rue Juliette Savar",
        "01 49 80 93 10",
        _week((1, 2, 3, 4), MORNING, AFTERNOON) + _week((0,), AFTERNOON),
        "Rampe d'accès côté parking.",
    ),
    SiteSpec(
        "mairie-annexe-palais",
        "Mairie annexe du Palais",
        SiteKind.NEIGHBOURHOOD_OFFICE,
        "3 allée du Commerce",
        "01 49 80 93 20",
        _week(WEEKDAYS, MORNING, AFTERNOON) + _week((5,), (T(9), T(12))),
        "Ascenseur ; guichet surbaissé.",
        ((14, 5, "Travaux de mise en accessibilité"),),
    ),
    SiteSpec(
        "mairie-annexe-bords-de-marne",
        "Mairie annexe des Bords de Marne",
        SiteKind.NEIGHBOURHOOD_OFFICE,
        "40 quai de la Marne",
        "01 49 80 93 30",
        _week((0, 1, 3, 4), MORNING, AFTERNOON) + _week((2,), MORNING),
    ),
    SiteSpec(
        "mairie-annexe-croix-des-meches",
        "Mairie annexe de la Croix-des-Mèches",
        SiteKind.NEIGHBOURHOOD_OFFICE,
        "8 avenue de la Croix",
        "01 49 80 93 40",
        _week(WEEKDAYS, MORNING, AFTERNOON),
        "Accès de plain-pied.",
    ),
    SiteSpec(
        "relais-numerique-echat",
        "Relais numérique de l'Échat",
        SiteKind.DIGITAL_HELP_POINT,
        "5 rue de l'Échat",
        "01 49 80 94 10",
        _week((1, 2, 3, 4, 5), (T(9, 30), T(12, 30)), (T(14), T(18))),
        "Postes adaptés (grands écrans, clavier à gros caractères).",
        ((5, 1, "Formation de l'équipe"),),
    ),
    SiteSpec(
        "relais-numerique-sablieres",
        "Relais numérique des Sablières",
        SiteKind.DIGITAL_HELP_POINT,
        "22 rue des Sablières",
        "01 49 80 94 20",
        _week((0, 2, 4), (T(14), T(18))) + _week((2, 5), (T(9, 30), T(12, 30))),
    ),
    SiteSpec(
        "centre-social-kennedy",
        "Centre social Kennedy (antenne du CCAS)",
        SiteKind.SOCIAL_CENTRE,
        "2 place John Kennedy",
        "01 49 80 95 00",
        _week(WEEKDAYS, (T(9), T(12, 30)), (T(13, 30), T(17))),
        "Accès de plain-pied ; bureau d'entretien confidentiel.",
    ),
]

COUNTER_SITES = [s.slug for s in SITES if s.kind != SiteKind.DIGITAL_HELP_POINT]
ANNEXES = [s.slug for s in SITES if s.kind == SiteKind.NEIGHBOURHOOD_OFFICE]


@dataclass(frozen=True)
class AgentSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    sites: tuple[str, ...]
    departments: tuple[str, ...] = ()
    job_title: str = ""


HDV, KENNEDY = "hotel-de-ville", "centre-social-kennedy"
# fmt: off
AGENTS = [AgentSpec(*row) for row in [
    # username, first name, last name, role, sites, departments, job title
    ("admin", "Nicolas", "Garnier", Role.ADMIN, (HDV,), (), "Administrateur du guichet unique"),
    ("dpo", "Isabelle", "Fournier", Role.DPO, (HDV,), (), "Déléguée à la protection des données"),
    ("sup.accueil", "Élise", "Marchand", Role.SUPERVISOR, (HDV, *ANNEXES), ("relation-usager",),
     "Responsable de l'accueil"),
    ("sup.ccas", "Karim", "Belkacem", Role.SUPERVISOR, (KENNEDY, HDV), ("ccas",),
     "Responsable du CCAS"),
    ("accueil.hdv", "Alice", "Lambert", Role.RECEPTION, (HDV,), (), "Agente d'accueil"),
    ("accueil.tel", "Thomas", "Robin", Role.RECEPTION, (HDV,), (), "Agent d'accueil téléphonique"),
    ("accueil.montmesly", "Sandrine", "Leroy", Role.RECEPTION, ("mairie-annexe-mont-mesly",), (),
     "Agente d'accueil"),
    ("accueil.palais", "Mehdi", "Amrani", Role.RECEPTION, ("mairie-annexe-palais",), (),
     "Agent d'accueil"),
    ("accueil.marne", "Julie", "Perrin", Role.RECEPTION, ("mairie-annexe-bords-de-marne",), (),
     "Agente d'accueil"),
    ("accueil.croix", "Fatou", "Diallo", Role.RECEPTION, ("mairie-annexe-croix-des-meches",), (),
     "Agente d'accueil"),
    ("accueil.kennedy", "Laurent", "Caron", Role.RECEPTION, (KENNEDY,), (), "Agent d'accueil"),
    ("mediateur.echat", "Damien", "Colin", Role.HELPER, ("relais-numerique-echat",), (),
     "Conseiller numérique"),
    ("mediateur.sablieres", "Inès", "Moreau", Role.HELPER, ("relais-numerique-sablieres",), (),
     "Médiatrice numérique"),
    ("etatcivil", "Chantal", "Dubois", Role.DEPARTMENT, (HDV,), ("population",),
     "Officière d'état civil déléguée"),
    ("titres", "Bruno", "Lefèvre", Role.DEPARTMENT, (HDV,), ("population",),
     "Instructeur des titres d'identité"),
    ("education", "Chloé", "Bernard", Role.DEPARTMENT, (HDV,), ("education",),
     "Gestionnaire des inscriptions scolaires"),
    ("petiteenfance", "Sophie", "Girard", Role.DEPARTMENT, (HDV,), ("petite-enfance",),
     "Coordinatrice petite enfance"),
    ("ccas", "Yasmine", "Benali", Role.DEPARTMENT, (KENNEDY,), ("ccas",), "Travailleuse sociale"),
    ("ccas.seniors", "Patrick", "Renaud", Role.DEPARTMENT, (HDV, KENNEDY), ("ccas",),
     "Chargé de l'action seniors"),
    ("espacepublic", "Hugo", "Martinez", Role.DEPARTMENT, (HDV,), ("espace-public",),
     "Chargé des relations avec les usagers de l'espace public"),
    ("urbanisme", "Claire", "Rousseau", Role.DEPARTMENT, (HDV,), ("urbanisme",),
     "Instructrice des autorisations d'urbanisme"),
    ("vielocale", "Antoine", "Mercier", Role.DEPARTMENT, (HDV,), ("vie-locale",),
     "Chargé de la vie associative"),
]]
# fmt: on

AGENT_SPECS = {spec.username: spec for spec in AGENTS}


@dataclass
class DemoCity:
    """The demo city's organisation, looked up by slug and username."""

    sites: dict[str, Site] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)

    @cached_property
    def password_hash(self) -> str:
        """Return one hash of the demo password, shared by every demo account.

        Hashing is deliberately slow (about 0.25 s); one shared salted hash keeps the demo fast.
        """
        return make_password(DEMO_PASSWORD)

    def agents_at(self, site_slug: str, *roles: str) -> list[Agent]:
        """Return the demo agents working at the site, with one of ``roles`` if given."""
        return [
            agent
            for username, agent in self.agents.items()
            if site_slug in AGENT_SPECS[username].sites and (not roles or agent.role in roles)
        ]

    def agents_of(self, department_slug: str) -> list[Agent]:
        """Return the department agents (not supervisors) of the department."""
        return [
            agent
            for username, agent in self.agents.items()
            if department_slug in AGENT_SPECS[username].departments
            and agent.role == Role.DEPARTMENT
        ]


@transaction.atomic
def build_organisation(city_name: str, postal_code: str) -> DemoCity:
    """Create the missing demo sites (with hours and closures) and agents; return them all."""
    demo = DemoCity()
    existing_sites = {
        site.slug: site for site in Site.objects.filter(slug__in=[s.slug for s in SITES])
    }
    today = timezone.localdate()
    for spec in SITES:
        site = existing_sites.get(spec.slug)
        if site is None:
            site = actions.create_site(
                actor=None,
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                address=spec.address,
                postal_code=postal_code,
                city=city_name,
                phone=spec.phone,
                accessibility=spec.accessibility,
                opening_hours=spec.hours,
            )
            for offset, days, reason in spec.closures:
                start = today + datetime.timedelta(days=offset)
                actions.add_site_closure(
                    site,
                    actor=None,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=days - 1),
                    reason=reason,
                )
        demo.sites[spec.slug] = site
    demo.departments = {d.slug: d for d in Department.objects.all()}
    _create_missing_agents(demo)
    demo.agents = {
        agent.user.username: agent
        for agent in Agent.objects.select_related("user").filter(
            user__username__in=[spec.username for spec in AGENTS]
        )
    }
    return demo


def _create_missing_agents(demo: DemoCity) -> None:
    # Not through actions.create_agent: it hashes each password (0.25 s each), and every demo
    # account shares one known password anyway.
    taken = set(
        User.objects.filter(username__in=[s.username for s in AGENTS]).values_list(
            "username", flat=True
        )
    )
    missing = [spec for spec in AGENTS if spec.username not in taken]
    if not missing:
        return
    users = User.objects.bulk_create(
        User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@ville.example.org",
            password=demo.password_hash,
        )
        for spec in missing
    )
    agents = Agent.objects.bulk_create(
        Agent(user=user, role=spec.role, job_title=spec.job_title)
        for user, spec in zip(users, missing, strict=True)
    )
    Agent.sites.through.objects.bulk_create(
        Agent.sites.through(agent_id=agent.pk, site_id=demo.sites[slug].pk)
        for agent, spec in zip(agents, missing, strict=True)
        for slug in spec.sites
    )
    Agent.departments.through.objects.bulk_create(
        Agent.departments.through(agent_id=agent.pk, department_id=demo.departments[slug].pk)
        for agent, spec in zip(agents, missing, strict=True)
        for slug in spec.departments
        if slug in demo.departments
    )
