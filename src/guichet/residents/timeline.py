"""Resident entries of the timeline: file changes, households, documents, merges."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.core.timeline import TimelineEntry
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.residents.choices import DocumentKind, Relation
from guichet.residents.merging import concrete_field
from guichet.residents.models import Resident, ResidentChange, ResidentMerge

# The latest history rows shown; older ones stay in the database.
MAX_CHANGES = 200

_KINDS = {
    ResidentChange.Kind.CREATED: "resident",
    ResidentChange.Kind.UPDATED: "resident",
    ResidentChange.Kind.IMPORTED: "resident",
    ResidentChange.Kind.HOUSEHOLD_JOINED: "household",
    ResidentChange.Kind.HOUSEHOLD_LEFT: "household",
    ResidentChange.Kind.DOCUMENT_ADDED: "document",
    ResidentChange.Kind.DOCUMENT_VERIFIED: "document",
}


def _field_label(name: str) -> str:
    try:
        return str(concrete_field(Resident, name).verbose_name)
    except FieldDoesNotExist:  # a field removed since: show its name
        return name


def _summary(change: ResidentChange) -> str:
    changes = change.changes or {}
    if (
        change.kind == ResidentChange.Kind.IMPORTED
        and (changes.get("external_id") or [""])[0] is None
    ):
        return _("Création par import (identifiant externe %(id)s)") % {
            "id": changes["external_id"][1]
        }
    if change.kind in (ResidentChange.Kind.UPDATED, ResidentChange.Kind.IMPORTED):
        return _("Champs : %(fields)s") % {
            "fields": ", ".join(_field_label(name) for name in changes)
        }
    if change.kind == ResidentChange.Kind.HOUSEHOLD_JOINED:
        relation = (changes.get("relation") or [None, ""])[1]
        household = (changes.get("household") or [None, ""])[1]
        return f"{household} — {Relation(relation).label if relation in Relation.values else ''}"
    if change.kind == ResidentChange.Kind.HOUSEHOLD_LEFT:
        return str((changes.get("household") or [""])[0])
    if change.kind in (ResidentChange.Kind.DOCUMENT_ADDED, ResidentChange.Kind.DOCUMENT_VERIFIED):
        kind = (changes.get("kind") or [None, ""])[1]
        return str(DocumentKind(kind).label) if kind in DocumentKind.values else ""
    return ""


def _document_url(change: ResidentChange) -> str:
    document_uuid = (change.changes.get("document") or [None, ""])[1]
    return reverse("residents:document_download", args=[document_uuid]) if document_uuid else ""


def timeline_entries(resident: Resident, viewer: object) -> list[TimelineEntry]:
    """Return the history of the file itself, for agents (nothing for anyone else)."""
    if get_agent(viewer) is None:
        return []
    entries = []
    changes = (
        ResidentChange.objects.filter(resident=resident, kind__in=list(_KINDS))
        .select_related("actor")
        .order_by("-created_at", "-id")[:MAX_CHANGES]
    )
    for change in changes:
        kind = _KINDS[ResidentChange.Kind(change.kind)]
        entries.append(
            TimelineEntry(
                occurred_at=change.created_at,
                kind=kind,
                title=str(ResidentChange.Kind(change.kind).label),
                channel=change.channel,
                channel_label=str(Channel(change.channel).label) if change.channel else "",
                agent=change.actor.display_name() if change.actor else "",
                summary=_summary(change),
                url=_document_url(change) if kind == "document" else "",
            )
        )
    merges = ResidentMerge.objects.filter(target=resident).select_related("source", "actor")
    for merge in merges:
        moved = sum(merge.moved.values()) if isinstance(merge.moved, dict) else 0
        entries.append(
            TimelineEntry(
                occurred_at=merge.created_at,
                kind="merge",
                title=_("Doublon fusionné dans cette fiche"),
                agent=merge.actor.display_name(),
                summary=ngettext(
                    "%(name)s : %(count)d élément rattaché à cette fiche",
                    "%(name)s : %(count)d éléments rattachés à cette fiche",
                    moved,
                )
                % {"name": merge.source.display_name, "count": moved},
            )
        )
    return entries
