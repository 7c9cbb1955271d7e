"""``guichet load-forms``: load the online forms from their YAML files (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from guichet.cases.forms_loader import load_forms


class Command(BaseCommand):
    help = (
        "Load the online forms (one YAML file per procedure, docs/forms.md) and publish a new "
        "version of each form whose file changed. Run it after loading the catalogue."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--content-dir",
            type=Path,
            help="Directory holding the form files (default: the forms shipped with Guichet).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also replace the forms that supervisors edited in the back office.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        report = load_forms(
            options["content_dir"],
            force=options["force"],
            stdout=self.stdout if verbose else None,
        )
        self.stdout.write(report.summary())
        if not report.ok:
            count = len(report.errors)
            raise CommandError(
                ngettext(
                    "%(count)d fichier de formulaire n'a pas été chargé : corrigez-le puis "
                    "relancez la commande.",
                    "%(count)d fichiers de formulaire n'ont pas été chargés : corrigez-les puis "
                    "relancez la commande.",
                    count,
                )
                % {"count": count}
            )
