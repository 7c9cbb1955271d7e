"""Load benchmark of case submissions: school registration opens at 8:00, parents submit at once.

    .venv/bin/python benchmarks/bench_case_submissions.py [--json FILE] [--strict]
    .venv/bin/python benchmarks/bench_case_submissions.py \
        --database-url postgres://postgres@127.0.0.1:5432/guichet_bench_cases

It makes a fresh database (SQLite in a temporary directory by default; with ``--database-url``,
the PostgreSQL database it names, created for the run and dropped after it), loads the catalogue
and the forms, creates an agent with an API token and one family per submission (a parent, a
child in their household, the two documents the school form requires), and starts ``guichet
serve`` on a free port of 127.0.0.1 with production settings, and a Celery worker (Redis queue,
lowest priority) that delivers the notifications. Then, for each level of concurrency (50, then
200 clients), it measures:

- the **floor**: ``POST /bench/floor/``, the same stack (gunicorn, middleware, DRF token
  authentication, JSON) inserting one row (``floor_urls.py``), before and after the submissions;
- the **submissions**: ``POST /api/v1/cases/`` filing ``inscription-scolaire`` cases with unique
  submission keys, 5 % of them sent twice at once with the same key (a double click);
- at the first level, the same clients **paced**: each submitting once a second;
- the **bound**: ``POST /bench/bound/``, only the rows any filing must write through the ORM
  (``floor_urls.py``): how far 0.5 × floor is from what the project's rules allow at best.

After each run it checks the database: every acknowledged key has its case (nothing lost), no
key has two (no duplicate), every case an answer names exists, and the worker sent every
notification. It prints a table, writes JSON with ``--json``, and judges the issue's targets:
submission throughput at least half the floor's (the mean of its two runs), p95 under 300 ms at
the first level (50 clients, paced), no error, no duplicate, nothing lost. It exits with status 1
on a missed target only with ``--strict``. ``--profile`` adds where the time of one submission
goes (cProfile and its SQL queries); ``--profile-only`` does only that.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_console_search import machine_facts, percentile  # noqa: E402
from benchmarks.case_load_checks import check_integrity, stored_rows  # noqa: E402
from benchmarks.case_load_clients import LevelRun, PlannedRequest, Target, run_clients  # noqa: E402
from benchmarks.case_load_machine import (  # noqa: E402
    CpuSnapshot,
    cpu_shares,
    load_average,
    snapshot,
)
from benchmarks.case_load_profile import (  # noqa: E402
    PLAIN_REQUESTS,
    PROFILE_REQUESTS,
    print_profile,
    profile_requests,
)
from benchmarks.case_load_server import (  # noqa: E402
    NON_PRODUCTION,
    BenchServer,
    BenchWorker,
    empty_redis_database,
    production_environment,
)
from benchmarks.case_load_setup import (  # noqa: E402
    answers,
    create_postgres_database,
    database_name,
    drop_postgres_database,
    new_key,
    prepare_database,
    submission_body,
)

SUBMIT_PATH = "/api/v1/cases/"
FLOOR_PATH = "/bench/floor/"
BOUND_PATH = "/bench/bound/"
DEFAULT_BROKER = "redis://127.0.0.1:6379/14"
DEFAULT_CACHE = "redis://127.0.0.1:6379/13"
# How long a level waits, after its last answer, for the worker to send every notification.
DRAIN_SECONDS = 300.0
RATIO_TARGET = 0.5
P95_TARGET_MS = 300.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL: the database to create for the run (default: SQLite in a temp dir)",
    )
    parser.add_argument(
        "--replace-database", action="store_true", help="drop that database first if it exists"
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="keep the database (and temp dir) after"
    )
    parser.add_argument("--clients", default="50,200", help="levels of concurrency (50,200)")
    parser.add_argument("--submissions", type=int, default=2000, help="cases filed per level")
    parser.add_argument(
        "--retry-share", type=float, default=0.05, help="share of keys sent twice at once"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes the clients run in (2)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument(
        "--max-seconds", type=float, default=600.0, help="no request starts later in a run"
    )
    parser.add_argument(
        "--warmup", type=int, default=100, help="unmeasured requests to each endpoint first"
    )
    parser.add_argument(
        "--broker-url",
        default=DEFAULT_BROKER,
        help="Redis database of the delivery queue, emptied at start (%(default)s); a Celery "
        "worker delivers the notifications as in production",
    )
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE,
        help="Redis database of Django's cache (REDIS_URL), emptied at start (%(default)s); "
        "'' keeps each process's memory cache",
    )
    parser.add_argument(
        "--no-broker",
        action="store_true",
        help="no queue: deliver each notification inside its request (a broker-less install)",
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="at the first level, also run the clients submitting one case each every PACE "
        "seconds, and judge the p95 target there (%(default)s; 0: judge it at saturation)",
    )
    parser.add_argument(
        "--no-bound",
        action="store_true",
        help="skip the bound (the rows any filing must write, and nothing else)",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    parser.add_argument("--profile", action="store_true", help="profile one submission after")
    parser.add_argument(
        "--profile-only", action="store_true", help="only the profile: no server, no load"
    )
    parser.add_argument("--strict", action="store_true", help="exit with 1 on a missed target")
    args = parser.parse_args(argv)
    args.levels = [int(value) for value in args.clients.split(",") if value.strip()]
    if not args.levels or min(args.levels) < 1 or args.submissions < 1:
        parser.error("--clients needs levels of at least 1 client, --submissions at least 1")
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a postgres:// URL (SQLite is the default)")
    return args


@dataclass
class Plan:
    """The requests of one run: one list per client, and the JSON bodies by key."""

    per_client: list[list[PlannedRequest]]
    bodies: dict[str, dict[str, Any]]


def build_plan(
    families: list[Any], clients: int, rng: random.Random, retry_share: float, *, floor: bool
) -> Plan:
    """Spread one request per family over ``clients``; mark ``retry_share`` of them as retried."""
    from django.utils import timezone

    today = timezone.localdate()
    retried = (
        set()
        if floor
        else set(rng.sample(range(len(families)), round(len(families) * retry_share)))
    )
    per_client: list[list[PlannedRequest]] = [[] for _ in range(clients)]
    bodies: dict[str, dict[str, Any]] = {}
    for index, family in enumerate(families):
        key = new_key(rng)
        body = submission_body(family, answers(family, rng, today), key)
        bodies[key] = body
        per_client[index % clients].append(
            PlannedRequest(key=key, body=json.dumps(body).encode(), retry=index in retried)
        )
    return Plan([plan for plan in per_client if plan], bodies)


def latency_summary(run: LevelRun) -> dict[str, float]:
    latencies = [outcome.latency_ms for outcome in run.outcomes] or [0.0]
    return {
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
    }


def measure(
    server: Any,
    worker: Any,
    target: Target,
    plan: Plan,
    args: argparse.Namespace,
    *,
    floor: bool,
    pace: float = 0.0,
    endpoint: str = "",
) -> dict[str, Any]:
    """Run the clients on ``plan``, then check the database; return the run's figures.

    ``endpoint`` names the run ("floor", "bound", "submissions" by default); only submissions
    queue notifications to wait for.
    """
    endpoint = endpoint or ("floor" if floor else "submissions")
    from django.db.models import QuerySet

    from benchmarks.floor_urls import FloorRow
    from guichet.cases.models import Case

    rows: QuerySet[Any] = FloorRow.objects.all() if floor else Case.objects.all()
    key_field, id_field = ("key", "pk") if floor else ("submission_key", "uuid")
    rows_before = rows.count()
    database = database_name(args.database_url) if args.database_url else ""
    load_before = load_average()
    worker_before = worker.cpu_seconds() if worker else 0.0
    starts: list[CpuSnapshot] = []
    run = run_clients(
        target,
        plan.per_client,
        processes=args.client_processes,
        max_seconds=args.max_seconds,
        pace=pace,
        # The CPU counters are read once the client processes have started, not before.
        on_start=lambda: starts.append(snapshot(server.cpu_seconds(), database)),
    )
    after = snapshot(server.cpu_seconds(), database)
    worker_during = (worker.cpu_seconds() if worker else 0.0) - worker_before
    (before,) = starts
    delivery = wait_for_delivery(worker) if endpoint == "submissions" else {}
    keys = list(plan.bodies)
    integrity = check_integrity(
        run.outcomes,
        stored_rows(rows, key_field, id_field, keys),
        rows.count() - rows_before,
    )
    answered = sum(outcome.ok for outcome in run.outcomes)
    return {
        "endpoint": endpoint,
        "pace_s": pace,
        "clients": len(plan.per_client),
        "requests": len(run.outcomes),
        "seconds": round(run.seconds, 2),
        "throughput_rps": round(answered / run.seconds, 1),
        "filed_per_s": round(integrity.keys_acknowledged / run.seconds, 1),
        **latency_summary(run),
        "errors": integrity.error_count,
        "not_sent": run.not_sent,
        "lost": integrity.lost_count,
        "duplicates": integrity.duplicate_count,
        "unknown_ids": len(integrity.unknown_ids),
        "double_clicks": integrity.double_clicks,
        "double_clicks_consistent": integrity.double_clicks_consistent,
        "double_clicks_inconsistent": len(integrity.double_clicks_inconsistent),
        "server_cpu_ms_per_request": round(
            1000 * (after.server - before.server) / max(len(run.outcomes), 1), 2
        ),
        "worker_cpu_ms_per_request": round(1000 * worker_during / max(len(run.outcomes), 1), 2),
        **cpu_shares(before, after, run.client_seconds, worker_during),
        **delivery,
        "load_before": load_before,
        "load_after": load_average(),
        "integrity": integrity.as_dict(),
        "first_errors": [
            f"{outcome.status or 'transport'} ({outcome.copy} request, after "
            f"{outcome.latency_ms:.0f} ms) {outcome.error[:200]}"
            for outcome in sorted(run.outcomes, key=lambda outcome: outcome.started)
            if not outcome.ok
        ][:5],
    }


def wait_for_delivery(worker: Any) -> dict[str, Any]:
    """Wait until no notification waits to be sent; return how long it took and what is left.

    With a worker, the queue absorbs the burst and drains after it; without one, every
    notification was sent inside its request and nothing waits.
    """
    from guichet.notifications.choices import NotificationStatus
    from guichet.notifications.models import Notification

    waiting = Notification.objects.filter(
        status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING]
    )
    started = time.monotonic()
    while worker is not None and waiting.exists():
        if time.monotonic() - started > DRAIN_SECONDS:
            break
        time.sleep(0.5)
    return {
        "delivery_drained_after_s": round(time.monotonic() - started, 1),
        "notifications_unsent": waiting.count()
        + Notification.objects.filter(status=NotificationStatus.FAILED).count(),
    }


def judge(levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each target with its measured value and PASS/FAIL."""
    targets = []

    def add(name: str, value: Any, passed: bool) -> None:
        targets.append({"target": name, "value": value, "result": "PASS" if passed else "FAIL"})

    for index, level in enumerate(levels):
        clients, floor, cases = level["clients"], level["floor"], level["submissions"]
        ratio = level["ratio"]
        add(
            f"{clients} clients: throughput ≥ 0.5 × floor",
            f"{ratio:.2f} × floor",
            ratio >= RATIO_TARGET,
        )
        paced = level.get("paced_submissions")
        if index == 0 and paced:
            add(
                f"{clients} clients submitting every {paced['pace_s']:g} s: p95 < 300 ms",
                f"{paced['p95_ms']} ms ({paced['throughput_rps']} req/s; at saturation "
                f"{cases['p95_ms']} ms, the floor's {level['floor']['p95_ms']} ms)",
                paced["p95_ms"] < P95_TARGET_MS,
            )
            failures = paced["errors"] + paced["not_sent"] + paced["duplicates"] + paced["lost"]
            add(f"{clients} paced clients: no error, duplicate or loss", failures, failures == 0)
        elif index == 0:
            add(
                f"{clients} clients: p95 < 300 ms",
                f"{cases['p95_ms']} ms",
                cases["p95_ms"] < P95_TARGET_MS,
            )
        failures = cases["errors"] + cases["not_sent"]
        add(f"{clients} clients: zero errors", failures, failures == 0)
        add(f"{clients} clients: zero duplicates", cases["duplicates"], cases["duplicates"] == 0)
        lost = cases["lost"] + cases["unknown_ids"]
        add(f"{clients} clients: zero lost (every reference exists)", lost, lost == 0)
        # A double click with a copy in error counts among the errors; here, both answered.
        inconsistent = cases["double_clicks_inconsistent"]
        add(
            f"{clients} clients: a retried key returns the same case",
            inconsistent,
            inconsistent == 0,
        )
        unsent = cases.get("notifications_unsent", 0)
        add(f"{clients} clients: every receipt notification sent", unsent, unsent == 0)
        floor_problems = sum(
            run["errors"] + run["not_sent"] + run["lost"] + run["duplicates"]
            for run in (floor, level["floor_after"])
        )
        add(f"{clients} clients: the floor itself ran clean", floor_problems, floor_problems == 0)
    return targets


def print_report(result: dict[str, Any]) -> None:
    facts = result["machine"]
    for name, value in facts.items():
        print(f"{name:>18}: {value}")
    header = (
        "| clients | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| lost | dup. | server CPU ms/req | worker CPU ms/req | cores busy | clients | database "
        "| worker | other jobs | load before → after |"
    )
    print()
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for level in result["levels"]:
        for name in ("floor", "bound", "submissions", "floor_after", "paced_submissions"):
            run = level.get(name)
            if run is None:
                continue
            print(
                f"| {run['clients']} | {name} | {run['requests']} | {run['throughput_rps']} "
                f"| {run['p50_ms']} | {run['p95_ms']} | {run['p99_ms']} | {run['max_ms']} "
                f"| {run['errors'] + run['not_sent']} | {run['lost']} | {run['duplicates']} "
                f"| {run['server_cpu_ms_per_request']} | {run['worker_cpu_ms_per_request']} "
                f"| {run['machine_cpu_busy']} % | {run['clients_cpu']} % | {run['database_cpu']} % "
                f"| {run['worker_cpu']} % | {run['other_jobs_cpu']} % "
                f"| {run['load_before']} → {run['load_after']} |"
            )
    print()
    for level in result["levels"]:
        cases = level["submissions"]
        print(
            f"{level['clients']} clients: submissions {cases['throughput_rps']} req/s "
            f"({cases['filed_per_s']} cases filed/s) = {level['ratio']:.2f} × floor "
            f"(mean of {level['floor']['throughput_rps']} before and "
            f"{level['floor_after']['throughput_rps']} after: {level['floor_mean_rps']} req/s); "
            f"double clicks {cases['double_clicks_consistent']}/{cases['double_clicks']} answered "
            "with the same case; notifications all sent "
            f"{cases['delivery_drained_after_s']} s after the last answer "
            f"({cases['notifications_unsent']} unsent)"
        )
        bound = level.get("bound")
        if bound is not None:
            print(
                f"{level['clients']} clients: bound {bound['throughput_rps']} req/s = "
                f"{level['bound_ratio']:.2f} × floor: no filing under the project's rules can "
                "do better; the submissions reach "
                f"{cases['throughput_rps'] / max(bound['throughput_rps'], 1e-9):.2f} of it"
            )
        for name in ("floor", "bound", "submissions", "floor_after", "paced_submissions"):
            for line in (level.get(name) or {}).get("first_errors", []):
                print(f"  {name} error: {line}")
    print(f"server log: {result['server_log_problems']}")
    print()
    for target in result["targets"]:
        print(f"{target['result']}  {target['target']}: {target['value']}")


def run_levels(
    args: argparse.Namespace, server: Any, worker: Any, fixture: Any
) -> list[dict[str, Any]]:
    """Warm the server up, then measure the floor and the submissions at each level."""
    rng = random.Random(args.seed)
    families = fixture.families
    floor_target = Target(server.port, FLOOR_PATH, fixture.token, args.timeout)
    bound_target = Target(server.port, BOUND_PATH, fixture.token, args.timeout)
    submit_target = Target(server.port, SUBMIT_PATH, fixture.token, args.timeout)
    warmup = families[: args.warmup]
    if warmup:
        warm_clients = min(4, len(warmup))
        targets = [(floor_target, True), (submit_target, False)]
        if not args.no_bound:
            targets.append((bound_target, True))
        for target, is_floor in targets:
            plan = build_plan(warmup, warm_clients, rng, 0.0, floor=is_floor)
            run_clients(target, plan.per_client, processes=1, max_seconds=args.max_seconds)
        # The warm-up's acknowledgements are sent before anything is measured.
        wait_for_delivery(worker)
    levels = []
    offset = len(warmup)
    for clients in args.levels:
        share = families[offset : offset + args.submissions]
        offset += args.submissions
        # The floor runs before and after the submissions, and the ratio takes their mean: the
        # machine's speed drifts (a shared host), and this way both sides see the same drift.
        floor_plan = build_plan(share, clients, rng, 0.0, floor=True)
        floor = measure(server, worker, floor_target, floor_plan, args, floor=True)
        print(f"{clients} clients, floor: {floor['throughput_rps']} req/s", flush=True)
        bound = None
        if not args.no_bound:
            # The same families again, each with a new key: the bound writes cases of its own.
            bound_plan = build_plan(share, clients, rng, 0.0, floor=True)
            bound = measure(
                server, worker, bound_target, bound_plan, args, floor=False, endpoint="bound"
            )
            print(f"{clients} clients, bound: {bound['throughput_rps']} req/s", flush=True)
        plan = build_plan(share, clients, rng, args.retry_share, floor=False)
        cases = measure(server, worker, submit_target, plan, args, floor=False)
        print(f"{clients} clients, submissions: {cases['throughput_rps']} req/s", flush=True)
        floor_plan = build_plan(share, clients, rng, 0.0, floor=True)
        floor_after = measure(server, worker, floor_target, floor_plan, args, floor=True)
        print(f"{clients} clients, floor again: {floor_after['throughput_rps']} req/s", flush=True)
        paced = None
        if args.pace and clients == args.levels[0]:
            # The same clients submitting now and then (one each every ``pace`` seconds): the
            # latency parents see while the registrations pour in, below saturation.
            paced_share = families[offset : offset + args.submissions]
            offset += args.submissions
            plan = build_plan(paced_share, clients, rng, args.retry_share, floor=False)
            paced = measure(server, worker, submit_target, plan, args, floor=False, pace=args.pace)
            print(
                f"{clients} clients, one submission each every {args.pace:g} s: p95 "
                f"{paced['p95_ms']} ms",
                flush=True,
            )
        floor_rps = (floor["throughput_rps"] + floor_after["throughput_rps"]) / 2
        ratio = cases["throughput_rps"] / floor_rps if floor_rps else 0.0
        levels.append(
            {
                "clients": clients,
                "floor": floor,
                "bound": bound,
                "bound_ratio": round(bound["throughput_rps"] / floor_rps, 3)
                if bound and floor_rps
                else None,
                "submissions": cases,
                "floor_after": floor_after,
                "paced_submissions": paced,
                "floor_mean_rps": round(floor_rps, 1),
                "ratio": round(ratio, 3),
            }
        )
    return levels


def profile(fixture: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Profile the floor and a submission in this process, on families no run has used."""
    rng = random.Random(args.seed + 1)
    spare = fixture.families[-(PROFILE_REQUESTS + PLAIN_REQUESTS + 2) :]
    result: dict[str, Any] = {}
    for name, path in (("floor", FLOOR_PATH), ("submission", SUBMIT_PATH)):
        bodies = list(build_plan(spare, 1, rng, 0.0, floor=name == "floor").bodies.values())
        result[name] = profile_requests(path, fixture.token, bodies)
    print_profile("floor", result["floor"])
    print_profile("submission", result["submission"])
    return result


def database_facts() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (WAL)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.database_url:
        # Before anything else: a database that exists stops the run and is left untouched.
        create_postgres_database(args.database_url, replace=args.replace_database)
    run_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-cases-"))
    (run_dir / "static").mkdir()
    broker_url = "" if args.no_broker else args.broker_url
    env = production_environment(
        dict(os.environ),
        data_dir=run_dir,
        database_url=args.database_url,
        broker_url=broker_url,
        cache_url=args.cache_url,
    )
    if args.cache_url:
        empty_redis_database(args.cache_url)
    for name in (*NON_PRODUCTION, "DATABASE_URL"):
        os.environ.pop(name, None)
    os.environ.update(env)
    # The profile files cases for families of their own, after the measured runs.
    extra = PROFILE_REQUESTS + PLAIN_REQUESTS + 2 if args.profile or args.profile_only else 0
    families = extra
    if not args.profile_only:
        families += args.warmup + args.submissions * (len(args.levels) + (1 if args.pace else 0))
    started = time.monotonic()
    try:
        import django

        django.setup()
        from django.db import connections

        fixture = prepare_database(families, seed=args.seed, media_root=run_dir / "media")
        print(
            f"database ready in {time.monotonic() - started:.1f} s ({families} families)",
            flush=True,
        )
        if args.profile_only:
            profiled = profile(fixture, args)
            if args.json:
                args.json.write_text(json.dumps({"profile": profiled}, indent=2))
            connections.close_all()
            return 0
        log_path = run_dir / "server.log"
        server = BenchServer(env, workers=args.workers, threads=args.threads, log_path=log_path)
        worker = None
        if broker_url:
            empty_redis_database(broker_url)
            worker = BenchWorker(env, log_path=run_dir / "worker.log")
        with server, worker or contextlib.nullcontext():
            levels = run_levels(args, server, worker, fixture)
        facts: dict[str, Any] = machine_facts()
        facts.update(
            {
                "load_average_end": load_average(),
                "database": database_facts(),
                "server": f"guichet serve, {args.workers} gunicorn workers × {args.threads} "
                "threads (gthread)",
                "cache": f"Redis {args.cache_url}" if args.cache_url else "each process's memory",
                "delivery": (
                    f"Celery worker (solo pool, nice 19), Redis queue {broker_url}"
                    if broker_url
                    else "inside each request (no broker)"
                ),
                "clients": f"{args.client_processes} processes, keep-alive http.client",
                "submissions_per_level": str(args.submissions),
                "platform": platform.platform(),
            }
        )
        problems = server.log_problems()
        if worker is not None:
            problems["worker_traceback"] = worker.log_problems()
        result: dict[str, Any] = {
            "machine": facts,
            "levels": levels,
            "server_log_problems": problems,
        }
        result["targets"] = judge(levels)
        print()
        print_report(result)
        if args.profile:
            result["profile"] = profile(fixture, args)
        if args.json:
            args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        connections.close_all()
    finally:
        if args.database_url and not args.keep_database:
            from django.db import connections

            connections.close_all()
            drop_postgres_database(args.database_url)
        if args.keep_database:
            print(f"kept: {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
    missed = [target for target in result["targets"] if target["result"] == "FAIL"]
    print(f"\n{len(missed)} target(s) missed" if missed else "\nevery target met")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
