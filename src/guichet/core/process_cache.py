"""Small reference tables kept in memory: closure days, message templates, the online forms.

Some rows are read by every request on a hot path (filing a case reads its form, the closure
days for its due date and the template of its acknowledgement) but change a few times a year,
by a supervisor. A ``KeptValue`` reads them once per process and keeps them until they change:

- a change (a row saved or deleted, see ``forget_on_change``) counts at once in the process that
  made it, and bumps the value's *generation* in Django's cache once committed; every process
  compares the generation it loaded with the cache's at most once a second (``check_interval``:
  asking the cache costs as much as the query it saves), so with a shared cache (``REDIS_URL``)
  a change counts everywhere within a second;
- with a per-process cache (no ``REDIS_URL``), or after a change that sent no signal (a bulk
  ``update``), other processes read the rows again within ``ttl`` seconds at the latest.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

DEFAULT_TTL_SECONDS = 60.0
DEFAULT_CHECK_INTERVAL_SECONDS = 1.0
_GENERATION_PREFIX = "guichet:kept:"

# Every kept value of the process, for ``forget_all``.
_ALL: list[KeptValue[Any]] = []


def forget_all() -> None:
    """Forget every kept value of this process (a test starting on a fresh database)."""
    for kept in _ALL:
        kept.forget()


class KeptValue(Generic[T]):
    """A value computed from the database, kept by this process until it changes."""

    def __init__(
        self,
        name: str,
        load: Callable[[], T],
        *,
        ttl: float = DEFAULT_TTL_SECONDS,
        check_interval: float = DEFAULT_CHECK_INTERVAL_SECONDS,
    ) -> None:
        self.name = name
        self._load = load
        self.ttl = ttl
        self.check_interval = check_interval
        self._checked_at = 0.0
        self._key = _GENERATION_PREFIX + name
        self._lock = threading.Lock()
        self._value: T | None = None
        self._generation: str | None = None
        self._read_at = 0.0
        self._valid = False
        _ALL.append(self)

    def _current_generation(self) -> str:
        generation = cache.get(self._key)
        if generation is None:
            # Never set, or evicted: start one (another process may win the race: read it back).
            cache.add(self._key, uuid.uuid4().hex, timeout=None)
            generation = cache.get(self._key) or ""
        return str(generation)

    def get(self) -> T:
        """Return the kept value, read again if it changed or is older than ``ttl``."""
        now = time.monotonic()
        if self._valid and now - self._read_at < self.ttl:
            if now - self._checked_at < self.check_interval:
                return self._value  # type: ignore[return-value]
            generation = self._current_generation()
            if generation == self._generation:
                self._checked_at = now
                return self._value  # type: ignore[return-value]
        # The generation is read before the rows: a change committed in between bumps it again,
        # and the next check sees the difference.
        generation = self._current_generation()
        value = self._load()
        with self._lock:
            self._value, self._generation = value, generation
            self._read_at = self._checked_at = now
            self._valid = True
        return value

    def forget(self) -> None:
        """Make this process's next ``get`` read the database again."""
        with self._lock:
            self._valid = False

    def changed(self) -> None:
        """Tell every process the rows changed (call once the change is committed)."""
        cache.set(self._key, uuid.uuid4().hex, timeout=None)
        self.forget()

    def forget_on_change(self, model: type[models.Model]) -> None:
        """Read the value again after any row of ``model`` is saved or deleted.

        This process forgets it at once (it must see its own change, even before the commit);
        the generation is bumped for all once the change is committed, since a process reading
        in between would still see the old rows. Call from the app's ``ready``.
        """

        def on_change(**_kwargs: Any) -> None:
            self.forget()
            transaction.on_commit(self.changed)

        uid = f"kept-value-{self.name}-{model._meta.label}"
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid + "-save")
        post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + "-delete")
