"""The submission load benchmark: its database checks on fabricated answers, and a tiny real run."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.bench_case_submissions import judge
from benchmarks.case_load_checks import check_integrity
from benchmarks.case_load_machine import CpuSnapshot, cpu_shares

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Answer:
    key: str
    status: int
    case_id: str = ""
    error: str = ""
    copy: str = "first"

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def test_clean_run_has_nothing_lost_or_duplicated() -> None:
    """Every acknowledged key with its one row, and a consistent double click, is clean."""
    answers = [
        Answer("k1", 201, "c1"),
        Answer("k2", 201, "c2"),
        Answer("k2", 200, "c2", copy="retry"),
    ]
    result = check_integrity(answers, {"k1": ["c1"], "k2": ["c2"]}, rows_added=2)
    assert (result.lost_count, result.duplicate_count, result.error_count) == (0, 0, 0)
    assert result.unknown_ids == []
    assert (result.double_clicks, result.double_clicks_consistent) == (1, 1)
    assert result.keys_acknowledged == 2


def test_acknowledged_key_without_row_is_lost() -> None:
    """A 201 whose case is not in the database counts as lost."""
    result = check_integrity([Answer("k1", 201, "c1"), Answer("k2", 201, "c2")], {"k1": ["c1"]}, 1)
    assert result.lost == ["k2"]
    assert result.as_dict()["lost"] == 1


def test_two_rows_for_one_key_are_duplicates() -> None:
    """A key stored twice counts as a duplicate."""
    result = check_integrity([Answer("k1", 201, "c1")], {"k1": ["c1", "c9"]}, rows_added=2)
    assert result.duplicate_keys == ["k1"]
    assert result.duplicate_count == 1


def test_rows_no_key_explains_are_duplicates() -> None:
    """Rows added during the run beyond those of the keys sent count as duplicates."""
    result = check_integrity([Answer("k1", 201, "c1")], {"k1": ["c1"]}, rows_added=3)
    assert result.unexplained_rows == 2
    assert result.duplicate_count == 2


def test_double_click_answered_with_two_cases_fails() -> None:
    """Two answers naming different cases for one key are a duplicate and an inconsistent retry."""
    answers = [Answer("k1", 201, "c1"), Answer("k1", 201, "c2", copy="retry")]
    result = check_integrity(answers, {"k1": ["c1"]}, rows_added=1)
    assert result.conflicting_answers == ["k1"]
    assert result.double_clicks_inconsistent == ["k1"]
    assert result.unknown_ids == ["k1"]
    assert result.duplicate_count == 1


def test_double_click_both_created_is_inconsistent() -> None:
    """Two 201 for one key mean the second click filed again, even naming the same case."""
    answers = [Answer("k1", 201, "c1"), Answer("k1", 201, "c1", copy="retry")]
    result = check_integrity(answers, {"k1": ["c1"]}, rows_added=1)
    assert result.double_clicks_consistent == 0
    assert result.double_clicks_inconsistent == ["k1"]


def test_answer_naming_a_missing_case_is_reported() -> None:
    """A 2xx whose case id is not the row stored for its key is an unknown reference."""
    result = check_integrity([Answer("k1", 201, "c-other")], {"k1": ["c1"]}, rows_added=1)
    assert result.unknown_ids == ["k1"]


def test_errors_are_counted_by_kind_and_a_late_filing_is_not_lost() -> None:
    """A timeout whose case was filed is an error, not a loss; statuses are counted by kind."""
    answers = [
        Answer("k1", 0, error="timeout: timed out"),
        Answer("k2", 500, error="Server Error"),
        Answer("k3", 201, "c3"),
    ]
    result = check_integrity(answers, {"k1": ["c1"], "k3": ["c3"]}, rows_added=2)
    assert result.errors == {"timeout": 1, "500": 1}
    assert result.error_count == 2
    assert result.filed_unacknowledged == ["k1"]
    assert result.lost == []


def test_other_jobs_cpu_is_what_the_benchmark_did_not_use() -> None:
    """The machine's busy CPU less the server's, worker's, database's, own and clients' is other
    jobs'."""
    before = CpuSnapshot(at=100.0, machine=1000.0, server=50.0, database={7: 5.0, 8: 1.0}, own=1.0)
    # Backend 8 closed (its time since is lost), backend 9 opened during the run.
    after = CpuSnapshot(at=110.0, machine=1016.0, server=58.0, database={7: 6.0, 9: 1.0}, own=1.0)
    shares = cpu_shares(before, after, client_seconds=2.0, worker_seconds=1.5)
    cores = os.cpu_count() or 1
    assert shares["machine_cpu_busy"] == round(min(100.0, 100 * 16 / (10 * cores)))
    assert shares["database_cpu"] == round(100 * 2 / (10 * cores))
    assert shares["worker_cpu"] == round(100 * 1.5 / (10 * cores))
    assert shares["other_jobs_cpu"] == round(100 * 2.5 / (10 * cores))
    assert shares["clients_cpu"] == round(100 * 2 / (10 * cores))


def _run(**overrides: Any) -> dict[str, Any]:
    clean = {
        "requests": 10,
        "errors": 0,
        "not_sent": 0,
        "lost": 0,
        "duplicates": 0,
        "unknown_ids": 0,
        "double_clicks": 1,
        "double_clicks_consistent": 1,
        "double_clicks_inconsistent": 0,
        "p95_ms": 120.0,
        "throughput_rps": 50.0,
        "pace_s": 0.0,
        "notifications_unsent": 0,
    }
    return {**clean, **overrides}


def _level(**overrides: Any) -> dict[str, Any]:
    level = {
        "clients": 50,
        "floor": _run(),
        "submissions": _run(),
        "floor_after": _run(),
        "paced_submissions": None,
        "ratio": 0.6,
    }
    return {**level, **overrides}


def _verdicts(level: dict[str, Any]) -> dict[str, str]:
    return {target["target"]: target["result"] for target in judge([level])}


def test_targets_pass_on_a_clean_fast_run() -> None:
    """A clean run at more than half the floor's throughput meets every target."""
    assert set(_verdicts(_level()).values()) == {"PASS"}
    paced = _level(paced_submissions=_run(pace_s=1.0, p95_ms=90.0), submissions=_run(p95_ms=900))
    assert set(_verdicts(paced).values()) == {"PASS"}


def test_targets_fail_on_lost_duplicate_slow_or_erroneous_runs() -> None:
    """Each missed target is reported as FAIL, with the others still passing."""
    level = _level(
        submissions=_run(lost=1, duplicates=2, errors=3, p95_ms=450.0, notifications_unsent=4),
        ratio=0.3,
    )
    verdicts = _verdicts(level)
    assert verdicts["50 clients: zero lost (every reference exists)"] == "FAIL"
    assert verdicts["50 clients: zero duplicates"] == "FAIL"
    assert verdicts["50 clients: zero errors"] == "FAIL"
    assert verdicts["50 clients: p95 < 300 ms"] == "FAIL"
    assert verdicts["50 clients: throughput ≥ 0.5 × floor"] == "FAIL"
    assert verdicts["50 clients: every receipt notification sent"] == "FAIL"
    assert verdicts["50 clients: a retried key returns the same case"] == "PASS"
    assert verdicts["50 clients: the floor itself ran clean"] == "PASS"


def test_p95_is_judged_on_the_paced_run_when_there_is_one() -> None:
    """Paced clients slower than 300 ms at p95 fail it, however the saturated run did; an error
    in the paced run or in the second floor run fails too."""
    level = _level(paced_submissions=_run(pace_s=1.0, p95_ms=310.0, errors=1))
    verdicts = _verdicts(level)
    assert verdicts["50 clients submitting every 1 s: p95 < 300 ms"] == "FAIL"
    assert verdicts["50 paced clients: no error, duplicate or loss"] == "FAIL"
    assert "50 clients: p95 < 300 ms" not in verdicts
    assert (
        _verdicts(_level(floor_after=_run(errors=1)))["50 clients: the floor itself ran clean"]
        == "FAIL"
    )


def test_retry_answered_with_another_case_fails_its_target() -> None:
    """A double click whose two answers disagree fails the same-case target."""
    level = _level(submissions=_run(double_clicks_consistent=0, double_clicks_inconsistent=1))
    assert _verdicts(level)["50 clients: a retried key returns the same case"] == "FAIL"


def _database_arguments() -> list[str]:
    """On PostgreSQL (DATABASE_URL set), give the run a database of its own next to the tests'."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return []
    parts = urlsplit(url)
    own = urlunsplit(parts._replace(path=f"{parts.path}_submissions"))
    return ["--database-url", own, "--replace-database"]


def _redis_arguments() -> list[str]:
    """Redis databases of the run's own (the benchmark empties them), one pair per test worker."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 4
    return [
        "--broker-url",
        f"redis://127.0.0.1:6379/{4 + worker}",
        "--cache-url",
        f"redis://127.0.0.1:6379/{8 + worker}",
    ]


def test_tiny_run_files_every_case_once(tmp_path: Path) -> None:
    """3 clients x 2 submissions through `guichet serve`: all filed, none lost or duplicated."""
    output = tmp_path / "result.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "bench_case_submissions.py"),
        "--clients",
        "3",
        "--submissions",
        "6",
        "--retry-share",
        "0.34",
        "--warmup",
        "2",
        "--workers",
        "1",
        "--threads",
        "2",
        "--client-processes",
        "1",
        "--pace",
        "0.5",
        "--json",
        str(output),
        *_redis_arguments(),
        *_database_arguments(),
    ]
    completed = subprocess.run(  # noqa: S603 - the benchmark script with fixed arguments
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    result = json.loads(output.read_text())
    (level,) = result["levels"]
    cases, floor = level["submissions"], level["floor"]
    assert cases["integrity"]["keys_acknowledged"] == 6
    assert cases["integrity"]["rows_added"] == 6
    assert cases["requests"] == 8  # two keys sent twice at once
    assert (cases["double_clicks"], cases["double_clicks_consistent"]) == (2, 2)
    problems = (cases["errors"], cases["lost"], cases["duplicates"], cases["unknown_ids"])
    assert problems == (0, 0, 0, 0)
    assert (floor["requests"], floor["errors"], floor["lost"], floor["duplicates"]) == (6, 0, 0, 0)
    assert floor["throughput_rps"] > 0 and cases["throughput_rps"] > 0
    # The Celery worker sent every acknowledgement, of the paced run too.
    assert cases["notifications_unsent"] == 0
    paced = level["paced_submissions"]
    assert paced["integrity"]["keys_acknowledged"] == 6
    assert (paced["errors"], paced["lost"], paced["duplicates"]) == (0, 0, 0)
    assert paced["notifications_unsent"] == 0
    assert level["floor_after"]["requests"] == 6
    # The bound wrote its own cases, one per key, and queued nothing for the worker.
    bound = level["bound"]
    assert (bound["requests"], bound["errors"], bound["lost"], bound["duplicates"]) == (6, 0, 0, 0)
    assert bound["integrity"]["rows_added"] == 6
    assert level["bound_ratio"] > 0
    assert result["server_log_problems"]["worker_traceback"] == 0
    verdicts = {target["target"]: target["result"] for target in result["targets"]}
    assert verdicts["3 clients: zero lost (every reference exists)"] == "PASS"
    assert verdicts["3 clients: zero duplicates"] == "PASS"
    assert result["server_log_problems"]["traceback"] == 0
