"""The server under test: ``guichet serve`` in a subprocess on 127.0.0.1, as in production.

The server gets a production environment: ``DEBUG`` off, a random ``SECRET_KEY``, neither
``GUICHET_TESTING`` nor ``GUICHET_DEMO``, the run's database, and ``case_load_settings`` (Guichet's
settings with the floor's URLconf). Its output (gunicorn's access log, notifications written by
the console email backend) goes to a file in the run's directory, never to a pipe that could
fill up and stall it. It runs in its own process group, which ``stop`` ends, and only that.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.case_load_machine import process_seconds

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
SETTINGS_MODULE = "benchmarks.case_load_settings"
# Variables that would make the server something else than production.
NON_PRODUCTION = ("GUICHET_TESTING", "GUICHET_DEMO", "DEBUG", "DJANGO_SETTINGS_MODULE")


def production_environment(
    base: dict[str, str],
    *,
    data_dir: Path,
    database_url: str | None,
    broker_url: str = "",
    cache_url: str = "",
) -> dict[str, str]:
    """Return the environment of the benchmark's processes: production settings, the run's data
    (and the run's delivery queue: without one, notifications are sent inside the requests; and
    its shared cache: without one, each process has its own)."""
    env = {name: value for name, value in base.items() if name not in NON_PRODUCTION}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    if cache_url:
        env["REDIS_URL"] = cache_url
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=LOOPBACK,
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        GUICHET_DATA_DIR=str(data_dir),
        GUICHET_MEDIA_ROOT=str(data_dir / "media"),
        GUICHET_STATIC_ROOT=str(data_dir / "static"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH", "")])),
    )
    return env


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def guichet_command() -> list[str]:
    """Return the ``guichet`` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("guichet")
    if script.exists():
        return [str(script)]
    found = shutil.which("guichet")
    return [found] if found else [sys.executable, "-m", "guichet.cli"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class _Child:
    """A process of the run in its own process group (``process``), stopped with it."""

    process: subprocess.Popen[bytes] | None = None

    def cpu_seconds(self) -> float:
        """Return the CPU time the process and its children have used so far."""
        if self.process is None:
            return 0.0
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(process_seconds(pid) for pid in pids)

    def stop(self) -> None:
        """Stop the process gracefully, then end its process group if it lingers."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class BenchServer(_Child):
    """``guichet serve`` on a free port of 127.0.0.1, started and stopped by the benchmark."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int, log_path: Path) -> None:
        self.env = env
        self.workers = workers
        self.threads = threads
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BenchServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, wait: float = 90.0) -> None:
        command = [
            *guichet_command(),
            "serve",
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own console script
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"guichet serve stopped at start:\n{self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"guichet serve did not answer within {wait:.0f} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
        try:
            connection.request("GET", "/bench/floor/")
            connection.getresponse().read()
        except OSError:
            return False
        finally:
            connection.close()
        return True

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log_problems(self) -> dict[str, int]:
        """Count what the server's log says went wrong: tracebacks, worker timeouts, errors."""
        counts = {"traceback": 0, "worker_timeout": 0, "error_lines": 0}
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return counts
        for line in text.splitlines():
            if line.startswith("Traceback"):
                counts["traceback"] += 1
            if "WORKER TIMEOUT" in line:
                counts["worker_timeout"] += 1
            if "[ERROR]" in line or "[CRITICAL]" in line:
                counts["error_lines"] += 1
        return counts


class BenchWorker(_Child):
    """``celery -A guichet worker`` delivering the run's notifications, as in production.

    It runs at a lower priority (``nice``) than the server, like a delivery queue that absorbs a
    burst: the submissions answer first, the emails follow. One process, one task at a time.
    """

    def __init__(self, env: dict[str, str], *, log_path: Path, niceness: int = 19) -> None:
        self.env = env
        self.log_path = log_path
        self.niceness = niceness
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BenchWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        celery = Path(sys.executable).with_name("celery")
        command = [
            str(celery) if celery.exists() else "celery",
            "-A",
            "guichet",
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ]
        niceness = self.niceness
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own environment's celery
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: os.nice(niceness),
            )

    def log_problems(self) -> int:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return 0
        return sum(line.startswith("Traceback") for line in text.splitlines())


def empty_redis_database(url: str) -> None:
    """Empty a Redis database of the run (its own: ``--broker-url``, ``--cache-url``)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
