"""Celery tasks of the outbox. With no broker they run in-process (see guichet/celery.py).

A committed notification is handed to the queue by ``schedule_delivery``. With a broker, the
ids committed within ``GUICHET_NOTIFICATION_BATCH_MS`` in one process travel in one task
message: when hundreds of residents file at 8:00, a request pays for adding an id to a list,
not for a round trip to the broker, and the workers receive a few messages a second instead of
one per filing. Nothing depends on that message arriving: the rows are in the outbox, pending
and due, and the periodic job (``retry_due_notifications``) queues any that no task delivered
(a process killed within the batch window, a broker down for a moment).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings

from guichet.notifications import delivery
from guichet.notifications.models import Notification

logger = logging.getLogger(__name__)

# Ids per task message when the periodic job hands out a backlog.
IDS_PER_TASK = 50


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    """Make one delivery attempt of a notification (safe to run twice or concurrently)."""
    return delivery.deliver(notification_id)


@shared_task(ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Make one delivery attempt of each notification, in order; return the count by outcome.

    Each attempt claims its row first (delivery.py), so an id delivered by another task, the
    periodic job or a supervisor's retry in the meantime is skipped, never sent twice.
    """
    outcomes: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = delivery.deliver(int(notification_id))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


class _Handoff:
    """The notifications committed in this process and not handed to the queue yet.

    The first id added starts a timer; when it fires, every id gathered since goes in one task.
    An id added after the timer has taken the list starts the next one, so none is left behind.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: list[int] = []
        self._timer: threading.Timer | None = None

    def add(self, notification_id: int, delay: float) -> None:
        with self._lock:
            self._ids.append(notification_id)
            if self._timer is not None:
                return
            self._timer = threading.Timer(delay, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Queue what was gathered (on the timer, and when the process exits)."""
        with self._lock:
            ids, self._ids = self._ids, []
            self._timer = None
        if ids:
            _send(ids)

    def reset(self) -> None:
        """Forget a parent's state in a forked child (its timer thread does not exist there)."""
        self._lock = threading.Lock()
        self._ids = []
        self._timer = None


def _send(ids: list[int]) -> None:
    try:
        deliver_notifications.delay(ids)
    except Exception:
        # The rows stay pending and due: the periodic job queues them within a minute.
        logger.exception("Could not queue the delivery of %d notification(s)", len(ids))


_handoff = _Handoff()
atexit.register(_handoff.flush)
os.register_at_fork(after_in_child=_handoff.reset)


def schedule_delivery(notification_id: int) -> None:
    """Queue the delivery of a notification (called after the commit that created it).

    Without a broker (tasks run in-process) or with no batch window, at once; otherwise with
    the other ids of the window (see the module's docstring).
    """
    delay = settings.GUICHET_NOTIFICATION_BATCH_MS / 1000
    if settings.CELERY_TASK_ALWAYS_EAGER or delay <= 0:
        deliver_notifications.delay([notification_id])
        return
    _handoff.add(notification_id, delay)


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@shared_task(ignore_result=True)
def retry_due_notifications() -> int:
    """Queue the pending notifications whose next attempt is due; return how many.

    Idempotent: a row queued twice is still sent once (see delivery.py). Rows stuck in
    "sending" are only reported, for a supervisor to decide.
    """
    ids = delivery.due_notification_ids()
    for chunk in _chunks(ids, IDS_PER_TASK):
        deliver_notifications.delay(chunk)
    stuck = Notification.objects.stuck().count()
    if stuck:
        logger.warning(
            "%d notification(s) stuck while sending: a supervisor must retry or cancel them", stuck
        )
    return len(ids)
