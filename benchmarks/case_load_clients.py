"""The load generator of the submission benchmark: concurrent HTTP clients on 127.0.0.1 only.

Each client is a thread holding a keep-alive ``http.client`` connection; the clients are spread
over a few processes (``spawn``) so that the generator itself is not held back by one GIL. All
clients start together and send their planned requests one after the other, each waiting for
its answer. A request planned as a retry is sent twice with the same key at the same time, on
two connections (a parent's double click): the server must answer both with the same case.
Nothing here imports Django: the clients only speak HTTP.

With ``pace`` (seconds), each client starts a request every ``pace`` seconds instead of right
after the previous answer (the clients' first requests spread over the first interval): an
arrival rate of clients/pace requests per second, as users who each submit now and then rather
than a crowd resending at once. A request sent late because the previous answer came late is
timed from when it was due, so a slow server is not hidden by fewer requests (no coordinated
omission).

The work is bounded: a fixed list of requests per client, a timeout per request, and a deadline
after which clients stop sending (what is left is reported as not sent).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class PlannedRequest:
    """One submission to send: its key, its JSON body, and whether it is sent twice at once."""

    key: str
    body: bytes
    retry: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one HTTP request gave. ``status`` 0 is a transport error (timeout, refused, reset)."""

    key: str
    status: int
    started: float
    ended: float
    case_id: str = ""
    error: str = ""
    # "first" for every planned request, "retry" for the second copy of a retried one.
    copy: str = "first"

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def latency_ms(self) -> float:
        return (self.ended - self.started) * 1000


@dataclass
class LevelRun:
    """Every outcome of one run of the clients, its wall-clock span and what was not sent."""

    outcomes: list[Outcome] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0
    not_sent: int = 0
    # CPU time the client processes used while sending: the generator shares the cores.
    client_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return max(self.ended - self.started, 1e-9)


@dataclass(frozen=True)
class Target:
    """Where the clients send: a path on 127.0.0.1, with the API token."""

    port: int
    path: str
    token: str
    timeout: float = 30.0

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Token {self.token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }


def case_id_of(payload: bytes) -> str:
    """Return the id a 2xx answer names: the case's ``id`` (uuid) or the floor row's ``id``."""
    try:
        document = json.loads(payload)
    except ValueError:
        return ""
    if not isinstance(document, dict):
        return ""
    return str(document.get("id", ""))


class _Client:
    """One simulated parent: a keep-alive connection, and a second one for each double click.

    The kept connection opens at the first request (as a browser's does) and stays busy, never
    idle long enough for the server to close it. A double click's second request goes on a new
    connection; after a double click both connections are new. Any transport error is recorded
    as an error, never sent again: a client that resends hides what the server did.
    """

    def __init__(
        self, target: Target, plan: Sequence[PlannedRequest], pace: float = 0.0, offset: float = 0.0
    ) -> None:
        self.target = target
        self.plan = plan
        self.pace = pace
        self.offset = offset
        self.headers = target.headers()
        self.outcomes: list[Outcome] = []
        self.not_sent = 0
        self.connections = [self._new_connection(), self._new_connection()]

    def _new_connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(LOOPBACK, self.target.port, timeout=self.target.timeout)

    def _send(self, item: PlannedRequest, line: int) -> float:
        started = time.monotonic()
        self.connections[line].request("POST", self.target.path, item.body, self.headers)
        return started

    def _receive(self, item: PlannedRequest, line: int, started: float, copy: str) -> Outcome:
        try:
            response = self.connections[line].getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return self._failed(item, line, started, exc, copy)
        ended = time.monotonic()
        ok = 200 <= response.status < 300
        if response.will_close:
            self._renew(line)
        return Outcome(
            key=item.key,
            status=response.status,
            started=started,
            ended=ended,
            case_id=case_id_of(payload) if ok else "",
            error="" if ok else payload[:300].decode("utf-8", "replace"),
            copy=copy,
        )

    def _renew(self, line: int) -> None:
        self.connections[line].close()
        self.connections[line] = self._new_connection()

    def _failed(
        self, item: PlannedRequest, line: int, started: float, exc: BaseException, copy: str
    ) -> Outcome:
        # The connection's state is unknown after an error: the next request uses a new one.
        self._renew(line)
        kind = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
        return Outcome(
            key=item.key,
            status=0,
            started=started,
            ended=time.monotonic(),
            error=f"{kind}: {exc}",
            copy=copy,
        )

    def _exchange(self, item: PlannedRequest, due: float | None = None) -> None:
        started = time.monotonic()
        try:
            started = self._send(item, 0)
            if due is not None:
                started = min(started, due)
        except (OSError, http.client.HTTPException) as exc:
            self.outcomes.append(self._failed(item, 0, started, exc, "first"))
            return
        if not item.retry:
            self.outcomes.append(self._receive(item, 0, started, "first"))
            return
        # The double click: the same key sent again before the first answer came back.
        second_started = time.monotonic()
        try:
            second_started = self._send(item, 1)
        except (OSError, http.client.HTTPException) as exc:
            self.outcomes.append(self._receive(item, 0, started, "first"))
            self.outcomes.append(self._failed(item, 1, second_started, exc, "retry"))
            return
        self.outcomes.append(self._receive(item, 0, started, "first"))
        self.outcomes.append(self._receive(item, 1, second_started, "retry"))
        # While the second answer was awaited, the first connection sat idle, maybe past the
        # server's keep-alive timeout (2 s): both are new for the next request.
        self._renew(0)
        self._renew(1)

    def run(self, deadline: float) -> None:
        due = time.monotonic() + self.offset
        for index, item in enumerate(self.plan):
            if self.pace:
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            if time.monotonic() >= deadline:
                self.not_sent = len(self.plan) - index
                break
            self._exchange(item, due if self.pace else None)
            due += self.pace
        for connection in self.connections:
            connection.close()


def _process_main(
    target: Target,
    plans: list[tuple[list[PlannedRequest], float]],
    max_seconds: float,
    pace: float,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """Run some clients in this process; put (outcomes, not sent, CPU seconds) on ``results``."""
    clients = [_Client(target, plan, pace, offset) for plan, offset in plans]
    ready.put(len(clients))
    go.wait()
    cpu = os.times()
    deadline = time.monotonic() + max_seconds
    threads = [threading.Thread(target=client.run, args=(deadline,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = [outcome for client in clients for outcome in client.outcomes]
    used = os.times()
    seconds = used.user - cpu.user + used.system - cpu.system
    results.put((outcomes, sum(client.not_sent for client in clients), seconds))


def run_clients(
    target: Target,
    plans: list[list[PlannedRequest]],
    *,
    processes: int = 2,
    max_seconds: float = 300.0,
    on_start: Callable[[], object] | None = None,
    pace: float = 0.0,
) -> LevelRun:
    """Run one client per plan, all at once, spread over ``processes``; return every outcome.

    Stops by itself: each client sends its planned requests and stops; none starts a request
    after ``max_seconds``, and each request gives up after the target's timeout. ``on_start``
    is called when every process is ready, just before the clients start.
    """
    context = multiprocessing.get_context("spawn")
    processes = max(1, min(processes, len(plans)))
    # Paced clients start spread over the first interval, each at its own offset.
    offsets = [pace * index / len(plans) for index in range(len(plans))]
    with_offsets = list(zip(plans, offsets, strict=True))
    groups = [with_offsets[index::processes] for index in range(processes)]
    ready = context.Queue()
    results = context.Queue()
    go = context.Event()
    workers = [
        context.Process(
            target=_process_main,
            args=(target, group, max_seconds, pace, ready, go, results),
            daemon=True,
        )
        for group in groups
    ]
    for worker in workers:
        worker.start()
    run = LevelRun()
    try:
        for _ in workers:
            ready.get(timeout=120)
        if on_start is not None:
            on_start()
        run.started = time.monotonic()
        go.set()
        # Nothing starts after the deadline, and a double click waits for at most two timeouts.
        limit = max_seconds + 2 * target.timeout + 60
        for _ in workers:
            outcomes, not_sent, seconds = results.get(timeout=limit)
            run.outcomes.extend(outcomes)
            run.not_sent += not_sent
            run.client_seconds += seconds
    except queue.Empty:
        raise RuntimeError("the load clients did not start or finish in time") from None
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.terminate()
                worker.join()
    run.ended = max((outcome.ended for outcome in run.outcomes), default=run.started)
    return run
