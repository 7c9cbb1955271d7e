"""How busy the machine was during a run, and how much of that was someone else's work.

Other engineers run test suites on the same 2 cores; a run they disturbed must be recognised
and run again. The load average cannot tell: the benchmark's own threads raise it. So each run
measures the CPU time the whole machine used (``/proc/stat``) and subtracts the benchmark's own:
the server's processes, the client processes (they report their own CPU time), this process, and
the PostgreSQL backends connected to the run's database (their process title names it). What
remains is the CPU that other jobs took while the run was measured.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine_busy_seconds() -> float:
    """Return the CPU time (all cores, busy = not idle nor waiting on I/O) used since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICKS


def process_seconds(pid: int) -> float:
    """Return the user + system CPU time of ``pid`` (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def own_seconds() -> float:
    times = os.times()
    return times.user + times.system


def postgres_backend_seconds(database: str) -> dict[int, float]:
    """Return the CPU time of each PostgreSQL backend connected to ``database``, by pid."""
    if not database:
        return {}
    backends = {}
    marker = f" {database} "
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and marker in title:
            backends[int(entry.name)] = process_seconds(int(entry.name))
    return backends


@dataclass(frozen=True)
class CpuSnapshot:
    """The CPU counters a run is measured between, and when they were read."""

    at: float
    machine: float
    server: float
    # By backend pid: Django reopens its connections (CONN_MAX_AGE), so backends come and go.
    database: dict[int, float]
    own: float

    def database_since(self, before: CpuSnapshot) -> float:
        """Return the backends' CPU time since ``before`` (a backend gone since is not counted)."""
        return sum(
            seconds - before.database.get(pid, 0.0) for pid, seconds in self.database.items()
        )


def snapshot(server_seconds: float, database: str) -> CpuSnapshot:
    return CpuSnapshot(
        at=time.monotonic(),
        machine=machine_busy_seconds(),
        server=server_seconds,
        database=postgres_backend_seconds(database),
        own=own_seconds(),
    )


def cpu_shares(
    before: CpuSnapshot, after: CpuSnapshot, client_seconds: float, worker_seconds: float = 0.0
) -> dict[str, float]:
    """Return how busy the cores were, and the clients', database's, delivery worker's and other
    jobs' shares (%)."""
    capacity = max((after.at - before.at) * (os.cpu_count() or 1), 1e-9)
    busy = after.machine - before.machine
    database = after.database_since(before)
    ours = (
        (after.server - before.server)
        + database
        + (after.own - before.own)
        + client_seconds
        + worker_seconds
    )
    return {
        "worker_cpu": round(100 * worker_seconds / capacity),
        "machine_cpu_busy": round(min(100.0, 100 * busy / capacity)),
        "other_jobs_cpu": round(max(0.0, 100 * (busy - ours) / capacity)),
        "clients_cpu": round(100 * client_seconds / capacity),
        "database_cpu": round(100 * database / capacity),
    }
