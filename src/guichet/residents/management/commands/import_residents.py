"""``guichet import-residents FILE.csv``: create or update resident files from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
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
            progress = tqdm(total=total, unit=" lignes", desc=_("Import"), file=sys.stdout)

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
        self.stdout.write(
            _(
                "Import terminé : %(created)d créés, %(updated)d mis à jour, "
                "%(unchanged)d inchangés, %(errors)d erreurs."
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
            }
        )
        if report.errors:
            raise CommandError(
                _(
                    "%(count)d ligne(s) refusée(s) : corrigez-les (voir ci-dessus) puis "
                    "réimportez le fichier ; les lignes déjà importées seront mises à jour, pas "
                    "dupliquées."
                )
                % {"count": len(report.errors)},
                returncode=1,
            )
