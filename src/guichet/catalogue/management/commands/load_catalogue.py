from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from guichet.catalogue.loader import load_catalogue


class Command(BaseCommand):
    help = (
        "Load the catalogue (departments, life events, procedures, knowledge articles) from its "
        "YAML files. Idempotent: run it again after editing the files."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--content-dir",
            type=Path,
            help="Directory holding the YAML files (default: the catalogue shipped with Guichet).",
        )
        parser.add_argument(
            "--overwrite-local-edits",
            action="store_true",
            help="Also replace procedures and articles that agents edited since the last load.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_catalogue(
            options["content_dir"], overwrite_local_edits=options["overwrite_local_edits"]
        )
        self.stdout.write(report.summary())
        if not report.ok:
            count = len(report.errors)
            raise CommandError(
                ngettext(
                    "%(count)d élément invalide ignoré : corrigez le fichier indiqué ci-dessus "
                    "puis relancez la commande.",
                    "%(count)d éléments invalides ignorés : corrigez les fichiers indiqués "
                    "ci-dessus puis relancez la commande.",
                    count,
                )
                % {"count": count}
            )
