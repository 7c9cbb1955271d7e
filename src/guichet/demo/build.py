"""Build the demo city: catalogue, organisation, residents and a year of contacts (idempotent)."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.catalogue.actions import update_article, update_procedure
from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import Article, Procedure
from guichet.demo.activity import ContactFactory, save_batch
from guichet.demo.city import DemoCity, build_organisation
from guichet.demo.people import DEMO_ID_PREFIX, build_people
from guichet.residents.models import Resident

# The demo's addresses are invented; their postal code is Créteil's whatever GUICHET_CITY_NAME is.
DEMO_POSTAL_CODE = "94000"
DEFAULT_SEED = 20_26


@dataclass
class DemoReport:
    residents: int = 0
    households: int = 0
    documents: int = 0
    duplicate_pairs: int = 0
    portal_accounts: int = 0
    contacts: int = 0
    already_there: bool = False
    catalogue_summary: str = ""
    catalogue_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def demo_data_exists() -> bool:
    return Resident.objects.filter(external_id__startswith=DEMO_ID_PREFIX).exists()


def build_demo(
    *,
    residents: int = 2000,
    contacts: int = 20_000,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoReport:
    """Load what is missing of the demo city; a second run only refreshes the catalogue."""
    report = DemoReport()
    city_name: str = settings.GUICHET_CITY_NAME
    last = time.monotonic()

    def timed(stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        report.seconds[stage] = now - last
        last = now

    progress(_("Catalogue des démarches et fiches réflexes…"))
    catalogue = load_catalogue()
    report.catalogue_summary = catalogue.summary()
    report.catalogue_errors = [str(error) for error in catalogue.errors]
    timed("catalogue")

    progress(_("Sites, horaires et agents…"))
    demo = build_organisation(city_name, DEMO_POSTAL_CODE)
    timed("organisation")

    if demo_data_exists():
        report.already_there = True
        return report

    rng = random.Random(seed)
    with transaction.atomic():
        progress(
            ngettext(
                "%(count)d usager, son foyer et ses pièces justificatives…",
                "%(count)d usagers, leurs foyers et leurs pièces justificatives…",
                residents,
            )
            % {"count": residents}
        )
        duplicate_pairs = max(1, residents // 100) if residents > 10 else 0
        population = build_people(
            rng,
            demo,
            count=residents - duplicate_pairs,
            city_name=city_name,
            postal_code=DEMO_POSTAL_CODE,
            duplicate_pairs=duplicate_pairs,
            portal_accounts=min(5, max(1, residents // 200)),
            with_documents=True,
        )
        report.residents = Resident.objects.filter(external_id__startswith=DEMO_ID_PREFIX).count()
        report.households = population.households
        report.documents = population.documents
        report.duplicate_pairs = population.duplicate_pairs
        report.portal_accounts = len(population.portal_users)
        timed("people")

        progress(
            ngettext(
                "%(count)d contact sur les douze derniers mois…",
                "%(count)d contacts sur les douze derniers mois…",
                contacts,
            )
            % {"count": contacts}
        )
        factory = ContactFactory(rng, demo, population)
        for batch in factory.contacts(contacts):
            save_batch(batch)
            report.contacts += len(batch.contacts)
        timed("contacts")
        age_some_content(demo)
    return report


# Content whose review date the demo sets in the past, so "À revoir" flags have something to show.
STALE_PROCEDURES = ("attestation-accueil", "concession-funeraire", "stationnement-residentiel")
STALE_ARTICLES = ("orienter-caf",)


def age_some_content(demo: DemoCity) -> None:
    """Give a few procedures and articles a review date that has passed, as a supervisor would."""
    supervisor = demo.agents["sup.accueil"].user
    overdue = timezone.localdate() - datetime.timedelta(days=15)
    comment = _("Démonstration : échéance de relecture dépassée")
    for procedure in Procedure.objects.filter(slug__in=STALE_PROCEDURES):
        update_procedure(
            procedure, actor=supervisor, changes={"review_before": overdue}, comment=comment
        )
    for article in Article.objects.filter(slug__in=STALE_ARTICLES):
        update_article(
            article, actor=supervisor, changes={"review_before": overdue}, comment=comment
        )
