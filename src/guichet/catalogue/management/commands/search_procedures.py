import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guichet.catalogue.search import search_procedures


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = 'Search the procedures, best first: guichet search-procedures "carte d\'identité".'

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("query", help="What a resident or an agent would type.")
        parser.add_argument("--limit", type=_positive, default=10, help="At most N results.")
        parser.add_argument(
            "--json", action="store_true", help='Print [{"slug", "title", "score"}] as JSON.'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["query"].strip():
            raise CommandError(_("Indiquez ce qu'il faut chercher, par exemple « cantine »."))
        matches = search_procedures(options["query"], limit=options["limit"])
        if options["json"]:
            results = [
                {"slug": m.procedure.slug, "title": m.procedure.title, "score": m.score}
                for m in matches
            ]
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        if not matches:
            self.stdout.write(_("Aucune démarche ne correspond."))
        for match in matches:
            procedure = match.procedure
            self.stdout.write(f"{match.score:8.3f}  {procedure.slug}  {procedure.title}")
