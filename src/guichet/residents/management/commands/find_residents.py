"""``guichet find-residents "QUERY" [--limit N] [--json]`` or ``--batch FILE``: the console's
resident search."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.catalogue.management.batch import add_query_arguments, queries_from_options
from guichet.residents.search import ResidentMatch, find_residents


def _as_json(matches: list[ResidentMatch]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(match.resident.uuid),
            "display_name": match.resident.display_name,
            "birth_date": (
                match.resident.birth_date.isoformat() if match.resident.birth_date else None
            ),
            "score": match.score,
        }
        for match in matches
    ]


class Command(BaseCommand):
    help = (
        "Find active residents by names, birth date, phone or email, best first. With --json, "
        'print [{"id", "display_name", "birth_date", "score"}] (id is the resident UUID). '
        "With --batch FILE, search every line of FILE and print one JSON array per line."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        add_query_arguments(parser, query_help="Names, a birth date, a phone or an email.")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = max(0, options["limit"])
        batch = queries_from_options(options)
        if batch is not None:
            for query in batch:
                matches = find_residents(query, limit=limit)
                self.stdout.write(json.dumps(_as_json(matches), ensure_ascii=False))
            return
        matches = find_residents(options["query"], limit=limit)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(matches), ensure_ascii=False))
            return
        for match in matches:
            birth = (
                match.resident.birth_date.strftime("%d/%m/%Y") if match.resident.birth_date else ""
            )
            self.stdout.write(
                f"{match.score:6.2f}  {match.resident.display_name}  {birth}  {match.resident.uuid}"
            )
