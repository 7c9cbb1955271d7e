"""Build a city-sized database for the benchmarks: 100,000 residents and 1,000,000 contacts.

It uses the demo city's generators (``guichet.demo``): the same organisation, catalogue, names,
households and seasonal mix of contacts as ``guichet demo``, without document files and without
contact history rows, written with ``bulk_create`` in batches. The database is migrated first.

    # SQLite (WAL mode, as in production): the file DIR/guichet.sqlite3
    .venv/bin/python benchmarks/generate_volume.py --data-dir var/volume
    # PostgreSQL: an empty database (createdb -h 127.0.0.1 -U postgres guichet_volume)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_volume \
        .venv/bin/python benchmarks/generate_volume.py

Options: --residents N (100000), --contacts N (1000000), --seed N, --batch N (20000).
The target database must not hold residents yet. See benchmarks/README.md for timings.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=90_000)
    parser.add_argument("--batch", type=int, default=20_000, help="contacts per transaction")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="SQLite: directory of the database file (ignored when DATABASE_URL is set)",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.data_dir and not os.environ.get("DATABASE_URL"):
        args.data_dir.mkdir(parents=True, exist_ok=True)
        os.environ["GUICHET_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    # A benchmark database is a demo database: the demo's accounts and the dev secret are fine.
    os.environ.setdefault("GUICHET_DEMO", "true")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from guichet.catalogue.loader import load_catalogue
    from guichet.demo.activity import ContactFactory, save_batch
    from guichet.demo.build import DEMO_POSTAL_CODE
    from guichet.demo.city import build_organisation
    from guichet.demo.people import build_people
    from guichet.residents.models import Resident

    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    started = time.monotonic()

    def step(message: str) -> None:
        print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)

    step("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        # Bulk loading touches every index of the contacts table at random places (the UUID
        # index above all): a 512 MB page cache instead of the default 2 MB saves most of the
        # reads from disk.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")
    if Resident.objects.exists():
        print("The database already holds residents: use an empty database.", file=sys.stderr)
        return 1
    step("catalogue and organisation")
    load_catalogue()
    demo = build_organisation(settings.GUICHET_CITY_NAME, DEMO_POSTAL_CODE)

    rng = random.Random(args.seed)
    step(f"{args.residents} residents in households")
    duplicate_pairs = args.residents // 100
    with transaction.atomic():
        population = build_people(
            rng,
            demo,
            count=args.residents - duplicate_pairs,
            city_name=settings.GUICHET_CITY_NAME,
            postal_code=DEMO_POSTAL_CODE,
            duplicate_pairs=duplicate_pairs,
            portal_accounts=0,
            with_documents=False,
        )
    people_done = time.monotonic()
    step(f"{Resident.objects.count()} residents, {population.households} households")

    factory = ContactFactory(rng, demo, population, with_events=False)
    written = 0
    for batch in factory.contacts(args.contacts, batch_size=args.batch):
        with transaction.atomic():
            save_batch(batch)
        written += len(batch.contacts)
        if written % 100_000 < len(batch.contacts) or written == args.contacts:
            rate = written / (time.monotonic() - people_done)
            step(f"{written} contacts ({rate:,.0f}/s)")

    step("ANALYZE")
    # A bulk-loaded database has no planner statistics yet; a live one gets them from
    # PostgreSQL's autovacuum or SQLite's PRAGMA optimize. Without them the benchmarks would
    # measure a planner working blind.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step(f"done: {args.residents} residents, {written} contacts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
