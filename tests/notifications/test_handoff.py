"""Handing committed notifications to the queue: one task per batch window, none left behind."""

import logging
import threading
import time

import pytest
from django.db import transaction

from guichet.notifications import tasks
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.tasks import (
    deliver_notifications,
    retry_due_notifications,
    schedule_delivery,
)
from tests.notifications.factories import NotificationFactory


class Queue:
    """Stands for the broker: records each task message (the ids it carries)."""

    def __init__(self) -> None:
        self.messages: list[list[int]] = []
        self.arrived = threading.Condition()

    def delay(self, ids: list[int]) -> None:
        with self.arrived:
            self.messages.append(list(ids))
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[list[int]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return self.messages


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch, settings) -> Queue:
    """A broker is configured (tasks are not run in-process) and its messages are recorded."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.GUICHET_NOTIFICATION_BATCH_MS = 100
    recorder = Queue()
    monkeypatch.setattr(deliver_notifications, "delay", recorder.delay)
    monkeypatch.setattr(tasks, "_handoff", tasks._Handoff())
    return recorder


def test_ids_committed_within_the_window_travel_in_one_task(queue: Queue) -> None:
    for notification_id in (11, 12, 13):
        schedule_delivery(notification_id)
    assert queue.messages == []  # nothing sent while the window is open
    assert queue.wait_for(1) == [[11, 12, 13]]
    time.sleep(0.25)
    assert queue.messages == [[11, 12, 13]]


def test_an_id_after_the_window_closed_goes_in_the_next_task(queue: Queue) -> None:
    schedule_delivery(1)
    queue.wait_for(1)
    schedule_delivery(2)
    assert queue.wait_for(2) == [[1], [2]]


def test_an_id_added_while_a_batch_is_being_sent_is_not_left_behind(
    queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: a filing commits while the timer thread is handing the last batch over."""
    first = True

    def slow_delay(ids: list[int]) -> None:
        nonlocal first
        if first:
            first = False
            # Another request commits now, after the batch was taken, before it is sent.
            schedule_delivery(99)
        queue.delay(ids)

    monkeypatch.setattr(deliver_notifications, "delay", slow_delay)
    schedule_delivery(1)
    assert queue.wait_for(2) == [[1], [99]]


def test_a_broker_that_refuses_the_message_is_logged_and_the_rows_wait(
    queue: Queue, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    refused = threading.Event()

    def refuse(ids: list[int]) -> None:
        refused.set()
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(deliver_notifications, "delay", refuse)
    with caplog.at_level(logging.ERROR, logger="guichet.notifications.tasks"):
        schedule_delivery(5)
        assert refused.wait(5)
        time.sleep(0.05)
    assert "Could not queue the delivery of 1 notification(s)" in caplog.text


def test_the_process_exit_hands_over_what_is_gathered(queue: Queue) -> None:
    schedule_delivery(7)
    schedule_delivery(8)
    tasks._handoff.flush()  # what atexit calls
    assert queue.messages == [[7, 8]]
    time.sleep(0.2)
    assert queue.messages == [[7, 8]]  # the timer found nothing left


def test_without_a_window_each_id_is_queued_at_once(queue: Queue, settings) -> None:
    settings.GUICHET_NOTIFICATION_BATCH_MS = 0
    schedule_delivery(3)
    schedule_delivery(4)
    assert queue.messages == [[3], [4]]


@pytest.mark.django_db
def test_without_a_broker_the_message_is_sent_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The embedded default: tasks run in-process, at the commit, one id at a time."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = NotificationFactory()
        transaction.on_commit(lambda: schedule_delivery(notification.pk))
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


@pytest.mark.django_db
def test_a_batch_sends_each_once_and_skips_what_was_sent(mailoutbox) -> None:
    first, second = NotificationFactory(), NotificationFactory()
    assert deliver_notifications([first.pk]) == {"sent": 1}
    outcomes = deliver_notifications([first.pk, second.pk, 999_999])
    assert outcomes == {"skipped": 2, "sent": 1}
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_the_periodic_job_hands_a_backlog_out_in_tasks_of_a_few_ids(
    queue: Queue, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = NotificationFactory.create_batch(7)
    monkeypatch.setattr(tasks, "IDS_PER_TASK", 3)
    assert retry_due_notifications() == 7
    assert queue.messages == [
        [row.pk for row in rows[0:3]],
        [row.pk for row in rows[3:6]],
        [rows[6].pk],
    ]
