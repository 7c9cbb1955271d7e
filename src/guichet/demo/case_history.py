"""Dating the demo's requests: their stories happened over three months, the actions ran now.

The cases' actions stamp "now", as they must in live use. The demo runs each step of a case's
story inside ``Chronicle.at(moment)``, then ``move_into_the_past`` gives every row those steps
wrote the moment of its step, and ``mark_past_notifications_sent`` records the notifications
they queued as sent back then.
"""

from __future__ import annotations

import bisect
import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from guichet.cases.choices import CLOSED_STATUSES, CaseEventKind, CaseStatus
from guichet.cases.deadlines import due_date_for, paused_days_until
from guichet.cases.models import Case, CaseEvent, CaseMessage, CaseNote
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification, NotificationChange
from guichet.residents.models import Document, ResidentChange


class Chronicle:
    """When each demo step really ran, and the past moment it stands for.

    The cases' actions stamp "now" (they serve live use); the demo's stories span three months.
    Steps run one after another, so a row written at real time t belongs to the last step that
    started at or before t.
    """

    def __init__(self) -> None:
        self.began = timezone.now()
        self._starts: list[datetime.datetime] = []
        self._moments: list[datetime.datetime] = []

    @contextmanager
    def at(self, moment: datetime.datetime) -> Iterator[None]:
        """Run the block as the step that happened at ``moment``."""
        self._starts.append(timezone.now())
        self._moments.append(moment)
        yield

    def moment_of(self, stamp: datetime.datetime) -> datetime.datetime:
        index = bisect.bisect_right(self._starts, stamp) - 1
        return self._moments[index] if index >= 0 else stamp


# The rows the demo's steps write, and their times that the chronicle moves into the past.
CHRONICLED_ROWS = (
    (CaseEvent, ("created_at",)),
    (CaseNote, ("created_at",)),
    (CaseMessage, ("created_at", "read_at")),
    (Notification, ("created_at",)),
    (Document, ("created_at",)),
    (ResidentChange, ("created_at",)),
)


def move_into_the_past(chronicle: Chronicle) -> set[int]:
    """Date every row the demo's steps wrote at the past moment of its step.

    The cases' actions stamp "now", as they must in live use, and the demo may not change a
    case behind their back; its stories, though, happened over the last three months. So, once
    they are told, the only direct updates the demo makes are these: the rows' timestamps move
    to the moment of the step that wrote them, and each case's own dates follow from its
    history as the actions would have computed them — filed at its "submitted" event, closed at
    its decision, paused while it waited for the resident, with its due date recomputed by
    ``deadlines.due_date_for``. Return the ids of those cases (follow-ups that filing sent to
    other departments included).
    """
    since = chronicle.began
    case_ids = set(CaseEvent.objects.filter(created_at__gte=since).values_list("case", flat=True))
    for model, names in CHRONICLED_ROWS:
        rows = list(model.objects.filter(created_at__gte=since).only("pk", *names))
        for row in rows:
            for name in names:
                stamp = getattr(row, name)
                if stamp is not None and stamp >= since:
                    setattr(row, name, chronicle.moment_of(stamp))
        model.objects.bulk_update(rows, list(names), batch_size=500)
    # A notification's history starts when it was queued, in the same step.
    NotificationChange.objects.filter(created_at__gte=since).update(
        created_at=Subquery(
            Notification.objects.filter(pk=OuterRef("notification")).values("created_at")[:1]
        )
    )
    _date_cases(case_ids)
    return case_ids


def _date_cases(case_ids: set[int]) -> None:
    history: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.filter(case_id__in=case_ids).order_by("created_at", "id"):
        history.setdefault(event.case_id, []).append(event)
    cases = list(Case.objects.filter(pk__in=case_ids))
    for case in cases:
        events = history[case.pk]
        case.submitted_at = next(e for e in events if e.kind == CaseEventKind.SUBMITTED).created_at
        case.updated_at = events[-1].created_at
        case.paused_at, case.paused_working_days, case.closed_at = None, 0, None
        for event in events:
            if event.kind != CaseEventKind.STATUS_CHANGED:
                continue
            if case.paused_at is not None:
                case.paused_working_days += paused_days_until(case, event.created_at)
                case.paused_at = None
            if event.to_status == CaseStatus.WAITING:
                case.paused_at = event.created_at
            if event.to_status in CLOSED_STATUSES:
                case.closed_at = event.created_at
        case.due_date = due_date_for(case)
    Case.objects.bulk_update(
        cases,
        ["submitted_at", "updated_at", "paused_at", "paused_working_days", "closed_at", "due_date"],
        batch_size=500,
    )


def mark_past_notifications_sent(after_pk: int) -> int:
    """Record the demo's queued notifications as sent at their (past) time; return how many.

    They stand for the acknowledgements, requests and decisions of the last three months, sent
    back then: nothing may go out now to invented residents. Delivery sends only rows still
    pending (``notifications.delivery._claim``), so the deliveries scheduled for after the
    demo's commit find these sent and skip them. ``after_pk`` is the last outbox row before the
    demo's requests; run it after ``move_into_the_past`` (which dated the rows) and before the
    commit.
    """
    pending = Notification.objects.filter(status=NotificationStatus.PENDING, pk__gt=after_pk)
    queued = list(pending.values_list("pk", "created_at"))
    pending.update(status=NotificationStatus.SENT, sent_at=F("created_at"), next_attempt_at=None)
    NotificationChange.objects.bulk_create(
        (
            NotificationChange(
                notification_id=pk,
                status=NotificationStatus.SENT,
                note="Démonstration : message du passé, enregistré comme envoyé sans être émis.",
                created_at=created_at,
            )
            for pk, created_at in queued
        ),
        batch_size=500,
    )
    return len(queued)


# Loggers that write a line per notification at INFO.
NOTIFICATION_LOGGERS = ("celery.app.trace", "guichet.notifications.actions")


@contextmanager
def quiet_past_notifications() -> Iterator[None]:
    """Keep the demo's output to its progress while it tells its requests.

    At INFO, the notifications app logs every resident it cannot reach (no email, no mobile)
    and, with no broker, Celery every delivery run after the commit — all skipped, since the
    demo's notifications are recorded as sent: hundreds of lines that say nothing.
    """
    loggers = [logging.getLogger(name) for name in NOTIFICATION_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
