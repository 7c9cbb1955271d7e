"""Queueing messages to residents and agents, and the supervisors' actions on the outbox and
on the message templates.

Other apps call ``notify_resident``, ``notify_user`` and ``send_email_now`` from their own
actions, inside their transaction: the message is rendered and stored in the outbox at once, and
delivered after the commit (so nothing is sent for work that is rolled back). A notification
never makes the caller's action fail because a resident cannot be reached: it returns nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.notifications.choices import (
    MessageChannel,
    NotificationStatus,
    TemplateChangeSource,
)
from guichet.notifications.events import ContextValue, event_context, spec
from guichet.notifications.message_templates import (
    FALLBACK_LANGUAGE,
    resolve_template,
    shipped_templates,
)
from guichet.notifications.models import (
    MessageTemplate,
    MessageTemplateRevision,
    Notification,
    NotificationChange,
)
from guichet.notifications.recipients import resident_addresses
from guichet.notifications.rendering import RenderedMessage, TemplateText, render_message
from guichet.notifications.tasks import schedule_delivery
from guichet.organisation.models import User
from guichet.residents.models import Resident

logger = logging.getLogger(__name__)

DEDUPE_KEY_MAX_LENGTH = Notification._meta.get_field("dedupe_key").max_length or 200
RELATED_LABEL_MAX_LENGTH = Notification._meta.get_field("related_label").max_length or 200


class NotificationStateError(ValueError):
    """The notification is no longer in a state that allows this action (message in French)."""


@dataclass(frozen=True)
class PreparedMessage:
    """A message to a resident rendered ahead of the transaction that will queue it."""

    resident: Resident
    text: TemplateText
    rendered: RenderedMessage
    recipient: str
    dedupe_key: str
    related_label: str


def prepare_resident_message(
    *,
    resident: Resident,
    event: str,
    context: Mapping[str, ContextValue],
    dedupe_key: str,
    related_label: str = "",
) -> PreparedMessage | None:
    """Render the message of ``event`` to ``resident`` on their channel, in their language,
    without storing it; None when they have no usable address or the message is switched off.

    Rendering before a transaction keeps the transaction short (``queue_prepared`` stores it).
    """
    values = _checked_context(event, context, dedupe_key)
    values.setdefault("resident_name", f"{resident.first_names} {resident.usage_name}".strip())
    for channel, recipient in resident_addresses(resident):
        if channel not in spec(event).channels:
            continue
        text = resolve_template(event, channel, resident.preferred_language)
        if text is None:
            continue
        return PreparedMessage(
            resident=resident,
            text=text,
            rendered=render_message(text, values, html=False),
            recipient=recipient,
            dedupe_key=dedupe_key,
            related_label=related_label,
        )
    logger.info("No channel to tell resident %s about %s (%s)", resident.pk, event, dedupe_key)
    return None


def queue_prepared(message: PreparedMessage, *, new_key: bool = False) -> Notification:
    """Store a prepared message in the outbox (delivered after the commit).

    ``new_key``: the key names something created in the caller's transaction (a case just
    filed), so no earlier message can bear it and it is not looked up.
    """
    return _queue(
        text=message.text,
        rendered=message.rendered,
        recipient=message.recipient,
        dedupe_key=message.dedupe_key,
        related_label=message.related_label,
        resident=message.resident,
        new_key=new_key,
    )


def notify_resident(
    *,
    resident: Resident,
    event: str,
    context: Mapping[str, ContextValue],
    dedupe_key: str,
    related_label: str = "",
) -> list[Notification]:
    """Queue the message of ``event`` to ``resident`` on their channel, in their language.

    Return the queued notification (one), the existing one when ``dedupe_key`` was already
    used, or nothing when the resident has no usable address or the message is switched off.
    """
    existing = list(Notification.objects.filter(dedupe_key=dedupe_key))
    if existing:
        return existing
    message = prepare_resident_message(
        resident=resident,
        event=event,
        context=context,
        dedupe_key=dedupe_key,
        related_label=related_label,
    )
    return [] if message is None else [queue_prepared(message)]


def notify_user(
    *,
    user: User,
    event: str,
    context: Mapping[str, ContextValue],
    dedupe_key: str,
    related_label: str = "",
    language: str = FALLBACK_LANGUAGE,
) -> list[Notification]:
    """Queue the email of ``event`` to an agent (``user.email``), in French by default.

    Return the queued (or already queued) notification, or nothing without an email address.
    """
    values = _checked_context(event, context, dedupe_key)
    existing = list(Notification.objects.filter(dedupe_key=dedupe_key))
    if existing:
        return existing
    values.setdefault("agent_name", user.get_full_name() or user.username)
    text = resolve_template(event, MessageChannel.EMAIL, language)
    if not user.email or text is None:
        logger.info("No email to tell user %s about %s (%s)", user.pk, event, dedupe_key)
        return []
    notification = _queue(
        text=text,
        rendered=render_message(text, values, html=False),
        recipient=user.email,
        dedupe_key=dedupe_key,
        related_label=related_label,
        user=user,
    )
    return [notification]


def send_email_now(
    *,
    to: str,
    event: str,
    context: Mapping[str, ContextValue],
    language: str,
    dedupe_key: str,
    related_label: str = "",
) -> Notification | None:
    """Queue an email to an address that belongs to no resident file yet (account emails).

    It goes through the outbox like any message (delivered right after the commit, retried on
    failure). Return None when the message is switched off in every language.
    """
    values = _checked_context(event, context, dedupe_key)
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    text = resolve_template(event, MessageChannel.EMAIL, language)
    if text is None:
        logger.warning("The %s email is switched off: nothing sent (%s)", event, dedupe_key)
        return None
    return _queue(
        text=text,
        rendered=render_message(text, values, html=False),
        recipient=to,
        dedupe_key=dedupe_key,
        related_label=related_label,
    )


def _checked_context(
    event: str, context: Mapping[str, ContextValue], dedupe_key: str
) -> dict[str, ContextValue]:
    values = event_context(event, dict(context))
    if not dedupe_key or len(dedupe_key) > DEDUPE_KEY_MAX_LENGTH:
        raise ValueError(f"dedupe_key must have 1 to {DEDUPE_KEY_MAX_LENGTH} characters")
    return values


def _queue(
    *,
    text: TemplateText,
    rendered: RenderedMessage,
    recipient: str,
    dedupe_key: str,
    related_label: str,
    resident: Resident | None = None,
    user: User | None = None,
    new_key: bool = False,
) -> Notification:
    now = timezone.now()
    notification = Notification(
        resident=resident,
        user=user,
        channel=text.channel,
        recipient=recipient,
        language=text.language,
        event=text.event,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        dedupe_key=dedupe_key,
        related_label=related_label[:RELATED_LABEL_MAX_LENGTH],
        created_at=now,
        next_attempt_at=now,
    )
    with transaction.atomic(savepoint=False):
        if new_key:
            # Nothing else can bear this key: a refused insert is a bug, not a race.
            notification.save(force_insert=True)
        else:
            try:
                # A savepoint: when the same event is queued concurrently, the unique key
                # refuses the second row and the caller's transaction goes on with the first.
                with transaction.atomic():
                    notification.save(force_insert=True)
            except IntegrityError:
                existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
                if existing is None:
                    raise
                return existing
        NotificationChange.objects.create(
            notification=notification, status=NotificationStatus.PENDING, created_at=now
        )
        transaction.on_commit(partial(schedule_delivery, notification.pk), robust=True)
    return notification


def retry_notification(notification: Notification, actor: User) -> Notification:
    """Send a failed or stuck notification again (a supervisor's decision)."""
    with transaction.atomic():
        # Race: the delivery worker may be finishing this very row while the supervisor
        # clicks; decide on the locked, current state rather than on the page they saw.
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if not locked.can_retry:
            raise NotificationStateError(
                _("Cette notification ne peut pas être renvoyée : son état a changé (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        locked.status = NotificationStatus.PENDING
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "next_attempt_at"])
        NotificationChange.objects.create(
            notification=locked, status=NotificationStatus.PENDING, actor=actor
        )
        transaction.on_commit(partial(schedule_delivery, locked.pk), robust=True)
    return locked


def cancel_notification(notification: Notification, actor: User) -> Notification:
    """Give up a notification not sent yet, failed or stuck (a supervisor's decision)."""
    with transaction.atomic():
        # Same race as retry_notification: decide on the locked row.
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if not locked.can_cancel:
            raise NotificationStateError(
                _("Cette notification ne peut pas être annulée : son état a changé (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        locked.status = NotificationStatus.CANCELLED
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "next_attempt_at"])
        NotificationChange.objects.create(
            notification=locked, status=NotificationStatus.CANCELLED, actor=actor
        )
    return locked


def update_template(
    template: MessageTemplate,
    *,
    actor: User,
    subject: str,
    body: str,
    is_active: bool,
    comment: str = "",
) -> MessageTemplate:
    """Save a supervisor's version of a template; loading the defaults will then keep it."""
    with transaction.atomic():
        template.subject = subject
        template.body = body
        template.is_active = is_active
        template.is_edited = True
        template.updated_at = timezone.now()
        template.updated_by = actor
        template.save()
        _record_revision(template, TemplateChangeSource.EDITOR, actor=actor, comment=comment)
    return template


def restore_default_template(template: MessageTemplate, *, actor: User) -> MessageTemplate:
    """Put back the text shipped with Guichet; raise LookupError if there is none."""
    shipped = shipped_templates()[(template.event, template.channel, template.language)]
    with transaction.atomic():
        _apply_default(template, shipped, actor=actor)
        _record_revision(template, TemplateChangeSource.RESTORE, actor=actor)
    return template


def load_default_template(text: TemplateText, *, overwrite_edits: bool = False) -> str:
    """Create or update the template of ``text`` from the shipped defaults.

    Return "created", "updated", "unchanged" or "kept" (edited by a supervisor, left alone).
    """
    with transaction.atomic():
        template = (
            MessageTemplate.objects.select_for_update()
            .filter(event=text.event, channel=text.channel, language=text.language)
            .first()
        )
        if template is None:
            template = MessageTemplate(
                event=text.event, channel=text.channel, language=text.language
            )
            outcome = "created"
        elif template.is_edited and not overwrite_edits:
            return "kept"
        elif (
            template.subject == text.subject
            and template.body == text.body
            and template.is_active
            and not template.is_edited
        ):
            return "unchanged"
        else:
            outcome = "updated"
        _apply_default(template, text, actor=None)
        _record_revision(template, TemplateChangeSource.LOAD, actor=None)
    return outcome


def _apply_default(template: MessageTemplate, text: TemplateText, *, actor: User | None) -> None:
    template.subject = text.subject
    template.body = text.body
    template.is_active = True
    template.is_edited = False
    template.updated_at = timezone.now()
    template.updated_by = actor
    template.save()


def _record_revision(
    template: MessageTemplate, source: str, *, actor: User | None, comment: str = ""
) -> None:
    MessageTemplateRevision.objects.create(
        template=template,
        subject=template.subject,
        body=template.body,
        is_active=template.is_active,
        source=source,
        actor=actor,
        comment=comment,
        created_at=template.updated_at,
    )
