"""A year of contacts in the demo city: channels, sites, agents, motives, outcomes and seasons.

Contacts are drawn day by day with the rhythm of a real city hall (Mondays busy, Sundays online
only, August quiet), the motive with its season (school registrations in spring, identity cards
before summer, the heatwave register in June and July, bulky waste when people move), then the
channel, site, agent and outcome that fit the motive. Rows are written with ``bulk_create``,
with the ``ContactEvent`` and ``Callback`` rows ``contacts.actions.log_contact`` would write.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from guichet.catalogue.models import Procedure
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Callback, Contact, ContactEvent
from guichet.demo.city import AGENT_SPECS, ANNEXES, SITES, DemoCity
from guichet.demo.people import Population
from guichet.organisation.choices import Channel, Role, SiteKind
from guichet.organisation.models import Agent, Department, Site
from guichet.organisation.working_days import french_public_holidays
from guichet.residents.models import Resident

PARIS = ZoneInfo("Europe/Paris")
C = Channel

# Relative weight of each motive and its monthly multipliers (month: factor, default 1).
SEASONS: dict[str, tuple[float, dict[int, float]]] = {
    "inscription-scolaire": (3, {1: 1.5, 2: 2.5, 3: 4, 4: 4, 5: 3, 6: 2, 8: 0.5, 9: 1.5}),
    "derogation-scolaire": (0.8, {3: 3, 4: 3, 5: 2, 7: 0.3, 8: 0.3}),
    "restauration-scolaire": (2, {6: 2, 7: 2, 8: 3, 9: 4}),
    "accueil-periscolaire": (2, {8: 2, 9: 4, 10: 1.5, 7: 0.5}),
    "centre-loisirs": (2, {2: 2, 3: 1.5, 6: 3, 7: 2, 10: 2, 12: 1.5, 8: 0.5}),
    "quotient-familial": (1.5, {9: 3, 10: 2, 1: 1.5}),
    "paiement-factures-famille": (2.5, {7: 0.5, 8: 0.4}),
    "carte-identite": (5, {3: 2, 4: 2.5, 5: 3, 6: 3, 7: 1.5, 12: 0.8}),
    "passeport": (3.5, {3: 2, 4: 3, 5: 3.5, 6: 3, 7: 1.5}),
    "registre-vulnerables": (0.3, {6: 9, 7: 9, 8: 3, 12: 2, 1: 2}),
    "encombrants": (2.5, {4: 2, 5: 2, 6: 2.5, 7: 2, 9: 1.5}),
    "signalement-espace-public": (3, {10: 1.5, 11: 1.8, 12: 1.5, 1: 1.3}),
    "bacs-dechets": (1.2, {9: 1.3}),
    "occupation-domaine-public": (0.8, {6: 2, 7: 2.5, 8: 2}),
    "stationnement-residentiel": (1.2, {1: 2, 9: 1.5}),
    "inscription-listes-electorales": (1, {1: 2, 2: 2, 3: 1.5}),
    "recensement-citoyen": (0.8, {}),
    "acte-naissance": (3, {}),
    "acte-mariage": (1, {}),
    "acte-deces": (0.7, {}),
    "declaration-naissance": (1, {}),
    "declaration-deces": (0.6, {1: 1.3, 12: 1.2}),
    "reconnaissance-enfant": (0.4, {}),
    "mariage": (0.8, {1: 1.5, 2: 2, 3: 2, 4: 1.5}),
    "pacs": (0.8, {}),
    "changement-prenom": (0.2, {}),
    "livret-famille": (0.8, {}),
    "parrainage-civil": (0.2, {4: 1.5, 5: 2, 6: 2}),
    "attestation-accueil": (0.6, {5: 2, 6: 2, 7: 1.5}),
    "legalisation-signature": (0.5, {}),
    "concession-funeraire": (0.3, {10: 1.5, 11: 2}),
    "chien-categorie": (0.1, {}),
    "place-creche": (1.5, {1: 1.5, 2: 2, 3: 2, 9: 1.5}),
    "relais-petite-enfance": (0.8, {}),
    "aide-sociale-facultative": (1.5, {12: 1.5, 1: 1.5, 9: 1.3}),
    "domiciliation": (0.8, {}),
    "portage-repas": (0.6, {1: 1.3, 12: 1.3}),
    "teleassistance": (0.5, {}),
    "aide-domicile": (0.6, {}),
    "logement-social": (2, {}),
    "autorisation-urbanisme": (1, {3: 1.5, 4: 2, 5: 2, 6: 1.5}),
    "location-salle": (0.7, {5: 1.3, 9: 1.5, 10: 1.5}),
    "subvention-association": (0.5, {1: 2, 2: 2, 11: 1.5}),
    "inscription-activites": (1.2, {6: 1.5, 9: 4}),
    "accompagnement-numerique": (2.5, {4: 1.5, 5: 2}),
    "atelier-numerique": (0.8, {}),
    "demenagement": (1.2, {6: 1.5, 7: 2, 8: 2, 9: 1.5}),
    "objets-trouves": (0.8, {7: 1.5, 8: 1.5}),
    "question-generale": (3, {}),
}
FREE_SUBJECT_WEIGHT = 5
FREE_SUBJECTS = [
    "Horaires d'ouverture de la piscine municipale",
    "Réclamation : bruit de voisinage le soir",
    "Demande de rendez-vous avec l'élu du quartier",
    "Collecte des sapins après les fêtes",
    "Badge d'accès à la déchetterie perdu",
    "Question sur la taxe foncière (orientée vers les impôts)",
    "Renseignement sur le marché du dimanche",
    "Réclamation sur le délai de réponse à un courrier",
    "Demande d'attestation de résidence",
    "Question sur les travaux de la ligne de bus",
    "Nuisances d'un chantier voisin",
    "Remerciements pour l'accueil reçu",
]
MONTH_ACTIVITY = {7: 0.85, 8: 0.55}
WEEKDAY_ACTIVITY = (1.25, 1.0, 1.1, 1.0, 0.9, 0.45, 0.08)  # Monday … Sunday

DEFAULT_CHANNELS = {
    C.COUNTER: 36,
    C.PHONE: 34,
    C.EMAIL: 12,
    C.WEB: 8,
    C.MAIL: 3,
    C.SMS: 3,
    C.KIOSK: 4,
}
CHANNELS_BY_MOTIVE = {
    "paiement-factures-famille": {C.WEB: 40, C.PHONE: 20, C.COUNTER: 25, C.EMAIL: 10, C.KIOSK: 5},
    "signalement-espace-public": {C.WEB: 30, C.PHONE: 35, C.EMAIL: 15, C.COUNTER: 15, C.SMS: 5},
    "encombrants": {C.WEB: 30, C.PHONE: 40, C.COUNTER: 20, C.EMAIL: 10},
    "carte-identite": {C.COUNTER: 45, C.PHONE: 35, C.WEB: 10, C.EMAIL: 5, C.KIOSK: 5},
    "passeport": {C.COUNTER: 45, C.PHONE: 35, C.WEB: 10, C.EMAIL: 5, C.KIOSK: 5},
    "registre-vulnerables": {C.PHONE: 60, C.COUNTER: 25, C.MAIL: 10, C.EMAIL: 5},
    "accompagnement-numerique": {C.COUNTER: 85, C.PHONE: 12, C.EMAIL: 3},
    "atelier-numerique": {C.COUNTER: 60, C.PHONE: 25, C.EMAIL: 10, C.WEB: 5},
}
CCAS_CHANNELS = {C.COUNTER: 50, C.PHONE: 40, C.MAIL: 5, C.EMAIL: 5}
REMOTE_CHANNELS = {C.EMAIL, C.WEB, C.MAIL, C.SMS}
DIGITAL_MOTIVES = {"accompagnement-numerique", "atelier-numerique"}
ELDERLY_MOTIVES = {"registre-vulnerables", "portage-repas", "teleassistance", "aide-domicile"}
YOUNG_CHILDREN_DEPARTMENTS = {"petite-enfance"}
SCHOOL_DEPARTMENTS = {"education"}

PARTNERS = {
    "population": ["Préfecture du Val-de-Marne", "ANTS (Agence nationale des titres sécurisés)"],
    "ccas": [
        "CAF du Val-de-Marne",
        "Espace départemental des solidarités",
        "Épicerie solidaire",
        "Maison départementale des personnes handicapées",
    ],
    "education": ["CAF du Val-de-Marne", "Inspection de l'Éducation nationale"],
    "": [
        "France Travail",
        "CPAM du Val-de-Marne",
        "Centre des finances publiques",
        "Point-justice",
        "CAF du Val-de-Marne",
    ],
}
SUMMARIES = {
    "carte-identite": [
        "Renouvellement de carte d'identité : pré-demande en ligne expliquée, pièces listées.",
        "Carte d'identité perdue : déclaration de perte avec la demande, timbre fiscal de 25 €.",
        "Demande de carte pour un enfant mineur : présence de l'enfant et d'un parent nécessaire.",
        "Retrait de la carte : vérification que le titre est arrivé.",
    ],
    "passeport": [
        "Passeport avant un voyage cet été : délais expliqués, créneaux libérés chaque lundi.",
        "Passeport d'un mineur : autorité parentale et pièces à fournir détaillées.",
        "Retrait du passeport : titre disponible, prise d'empreinte au retrait.",
    ],
    "inscription-scolaire": [
        "Première inscription en petite section : justificatif de domicile et vaccins demandés.",
        "Inscription en CP après un déménagement : certificat de radiation demandé.",
        "Question sur le secteur scolaire de la nouvelle adresse.",
    ],
    "registre-vulnerables": [
        "Inscription au registre canicule d'une personne âgée vivant seule.",
        "Un voisin signale une personne âgée isolée : inscription proposée avec son accord.",
        "Mise à jour du contact d'urgence pour le plan canicule.",
    ],
    "encombrants": [
        "Rendez-vous d'enlèvement d'encombrants après un déménagement.",
        "Dépôt sauvage signalé au pied de l'immeuble.",
        "Liste des objets acceptés (électroménager, meubles) expliquée.",
    ],
    "signalement-espace-public": [
        "Lampadaire éteint depuis plusieurs jours dans la rue.",
        "Nid-de-poule dangereux signalé sur la chaussée.",
        "Tags sur le mur de l'école.",
        "Trottoir encombré de feuilles mortes, risque de chute.",
    ],
    "paiement-factures-famille": [
        "Facture de cantine contestée : absence de l'enfant non déduite.",
        "Paiement en plusieurs fois demandé pour les factures périscolaires.",
    ],
    "accompagnement-numerique": [
        "Aide pour la déclaration de revenus en ligne.",
        "Création d'un compte France Connect et d'une adresse courriel.",
        "Aide pour la demande de prime d'activité sur le site de la CAF.",
        "Pré-demande de carte d'identité faite avec l'usager.",
    ],
}
SUMMARIES_BY_DEPARTMENT = {
    "ccas": [
        "Rupture de ressources après une perte d'emploi : demande d'aide alimentaire instruite.",
        "Difficultés à payer le loyer : constitution d'un dossier d'aide financière.",
        "Situation d'isolement d'une personne âgée : visite à domicile proposée.",
        "Renouvellement de la domiciliation administrative.",
        "Dossier de logement social : pièces manquantes rappelées.",
        "Demande de portage de repas après une hospitalisation.",
    ],
    "population": [
        "Demande de copie intégrale d'acte, délai de traitement expliqué.",
        "Pièces à fournir détaillées et remises par écrit.",
        "Dossier déposé, vérification des pièces faite au guichet.",
    ],
    "education": [
        "Question sur les tarifs et le quotient familial.",
        "Modification des jours de présence de l'enfant.",
    ],
    "petite-enfance": [
        "Demande de place en crèche : commission d'attribution expliquée.",
        "Liste des assistantes maternelles disponibles du quartier remise.",
    ],
    "espace-public": ["Signalement transmis aux équipes techniques."],
    "urbanisme": ["Déclaration préalable pour une clôture : formulaire et plan demandés."],
    "vie-locale": ["Réservation de salle pour une association : disponibilités données."],
    "relation-usager": ["Question générale, réponse apportée directement."],
}
OUTCOME_NOTES: dict[str, str] = {
    Outcome.ANSWERED: "Réponse apportée.",
    Outcome.APPOINTMENT: "Rendez-vous fixé.",
    Outcome.REQUEST_FILED: "Demande enregistrée.",
    Outcome.CALLBACK: "Le service doit rappeler l'usager.",
    Outcome.ORIENTED_DEPARTMENT: "Orienté vers le service compétent.",
    Outcome.ORIENTED_PARTNER: "Orienté vers un partenaire.",
}


@dataclass
class _Motive:
    procedure: Procedure | None
    subject: str
    department: Department | None
    channels: list[str]
    channel_weights: list[float]


@dataclass
class ContactBatch:
    """Unsaved rows for one batch, saved together by ``save_batch``."""

    contacts: list[Contact] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    events: list[ContactEvent] = field(default_factory=list)


class ContactFactory:
    """Draw contacts of the last 12 months for the demo city."""

    def __init__(
        self,
        rng: random.Random,
        demo: DemoCity,
        population: Population,
        *,
        now: datetime.datetime | None = None,
        with_events: bool = True,
    ) -> None:
        self.rng = rng
        self.demo = demo
        self.with_events = with_events
        self.now = timezone.localtime(now or timezone.now(), PARIS)
        today = self.now.date()
        self.days = [today - datetime.timedelta(days=n) for n in range(365)]
        holidays = set(french_public_holidays(today.year)) | set(
            french_public_holidays(today.year - 1)
        )
        self.holidays = holidays
        weights = []
        for day in self.days:
            weight = WEEKDAY_ACTIVITY[day.weekday()] * MONTH_ACTIVITY.get(day.month, 1)
            if day in holidays or (day.month == 12 and day.day >= 24):
                weight *= 0.15
            weights.append(weight)
        self.day_cum = list(itertools.accumulate(weights))
        self.sites = demo.sites
        self.site_kinds = {spec.slug: spec.kind for spec in SITES}
        self.hours = {slug: _hours_by_weekday(site) for slug, site in self.sites.items()}
        self.closed = {
            (closure.site_id, day)
            for site in self.sites.values()
            for closure in site.closures.all()
            for day in _date_range(closure.start_date, closure.end_date)
        }
        self._prepare_motives()
        self._prepare_residents(population)
        self.reception = {slug: demo.agents_at(slug, Role.RECEPTION) for slug in self.sites}
        self.helpers = {slug: demo.agents_at(slug, Role.HELPER) for slug in self.sites}
        self.phone_desk = demo.agents_at("hotel-de-ville", Role.RECEPTION)
        self.supervisor = demo.agents.get("sup.accueil")
        self.department_agents = {slug: demo.agents_of(slug) for slug in demo.departments}
        # Department agents who also receive the public at a given site.
        self.department_agents_at = {
            (site, department): [a for a in agents if site in AGENT_SPECS[a.user.username].sites]
            for department, agents in self.department_agents.items()
            for site in self.sites
        }

    # Preparation ---------------------------------------------------------------------------

    def _prepare_motives(self) -> None:
        procedures = {
            p.slug: p
            for p in Procedure.objects.select_related("department").filter(is_published=True)
        }
        departments = self.demo.departments
        self.motives: list[_Motive] = []
        base: list[float] = []
        seasons: list[dict[int, float]] = []
        for slug, (weight, season) in SEASONS.items():
            procedure = procedures.get(slug)
            if procedure is None:
                continue
            department_slug = procedure.department.slug
            channels = CHANNELS_BY_MOTIVE.get(
                slug, CCAS_CHANNELS if department_slug == "ccas" else DEFAULT_CHANNELS
            )
            self.motives.append(
                _Motive(
                    procedure, "", procedure.department, list(channels), list(channels.values())
                )
            )
            base.append(weight)
            seasons.append(season)
        for subject in FREE_SUBJECTS:
            self.motives.append(
                _Motive(
                    None,
                    subject,
                    departments.get("relation-usager"),
                    list(DEFAULT_CHANNELS),
                    list(DEFAULT_CHANNELS.values()),
                )
            )
            base.append(FREE_SUBJECT_WEIGHT / len(FREE_SUBJECTS))
            seasons.append({})
        self.motive_cum = {
            month: list(
                itertools.accumulate(
                    w * s.get(month, 1) for w, s in zip(base, seasons, strict=True)
                )
            )
            for month in range(1, 13)
        }

    def _prepare_residents(self, population: Population) -> None:
        rng = self.rng
        # A few residents come often, most rarely: a Pareto-like activity weight per person.
        activity = {id(r): min(rng.paretovariate(1.6), 12.0) for r in population.adults}
        self.pools: dict[str, tuple[list[Resident], list[float]]] = {}
        groups = {
            "adults": population.adults,
            "parents": population.parents or population.adults,
            "young": population.parents_of_young or population.parents or population.adults,
            "elderly": population.elderly or population.adults,
        }
        for name, residents in groups.items():
            self.pools[name] = (
                residents,
                list(itertools.accumulate(activity.get(id(r), 1.0) for r in residents)),
            )

    # Drawing ------------------------------------------------------------------------------

    def contacts(self, count: int, batch_size: int = 5000) -> Iterator[ContactBatch]:
        """Yield batches of unsaved rows until ``count`` contacts have been drawn."""
        batch = ContactBatch()
        made = 0
        while made < count:
            made += self._draw(batch, room=count - made)
            if len(batch.contacts) >= batch_size:
                yield batch
                batch = ContactBatch()
        if batch.contacts:
            yield batch

    def _draw(self, batch: ContactBatch, room: int) -> int:
        rng = self.rng
        day = rng.choices(self.days, cum_weights=self.day_cum)[0]
        motive = rng.choices(self.motives, cum_weights=self.motive_cum[day.month])[0]
        channel = rng.choices(motive.channels, motive.channel_weights)[0]
        slug = motive.procedure.slug if motive.procedure else ""
        department_slug = motive.department.slug if motive.department else ""
        site_slug, agent, moment = self._where_who_when(channel, day, slug, department_slug)
        if moment is None:
            channel = C.WEB if rng.random() < 0.6 else C.EMAIL
            moment = _at(day, rng.randint(7, 22), rng.randrange(60))
            site_slug, agent = "", self._back_office(department_slug)
            if moment > self.now:
                moment = self.now - datetime.timedelta(minutes=rng.randint(5, 600))
        resident = self._resident(slug, department_slug, channel)
        outcome = self._outcome(motive, channel)
        direction = Direction.INCOMING
        if (channel == C.SMS and rng.random() < 0.7) or (
            channel in {C.EMAIL, C.MAIL} and rng.random() < 0.2
        ):
            direction = Direction.OUTGOING
        contact = Contact(
            uuid=self._uuid(),
            channel=channel,
            direction=direction,
            site=self.sites[site_slug] if site_slug else None,
            agent=agent.user,
            resident=resident,
            procedure=motive.procedure,
            subject=motive.subject,
            department=motive.department,
            summary=self._summary(slug, department_slug, outcome),
            duration_minutes=self._duration(channel),
            outcome=outcome,
            occurred_at=moment,
            created_at=moment,
        )
        if outcome == Outcome.ORIENTED_PARTNER:
            contact.oriented_to_partner = rng.choice(PARTNERS.get(department_slug, PARTNERS[""]))
        elif outcome == Outcome.ORIENTED_DEPARTMENT:
            contact.oriented_to_department = motive.department
        batch.contacts.append(contact)
        details: dict[str, object] = {
            "channel": channel,
            "outcome": outcome,
            "resident": str(resident.uuid) if resident else None,
        }
        made = 1
        if outcome == Outcome.CALLBACK:
            made += self._callback(batch, contact, details, department_slug, room)
        if self.with_events:
            batch.events.append(
                ContactEvent(
                    contact=contact,
                    kind=ContactEvent.Kind.CREATED,
                    actor=contact.agent,
                    details=details,
                    created_at=moment,
                )
            )
        return made

    def _where_who_when(
        self, channel: str, day: datetime.date, slug: str, department_slug: str
    ) -> tuple[str, Agent, datetime.datetime | None]:
        """Return the site, the agent and the moment; no moment when nobody works that day."""
        rng = self.rng
        if channel in REMOTE_CHANNELS:
            hour = rng.choices(range(24), _REMOTE_HOURS)[0]
            moment = _at(day, hour, rng.randrange(60))
            return "", self._back_office(department_slug), self._not_future(moment, day)
        if channel == C.PHONE:
            if day.weekday() >= 5 or day in self.holidays:
                return "", self._back_office(department_slug), None
            moment = _at(day, rng.randint(8, 17), rng.randrange(60))
            department_agents = self.department_agents.get(department_slug)
            if department_agents and rng.random() < 0.35:
                agent = rng.choice(department_agents)
                site = AGENT_SPECS[agent.user.username].sites[0]
                return site, agent, self._not_future(moment, day)
            return "hotel-de-ville", rng.choice(self.phone_desk), self._not_future(moment, day)
        site_slug = self._counter_site(channel, slug, department_slug)
        if (self.sites[site_slug].pk, day) in self.closed or day in self.holidays:
            return "", self._back_office(department_slug), None
        periods = self.hours[site_slug].get(day.weekday())
        if not periods:
            site_slug = "hotel-de-ville"
            periods = self.hours[site_slug].get(day.weekday())
            if not periods or (self.sites[site_slug].pk, day) in self.closed:
                return "", self._back_office(department_slug), None
        opens, closes = rng.choice(periods)
        start = opens.hour * 60 + opens.minute
        end = closes.hour * 60 + closes.minute
        minute = rng.randrange(start, max(end - 5, start + 1))
        moment = _at(day, minute // 60, minute % 60)
        return (
            site_slug,
            self._counter_agent(site_slug, department_slug),
            self._not_future(moment, day),
        )

    def _not_future(
        self, moment: datetime.datetime, day: datetime.date
    ) -> datetime.datetime | None:
        if moment <= self.now:
            return moment
        if day == self.now.date():
            # Today's contacts so far: spread them over the hours already gone.
            start = _at(day, 8, 30)
            if self.now <= start:
                return None
            span = int((self.now - start).total_seconds())
            return start + datetime.timedelta(seconds=self.rng.randrange(max(span, 1)))
        return None

    def _counter_site(self, channel: str, slug: str, department_slug: str) -> str:
        rng = self.rng
        if slug in DIGITAL_MOTIVES:
            return rng.choice(["relais-numerique-echat", "relais-numerique-sablieres"])
        if channel == C.KIOSK:
            return rng.choice(["hotel-de-ville", "hotel-de-ville", *ANNEXES])
        if department_slug == "ccas":
            return rng.choices(
                ["centre-social-kennedy", "hotel-de-ville", *ANNEXES], [14, 4, 1, 1, 1, 1]
            )[0]
        if slug in {"carte-identite", "passeport"}:
            return rng.choices(
                ["hotel-de-ville", "mairie-annexe-palais", *ANNEXES], [12, 4, 1, 1, 1, 1]
            )[0]
        return rng.choices(
            [
                "hotel-de-ville",
                *ANNEXES,
                "centre-social-kennedy",
                "relais-numerique-echat",
                "relais-numerique-sablieres",
            ],
            [40, 13, 13, 13, 13, 3, 2.5, 2.5],
        )[0]

    def _counter_agent(self, site_slug: str, department_slug: str) -> Agent:
        rng = self.rng
        if self.site_kinds[site_slug] == SiteKind.DIGITAL_HELP_POINT and self.helpers[site_slug]:
            return rng.choice(self.helpers[site_slug])
        department_agents = self.department_agents_at.get((site_slug, department_slug))
        if department_agents and rng.random() < (0.6 if department_slug == "ccas" else 0.25):
            return rng.choice(department_agents)
        return rng.choice(self.reception[site_slug] or self.phone_desk)

    def _back_office(self, department_slug: str) -> Agent:
        agents = self.department_agents.get(department_slug)
        if agents:
            return self.rng.choice(agents)
        return self.supervisor or self.rng.choice(self.phone_desk)

    def _resident(self, slug: str, department_slug: str, channel: str) -> Resident | None:
        rng = self.rng
        anonymous_share = 0.04 if channel in REMOTE_CHANNELS else 0.14
        if rng.random() < anonymous_share:
            return None
        if slug in ELDERLY_MOTIVES:
            pool = "elderly"
        elif department_slug in YOUNG_CHILDREN_DEPARTMENTS:
            pool = "young"
        elif department_slug in SCHOOL_DEPARTMENTS:
            pool = "parents"
        else:
            pool = "adults"
        residents, cum = self.pools[pool]
        if not residents:
            return None
        return rng.choices(residents, cum_weights=cum)[0]

    def _outcome(self, motive: _Motive, channel: str) -> str:
        procedure = motive.procedure
        if procedure is not None and not procedure.handled_by_city:
            weights = {Outcome.ORIENTED_PARTNER: 60, Outcome.ANSWERED: 35, Outcome.CALLBACK: 5}
        elif procedure is not None and procedure.appointment_required:
            weights = {
                Outcome.APPOINTMENT: 45, Outcome.ANSWERED: 35, Outcome.CALLBACK: 6,
                Outcome.REQUEST_FILED: 10, Outcome.ORIENTED_DEPARTMENT: 4,
            }  # fmt: skip
        elif channel == C.WEB:
            weights = {Outcome.REQUEST_FILED: 55, Outcome.ANSWERED: 40, Outcome.CALLBACK: 5}
        else:
            weights = {
                Outcome.ANSWERED: 55, Outcome.REQUEST_FILED: 14, Outcome.APPOINTMENT: 8,
                Outcome.ORIENTED_DEPARTMENT: 9, Outcome.ORIENTED_PARTNER: 6, Outcome.CALLBACK: 8,
            }  # fmt: skip
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _summary(self, slug: str, department_slug: str, outcome: str) -> str:
        texts = SUMMARIES.get(slug) or SUMMARIES_BY_DEPARTMENT.get(department_slug) or [""]
        text = self.rng.choice(texts)
        return f"{text} {OUTCOME_NOTES[outcome]}".strip()

    def _duration(self, channel: str) -> int | None:
        rng = self.rng
        if channel == C.COUNTER:
            return max(2, min(60, round(rng.lognormvariate(2.2, 0.5))))
        if channel == C.PHONE:
            return max(1, min(40, round(rng.lognormvariate(1.6, 0.5))))
        if channel == C.KIOSK:
            return rng.randint(2, 6)
        if channel == C.EMAIL:
            return rng.randint(3, 12)
        return None

    def _callback(
        self,
        batch: ContactBatch,
        contact: Contact,
        details: dict[str, object],
        department_slug: str,
        room: int,
    ) -> int:
        """Add the callback promised by ``contact``; honour it if it is old enough. Return rows."""
        rng = self.rng
        assignee = self._back_office(department_slug) if rng.random() < 0.6 else None
        assignee_user = assignee.user if assignee else contact.agent
        assert assignee_user is not None
        due = _at(
            _next_working_day(
                contact.occurred_at.date() + datetime.timedelta(days=1), self.holidays
            ),
            12,
            0,
        )
        callback = Callback(contact=contact, assignee=assignee_user, due_at=due)
        details["callback_assignee"] = assignee_user.pk
        details["callback_due_at"] = due.isoformat()
        batch.callbacks.append(callback)
        # Recent callbacks are still open; an old one is rarely forgotten (overdue).
        if room < 2 or due > self.now - datetime.timedelta(days=1) or rng.random() < 0.01:
            return 0
        done_at = due - datetime.timedelta(minutes=rng.randint(10, 20 * 60))
        done_at = max(done_at, contact.occurred_at + datetime.timedelta(minutes=30))
        done = Contact(
            uuid=self._uuid(),
            channel=C.PHONE,
            direction=Direction.OUTGOING,
            site=contact.site,
            agent=assignee_user,
            resident=contact.resident,
            procedure=contact.procedure,
            subject=contact.subject,
            department=contact.department,
            summary=f"Rappel effectué. {OUTCOME_NOTES[Outcome.ANSWERED]}",
            duration_minutes=rng.randint(2, 12),
            outcome=Outcome.ANSWERED,
            occurred_at=done_at,
            created_at=done_at,
        )
        batch.contacts.append(done)
        callback.done_at, callback.done_by, callback.done_contact = done_at, assignee_user, done
        if self.with_events:
            batch.events.append(
                ContactEvent(
                    contact=done,
                    kind=ContactEvent.Kind.CREATED,
                    actor=assignee_user,
                    details={"channel": C.PHONE, "outcome": Outcome.ANSWERED,
                             "resident": details["resident"]},
                    created_at=done_at,
                )
            )  # fmt: skip
            batch.events.append(
                ContactEvent(
                    contact=contact,
                    kind=ContactEvent.Kind.CALLBACK_DONE,
                    actor=assignee_user,
                    details={"contact": str(done.uuid)},
                    created_at=done_at,
                )
            )
        return 1

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def save_batch(batch: ContactBatch) -> None:
    """Write a batch: contacts first, then what points to them."""
    Contact.objects.bulk_create(batch.contacts, batch_size=2000)
    Callback.objects.bulk_create(batch.callbacks, batch_size=2000)
    if batch.events:
        ContactEvent.objects.bulk_create(batch.events, batch_size=5000)


# Online contacts arrive at any hour, mostly in the day and the evening.
_REMOTE_HOURS = [
    0.2,
    0.1,
    0.1,
    0.1,
    0.1,
    0.2,
    0.5,
    1,
    2,
    3,
    3,
    3,
    2.5,
    2.5,
    3,
    3,
    3,
    2.5,
    2,
    2,
    2,
    1.5,
    1,
    0.5,
]


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def _date_range(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def _next_working_day(day: datetime.date, holidays: set[datetime.date]) -> datetime.date:
    while day.weekday() >= 5 or day in holidays:
        day += datetime.timedelta(days=1)
    return day


def _hours_by_weekday(site: Site) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for period in site.opening_hours.all():
        hours.setdefault(period.weekday, []).append((period.opens_at, period.closes_at))
    return hours
