"""Who may see which contact, and who may read its content.

The confidentiality rule: the content of a contact whose department is confidential (the CCAS) —
motive, summary, outcome details — is readable only by the agents of that department and by the
agent who logged it. Every other agent sees that a contact happened, when, on which channel and at
which site. Residents never see the agents' contact log.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from guichet.contacts.models import Callback, Contact
from guichet.organisation.access import department_ids, get_agent, site_ids


def can_read_content(user: object, contact: Contact) -> bool:
    """Return whether ``user`` may read the content of ``contact``.

    Load contacts with ``select_related("department")`` when calling this in a loop.
    """
    department = contact.department
    confidential = department is not None and department.confidential
    return content_reader(user)(contact.department_id, confidential, contact.agent_id)


ContentReader = Callable[[int | None, bool, int | None], bool]


def content_reader(user: object) -> ContentReader:
    """Return the confidentiality rule for ``user``: ``(department, confidential, author) -> bool``.

    The agent profile is resolved once, so lists apply the rule cheaply row by row.
    """
    agent = get_agent(user)
    if agent is None:
        return lambda department_id, confidential, author_id: False
    user_id = agent.user_id

    def can_read(department_id: int | None, confidential: bool, author_id: int | None) -> bool:
        if department_id is None or not confidential:
            return True
        # department_ids() is cached on the agent: one query, and only if a list needs it.
        return author_id == user_id or department_id in department_ids(agent)

    return can_read


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the aware local midnight starting ``day`` (an index-friendly bound)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def today_bounds() -> tuple[datetime.datetime, datetime.datetime]:
    """Return the aware start and end of today in the local time zone."""
    start = day_start(timezone.localdate())
    return start, day_start(timezone.localdate() + datetime.timedelta(days=1))


def visible_contacts(user: object) -> QuerySet[Contact]:
    """Return the contacts listed to ``user`` on the site pages.

    Supervisors see every contact of their sites; other agents see today's contacts of their
    sites and their own. Content is still governed by ``can_read_content``.
    """
    agent = get_agent(user)
    if agent is None:
        return Contact.objects.none()
    contacts = Contact.objects.filter(Q(site_id__in=site_ids(agent)) | Q(agent_id=agent.user_id))
    if not agent.is_supervisor:
        start, end = today_bounds()
        contacts = contacts.filter(occurred_at__gte=start, occurred_at__lt=end)
    return contacts


def openable_contacts(user: object) -> QuerySet[Contact]:
    """Return the contacts whose page ``user`` may open (content aside).

    Any agent sees the contacts in a resident's file (the timeline shows them); anonymous contacts
    are seen at their site, by their department, by whoever logged them or must call back.
    Administrators and the DPO see them all.
    """
    agent = get_agent(user)
    if agent is None:
        return Contact.objects.none()
    if agent.is_admin or agent.is_dpo:
        return Contact.objects.all()
    return Contact.objects.filter(
        Q(resident__isnull=False)
        | Q(agent_id=agent.user_id)
        | Q(site_id__in=site_ids(agent))
        | Q(department_id__in=department_ids(agent))
        | Q(callback__assignee_id=agent.user_id)
    )


def get_contact_for(user: object, contact_uuid: uuid.UUID | str) -> Contact:
    """Return the contact if ``user`` may open it, else raise 404 (missing or forbidden alike)."""
    contact = (
        openable_contacts(user)
        .select_related(
            "site", "agent", "resident", "procedure", "department", "oriented_to_department"
        )
        .filter(uuid=contact_uuid)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def can_handle_callback(user: object, callback: Callback) -> bool:
    """Return whether ``user`` may mark ``callback`` done or reassign it.

    The assignee, the agent who logged the contact, and supervisors of the contact's site may.
    """
    agent = get_agent(user)
    if agent is None:
        return False
    if agent.user_id in (callback.assignee_id, callback.contact.agent_id):
        return True
    if agent.is_admin:
        return True
    return agent.is_supervisor and callback.contact.site_id in site_ids(agent)


def get_callback_for(user: object, contact_uuid: uuid.UUID | str) -> Callback:
    """Return the callback of a contact if ``user`` may handle it, else raise 404."""
    contact = get_contact_for(user, contact_uuid)
    callback = (
        Callback.objects.select_related("assignee", "done_by").filter(contact=contact).first()
    )
    if callback is None:
        raise Http404
    callback.contact = contact
    if not can_handle_callback(user, callback):
        raise Http404
    return callback


def open_callbacks_of(user: object) -> QuerySet[Callback]:
    """Return the open callbacks assigned to ``user``, overdue (earliest due) first."""
    agent = get_agent(user)
    if agent is None:
        return Callback.objects.none()
    return (
        Callback.objects.filter(assignee_id=agent.user_id, done_at__isnull=True)
        .select_related(
            "contact__resident", "contact__procedure", "contact__department", "contact__site"
        )
        .order_by("due_at", "pk")
    )


def contact_abilities(user: object, contact: Contact) -> dict[str, bool]:
    """Return what ``user`` may do with ``contact`` (for templates and the API)."""
    callback = callback_of(contact)
    is_agent = get_agent(user) is not None
    return {
        "read_content": can_read_content(user, contact),
        "attach": is_agent and contact.resident_id is None,
        "handle_callback": (
            callback is not None
            and callback.done_at is None
            and can_handle_callback(user, callback)
        ),
    }


def callback_of(contact: Contact) -> Callback | None:
    """Return the contact's callback, or None when it has none."""
    try:
        return contact.callback
    except Callback.DoesNotExist:
        return None
