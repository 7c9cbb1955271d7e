"""Attempt limits kept in the shared cache, so they hold across processes and app servers.

Each limit counts attempts for ``period`` seconds from the first one, under a key made of what
the attempts are about — the client's address and the email typed, for instance — hashed so
that no address or email is stored in the cache in clear.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` per ``period`` seconds for one key of the ``name`` scope."""

    name: str
    attempts: int
    period: int

    def _cache_keys(self, parts: tuple[str, ...]) -> tuple[str, str]:
        """Return the keys of the attempt count and of the time the first attempt was made."""
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{digest}:count", f"ratelimit:{self.name}:{digest}:since"

    def _seconds_left(self, since_key: str) -> int:
        since = cache.get(since_key)
        if since is None:
            return self.period
        return max(1, math.ceil(since + self.period - time.time()))

    def blocked_for(self, *parts: str) -> int:
        """Return the seconds to wait if the limit is reached for this key, else 0."""
        count_key, since_key = self._cache_keys(parts)
        if cache.get(count_key, 0) >= self.attempts:
            return self._seconds_left(since_key)
        return 0

    def hit(self, *parts: str) -> int:
        """Count one attempt; return the seconds to wait if it went over the limit, else 0."""
        count_key, since_key = self._cache_keys(parts)
        # add() sets a key only if it is missing, with its expiry; incr() keeps that expiry and
        # counts right when two servers count at the same moment.
        cache.add(since_key, time.time(), timeout=self.period)
        cache.add(count_key, 0, timeout=self.period)
        try:
            count = cache.incr(count_key)
        except ValueError:  # the key expired between add() and incr()
            cache.add(count_key, 1, timeout=self.period)
            count = 1
        return self._seconds_left(since_key) if count > self.attempts else 0


# Password logins: failed attempts per client address and identifier.
LOGIN = Limit("login", attempts=10, period=15 * 60)
# Sign-ups, emailed sign-in links and password resets: requests per address and email.
SIGN_UP = Limit("sign-up", attempts=5, period=3600)
MAGIC_LINK = Limit("magic-link", attempts=5, period=3600)
PASSWORD_RESET = Limit("password-reset", attempts=5, period=3600)
# New confirmation links: per email, whatever the address asking.
RESEND_VERIFICATION = Limit("resend-verification", attempts=3, period=3600)


def client_address(request: HttpRequest) -> str:
    """Return the address the request came from (the proxy's, behind a reverse proxy)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def too_many_attempts_message(seconds: int) -> str:
    """Return the French message telling how long to wait, in whole minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Trop de tentatives, réessayez dans %(minutes)s minute.",
        "Trop de tentatives, réessayez dans %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
