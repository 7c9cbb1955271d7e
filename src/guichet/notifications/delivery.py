"""Delivering the outbox: one attempt at a time, never twice the same message.

An attempt runs in three steps:

1. **Claim** (a short transaction): lock the row, and go on only if it is ``pending`` and due;
   mark it ``sending`` and count the attempt. This is committed *before* talking to the network,
   so a duplicate task, the periodic job or a second worker that reaches the row now sees
   ``sending`` and leaves it alone.
2. **Send**, outside any transaction (SMTP or the SMS gateway may take seconds).
3. **Record** the outcome: ``sent`` with the provider's id; or, on error, ``pending`` again
   with a next attempt after an exponential backoff (``GUICHET_NOTIFICATION_RETRY_DELAY``
   seconds, doubled at each attempt), or ``failed`` after ``GUICHET_NOTIFICATION_MAX_ATTEMPTS``.

A row left ``sending`` (the worker died between 1 and 3) is never sent again automatically: the
message may well have gone out, and sending it twice is worse than asking. After
``GUICHET_NOTIFICATION_STUCK_MINUTES`` the outbox screen shows it as stuck, and a supervisor
decides to send it again or to cancel it.
"""

from __future__ import annotations

import datetime
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from guichet.notifications.choices import MessageChannel, NotificationStatus
from guichet.notifications.models import Notification, NotificationChange
from guichet.notifications.rendering import email_html
from guichet.notifications.sms import get_sms_backend

logger = logging.getLogger(__name__)

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
SKIPPED = "skipped"
ERROR_MAX_LENGTH = 1000
# The periodic job hands out at most this many rows per run; the next run takes the rest.
DUE_BATCH_SIZE = 500


def backoff(attempts: int) -> datetime.timedelta:
    """Return the wait before the next attempt, after ``attempts`` failed ones."""
    base: int = settings.GUICHET_NOTIFICATION_RETRY_DELAY
    return datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def deliver(notification_id: int) -> str:
    """Make one delivery attempt; return "sent", "retry", "failed" or "skipped"."""
    notification = _claim(notification_id)
    if notification is None:
        return SKIPPED
    try:
        provider_id = send(notification)
    except Exception as exc:
        logger.warning(
            "Notification %s: attempt %d failed: %s", notification.uuid, notification.attempts, exc
        )
        return _record_failure(notification, f"{type(exc).__name__}: {exc}")
    _record_success(notification, provider_id)
    return SENT


def _claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    with transaction.atomic():
        # Race: the task queued after the commit, a duplicate of it, the periodic job and a
        # supervisor's retry may reach the same row at the same time. The row lock makes them
        # take turns; only the first finds it pending, and it commits "sending" before sending.
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.PENDING:
            return None
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            return None
        notification.status = NotificationStatus.SENDING
        notification.attempts += 1
        notification.last_attempt_at = now
        notification.save(update_fields=["status", "attempts", "last_attempt_at"])
        NotificationChange.objects.create(
            notification=notification, status=NotificationStatus.SENDING, created_at=now
        )
    return notification


def _record_success(notification: Notification, provider_id: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status == NotificationStatus.SENT:
            return
        # Whatever happened meanwhile (a supervisor's retry of a row they thought stuck), the
        # message went out: recording it stops any further send.
        locked.status = NotificationStatus.SENT
        locked.sent_at = now
        locked.provider_id = provider_id[:255]
        locked.next_attempt_at = None
        locked.last_error = ""
        locked.save(
            update_fields=["status", "sent_at", "provider_id", "next_attempt_at", "last_error"]
        )
        NotificationChange.objects.create(
            notification=locked, status=NotificationStatus.SENT, created_at=now
        )


def _record_failure(notification: Notification, error: str) -> str:
    now = timezone.now()
    error = error[:ERROR_MAX_LENGTH]
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != NotificationStatus.SENDING or locked.attempts != notification.attempts:
            # A supervisor already decided about this row (retried or cancelled it).
            return SKIPPED
        locked.last_error = error
        if locked.attempts >= settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS:
            locked.status = NotificationStatus.FAILED
            locked.next_attempt_at = None
            outcome = FAILED
        else:
            locked.status = NotificationStatus.PENDING
            locked.next_attempt_at = now + backoff(locked.attempts)
            outcome = RETRY
        locked.save(update_fields=["status", "next_attempt_at", "last_error"])
        NotificationChange.objects.create(
            notification=locked, status=locked.status, note=error, created_at=now
        )
    return outcome


def send(notification: Notification) -> str:
    """Hand the message to the mail server or the SMS gateway; return the provider's id."""
    if notification.channel == MessageChannel.SMS:
        return get_sms_backend().send(
            to=notification.recipient,
            text=notification.body_text,
            message_id=str(notification.uuid),
        )
    return send_email(notification)


def message_id(notification: Notification) -> str:
    """Return the Message-ID of the notification's email, the same at every attempt.

    A manual resend of a stuck email therefore carries the Message-ID of the first one, which
    lets mail systems recognise and drop the duplicate.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.uuid}@{domain}>"


def send_email(notification: Notification) -> str:
    identifier = message_id(notification)
    email = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Message-ID": identifier,
            # RFC 3834: out-of-office replies and other robots must not answer.
            "Auto-Submitted": "auto-generated",
            "Content-Language": notification.language,
        },
    )
    # The HTML version is laid out from the text now (rows queued before kept theirs).
    html = notification.body_html or email_html(
        subject=notification.subject, text=notification.body_text, language=notification.language
    )
    email.attach_alternative(html, "text/html")
    if email.send(fail_silently=False) != 1:
        raise RuntimeError("The mail backend did not send the message")
    return identifier


def due_notification_ids(limit: int = DUE_BATCH_SIZE) -> list[int]:
    """Return the ids of the pending rows whose next attempt is due, oldest first."""
    return list(
        Notification.objects.due()
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
