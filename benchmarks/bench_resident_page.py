"""Benchmark the agent's resident page with 500 contacts: p95 under 150 ms, bounded queries.

Builds (in the configured database: ``DATABASE_URL``, or the SQLite file of ``var/``) a resident
with 500 contacts over several channels, sites and departments — one in ten with the CCAS, so the
confidentiality rule runs — then requests the page with Django's test client and prints the
latencies and the number of SQL queries per request. Everything it created is removed at the end
(``--keep`` leaves it). Exits with status 1 when the p95 exceeds the budget.

    .venv/bin/python benchmarks/bench_resident_page.py [--contacts 500] [--requests 50]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from guichet.audit.models import AccessLog  # noqa: E402
from guichet.catalogue.models import Procedure  # noqa: E402
from guichet.contacts.choices import Direction, Outcome  # noqa: E402
from guichet.contacts.models import Contact  # noqa: E402
from guichet.organisation.choices import Channel, Role, SiteKind  # noqa: E402
from guichet.organisation.models import Agent, Department, Site, User  # noqa: E402
from guichet.residents.models import Resident  # noqa: E402
from guichet.residents.names import search_fields  # noqa: E402

BUDGET_MS = 150.0
PREFIX = "bench-resident-page"
CHANNELS = [Channel.PHONE, Channel.COUNTER, Channel.EMAIL, Channel.WEB, Channel.MAIL, Channel.SMS]
OUTCOMES = [Outcome.ANSWERED, Outcome.ANSWERED, Outcome.ORIENTED_PARTNER, Outcome.REQUEST_FILED]


class Fixture:
    """The benchmark's own objects, created with recognisable slugs and removed afterwards."""

    def __init__(self, contacts: int) -> None:
        self.created_ccas = False
        self.sites = [
            Site.objects.get_or_create(
                slug=f"{PREFIX}-{number}",
                defaults={
                    "name": f"Site de mesure {number}",
                    "kind": SiteKind.NEIGHBOURHOOD_OFFICE,
                },
            )[0]
            for number in range(3)
        ]
        ccas, self.created_ccas = Department.objects.get_or_create(
            slug="ccas", defaults={"name": "CCAS", "confidential": True}
        )
        user, _ = User.objects.get_or_create(username=PREFIX, defaults={"first_name": "Mesure"})
        self.agent, _ = Agent.objects.get_or_create(user=user, defaults={"role": Role.RECEPTION})
        self.agent.sites.set(self.sites)
        self.resident, _ = Resident.objects.get_or_create(
            external_id=PREFIX,
            defaults={
                "first_names": "Camille",
                "usage_name": "Mesure",
                "birth_date": datetime.date(1980, 1, 1),
                **search_fields("Camille", "Mesure", ""),
            },
        )
        Contact.objects.filter(resident=self.resident).delete()
        procedures = list(Procedure.objects.all()[:20])
        now = timezone.now()
        Contact.objects.bulk_create(
            Contact(
                channel=CHANNELS[number % len(CHANNELS)],
                direction=Direction.OUTGOING if number % 7 == 0 else Direction.INCOMING,
                site=self.sites[number % len(self.sites)],
                agent=user,
                resident=self.resident,
                procedure=procedures[number % len(procedures)] if procedures else None,
                subject="" if procedures else f"Question {number}",
                department=ccas if number % 10 == 0 else None,
                summary=f"Échange numéro {number} : explications données à l'usager.",
                duration_minutes=number % 30,
                outcome=OUTCOMES[number % len(OUTCOMES)],
                oriented_to_partner="CAF"
                if OUTCOMES[number % len(OUTCOMES)] == Outcome.ORIENTED_PARTNER
                else "",
                occurred_at=now - datetime.timedelta(hours=17 * number),
            )
            for number in range(contacts)
        )

    def remove(self) -> None:
        AccessLog.objects.filter(resident=self.resident).delete()
        Contact.objects.filter(resident=self.resident).delete()
        self.resident.delete()
        user = self.agent.user
        self.agent.delete()
        user.delete()
        Site.objects.filter(slug__startswith=PREFIX).delete()
        if self.created_ccas:
            Department.objects.filter(slug="ccas").delete()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's data")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    fixture = Fixture(args.contacts)
    try:
        client = Client(HTTP_HOST="localhost")
        client.force_login(fixture.agent.user)
        url = reverse("backoffice:resident", args=[fixture.resident.uuid])
        for _ in range(5):  # warm-up: templates, URL resolver, connection
            assert client.get(url).status_code == 200
        timings, cpu_timings, query_counts = [], [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200
            query_counts.append(len(queries))
    finally:
        if not args.keep:
            fixture.remove()

    p95 = percentile(timings, 0.95)
    print(f"database: {connection.vendor}")
    print(f"resident page with {args.contacts} contacts, {args.requests} requests")
    print(
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {max(timings):.1f} ms "
        f"(budget p95 < {BUDGET_MS:.0f} ms)"
    )
    # CPU time of this process only (not the database server's): steadier on a busy machine.
    print(
        f"CPU time of the app: p50 {statistics.median(cpu_timings):.1f} ms, "
        f"p95 {percentile(cpu_timings, 0.95):.1f} ms"
    )
    print(f"SQL queries per request: {min(query_counts)}–{max(query_counts)}")
    return 0 if p95 < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
