"""The emails of residents' accounts, queued in the notifications outbox.

Each one is a row of the outbox (``send_email_now``): written from the templates supervisors
edit, in the resident's preferred language (else the language of the page being used),
delivered once the caller's transaction has committed and retried while the mail server fails.
Every sending has its own key, so asking for a link again sends a new email, while the retries
of one email never send it twice.

Links carry tokens: they are never logged, and the outbox screens mask them
(``Notification.text_for_supervisors``).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.timesince import TIME_STRINGS

from guichet.notifications.actions import send_email_now
from guichet.notifications.choices import Event
from guichet.notifications.events import ContextValue
from guichet.notifications.models import Notification
from guichet.organisation.models import User
from guichet.portal.accounts import tokens
from guichet.residents.choices import Language
from guichet.residents.models import Resident

_DAY = 86400
_HOUR = 3600


def _duration_text(delta: datetime.timedelta) -> str:
    """Return ``delta`` in words ("3 jours", "15 minutes"), in the active language."""
    # Django's own words for durations, translated in every language it ships.
    seconds = int(delta.total_seconds())
    for unit, length in (("day", _DAY), ("hour", _HOUR)):
        if seconds >= length and seconds % length == 0:
            return TIME_STRINGS[unit] % {"num": seconds // length}
    return TIME_STRINGS["minute"] % {"num": max(seconds // 60, 1)}


# Resolved when the message is rendered, in the recipient's language.
duration_text = lazy(_duration_text, str)


def page_language() -> str:
    """Return the language of the page being used, if residents may prefer it."""
    language = (translation.get_language() or "")[:2]
    return language if language in Language.values else str(settings.LANGUAGE_CODE)


def _send(
    event: str,
    *,
    user: User,
    to: str,
    link: str = "",
    valid_for: datetime.timedelta | None = None,
) -> Notification | None:
    """Queue the email of ``event`` about ``user``'s account to ``to``."""
    resident = (
        Resident.objects.filter(user=user)
        .only("first_names", "usage_name", "preferred_language")
        .first()
    )
    if resident is not None:
        name = f"{resident.first_names} {resident.usage_name}".strip()
        language = resident.preferred_language or page_language()
    else:
        name = user.get_full_name()
        language = page_language()
    context: dict[str, ContextValue] = {"resident_name": name}
    if link:
        context["link"] = link
    if valid_for is not None:
        context["valid_for"] = duration_text(valid_for)
    return send_email_now(
        to=to,
        event=event,
        context=context,
        language=language,
        # One key per sending: asking again sends again, the retries reuse this row.
        dedupe_key=f"account:{event}:{uuid.uuid4().hex}",
        related_label=name,
    )


def send_verification_email(user: User, url: str) -> Notification | None:
    """Queue the link confirming the address given at sign-up."""
    return _send(
        Event.ACCOUNT_VERIFY_EMAIL,
        user=user,
        to=user.email,
        link=url,
        valid_for=tokens.VERIFY_EMAIL.max_age,
    )


def send_magic_link_email(user: User, url: str) -> Notification | None:
    """Queue a link that signs the resident in without a password."""
    return _send(
        Event.ACCOUNT_MAGIC_LINK,
        user=user,
        to=user.email,
        link=url,
        valid_for=tokens.MAGIC_LINK.max_age,
    )


def send_password_reset_email(user: User, url: str) -> Notification | None:
    """Queue the link to choose a new password (Django's reset link)."""
    return _send(
        Event.ACCOUNT_PASSWORD_RESET,
        user=user,
        to=user.email,
        link=url,
        valid_for=datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    )


def send_sign_up_attempt_email(user: User, *, login_url: str) -> Notification | None:
    """Tell the owner of an address that someone tried to create an account with it."""
    return _send(Event.ACCOUNT_SIGNUP_ATTEMPT, user=user, to=user.email, link=login_url)


def send_email_change_email(user: User, new_email: str, url: str) -> Notification | None:
    """Queue, to the new address, the link confirming an email change."""
    return _send(
        Event.ACCOUNT_EMAIL_CHANGE,
        user=user,
        to=new_email,
        link=url,
        valid_for=tokens.CHANGE_EMAIL.max_age,
    )


def send_email_changed_notice(user: User, old_email: str) -> Notification | None:
    """Tell the former address that the account's email has changed (in case it was not them)."""
    return _send(Event.ACCOUNT_EMAIL_CHANGED, user=user, to=old_email)
