"""Time the CSV import of residents (and the resident search) on the configured database.

    .venv/bin/python benchmarks/bench_import_residents.py [--lines 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet .venv/bin/python \
        benchmarks/bench_import_residents.py

Generates a CSV of invented residents (Faker, fr_FR) in a temporary directory, creates a fresh
test database on the configured backend (SQLite: a temporary file in WAL mode; PostgreSQL:
``test_<name>``), then times: the first import (every line created), a re-import of the same
file (every line unchanged), a re-import where 10% of the lines changed, and the p50/p95 of
``find_residents`` over a mix of console queries (names, misspellings, dates, phones, emails).
The target of the backbone issue is an import of 100,000 lines in under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
os.environ.setdefault("GUICHET_TESTING", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from faker import Faker  # noqa: E402

from guichet.residents.importing import COLUMNS, import_residents  # noqa: E402
from guichet.residents.models import Resident  # noqa: E402
from guichet.residents.search import find_residents  # noqa: E402

INVALID_EVERY = 1000  # one line in a thousand has a mistake the import must report


def generate_csv(path: Path, lines: int, seed: int = 42) -> list[dict[str, str]]:
    """Write ``lines`` residents to ``path``; return the rows (for building search queries)."""
    fake = Faker("fr_FR")
    Faker.seed(seed)
    rng = random.Random(seed)
    last_names = [fake.last_name() for _ in range(3000)]
    first_names = [fake.first_name() for _ in range(800)]
    streets = [fake.street_address() for _ in range(2000)]
    cities = [(fake.postcode(), fake.city()) for _ in range(300)]
    rows = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for index in range(lines):
            last = rng.choice(last_names)
            birth_name = rng.choice(last_names) if rng.random() < 0.15 else ""
            birth = f"{rng.randint(1930, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.5:
                year, month, day = birth.split("-")
                birth = f"{day}/{month}/{year}"
            if index % INVALID_EVERY == INVALID_EVERY - 1:
                birth = "31/02/1990"
            postal_code, city = rng.choice(cities)
            row = {
                "external_id": f"SI-{index:07d}",
                "last_name": last,
                "first_name": rng.choice(first_names),
                "birth_name": birth_name,
                "birth_date": birth,
                "email": f"usager{index}@example.org" if rng.random() < 0.6 else "",
                # 06 10 to 06 38: ranges phonenumbers knows as valid French mobiles.
                "phone": f"06 {rng.randint(10, 38)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
                if rng.random() < 0.7
                else "",
                "address": rng.choice(streets),
                "postal_code": postal_code,
                "city": city,
            }
            writer.writerow([row[column] for column in COLUMNS])
            rows.append(row)
    return rows


def change_some(rows: list[dict[str, str]], path: Path, share: float = 0.1) -> None:
    """Write the same residents with the city changed on ``share`` of them (people who moved)."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=",")
        writer.writerow(COLUMNS)
        for row in rows:
            if rng.random() < share:
                row = {**row, "address": "1 place de la Mairie", "city": "Créteil"}
            writer.writerow([row[column] for column in COLUMNS])


def timed_import(path: Path, label: str) -> float:
    start = time.perf_counter()
    report = import_residents(path)
    elapsed = time.perf_counter() - start
    print(
        f"{label:<32} {elapsed:7.1f} s  created={report.created} updated={report.updated} "
        f"unchanged={report.unchanged} errors={len(report.errors)}"
    )
    return elapsed


def search_queries(rows: list[dict[str, str]], count: int = 400) -> list[str]:
    """Return queries like an agent's: names, misspelled names, dates, phones, emails."""
    rng = random.Random(3)
    queries = []
    for _ in range(count):
        row = rng.choice(rows)
        kind = rng.randrange(7)
        if kind == 0:
            queries.append(row["last_name"])
        elif kind == 1:
            queries.append(f"{row['last_name']} {row['first_name']}")
        elif kind == 2:
            queries.append(row["last_name"][: rng.randint(2, 4)])
        elif kind == 3:
            misspelled = row["last_name"].replace("t", "d", 1).replace("ph", "f")
            queries.append(misspelled.replace("e", "é", 1))
        elif kind == 4:
            queries.append(f"{row['last_name']} {row['birth_date']}")
        elif kind == 5 and row["phone"]:
            queries.append(row["phone"].replace(" ", ""))
        elif row["email"]:
            queries.append(row["email"])
        else:
            queries.append(row["first_name"])
    return queries


def time_search(queries: list[str]) -> None:
    for query in queries[:20]:  # warm the caches
        find_residents(query)
    durations = []
    for query in queries:
        start = time.perf_counter()
        find_residents(query)
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(
        f"find_residents over {len(queries)} queries: p50 {statistics.median(durations):.1f} ms, "
        f"p95 {p95:.1f} ms, max {durations[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as directory:
        tmp = Path(directory)
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
        start = time.perf_counter()
        rows = generate_csv(tmp / "residents.csv", arguments.lines)
        change_some(rows, tmp / "residents-changed.csv")
        print(f"Generated {arguments.lines} lines in {time.perf_counter() - start:.1f} s")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
            first = timed_import(tmp / "residents.csv", "import (all new)")
            timed_import(tmp / "residents.csv", "re-import (unchanged)")
            timed_import(tmp / "residents-changed.csv", "re-import (10% changed)")
            print(f"Residents in database: {Resident.objects.count()}")
            time_search(search_queries(rows))
            verdict = "OK" if first < 60 else "TOO SLOW"
            print(f"Target: {arguments.lines} lines in under 60 s — {verdict}")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
