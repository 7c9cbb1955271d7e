"""CSV export of contacts, applying the confidentiality rule row by row."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.csv_export import stream_csv
from guichet.contacts.access import can_read_content
from guichet.contacts.models import Contact
from guichet.contacts.timeline import restricted_title


def contacts_csv_rows(contacts: QuerySet[Contact], *, viewer: object) -> Iterator[str]:
    """Yield the CSV lines of ``contacts``; confidential content is left out for ``viewer``."""
    header = [
        _("Date"),
        _("Canal"),
        _("Sens"),
        _("Site"),
        _("Agent"),
        _("Usager"),
        _("Service concerné"),
        _("Motif"),
        _("Suite donnée"),
        _("Orientation"),
        _("Durée (minutes)"),
        _("Résumé"),
    ]

    def rows() -> Iterator[list[object]]:
        for contact in contacts.iterator(chunk_size=500):
            common: list[object] = [
                timezone.localtime(contact.occurred_at).strftime("%Y-%m-%d %H:%M"),
                contact.get_channel_display(),
                contact.get_direction_display(),
                contact.site.name if contact.site else "",
            ]
            resident = contact.resident.display_name if contact.resident else ""
            department = contact.department.name if contact.department else ""
            if not can_read_content(viewer, contact):
                yield [*common, "", resident, department, restricted_title(contact), "", "", "", ""]
                continue
            orientation = (
                contact.oriented_to_department.name
                if contact.oriented_to_department
                else contact.oriented_to_partner
            )
            yield [
                *common,
                contact.agent.display_name() if contact.agent else "",
                resident,
                department,
                contact.motive,
                contact.get_outcome_display(),
                orientation,
                contact.duration_minutes if contact.duration_minutes is not None else "",
                contact.summary,
            ]

    return stream_csv(header, rows())
