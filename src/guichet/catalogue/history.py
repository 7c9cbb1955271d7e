"""The history of a procedure or an article, read from its revisions: who changed what, and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.catalogue.models import Article, ContentRevision, Procedure

# Texts too long to show inline: the history shows them in full on demand.
LONG_FIELDS = {"body", "agent_note", "who_can_ask", "orient_to"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    long: bool


@dataclass(frozen=True)
class HistoryEntry:
    revision: ContentRevision
    changes: list[FieldChange]


def _display(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return " ; ".join(str(item) for item in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def revisions_of(obj: Procedure | Article) -> list[ContentRevision]:
    """Return the revisions of ``obj``, oldest first."""
    return list(
        ContentRevision.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def history_of(obj: Procedure | Article) -> list[HistoryEntry]:
    """Return the history of ``obj``, newest first, each change with its before and after."""
    entries = []
    previous: dict[str, Any] = {}
    for revision in revisions_of(obj):
        changes = []
        for name in revision.changed_fields:
            label = str(getattr(type(obj)._meta.get_field(name), "verbose_name", name))
            changes.append(
                FieldChange(
                    name=name,
                    label=label,
                    before=_display(previous.get(name)),
                    after=_display(revision.snapshot.get(name)),
                    long=name in LONG_FIELDS,
                )
            )
        entries.append(HistoryEntry(revision, changes))
        previous = revision.snapshot
    entries.reverse()
    return entries
