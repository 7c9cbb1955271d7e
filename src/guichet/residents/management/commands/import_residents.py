"""``guichet import-residents FILE.csv``: create or update resident files from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from tqdm import tqdm

from guichet.residents.importing import COLUMNS, ImportFileError, import_residents


class Command(BaseCommand):
    help = (
        "Import residents from a UTF-8 CSV file (comma or semicolon) whose header is "
        + ",".join(COLUMNS)
        + ". Lines are matched to existing files by external_id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file to import")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Lines written per transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        show_progress = self.stdout.isatty()
        progress = None
        if show_progress:
            try:
                total = max(0, path.read_bytes().count(b"\n") - 1)
            except OSError:
                total = None
            unit = " " + pgettext("unité de la barre de progression", "lignes")
            progress = tqdm(total=total, unit=unit, desc=_("Import"), file=sys.stdout)

        def advance(handled: int) -> None:
            if progress is not None:
                progress.update(handled - progress.n)

        try:
            report = import_residents(
                path, batch_size=max(1, options["batch_size"]), on_progress=advance
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if progress is not None:
                progress.close()

        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for error in report.errors:
            self.stderr.write(str(error))
        errors = len(report.errors)
        self.stdout.write(
            _("Import terminé : %(created)s, %(updated)s, %(unchanged)s, %(errors)s.")
            % {
                "created": ngettext("%(count)d créé", "%(count)d créés", report.created)
                % {"count": report.created},
                "updated": ngettext("%(count)d mis à jour", "%(count)d mis à jour", report.updated)
                % {"count": report.updated},
                "unchanged": ngettext("%(count)d inchangé", "%(count)d inchangés", report.unchanged)
                % {"count": report.unchanged},
                "errors": ngettext("%(count)d erreur", "%(count)d erreurs", errors)
                % {"count": errors},
            }
        )
        if errors:
            raise CommandError(
                ngettext(
                    "%(count)d ligne refusée : corrigez-la (voir ci-dessus) puis réimportez le "
                    "fichier ; les lignes déjà importées seront mises à jour, pas dupliquées.",
                    "%(count)d lignes refusées : corrigez-les (voir ci-dessus) puis réimportez le "
                    "fichier ; les lignes déjà importées seront mises à jour, pas dupliquées.",
                    errors,
                )
                % {"count": errors},
                returncode=1,
            )
