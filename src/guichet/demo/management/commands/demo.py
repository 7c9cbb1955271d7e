"""``guichet demo``: migrate the database and load the demo city (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.demo.build import DEFAULT_SEED, build_demo


def require_demo_mode() -> None:
    """Refuse to run unless DEBUG or GUICHET_DEMO is set: demo accounts have public passwords."""
    if not (settings.DEBUG or settings.GUICHET_DEMO):
        raise CommandError(
            _(
                "La démo crée des comptes d'agents dont le mot de passe est public : elle ne "
                "s'exécute que si GUICHET_DEMO=true (ou DEBUG=true) est défini. Ne la chargez "
                "jamais dans la base de données d'une vraie ville."
            )
        )


class Command(BaseCommand):
    help = (
        "Migrate the database and load the demo city (sites, agents, catalogue, residents, "
        "contacts). Idempotent: a second run adds nothing. Needs GUICHET_DEMO=true or DEBUG=true."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=2000, help="number of residents")
        parser.add_argument("--contacts", type=int, default=20_000, help="number of contacts")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode()
        if options["residents"] < 1 or options["contacts"] < 0:
            raise CommandError(_("--residents doit être au moins 1 et --contacts au moins 0."))
        started = time.monotonic()
        self.stdout.write(_("Migrations de la base de données…"))
        call_command("migrate", interactive=False, verbosity=0)
        report = build_demo(
            residents=options["residents"],
            contacts=options["contacts"],
            seed=options["seed"],
            progress=self.stdout.write,
        )
        for error in report.catalogue_errors:
            self.stderr.write(_("Catalogue : %(error)s") % {"error": error})
        seconds = time.monotonic() - started
        if report.already_there:
            self.stdout.write(
                _(
                    "La ville de démonstration de %(city)s est déjà chargée : rien à ajouter "
                    "(%(seconds).1f s)."
                )
                % {"city": settings.GUICHET_CITY_NAME, "seconds": seconds}
            )
        else:
            counts = {
                "residents": ngettext("%(count)d usager", "%(count)d usagers", report.residents)
                % {"count": report.residents},
                "households": ngettext("%(count)d foyer", "%(count)d foyers", report.households)
                % {"count": report.households},
                "documents": ngettext("%(count)d pièce", "%(count)d pièces", report.documents)
                % {"count": report.documents},
                "pairs": ngettext(
                    "%(count)d paire de doublons apparents",
                    "%(count)d paires de doublons apparents",
                    report.duplicate_pairs,
                )
                % {"count": report.duplicate_pairs},
                "contacts": ngettext("%(count)d contact", "%(count)d contacts", report.contacts)
                % {"count": report.contacts},
            }
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Ville de démonstration de %(city)s chargée en %(seconds).1f s : "
                        "%(residents)s dans %(households)s, %(documents)s, %(pairs)s, "
                        "%(contacts)s."
                    )
                    % {"city": settings.GUICHET_CITY_NAME, "seconds": seconds, **counts}
                )
            )
        if options["verbosity"] >= 2:
            for stage, elapsed in report.seconds.items():
                self.stdout.write(f"  {stage}: {elapsed:.1f} s")
        self.stdout.write(_("Identifiants de démonstration : guichet demo_logins"))
