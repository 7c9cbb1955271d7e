"""State changes of the contact log. Each runs in a transaction and writes a ``ContactEvent`` row.

Input is assumed valid (see ``checks.py``): a ``ValueError`` here is a programming error, and the
``ContactActionError`` subclasses are the operational failures a person can cause by acting twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from guichet.catalogue.models import Procedure
from guichet.contacts.choices import Direction, Outcome
from guichet.contacts.models import Callback, Contact, ContactEvent
from guichet.organisation.access import department_ids, get_agent
from guichet.organisation.choices import Channel
from guichet.organisation.models import Department, Site, User
from guichet.residents.models import Resident

# Outcomes that need details complete_callback does not take (a department, a partner, a new date).
OUTCOMES_NEEDING_DETAILS = frozenset(
    {Outcome.CALLBACK, Outcome.ORIENTED_DEPARTMENT, Outcome.ORIENTED_PARTNER}
)


class ContactActionError(Exception):
    """An action could not be done because the contact changed meanwhile."""


class CallbackAlreadyDone(ContactActionError):
    """The callback was already marked done (by someone else, or by a double submission)."""


class ContactAlreadyAttached(ContactActionError):
    """The contact is already attached to a resident."""


def _require_aware(value: datetime.datetime | None, name: str) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime")


def _department_id(
    department: Department | None, procedure: Procedure | None, actor: User
) -> int | None:
    """Return the given department, else the procedure's, else the actor's only department.

    The last default matters for confidentiality: a CCAS agent's free-subject contact belongs
    to the CCAS even when they forget to say so.
    """
    if department is not None:
        return department.pk
    if procedure is not None:
        return procedure.department_id
    agent = get_agent(actor)
    if agent is None:
        return None
    own = department_ids(agent)
    return next(iter(own)) if len(own) == 1 else None


@transaction.atomic
def log_contact(
    *,
    actor: User,
    channel: str,
    site: Site | None,
    outcome: str,
    resident: Resident | None = None,
    procedure: Procedure | None = None,
    subject: str = "",
    department: Department | None = None,
    summary: str = "",
    duration_minutes: int | None = None,
    direction: str = Direction.INCOMING,
    oriented_to_department: Department | None = None,
    oriented_to_partner: str = "",
    callback_assignee: User | None = None,
    callback_due_at: datetime.datetime | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Contact:
    """Record one interaction and, when the outcome is a callback, the promise to call back.

    The department defaults to the procedure's, else to the actor's only department: it decides
    who may read the content later.
    ``callback_assignee`` and ``callback_due_at`` are used only with the CALLBACK outcome.
    """
    if procedure is None and not subject.strip():
        raise ValueError("A contact needs a motive: a procedure or a subject")
    if outcome == Outcome.CALLBACK and (callback_assignee is None or callback_due_at is None):
        raise ValueError("A CALLBACK outcome needs a callback assignee and due date")
    _require_aware(occurred_at, "occurred_at")
    _require_aware(callback_due_at, "callback_due_at")
    now = timezone.now()
    contact = Contact.objects.create(
        channel=channel,
        direction=direction,
        site=site,
        agent=actor,
        resident=resident,
        procedure=procedure,
        subject=subject.strip(),
        department_id=_department_id(department, procedure, actor),
        summary=summary.strip(),
        duration_minutes=duration_minutes,
        outcome=outcome,
        oriented_to_department=oriented_to_department,
        oriented_to_partner=oriented_to_partner.strip(),
        occurred_at=occurred_at or now,
        created_at=now,
    )
    details: dict[str, object] = {
        "channel": channel,
        "outcome": outcome,
        "resident": str(resident.uuid) if resident is not None else None,
    }
    if outcome == Outcome.CALLBACK:
        assert callback_assignee is not None and callback_due_at is not None
        Callback.objects.create(contact=contact, assignee=callback_assignee, due_at=callback_due_at)
        details["callback_assignee"] = callback_assignee.pk
        details["callback_due_at"] = callback_due_at.isoformat()
    ContactEvent.objects.create(
        contact=contact,
        kind=ContactEvent.Kind.CREATED,
        actor=actor,
        details=details,
        created_at=now,
    )
    return contact


@transaction.atomic
def attach_contact_to_resident(contact: Contact, resident: Resident, *, actor: User) -> Contact:
    """Attach an anonymous contact to the resident it turned out to concern."""
    # Two agents may attach the same anonymous contact at once: lock it and re-read.
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.resident_id is not None:
        raise ContactAlreadyAttached
    locked.resident = resident
    locked.save(update_fields=["resident"])
    ContactEvent.objects.create(
        contact=locked,
        kind=ContactEvent.Kind.ATTACHED,
        actor=actor,
        details={"resident": str(resident.uuid)},
    )
    contact.resident = resident
    return locked


def complete_callback(
    callback: Callback, *, actor: User, summary: str, outcome: str, channel: str = Channel.PHONE
) -> Contact:
    """Log the outgoing contact that honours ``callback`` and close it; return that contact."""
    if outcome in OUTCOMES_NEEDING_DETAILS:
        raise ValueError(f"complete_callback cannot record the {outcome} outcome")
    with transaction.atomic():
        # The assignee and a supervisor (or one agent's double click) may complete the same
        # callback at once: lock the row and re-read done_at so only the first call is logged.
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.done_at is not None:
            raise CallbackAlreadyDone
        original = Contact.objects.select_related(
            "site", "resident", "procedure", "department"
        ).get(pk=locked.contact_id)
        done = log_contact(
            actor=actor,
            channel=channel,
            site=original.site,
            outcome=outcome,
            resident=original.resident,
            procedure=original.procedure,
            subject=original.subject,
            department=original.department,
            summary=summary,
            direction=Direction.OUTGOING,
        )
        locked.done_at = done.occurred_at
        locked.done_by = actor
        locked.done_contact = done
        locked.save(update_fields=["done_at", "done_by", "done_contact"])
        ContactEvent.objects.create(
            contact=original,
            kind=ContactEvent.Kind.CALLBACK_DONE,
            actor=actor,
            details={"contact": str(done.uuid)},
        )
    callback.done_at, callback.done_by, callback.done_contact = locked.done_at, actor, done
    return done


def reassign_callback(
    callback: Callback,
    *,
    actor: User,
    assignee: User,
    due_at: datetime.datetime | None = None,
) -> Callback:
    """Give an open callback to another agent and/or move its due date."""
    _require_aware(due_at, "due_at")
    with transaction.atomic():
        # A reassignment racing with the completion must not reopen a done callback.
        locked = Callback.objects.select_for_update().get(pk=callback.pk)
        if locked.done_at is not None:
            raise CallbackAlreadyDone
        details: dict[str, object] = {"from": locked.assignee_id, "to": assignee.pk}
        if due_at is not None:
            details["due_at_before"] = locked.due_at.isoformat()
            details["due_at"] = due_at.isoformat()
            locked.due_at = due_at
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "due_at"])
        ContactEvent.objects.create(
            contact_id=locked.contact_id,
            kind=ContactEvent.Kind.CALLBACK_REASSIGNED,
            actor=actor,
            details=details,
        )
    callback.assignee, callback.due_at = locked.assignee, locked.due_at
    return locked
