"""What the submission benchmark checks in the database after each run: nothing lost, no duplicate.

``check_integrity`` compares what the clients were told (every answer, by submission key) with
what the database holds (the rows stored for each key, and how many rows the run added):

- **lost**: a key the server acknowledged (a 2xx answer) with no row in the database;
- **duplicates**: a key with more than one row, a key whose answers named different rows, and
  rows the run added that no key sent explains;
- **unknown ids**: a 2xx answer naming a row that is not the one stored for its key (a reference
  that does not exist);
- **double clicks**: both copies of a retried key answered 2xx with the same row, one of them
  201 (created) and the other 200 (already filed);
- **errors**: every answer that is not 2xx, and every transport error (timeout, reset).

A key with a row but no 2xx answer (the server did the work, then the client timed out) is not
lost; it is counted as filed without acknowledgement, next to the error that explains it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class _Answer(Protocol):
    """One answer as the clients recorded it (``case_load_clients.Outcome``)."""

    @property
    def key(self) -> str: ...

    @property
    def status(self) -> int: ...

    @property
    def case_id(self) -> str: ...

    @property
    def error(self) -> str: ...

    @property
    def ok(self) -> bool: ...


@dataclass
class Integrity:
    """The outcome of the database checks for one run."""

    keys_sent: int = 0
    keys_acknowledged: int = 0
    rows_stored: int = 0
    rows_added: int = 0
    lost: list[str] = field(default_factory=list)
    duplicate_keys: list[str] = field(default_factory=list)
    conflicting_answers: list[str] = field(default_factory=list)
    unexplained_rows: int = 0
    unknown_ids: list[str] = field(default_factory=list)
    filed_unacknowledged: list[str] = field(default_factory=list)
    double_clicks: int = 0
    double_clicks_consistent: int = 0
    double_clicks_inconsistent: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def lost_count(self) -> int:
        return len(self.lost)

    @property
    def duplicate_count(self) -> int:
        return len(self.duplicate_keys) + len(self.conflicting_answers) + self.unexplained_rows

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def as_dict(self) -> dict[str, Any]:
        """Return the counts, and the first few keys of each problem (for the JSON report)."""
        return {
            "keys_sent": self.keys_sent,
            "keys_acknowledged": self.keys_acknowledged,
            "rows_stored": self.rows_stored,
            "rows_added": self.rows_added,
            "lost": self.lost_count,
            "duplicates": self.duplicate_count,
            "unknown_ids": len(self.unknown_ids),
            "filed_unacknowledged": len(self.filed_unacknowledged),
            "double_clicks": self.double_clicks,
            "double_clicks_consistent": self.double_clicks_consistent,
            "errors": self.error_count,
            "errors_by_kind": dict(sorted(self.errors.items())),
            "examples": {
                "lost": self.lost[:10],
                "duplicate_keys": self.duplicate_keys[:10],
                "conflicting_answers": self.conflicting_answers[:10],
                "unknown_ids": self.unknown_ids[:10],
                "double_clicks_inconsistent": self.double_clicks_inconsistent[:10],
            },
        }


def error_kind(answer: _Answer) -> str:
    """Return "500", "409", "timeout", "ConnectionResetError"… for an answer that is not 2xx."""
    if answer.status:
        return str(answer.status)
    return answer.error.split(":", 1)[0] or "transport"


def check_integrity(
    answers: Iterable[_Answer], stored: Mapping[str, Sequence[str]], rows_added: int
) -> Integrity:
    """Compare the answers with the rows stored per key (``stored``) and the rows the run added."""
    by_key: dict[str, list[_Answer]] = defaultdict(list)
    for answer in answers:
        by_key[answer.key].append(answer)
    result = Integrity(keys_sent=len(by_key), rows_added=rows_added)
    errors: Counter[str] = Counter()
    for key, given in by_key.items():
        rows = list(stored.get(key, ()))
        result.rows_stored += len(rows)
        acknowledged = [answer for answer in given if answer.ok]
        errors.update(error_kind(answer) for answer in given if not answer.ok)
        if len(rows) > 1:
            result.duplicate_keys.append(key)
        if acknowledged:
            result.keys_acknowledged += 1
            if not rows:
                result.lost.append(key)
        elif rows:
            result.filed_unacknowledged.append(key)
        named = {answer.case_id for answer in acknowledged}
        if len(named) > 1:
            result.conflicting_answers.append(key)
        if rows and any(case_id not in rows for case_id in named):
            result.unknown_ids.append(key)
        if len(given) > 1:
            result.double_clicks += 1
            statuses = sorted(answer.status for answer in given)
            if len(acknowledged) == len(given) and len(named) == 1 and statuses == [200, 201]:
                result.double_clicks_consistent += 1
            elif len(acknowledged) == len(given):
                # Both answered: any other pair of statuses or ids breaks idempotency.
                result.double_clicks_inconsistent.append(key)
    result.unexplained_rows = max(0, rows_added - result.rows_stored)
    result.errors = dict(errors)
    return result


def stored_rows(
    queryset: Any, key_field: str, id_field: str, keys: Sequence[str], chunk: int = 500
) -> dict[str, list[str]]:
    """Return {key: [row id, …]} for the rows of ``queryset`` whose ``key_field`` is in ``keys``."""
    stored: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(keys), chunk):
        lookup = {f"{key_field}__in": keys[start : start + chunk]}
        for key, row_id in queryset.filter(**lookup).values_list(key_field, id_field):
            stored[str(key)].append(str(row_id))
    return dict(stored)
