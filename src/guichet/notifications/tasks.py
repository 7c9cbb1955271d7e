"""Celery tasks of the outbox. With no broker they run in-process (see guichet/celery.py)."""

from __future__ import annotations

import logging

from celery import shared_task

from guichet.notifications import delivery
from guichet.notifications.models import Notification

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    """Make one delivery attempt of a notification (safe to run twice or concurrently)."""
    return delivery.deliver(notification_id)


def schedule_delivery(notification_id: int) -> None:
    """Queue the delivery of a notification (called after the commit that created it)."""
    deliver_notification.delay(notification_id)


@shared_task(ignore_result=True)
def retry_due_notifications() -> int:
    """Queue the pending notifications whose next attempt is due; return how many.

    Idempotent: a row queued twice is still sent once (see delivery.py). Rows stuck in
    "sending" are only reported, for a supervisor to decide.
    """
    ids = delivery.due_notification_ids()
    for notification_id in ids:
        schedule_delivery(notification_id)
    stuck = Notification.objects.stuck().count()
    if stuck:
        logger.warning(
            "%d notification(s) stuck while sending: a supervisor must retry or cancel them", stuck
        )
    return len(ids)
