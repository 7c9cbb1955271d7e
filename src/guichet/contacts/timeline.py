"""The contacts' part of the resident timeline."""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from guichet.contacts.access import content_reader
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Contact
from guichet.core.timeline import TimelineEntry
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel
from guichet.residents.models import Resident

KIND = "contact"
_URL_PLACEHOLDER = uuid.UUID(int=0)


def restricted_title(contact: Contact) -> str:
    """Return the title shown instead of the motive of a contact the viewer may not read."""
    return restricted_title_for(contact.department.name if contact.department else "")


def restricted_title_for(department: str) -> str:
    return _("Contact confidentiel (%(department)s)") % {"department": department}


def callback_state(due_at: datetime.datetime, done_at: datetime.datetime | None) -> str:
    """Return a callback's state in a few words: done, overdue, or due before a date."""
    if done_at is not None:
        return _("Rappel effectué")
    due = formats.date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT")
    if due_at < timezone.now():
        return _("Rappel en retard (prévu avant le %(due)s)") % {"due": due}
    return _("Rappel prévu avant le %(due)s") % {"due": due}


# Read as plain values: building 500 model instances (and their relations) costs more than the
# query itself on a long file, and the timeline needs only these columns.
TIMELINE_COLUMNS = (
    "uuid",
    "occurred_at",
    "channel",
    "direction",
    "outcome",
    "subject",
    "summary",
    "procedure__title",
    "site__name",
    "department_id",
    "department__name",
    "department__confidential",
    "agent_id",
    "agent__username",
    "agent__first_name",
    "agent__last_name",
    "callback__due_at",
    "callback__done_at",
)


def timeline_entries(resident: Resident, viewer: object) -> list[TimelineEntry]:
    """Return every contact of ``resident`` as timeline entries, newest first.

    Entries of confidential contacts the viewer may not read are ``restricted`` and carry only
    when, channel and site: no motive, summary, outcome, agent or callback.
    """
    if get_agent(viewer) is None:
        return []
    rows = (
        Contact.objects.filter(resident=resident)
        .order_by("-occurred_at", "-id")
        .values(*TIMELINE_COLUMNS)
    )
    can_read = content_reader(viewer)
    channels = {value: str(label) for value, label in Channel.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    outgoing = str(Direction.OUTGOING.label)
    # Reverse once: resolving the URL per row is a noticeable share of a 500-contact file.
    url_template = reverse("contacts:detail", args=[_URL_PLACEHOLDER])
    entries = []
    for row in rows:
        url = url_template.replace(str(_URL_PLACEHOLDER), str(row["uuid"]))
        site = row["site__name"] or ""
        department = row["department__name"] or ""
        channel_label = channels.get(row["channel"], row["channel"])
        if not can_read(
            row["department_id"], bool(row["department__confidential"]), row["agent_id"]
        ):
            entries.append(
                TimelineEntry(
                    occurred_at=row["occurred_at"],
                    kind=KIND,
                    title=restricted_title_for(department),
                    channel=row["channel"],
                    channel_label=channel_label,
                    site=site,
                    department=department,
                    restricted=True,
                    url=url,
                )
            )
            continue
        badges = [outcomes.get(row["outcome"], row["outcome"])]
        if row["direction"] == Direction.OUTGOING:
            badges.insert(0, outgoing)
        if row["callback__due_at"] is not None:
            badges.append(callback_state(row["callback__due_at"], row["callback__done_at"]))
        agent = (
            f"{row['agent__first_name']} {row['agent__last_name']}".strip()
            or row["agent__username"]
            or ""
        )
        entries.append(
            TimelineEntry(
                occurred_at=row["occurred_at"],
                kind=KIND,
                title=row["procedure__title"] or row["subject"],
                channel=row["channel"],
                channel_label=channel_label,
                site=site,
                agent=agent,
                department=department,
                summary=row["summary"],
                url=url,
                badges=tuple(badges),
            )
        )
    return entries
