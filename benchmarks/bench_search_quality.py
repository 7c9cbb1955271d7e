"""Measure search quality: procedures and articles against a BM25 baseline, then resident lookups.

One run on the configured database (SQLite by default, PostgreSQL with ``DATABASE_URL``):

1. the catalogue is loaded from its YAML files (idempotent: only what changed is written);
2. every query of ``benchmarks/data/procedure_queries.yaml`` (residents' and agents' own words)
   goes through the catalogue search and through a plain BM25 (``baseline_bm25.py``) over the
   same texts: top-1, top-3 and MRR per kind (procedure, article) and overall, the failures, and
   the p95 latency per query;
3. noisy resident lookups drawn from the database's residents (``resident_lookups.py``) go
   through ``find_residents``: recall@5 and the p95 latency per lookup, per kind of noise.

It prints Markdown ready for docs/benchmarks.md and exits with status 1 when a target of the
issue is missed (top-3 ≥ 0.95, recall@5 ≥ 0.99, p95 < 30 ms per procedure query and < 50 ms
per resident lookup).

    .venv/bin/python benchmarks/bench_search_quality.py --data-dir var/volume
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_volume \
        .venv/bin/python benchmarks/bench_search_quality.py
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
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES_FILE = ROOT / "benchmarks" / "data" / "procedure_queries.yaml"
KINDS = ("procedure", "article")
RESULT_LIMIT = 10  # what the console and the portal show
TOP3_TARGET = 0.95
RECALL_TARGET = 0.99
PROCEDURE_P95_MS = 30.0
RESIDENT_P95_MS = 50.0
RESIDENT_LIMIT = 10  # the console's resident results
RECALL_AT = 5
WARM_UP = 20
ERRORS_SHOWN = 10  # catalogue load errors printed (all of them go to --json)
FAILURES_SHOWN = 5  # resident lookups missed per kind, printed (all of them go to --json)

# A catalogue search: query → (procedure slugs, article slugs), best first.
Searcher = Callable[[str], tuple[list[str], list[str]]]


@dataclass(frozen=True)
class Query:
    text: str
    expected: tuple[str, ...]
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Quality:
    n: int
    top1: float
    top3: float
    mrr: float


@dataclass(frozen=True)
class Target:
    name: str
    measured: float
    goal: float
    higher_is_better: bool

    @property
    def met(self) -> bool:
        return self.measured >= self.goal if self.higher_is_better else self.measured < self.goal


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    """Return the evaluation queries of ``path``; raise ValueError naming the first bad item."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list) or not items:
        raise ValueError(f"{path}: expected a non-empty list of queries")
    queries = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) - {"query", "expected", "kind", "note"}:
            raise ValueError(f"{path}: item {number}: expected keys query, expected, kind, note")
        text, expected, kind = item.get("query"), item.get("expected"), item.get("kind")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path}: item {number}: the query is empty")
        if kind not in KINDS:
            raise ValueError(f"{path}: item {number}: kind must be procedure or article")
        if (
            not isinstance(expected, list)
            or not expected
            or not all(isinstance(slug, str) and slug for slug in expected)
        ):
            raise ValueError(f"{path}: item {number}: expected must be a list of slugs")
        queries.append(Query(text, tuple(expected), kind, str(item.get("note") or "")))
    return queries


def rank_of(ranked: Sequence[str], expected: Collection[str]) -> int | None:
    """Return the 1-based rank of the first expected slug in ``ranked``, or None."""
    for position, slug in enumerate(ranked, 1):
        if slug in expected:
            return position
    return None


def quality(ranks: Sequence[int | None]) -> Quality:
    """Return top-1, top-3 and mean reciprocal rank (0 for a miss) over ``ranks``."""
    n = len(ranks)
    if not n:
        return Quality(0, 0.0, 0.0, 0.0)
    return Quality(
        n=n,
        top1=sum(rank == 1 for rank in ranks) / n,
        top3=sum(rank is not None and rank <= 3 for rank in ranks) / n,
        mrr=sum(1 / rank for rank in ranks if rank) / n,
    )


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Return the share of ``ranks`` that are at most ``k``."""
    return sum(rank is not None and rank <= k for rank in ranks) / len(ranks) if ranks else 0.0


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (``share`` between 0 and 1) of ``values``."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def quality_by_kind(queries: Sequence[Query], ranks: Sequence[int | None]) -> dict[str, Quality]:
    """Return the quality per kind of query and over all of them ("all")."""
    result = {
        kind: quality(
            [rank for query, rank in zip(queries, ranks, strict=True) if query.kind == kind]
        )
        for kind in KINDS
    }
    result["all"] = quality(ranks)
    return result


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--procedures-only", action="store_true", help="skip resident lookups")
    only.add_argument("--residents-only", action="store_true", help="skip procedure queries")
    parser.add_argument("--json", type=Path, help="also write every result to this JSON file")
    parser.add_argument("--data-dir", type=Path, help="SQLite: directory of guichet.sqlite3")
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE, help="evaluation set")
    parser.add_argument("--lookups", type=int, default=1000, help="resident lookups to generate")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--migrate", action="store_true", help="apply pending migrations before measuring"
    )
    return parser.parse_args(argv)


def machine_facts() -> dict[str, str]:
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        database = f"PostgreSQL {connection.cursor().connection.info.server_version / 10000:g}"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "database": f"{database} ({connection.settings_dict['NAME']})",
        "load_average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def catalogue_searcher() -> tuple[Searcher, str]:
    """Return the product's catalogue search and its name (the fallback says so)."""
    from guichet.catalogue import search

    if hasattr(search, "search_catalogue"):

        def search_catalogue(text: str) -> tuple[list[str], list[str]]:
            results = search.search_catalogue(text, limit=RESULT_LIMIT)
            return (
                [match.procedure.slug for match in results.procedures],
                [match.article.slug for match in results.articles],
            )

        return search_catalogue, "search_catalogue"

    def fallback(text: str) -> tuple[list[str], list[str]]:
        procedures = search.search_procedures(text, limit=RESULT_LIMIT)
        articles = search.search_articles(text, limit=RESULT_LIMIT)
        return [m.procedure.slug for m in procedures], [m.article.slug for m in articles]

    return fallback, "search_procedures + search_articles (search_catalogue does not exist yet)"


def run_catalogue(queries: Sequence[Query], facts: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Evaluate the catalogue search and the BM25 baseline; return results and Markdown."""
    from django.apps import apps

    from benchmarks.baseline_bm25 import catalogue_baseline
    from guichet.catalogue.loader import load_catalogue
    from guichet.catalogue.models import Article, Procedure

    report = load_catalogue()
    loaded = {
        kind: report.created[kind] + report.updated[kind]
        for kind in sorted({*report.created, *report.updated})
    }
    facts["catalogue"] = (
        f"{Procedure.objects.filter(is_published=True).count()} procedures, "
        f"{Article.objects.filter(is_published=True).count()} articles published"
        + (f"; reloaded: {dict(loaded)}" if any(loaded.values()) else "")
        + (f"; local edits kept: {report.kept_local_edits}" if report.kept_local_edits else "")
    )
    try:
        vocabulary = apps.get_model("catalogue", "VocabularyEntry").objects.count()
        facts["vocabulary_entries"] = str(vocabulary)
    except LookupError:
        facts["vocabulary_entries"] = "no vocabulary model"
    errors = [str(error) for error in report.errors]
    searcher, engine_name = catalogue_searcher()
    facts["catalogue_search"] = engine_name
    baseline = catalogue_baseline()

    for query in queries[:WARM_UP]:
        searcher(query.text)
    engine_ranks: list[int | None] = []
    baseline_ranks: list[int | None] = []
    timings: list[float] = []
    baseline_timings: list[float] = []
    per_query = []
    for query in queries:
        start = time.perf_counter()
        procedures, articles = searcher(query.text)
        timings.append((time.perf_counter() - start) * 1000)
        got = procedures if query.kind == "procedure" else articles
        start = time.perf_counter()
        baseline_got = baseline.search(query.kind, query.text, limit=RESULT_LIMIT)
        baseline_timings.append((time.perf_counter() - start) * 1000)
        engine_ranks.append(rank_of(got, query.expected))
        baseline_ranks.append(rank_of(baseline_got, query.expected))
        per_query.append(
            {
                **asdict(query),
                "rank": engine_ranks[-1],
                "baseline_rank": baseline_ranks[-1],
                "top3": got[:3],
                "baseline_top3": baseline_got[:3],
            }
        )

    engine_quality = quality_by_kind(queries, engine_ranks)
    baseline_quality = quality_by_kind(queries, baseline_ranks)
    rows = []
    for kind in (*KINDS, "all"):
        for name, measured in (("Guichet", engine_quality), ("BM25 baseline", baseline_quality)):
            q = measured[kind]
            rows.append([kind, name, q.n, f"{q.top1:.3f}", f"{q.top3:.3f}", f"{q.mrr:.3f}"])
    failures = [item for item in per_query if item["rank"] is None or item["rank"] > 3]
    lines = [
        f"### Procedures and articles: {len(queries)} queries",
        "",
        f"Catalogue search: `{engine_name}`, {RESULT_LIMIT} results per list.",
        "",
        markdown_table(["kind", "search", "n", "top-1", "top-3", "MRR"], rows),
        "",
        markdown_table(
            ["latency per query", "p50", "p95", "max"],
            [
                ["Guichet", *(f"{v} ms" for v in latency(timings).values())],
                [
                    "BM25 baseline (in memory)",
                    *(f"{v} ms" for v in latency(baseline_timings).values()),
                ],
            ],
        ),
        "",
        f"Not in the top 3 ({len(failures)}):",
        "",
        markdown_table(
            ["query", "kind", "expected", "rank", "got (top 3)", "BM25 rank"],
            [
                [
                    item["text"],
                    item["kind"],
                    ", ".join(item["expected"]),
                    item["rank"] or "—",
                    ", ".join(item["top3"]) or "(nothing)",
                    item["baseline_rank"] or "—",
                ]
                for item in failures
            ],
        )
        if failures
        else "(none)",
    ]
    if errors:
        lines += [
            "",
            f"Catalogue load errors ({len(errors)}"
            + (f"; the first {ERRORS_SHOWN}, all in --json" if len(errors) > ERRORS_SHOWN else "")
            + "):",
            *(f"- {error}" for error in errors[:ERRORS_SHOWN]),
        ]
    result = {
        "engine": engine_name,
        "quality": {kind: asdict(q) for kind, q in engine_quality.items()},
        "baseline_quality": {kind: asdict(q) for kind, q in baseline_quality.items()},
        "latency": latency(timings),
        "baseline_latency": latency(baseline_timings),
        "load_errors": errors,
        "queries": per_query,
    }
    return result, "\n".join(lines)


def run_residents(count: int, seed: int, facts: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Evaluate ``find_residents`` on generated noisy lookups; return results and Markdown."""
    from benchmarks.resident_lookups import KINDS as LOOKUP_KINDS
    from benchmarks.resident_lookups import generate_lookups, load_people
    from guichet.residents.search import find_residents

    people = load_people()
    facts["residents"] = str(len(people.persons))
    if not people.persons:
        raise SystemExit("No residents: build the volume with benchmarks/generate_volume.py.")
    lookups = generate_lookups(people, count, seed=seed)
    ambiguous = sum(lookup.candidates > 1 for lookup in lookups)
    order = list(lookups)
    random.Random(seed).shuffle(order)
    for lookup in order[:WARM_UP]:
        find_residents(lookup.query, limit=RESIDENT_LIMIT)
    ranks: dict[str, list[int | None]] = {kind: [] for kind in LOOKUP_KINDS}
    unique_ranks: dict[str, list[int | None]] = {kind: [] for kind in LOOKUP_KINDS}
    timings: dict[str, list[float]] = {kind: [] for kind in LOOKUP_KINDS}
    failures = []
    for lookup in order:
        start = time.perf_counter()
        matches = find_residents(lookup.query, limit=RESIDENT_LIMIT)
        timings[lookup.kind].append((time.perf_counter() - start) * 1000)
        rank = rank_of([str(match.resident.uuid) for match in matches], {lookup.expected})
        ranks[lookup.kind].append(rank)
        if lookup.candidates == 1:
            unique_ranks[lookup.kind].append(rank)
        if rank is None or rank > RECALL_AT:
            failures.append({**asdict(lookup), "rank": rank})

    rows = []
    by_kind = []
    for kind, label in LOOKUP_KINDS.items():
        if not ranks[kind]:
            continue
        measured: dict[str, Any] = {
            "kind": kind,
            "n": len(ranks[kind]),
            "recall": recall_at(ranks[kind], RECALL_AT),
            "unique_n": len(unique_ranks[kind]),
            "unique_top1": recall_at(unique_ranks[kind], 1),
        }
        measured.update(latency(timings[kind]))
        by_kind.append(measured)
        rows.append(
            [
                label,
                measured["n"],
                f"{measured['recall']:.3f}",
                f"{measured['unique_top1']:.3f} ({measured['unique_n']})",
                measured["p50_ms"],
                measured["p95_ms"],
            ]
        )
    shown = [
        item
        for kind in LOOKUP_KINDS
        for item in [failure for failure in failures if failure["kind"] == kind][:FAILURES_SHOWN]
    ]
    every_rank = [rank for values in ranks.values() for rank in values]
    every_timing = [value for values in timings.values() for value in values]
    every_unique = [rank for values in unique_ranks.values() for rank in values]
    overall: dict[str, Any] = {
        "n": len(every_rank),
        "recall": recall_at(every_rank, RECALL_AT),
        "unique_n": len(every_unique),
        "unique_top1": recall_at(every_unique, 1),
    }
    overall.update(latency(every_timing))
    rows.append(
        [
            "**all**",
            overall["n"],
            f"**{overall['recall']:.3f}**",
            f"{overall['unique_top1']:.3f} ({overall['unique_n']})",
            overall["p50_ms"],
            f"**{overall['p95_ms']}**",
        ]
    )
    lines = [
        f"### Resident lookups: {overall['n']} noisy lookups, {facts['residents']} residents",
        "",
        f"`find_residents(query, limit={RESIDENT_LIMIT})`; found = the resident is in the top "
        f"{RECALL_AT}. Each lookup is true of at most {RECALL_AT} residents; "
        f"{ambiguous} of them fit more than one (namesakes, shared phones…); top-1 is "
        "measured on the others (their number in brackets).",
        "",
        markdown_table(
            ["noise", "n", f"recall@{RECALL_AT}", "top-1 if unique", "p50 ms", "p95 ms"], rows
        ),
        "",
        f"Not in the top {RECALL_AT} ({len(failures)}"
        + (f"; up to {FAILURES_SHOWN} per kind here, all in --json" if shown != failures else "")
        + "):",
        "",
        markdown_table(
            ["kind", "lookup", "rank"],
            [[item["kind"], item["query"], item["rank"] or "—"] for item in shown],
        )
        if failures
        else "(none)",
    ]
    result = {"by_kind": by_kind, "overall": overall, "failures": failures}
    return result, "\n".join(lines)


def targets_of(results: dict[str, Any]) -> list[Target]:
    """Return the issue's targets that this run measured."""
    targets = []
    if "catalogue" in results:
        quality = results["catalogue"]["quality"]
        for kind in (*KINDS, "all"):
            if not quality[kind]["n"]:
                continue
            name = f"top-3, {kind} queries"
            targets.append(Target(name, quality[kind]["top3"], TOP3_TARGET, True))
        p95 = results["catalogue"]["latency"]["p95_ms"]
        targets.append(Target("p95 per procedure query (ms)", p95, PROCEDURE_P95_MS, False))
    if "residents" in results:
        overall = results["residents"]["overall"]
        targets.append(Target("resident recall@5", overall["recall"], RECALL_TARGET, True))
        targets.append(
            Target("p95 per resident lookup (ms)", overall["p95_ms"], RESIDENT_P95_MS, False)
        )
    return targets


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.data_dir and not os.environ.get("DATABASE_URL"):
        os.environ["GUICHET_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("GUICHET_DEMO", "true")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command

    pending = pending_migrations()
    if pending and args.migrate:
        call_command("migrate", verbosity=0)
    elif pending:
        print(
            "The database has unapplied migrations: " + ", ".join(pending) + ".\n"
            "Run `guichet migrate` on it (same DATABASE_URL / data directory) or pass --migrate.",
            file=sys.stderr,
        )
        return 1

    queries = [] if args.residents_only else load_queries(args.queries)
    facts = machine_facts()
    results: dict[str, Any] = {}
    sections = []
    if not args.residents_only:
        results["catalogue"], text = run_catalogue(queries, facts)
        sections.append(text)
    if not args.procedures_only:
        results["residents"], text = run_residents(args.lookups, args.seed, facts)
        sections.append(text)
    facts["load_average_after"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    targets = targets_of(results)

    print(f"## Search quality — {facts['date']}\n")
    print(markdown_table(["fact", "value"], list(facts.items())))
    for text in sections:
        print(f"\n{text}")
    print("\n### Targets\n")
    print(
        markdown_table(
            ["target", "measured", "goal", "verdict"],
            [
                [
                    target.name,
                    f"{target.measured:.3f}" if target.higher_is_better else target.measured,
                    f"≥ {target.goal}" if target.higher_is_better else f"< {target.goal:g}",
                    "met" if target.met else "**missed**",
                ]
                for target in targets
            ],
        )
    )
    if args.json:
        results["machine"] = facts
        results["targets"] = [{**asdict(t), "met": t.met} for t in targets]
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return 0 if all(target.met for target in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
