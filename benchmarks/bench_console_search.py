"""Measure the agent console's resident search (``find_residents``): p50/p95 per kind of query.

Run it on a database built by ``generate_volume.py`` (100,000 residents, 1,000,000 contacts);
the backbone's target is a p95 under 50 ms on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/bench_console_search.py --data-dir var/volume
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_volume \
        .venv/bin/python benchmarks/bench_console_search.py

Queries are drawn (seeded) from residents of the database, the way agents type them: a last
name, "name first-name", "first-name name", a misspelled name, the first letters of a name, a
birth date (DD/MM/YYYY), a name with a birth date, a phone number in the French format and an
email. Each kind reports p50, p95, max and how often the intended resident is among the 20
results. Exits with status 1 when the overall p95 is over the budget.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BUDGET_MS = 50.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=60, help="queries per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=20, help="results per search")
    parser.add_argument("--data-dir", type=Path, help="SQLite: directory of guichet.sqlite3")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu,
        "python": platform.python_version(),
    }


def main() -> int:
    args = parse_args()
    if args.data_dir and not os.environ.get("DATABASE_URL"):
        os.environ["GUICHET_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("GUICHET_DEMO", "true")

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection

    from guichet.contacts.models import Contact
    from guichet.demo.people import misspell
    from guichet.residents.models import Resident
    from guichet.residents.phones import display
    from guichet.residents.search import find_residents

    rng = random.Random(args.seed)
    ids = list(Resident.objects.filter(is_active=True).values_list("id", flat=True))
    if not ids:
        print("No residents: build the database with generate_volume.py first.", file=sys.stderr)
        return 1
    sample = list(Resident.objects.filter(id__in=rng.sample(ids, min(len(ids), args.queries * 6))))
    rng.shuffle(sample)

    def first_name(r: Resident) -> str:
        return r.first_names.split()[0]

    kinds: dict[str, Callable[[Resident], str | None]] = {
        "last name": lambda r: r.usage_name,
        "last + first name": lambda r: f"{r.usage_name} {first_name(r)}",
        "first + last name": lambda r: f"{first_name(r)} {r.usage_name}",
        "misspelled name": lambda r: f"{misspell(rng, r.usage_name)} {first_name(r)}",
        "name prefix (4 letters)": lambda r: r.usage_name[:4],
        "birth date": lambda r: r.birth_date.strftime("%d/%m/%Y") if r.birth_date else None,
        "name + birth date": lambda r: (
            f"{r.usage_name} {r.birth_date:%d/%m/%Y}" if r.birth_date else None
        ),
        "phone": lambda r: display(r.phone) if r.phone else None,
        "email": lambda r: r.email or None,
    }
    queries: list[tuple[str, str, int]] = []
    for kind, make in kinds.items():
        made = 0
        for resident in sample:
            text = make(resident)
            if text:
                queries.append((kind, text, resident.pk))
                made += 1
            if made == args.queries:
                break

    for _, text, _ in queries[:30]:  # warm the connection, caches and query plans
        find_residents(text, limit=args.limit)
    rng.shuffle(queries)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    hits: dict[str, int] = dict.fromkeys(kinds, 0)
    for kind, text, resident_id in queries:
        start = time.perf_counter()
        matches = find_residents(text, limit=args.limit)
        timings[kind].append((time.perf_counter() - start) * 1000)
        hits[kind] += any(match.resident.pk == resident_id for match in matches)

    facts = machine_facts()
    facts["database"] = f"{connection.vendor} {settings.DATABASES['default']['NAME']}"
    facts["residents"] = str(len(ids))
    facts["contacts"] = str(Contact.objects.count())
    for name, value in facts.items():
        print(f"{name:>10}: {value}")
    print()
    header = f"{'query kind':<24} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'found':>6}"
    print(header)
    print("-" * len(header))
    rows = []
    for kind, values in timings.items():
        if not values:
            continue
        row = {
            "kind": kind,
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "max_ms": round(max(values), 1),
            "found": round(100 * hits[kind] / len(values)),
        }
        rows.append(row)
        print(
            f"{kind:<24} {row['n']:>4} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['max_ms']:>8} {row['found']:>5}%"
        )
    every = [value for values in timings.values() for value in values]
    overall = {
        "n": len(every),
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(percentile(every, 0.95), 1),
        "max_ms": round(max(every), 1),
    }
    print("-" * len(header))
    print(
        f"{'all':<24} {overall['n']:>4} {overall['p50_ms']:>8} {overall['p95_ms']:>8} "
        f"{overall['max_ms']:>8}"
    )
    verdict = "OK" if overall["p95_ms"] <= BUDGET_MS else "OVER BUDGET"
    print(f"\np95 {overall['p95_ms']} ms, budget {BUDGET_MS:.0f} ms: {verdict}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": facts, "kinds": rows, "overall": overall}, indent=2)
        )
    return 0 if overall["p95_ms"] <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
