"""The resident timeline: every domain's entries merged, filtered and paginated for one viewer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from guichet.cases import timeline as cases_timeline
from guichet.contacts import timeline as contacts_timeline
from guichet.core.timeline import TimelineEntry
from guichet.residents import timeline as residents_timeline
from guichet.residents.models import Resident

Provider = Callable[[Resident, object], list[TimelineEntry]]

# Each domain contributes its own entries, already restricted to what the viewer may see.
PROVIDERS: tuple[Provider, ...] = (
    contacts_timeline.timeline_entries,
    residents_timeline.timeline_entries,
    cases_timeline.timeline_entries,
)

KIND_LABELS = {
    "case": _("Demandes"),
    "contact": _("Contacts"),
    "document": _("Pièces justificatives"),
    "household": _("Foyer"),
    "merge": _("Fusions de fiches"),
    "resident": _("Fiche usager"),
}


def resident_timeline(resident: Resident, viewer: object) -> list[TimelineEntry]:
    """Return every entry of the resident's timeline the viewer may see, newest first."""
    entries = [entry for provider in PROVIDERS for entry in provider(resident, viewer)]
    entries.sort(key=lambda entry: entry.occurred_at, reverse=True)
    return entries


@dataclass(frozen=True)
class TimelineFilter:
    """The channel, kind and site chosen in the filter form ("" keeps everything)."""

    channel: str = ""
    kind: str = ""
    site: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> TimelineFilter:
        return cls(
            channel=query.get("canal", "")[:20],
            kind=query.get("type", "")[:20],
            site=query.get("site", "")[:200],
        )

    @property
    def is_active(self) -> bool:
        return bool(self.channel or self.kind or self.site)

    def apply(self, entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
        return [
            entry
            for entry in entries
            if (not self.channel or entry.channel == self.channel)
            and (not self.kind or entry.kind == self.kind)
            and (not self.site or entry.site == self.site)
        ]


@dataclass(frozen=True)
class FilterOptions:
    channels: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    sites: list[str]


def filter_options(entries: Sequence[TimelineEntry]) -> FilterOptions:
    """Return the channels, kinds and sites that occur in ``entries``, for the filter selects."""
    channels = {entry.channel: entry.channel_label for entry in entries if entry.channel}
    kinds = {entry.kind for entry in entries}
    return FilterOptions(
        channels=sorted(channels.items(), key=lambda item: item[1]),
        kinds=sorted(
            ((kind, str(KIND_LABELS.get(kind, kind))) for kind in kinds), key=lambda k: k[1]
        ),
        sites=sorted({entry.site for entry in entries if entry.site}),
    )
