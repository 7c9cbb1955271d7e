import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from guichet.catalogue.export import export_procedures


class Command(BaseCommand):
    help = "Print every procedure with all its texts, keywords, links and metadata."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="Print the full export as JSON (a list)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        procedures = export_procedures()
        if options["json"]:
            self.stdout.write(json.dumps(procedures, ensure_ascii=False, indent=2))
            return
        for procedure in procedures:
            self.stdout.write(f"{procedure['slug']}\t{procedure['title']}")
        count = len(procedures)
        self.stdout.write(
            ngettext(
                "%(count)d démarche. Ajoutez --json pour l'export complet.",
                "%(count)d démarches. Ajoutez --json pour l'export complet.",
                count,
            )
            % {"count": count}
        )
