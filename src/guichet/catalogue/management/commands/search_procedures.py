"""``guichet search-procedures "QUERY" [--limit N] [--json]`` or ``--batch FILE``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guichet.catalogue.management.batch import add_query_arguments, queries_from_options
from guichet.catalogue.search import ProcedureMatch, search_procedures


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _as_json(matches: list[ProcedureMatch]) -> list[dict[str, Any]]:
    return [
        {"slug": match.procedure.slug, "title": match.procedure.title, "score": match.score}
        for match in matches
    ]


class Command(BaseCommand):
    help = (
        'Search the procedures, best first: guichet search-procedures "carte d\'identité". '
        "With --batch FILE, search every line of FILE and print one JSON array per line."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_query_arguments(parser, query_help="What a resident or an agent would type.")
        parser.add_argument("--limit", type=_positive, default=10, help="At most N results.")
        parser.add_argument(
            "--json", action="store_true", help='Print [{"slug", "title", "score"}] as JSON.'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = options["limit"]
        batch = queries_from_options(options)
        if batch is not None:
            for query in batch:
                matches = search_procedures(query, limit=limit)
                self.stdout.write(json.dumps(_as_json(matches), ensure_ascii=False))
            return
        matches = search_procedures(options["query"], limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(matches), ensure_ascii=False, indent=2))
            return
        if not matches:
            self.stdout.write(_("Aucune démarche ne correspond."))
        for match in matches:
            procedure = match.procedure
            self.stdout.write(f"{match.score:8.3f}  {procedure.slug}  {procedure.title}")
