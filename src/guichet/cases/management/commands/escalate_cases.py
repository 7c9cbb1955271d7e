"""``guichet escalate-cases``: the daily deadline watch, for a cron (idempotent)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.cases.escalation import escalate_deadlines


class Command(BaseCommand):
    help = "Warn assignees and supervisors once about cases near their due date or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Run as if today were this day (YYYY-MM-DD), e.g. to catch up."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        report = escalate_deadlines(today)
        self.stdout.write(
            f"{report.near} case(s) near their due date, {report.overdue} overdue; "
            f"{report.notices} notice(s) queued."
        )
