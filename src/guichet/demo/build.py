"""Build the demo city: catalogue, forms, organisation, people, contacts, requests (idempotent)."""

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

from guichet.cases.forms_loader import load_forms
from guichet.catalogue.actions import update_article, update_procedure
from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import Article, Procedure
from guichet.demo.activity import ContactFactory, save_batch
from guichet.demo.case_history import quiet_past_notifications
from guichet.demo.cases import build_cases
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
    cases: int = 0
    cases_open: int = 0
    cases_overdue: int = 0
    cases_near_due: int = 0
    case_drafts: int = 0
    # Residents who filed online and so have a portal account (besides the demo logins).
    online_accounts: int = 0
    already_there: bool = False
    catalogue_summary: str = ""
    forms_summary: str = ""
    catalogue_errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def demo_data_exists() -> bool:
    return Resident.objects.filter(external_id__startswith=DEMO_ID_PREFIX).exists()


def build_demo(
    *,
    residents: int = 2000,
    contacts: int = 20_000,
    cases: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoReport:
    """Load what is missing of the demo city; a second run only refreshes the catalogue and forms.

    ``cases`` requests are filed over the last 90 days (by default 1 for every 4 residents,
    which keeps the whole demo under 30 s on SQLite).
    """
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
    # The emails and SMS the demo queues use the texts supervisors edit (idempotent).
    from guichet.notifications.loader import load_templates

    report.catalogue_errors += load_templates().errors
    timed("catalogue")

    progress(_("Formulaires de demande en ligne…"))
    forms = load_forms()
    report.forms_summary = forms.summary()
    report.catalogue_errors += [str(error) for error in forms.errors]
    timed("forms")

    progress(_("Sites, horaires et agents…"))
    demo = build_organisation(city_name, DEMO_POSTAL_CODE)
    timed("organisation")

    if demo_data_exists():
        report.already_there = True
        return report

    rng = random.Random(seed)
    with quiet_past_notifications(), transaction.atomic():
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

        case_count = residents // 4 if cases is None else cases
        progress(
            ngettext(
                "%(count)d demande sur les trois derniers mois…",
                "%(count)d demandes sur les trois derniers mois…",
                case_count,
            )
            % {"count": case_count}
        )
        made = build_cases(
            rng,
            demo,
            population,
            count=case_count,
            city_name=city_name,
            postal_code=DEMO_POSTAL_CODE,
        )
        report.cases = made.cases
        report.cases_open = made.open
        report.cases_overdue = made.overdue
        report.cases_near_due = made.near_due
        report.case_drafts = made.drafts
        report.online_accounts = made.online_accounts
        report.documents += made.documents
        timed("cases")
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
