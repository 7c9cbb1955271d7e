"""Where the time of one submission goes: cProfile and the SQL queries, in the benchmark's process.

The same request as the clients send (token, JSON body) goes through Django's whole stack (the
test client: middleware, DRF, the view, the action, the notification sent after commit) on the
run's database, without gunicorn or the network. The floor request is measured the same way,
for comparison. What the requests print or log (the console email backend's messages, Celery's
task log lines) goes aside, as it goes to the server's log in the measured runs.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import logging
import pstats
import time
from collections.abc import Callable, Iterator
from typing import Any

PROFILE_REQUESTS = 20
# Requests timed without the profiler first (its overhead distorts the total), in batches: the
# fastest batch is the cost with the least interference from the rest of the machine.
PLAIN_REQUESTS = 30
PLAIN_BATCHES = 3


def _client_post(path: str, token: str) -> Callable[[dict[str, Any]], int]:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")

    def post(body: dict[str, Any]) -> int:
        response = client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        return int(response.status_code)

    return post


class _QueryLog:
    """Record each SQL statement with its own duration (Django's debug log rounds to 1 ms)."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.entries.append({"ms": round(elapsed, 3), "sql": sql[:160]})


def _queries(post: Callable[[dict[str, Any]], int], body: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection

    log = _QueryLog()
    with connection.execute_wrapper(log):
        started = time.perf_counter()
        status = post(body)
        elapsed = (time.perf_counter() - started) * 1000
    return {
        "status": status,
        "ms": round(elapsed, 1),
        "queries": len(log.entries),
        "query_ms": round(sum(entry["ms"] for entry in log.entries), 1),
        "log": log.entries,
    }


@contextlib.contextmanager
def _output_aside() -> Iterator[None]:
    """Send what the requests print or log (emails, task logs) aside, as the server's log does."""
    aside = io.StringIO()
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
    ]
    streams = [handler.setStream(aside) for handler in handlers]
    try:
        with contextlib.redirect_stdout(aside):
            yield
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            if stream is not None:
                handler.setStream(stream)


def profile_requests(
    path: str, token: str, bodies: list[dict[str, Any]], *, top: int = 25
) -> dict[str, Any]:
    """Return the query log of one request, the mean time of ``PLAIN_REQUESTS`` and a cProfile
    of the other ``bodies`` (after one warm-up)."""
    post = _client_post(path, token)
    profiler = cProfile.Profile()
    plain, profiled = bodies[2 : 2 + PLAIN_REQUESTS], bodies[2 + PLAIN_REQUESTS :]
    with _output_aside():
        post(bodies[0])
        one = _queries(post, bodies[1])
        statuses: list[int] = []
        batch_means = []
        size = max(len(plain) // PLAIN_BATCHES, 1)
        for start in range(0, len(plain), size):
            batch = plain[start : start + size]
            started = time.process_time()
            statuses += [post(body) for body in batch]
            batch_means.append((time.process_time() - started) * 1000 / len(batch))
        plain_ms = min(batch_means, default=0.0)
        started = time.perf_counter()
        profiler.enable()
        statuses += [post(body) for body in profiled]
        profiler.disable()
    per_request = (time.perf_counter() - started) * 1000 / max(len(profiled), 1)
    return {
        "path": path,
        "one_request": one,
        "ms_per_request_plain": round(plain_ms, 2),
        "profiled_requests": len(profiled),
        "statuses": sorted(set(statuses)),
        "ms_per_request_profiled": round(per_request, 1),
        # Guichet's own functions by cumulative time: which step of the request costs what.
        "cumulative": _stats(profiler, "cumulative", top, "guichet/"),
        # Every function by its own time: where the CPU actually burns (ORM, JSON, templates…).
        "own_time": _stats(profiler, "tottime", top),
    }


def _stats(profiler: cProfile.Profile, order: str, top: int, *restrictions: str) -> str:
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats(order).print_stats(*restrictions, top)
    return text.getvalue()


def print_profile(name: str, result: dict[str, Any]) -> None:
    one = result["one_request"]
    print(f"\n### {name}: {result['path']}")
    print(
        f"one request (status {one['status']}): {one['ms']} ms in-process, "
        f"{one['queries']} SQL queries taking {one['query_ms']} ms"
    )
    for query in one["log"]:
        print(f"  {query['ms']:>7.3f} ms  {query['sql']}")
    print(
        f"CPU per request without the profiler (best of {PLAIN_BATCHES} batches of "
        f"{PLAIN_REQUESTS // PLAIN_BATCHES}): {result['ms_per_request_plain']} ms"
    )
    print(
        f"\ncProfile of {result['profiled_requests']} requests "
        f"({result['ms_per_request_profiled']} ms each under the profiler)."
    )
    print("Guichet's functions by cumulative time:")
    print(result["cumulative"])
    print("All functions by own time:")
    print(result["own_time"])
