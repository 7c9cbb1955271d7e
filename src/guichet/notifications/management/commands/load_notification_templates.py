from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from guichet.notifications.loader import load_templates


class Command(BaseCommand):
    help = (
        "Load the default email and SMS templates into the database. Idempotent; templates "
        "edited by a supervisor are kept."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            help="YAML file of templates (default: the templates shipped with Guichet).",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Also replace the templates supervisors edited with the file's version.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_templates(options["file"], overwrite_edits=options["overwrite_edits"])
        self.stdout.write(report.summary())
        if not report.ok:
            count = len(report.errors)
            raise CommandError(
                ngettext(
                    "%(count)d modèle invalide ignoré : corrigez le fichier puis relancez la "
                    "commande.",
                    "%(count)d modèles invalides ignorés : corrigez le fichier puis relancez la "
                    "commande.",
                    count,
                )
                % {"count": count}
            )
