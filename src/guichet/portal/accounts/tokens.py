"""Signed, expiring links for residents' accounts: confirm an address, sign in, change email.

A token carries the resident's file UUID (never a sequential id) and a fingerprint of the
account's state when it was made. Whatever the token was for changes that state — activating
the account, logging in, changing the password or the email — so a token works once, and a
newer one replaces older ones. Tokens are signed with SECRET_KEY and dated; they are never
logged.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from guichet.organisation.models import User
from guichet.residents.models import Resident


class TokenStatus(Enum):
    VALID = "valid"
    # Authentic but too old.
    EXPIRED = "expired"
    # Authentic and in time, but the account changed since: already used, or replaced.
    USED = "used"
    # Forged, truncated, or for an account that no longer exists.
    INVALID = "invalid"


@dataclass(frozen=True)
class TokenCheck:
    status: TokenStatus
    # The account, for every status but INVALID.
    user: User | None = None
    # What the token carries besides the account (the new email of an email change).
    extra: dict[str, Any] | None = None

    @property
    def is_valid(self) -> bool:
        return self.status is TokenStatus.VALID


@dataclass(frozen=True)
class AccountToken:
    """One kind of link: its purpose (the signing salt), lifetime and what it is bound to."""

    purpose: str
    max_age: datetime.timedelta
    bound_to_login: bool = False

    def _fingerprint(self, user: User) -> str:
        last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0)
        state = [str(user.pk), user.password, user.email.lower(), str(user.is_active)]
        if self.bound_to_login:
            state.append(str(last_login))
        return salted_hmac(self.purpose, "|".join(state), algorithm="sha256").hexdigest()[:32]

    def make(self, user: User, **extra: str) -> str:
        """Return a token for ``user``'s resident account (``extra`` is signed along)."""
        resident = Resident.objects.only("uuid").get(user=user)
        payload = {"r": str(resident.uuid), "f": self._fingerprint(user), **extra}
        return signing.dumps(payload, salt=self.purpose, compress=True)

    def check(self, token: str) -> TokenCheck:
        """Return what the token is worth now, and the account it belongs to."""
        expired = False
        try:
            payload = signing.loads(token, salt=self.purpose, max_age=self.max_age)
        except signing.SignatureExpired:
            expired = True
            payload = signing.loads(token, salt=self.purpose)
        except signing.BadSignature:
            return TokenCheck(TokenStatus.INVALID)
        if not isinstance(payload, dict):
            return TokenCheck(TokenStatus.INVALID)
        resident_uuid = _as_uuid(payload.get("r"))
        user = (
            None
            if resident_uuid is None
            else User.objects.filter(resident__uuid=resident_uuid).first()
        )
        if user is None:
            return TokenCheck(TokenStatus.INVALID)
        extra = {key: value for key, value in payload.items() if key not in {"r", "f"}}
        if expired:
            return TokenCheck(TokenStatus.EXPIRED, user, extra)
        if not constant_time_compare(str(payload.get("f", "")), self._fingerprint(user)):
            return TokenCheck(TokenStatus.USED, user, extra)
        return TokenCheck(TokenStatus.VALID, user, extra)


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# Confirms the address given at sign-up; activating the account uses it up.
VERIFY_EMAIL = AccountToken("guichet.portal.verify-email", datetime.timedelta(days=3))
# Signs in without a password; the login it makes uses it up.
MAGIC_LINK = AccountToken(
    "guichet.portal.magic-link", datetime.timedelta(minutes=15), bound_to_login=True
)
# Confirms a new address from the profile; carries it as "email".
CHANGE_EMAIL = AccountToken("guichet.portal.change-email", datetime.timedelta(days=3))
