"""Delivery: retries with backoff, the attempt limit, never sending twice, stuck sends."""

import datetime
import threading
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from guichet.notifications import delivery
from guichet.notifications.actions import (
    NotificationStateError,
    cancel_notification,
    retry_notification,
)
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification
from guichet.notifications.tasks import deliver_notification, retry_due_notifications
from guichet.organisation.models import Agent
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Control timezone.now() in the delivery code."""
    fake = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fake.now)
    return fake


@pytest.fixture
def failing_send(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every send fail until the test empties the list of errors."""
    errors = ["ConnectionRefusedError: [Errno 111] Connection refused"]
    original = delivery.send

    def send(notification: Notification) -> str:
        if errors:
            raise ConnectionRefusedError(111, "Connection refused")
        return original(notification)

    monkeypatch.setattr(delivery, "send", send)
    yield errors


def statuses(notification: Notification) -> list[str]:
    return list(notification.changes.values_list("status", flat=True))


def test_delivery_sends_and_records_the_provider_id(clock: Clock) -> None:
    """A pending email is sent once; the row keeps its Message-ID and the history."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    assert delivery.deliver(notification.pk) == delivery.SENT
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1
    assert notification.sent_at == clock.now
    assert notification.provider_id == f"<notification-{notification.uuid}@localhost>"
    assert statuses(notification) == ["sending", "sent"]
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == notification.provider_id


def test_failed_attempts_are_retried_with_exponential_backoff(
    clock: Clock, failing_send: list[str], retry_settings: object
) -> None:
    """Each failure schedules the next attempt twice as late as the previous one."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    assert delivery.deliver(notification.pk) == delivery.RETRY
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == clock.now + datetime.timedelta(seconds=60)
    assert "Connection refused" in notification.last_error

    # Not due yet: a task arriving early does nothing.
    assert delivery.deliver(notification.pk) == delivery.SKIPPED
    clock.advance(seconds=60)
    assert delivery.deliver(notification.pk) == delivery.RETRY
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at == clock.now + datetime.timedelta(seconds=120)

    failing_send.clear()
    clock.advance(seconds=120)
    assert delivery.deliver(notification.pk) == delivery.SENT
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3
    assert notification.last_error == ""
    assert statuses(notification) == ["sending", "pending", "sending", "pending", "sending", "sent"]
    assert len(mail.outbox) == 1


def test_attempt_limit_marks_the_notification_failed(
    clock: Clock, failing_send: list[str], retry_settings: object
) -> None:
    """After GUICHET_NOTIFICATION_MAX_ATTEMPTS failures the row fails and is left alone."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    outcomes = []
    for _ in range(3):
        outcomes.append(delivery.deliver(notification.pk))
        clock.advance(hours=1)
    assert outcomes == [delivery.RETRY, delivery.RETRY, delivery.FAILED]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.next_attempt_at is None
    assert notification.can_retry
    assert delivery.due_notification_ids() == []
    assert delivery.deliver(notification.pk) == delivery.SKIPPED
    assert mail.outbox == []


def test_running_the_task_twice_sends_once() -> None:
    """A duplicate task finds the row sent and sends nothing."""
    notification = NotificationFactory()
    deliver_notification.delay(notification.pk)
    deliver_notification.delay(notification.pk)
    assert len(mail.outbox) == 1


def test_a_row_being_sent_is_not_sent_by_another_worker() -> None:
    """While one worker is sending, a second one finds "sending" and leaves the row alone."""
    notification = NotificationFactory()
    delivery._claim(notification.pk)
    assert delivery.deliver(notification.pk) == delivery.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers delivering the same row at the same time: one message goes out."""
    notification = NotificationFactory()
    sending = threading.Event()
    release = threading.Event()
    sent: list[int] = []
    original = delivery.send

    def slow_send(row: Notification) -> str:
        sent.append(row.pk)
        sending.set()
        release.wait(10)
        return original(row)

    monkeypatch.setattr(delivery, "send", slow_send)
    outcomes: list[str] = []
    first = threading.Thread(
        target=_in_thread(lambda: outcomes.append(delivery.deliver(notification.pk)))
    )
    first.start()
    assert sending.wait(10)
    second = threading.Thread(
        target=_in_thread(lambda: outcomes.append(delivery.deliver(notification.pk)))
    )
    second.start()
    second.join(10)
    release.set()
    first.join(10)
    assert sorted(outcomes) == [delivery.SENT, delivery.SKIPPED]
    assert sent == [notification.pk]
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database reports a lock error instead of waiting for it",
)
@pytest.mark.django_db(transaction=True)
def test_claim_waits_for_a_concurrent_claim() -> None:
    """A worker claiming a row locked by another waits, then sees it taken and skips it."""
    notification = NotificationFactory()
    locked = threading.Event()
    outcome: list[str] = []

    def hold_lock_then_claim() -> None:
        from django.db import transaction

        with transaction.atomic():
            row = Notification.objects.select_for_update().get(pk=notification.pk)
            locked.set()
            second.start()
            # Give the second worker time to block on the row lock.
            second.join(0.5)
            row.status = NotificationStatus.SENDING
            row.save(update_fields=["status"])

    second = threading.Thread(
        target=_in_thread(lambda: outcome.append(delivery.deliver(notification.pk)))
    )
    first = threading.Thread(target=_in_thread(hold_lock_then_claim))
    first.start()
    first.join(10)
    second.join(10)
    assert outcome == [delivery.SKIPPED]
    assert mail.outbox == []


def _in_thread(function: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            function()
        finally:
            connection.close()

    return run


def test_stuck_sending_row_is_not_resent_automatically(
    clock: Clock, retry_settings: object
) -> None:
    """A row left "sending" by a dead worker is neither delivered nor re-queued: it is stuck."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    delivery._claim(notification.pk)  # the worker dies before sending
    clock.advance(minutes=16)
    assert delivery.deliver(notification.pk) == delivery.SKIPPED
    assert retry_due_notifications() == 0
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENDING
    assert notification.is_stuck and notification.can_retry
    assert list(Notification.objects.stuck()) == [notification]
    assert mail.outbox == []


def test_recent_sending_row_is_not_stuck(clock: Clock, retry_settings: object) -> None:
    """A send that started a minute ago is still in progress, not stuck."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    delivery._claim(notification.pk)
    clock.advance(minutes=1)
    notification.refresh_from_db()
    assert not notification.is_stuck
    assert not notification.can_retry
    with pytest.raises(NotificationStateError):
        retry_notification(notification, actor=None)  # type: ignore[arg-type]


def test_supervisor_retries_a_stuck_row(
    clock: Clock,
    retry_settings: object,
    supervisor: Agent,
    django_capture_on_commit_callbacks: object,
) -> None:
    """The supervisor's retry sends the stuck row again, and the history names them."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    delivery._claim(notification.pk)
    clock.advance(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        retry_notification(notification, actor=supervisor.user)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1
    manual = notification.changes.get(actor=supervisor.user)
    assert manual.status == NotificationStatus.PENDING


def test_supervisor_retries_a_failed_row(
    clock: Clock,
    failing_send: list[str],
    retry_settings: object,
    supervisor: Agent,
    django_capture_on_commit_callbacks: object,
) -> None:
    """A failed row sent again by a supervisor goes out once the server is back."""
    notification = NotificationFactory(
        status=NotificationStatus.FAILED, attempts=3, next_attempt_at=None
    )
    failing_send.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        retry_notification(notification, actor=supervisor.user)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_sent_row_cannot_be_retried_or_cancelled(supervisor: Agent) -> None:
    """Retrying or cancelling a sent notification is refused with a French message."""
    notification = NotificationFactory(status=NotificationStatus.SENT)
    with pytest.raises(NotificationStateError, match="ne peut pas être renvoyée"):
        retry_notification(notification, actor=supervisor.user)
    with pytest.raises(NotificationStateError, match="ne peut pas être annulée"):
        cancel_notification(notification, actor=supervisor.user)


def test_cancelled_row_is_never_sent(supervisor: Agent) -> None:
    """A cancelled notification is skipped by delivery and by the periodic job."""
    notification = NotificationFactory()
    cancel_notification(notification, actor=supervisor.user)
    assert retry_due_notifications() == 0
    assert delivery.deliver(notification.pk) == delivery.SKIPPED
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED


def test_failure_after_a_supervisor_decision_changes_nothing(
    clock: Clock, retry_settings: object, supervisor: Agent
) -> None:
    """A very late error from a worker does not undo the supervisor's cancellation."""
    notification = NotificationFactory(next_attempt_at=clock.now)
    claimed = delivery._claim(notification.pk)
    assert claimed is not None
    clock.advance(minutes=30)
    cancel_notification(notification, actor=supervisor.user)
    assert delivery._record_failure(claimed, "TimeoutError") == delivery.SKIPPED
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CANCELLED


def test_periodic_job_requeues_due_rows_only(clock: Clock) -> None:
    """The job delivers the pending rows that are due, and leaves the others."""
    due = NotificationFactory(next_attempt_at=clock.now - datetime.timedelta(minutes=1))
    later = NotificationFactory(next_attempt_at=clock.now + datetime.timedelta(minutes=5))
    sent = NotificationFactory(status=NotificationStatus.SENT)
    assert retry_due_notifications() == 1
    assert [m.to for m in mail.outbox] == [[due.recipient]]
    assert Notification.objects.get(pk=later.pk).status == NotificationStatus.PENDING
    assert Notification.objects.get(pk=sent.pk).status == NotificationStatus.SENT
    assert retry_due_notifications() == 0


def test_command_sends_pending_notifications_and_reports_stuck_ones(
    clock: Clock, retry_settings: object
) -> None:
    """guichet send-pending-notifications queues the due rows and warns about stuck ones."""
    NotificationFactory(next_attempt_at=clock.now)
    stuck = NotificationFactory(next_attempt_at=clock.now)
    delivery._claim(stuck.pk)
    clock.advance(minutes=30)
    out, err = StringIO(), StringIO()
    call_command("send_pending_notifications", stdout=out, stderr=err)
    assert "1 notification remise en file d'envoi." in out.getvalue()
    assert "1 notification bloquée en cours d'envoi" in err.getvalue()
    assert len(mail.outbox) == 1


def test_backoff_doubles_at_each_attempt(retry_settings: object) -> None:
    """The wait is the base delay, then twice, four times… as long."""
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
