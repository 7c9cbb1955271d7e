"""The resident timeline: each domain app contributes entries, the back office merges them.

A domain app exposes ``timeline_entries(resident, viewer) -> list[TimelineEntry]`` in its
``timeline.py``; it already applies its own access rules (an entry the viewer may not read in full
is returned with ``restricted=True`` and no content).
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime
    kind: str  # "contact", "document", "merge"…: used for filtering
    title: str
    channel: str = ""  # a Channel value, when the entry is a contact
    channel_label: str = ""
    site: str = ""
    agent: str = ""
    department: str = ""
    summary: str = ""
    restricted: bool = False
    url: str = ""
    badges: tuple[str, ...] = field(default_factory=tuple)
