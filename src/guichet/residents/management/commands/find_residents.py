"""``guichet find-residents "QUERY" [--limit N] [--json]``: the console's resident search."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.residents.search import find_residents


class Command(BaseCommand):
    help = (
        "Find active residents by names, birth date, phone or email, best first. With --json, "
        'print [{"id", "display_name", "birth_date", "score"}] (id is the resident UUID).'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        matches = find_residents(options["query"], limit=max(0, options["limit"]))
        if options["json"]:
            payload = [
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
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for match in matches:
            birth = (
                match.resident.birth_date.strftime("%d/%m/%Y") if match.resident.birth_date else ""
            )
            self.stdout.write(
                f"{match.score:6.2f}  {match.resident.display_name}  {birth}  {match.resident.uuid}"
            )
