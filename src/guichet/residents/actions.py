"""State changes of resident files. Each runs in a transaction and writes ResidentChange rows."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.organisation.models import User
from guichet.residents import merging
from guichet.residents.lookup_dictionary import remember_names
from guichet.residents.merging import MergeNotAllowed, concrete_field
from guichet.residents.models import (
    Document,
    Household,
    HouseholdMember,
    Resident,
    ResidentChange,
    ResidentMerge,
)
from guichet.residents.names import search_fields
from guichet.residents.phones import to_e164
from guichet.residents.uploads import sniff_content_type

# The fields create_resident and update_resident accept.
RESIDENT_FIELDS = (
    "external_id",
    "civility",
    "first_names",
    "usage_name",
    "birth_name",
    "birth_date",
    "birth_place",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "preferred_channel",
    "preferred_language",
    "needs_hearing",
    "needs_sight",
    "needs_mobility",
    "needs_interpreter",
    "digital_autonomy",
    "consent_email",
    "consent_sms",
)
NAME_FIELDS = ("first_names", "usage_name", "birth_name")


def json_value(value: object) -> object:
    """Return ``value`` in a form JSONField can store (dates as ISO strings, models as pks)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    return value


def normalize_email(email: str) -> str:
    """Return the address as stored: trimmed and lower-case, so lookups can use equality."""
    return email.strip().lower()


def _normalized(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {', '.join(sorted(unknown))}")
    values = dict(fields)
    for name in ("first_names", "usage_name", "birth_name", "birth_place", "address", "city"):
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
    if "email" in values:
        values["email"] = normalize_email(values["email"] or "")
    if "phone" in values:
        values["phone"] = to_e164(values["phone"]) if values["phone"] else ""
    if "external_id" in values:
        values["external_id"] = (values["external_id"] or "").strip() or None
    return values


@transaction.atomic
def create_resident(*, actor: User | None, channel: str, **fields: Any) -> Resident:
    """Create a resident's file from already validated fields (phone in any valid format)."""
    values = _normalized(fields)
    resident = Resident(**values)
    for name, value in search_fields(
        resident.first_names, resident.usage_name, resident.birth_name
    ).items():
        setattr(resident, name, value)
    resident.save()
    remember_names([(resident.first_names, resident.usage_name, resident.birth_name)])
    ResidentChange.objects.create(
        resident=resident,
        kind=ResidentChange.Kind.CREATED,
        actor=actor,
        channel=channel,
        changes={
            name: [None, json_value(value)]
            for name, value in values.items()
            if value not in ("", None, False)
        },
    )
    return resident


@transaction.atomic
def update_resident(
    resident: Resident, *, actor: User | None, channel: str, **fields: Any
) -> Resident:
    """Change the given fields; write one history row listing what changed (nothing if nothing)."""
    values = _normalized(fields)
    changes: dict[str, list[object]] = {}
    for name, value in values.items():
        old = getattr(resident, name)
        if old != value:
            changes[name] = [json_value(old), json_value(value)]
            setattr(resident, name, value)
    if not changes:
        return resident
    update_fields = [*changes, "updated_at"]
    if any(name in changes for name in NAME_FIELDS):
        keys = search_fields(resident.first_names, resident.usage_name, resident.birth_name)
        for name, value in keys.items():
            setattr(resident, name, value)
        update_fields += list(keys)
        remember_names([(resident.first_names, resident.usage_name, resident.birth_name)])
    resident.updated_at = timezone.now()
    # Only the changed columns are written, so two agents editing different fields of the same
    # file at the same time do not overwrite each other's work.
    resident.save(update_fields=update_fields)
    ResidentChange.objects.create(
        resident=resident,
        kind=ResidentChange.Kind.UPDATED,
        actor=actor,
        channel=channel,
        changes=changes,
    )
    return resident


@transaction.atomic
def link_portal_account(
    resident: Resident, *, user: User, actor: User | None, channel: str
) -> Resident:
    """Attach the portal login ``user`` to the resident's file; the history records it."""
    return _set_portal_account(resident, user, actor=actor, channel=channel)


@transaction.atomic
def unlink_portal_account(resident: Resident, *, actor: User | None, channel: str) -> Resident:
    """Detach the portal login from the resident's file (the file stays); the history says so."""
    return _set_portal_account(resident, None, actor=actor, channel=channel)


def _set_portal_account(
    resident: Resident, user: User | None, *, actor: User | None, channel: str
) -> Resident:
    new_id = user.pk if user is not None else None
    if resident.user_id == new_id:
        return resident
    changes: dict[str, list[object]] = {"user": [resident.user_id, new_id]}
    resident.user = user
    resident.updated_at = timezone.now()
    resident.save(update_fields=["user", "updated_at"])
    ResidentChange.objects.create(
        resident=resident,
        kind=ResidentChange.Kind.UPDATED,
        actor=actor,
        channel=channel,
        changes=changes,
    )
    return resident


@transaction.atomic
def create_household(
    *,
    name: str,
    actor: User | None,
    channel: str,
    address: str = "",
    postal_code: str = "",
    city: str = "",
    members: Iterable[tuple[Resident, str]] = (),
) -> Household:
    """Create a household with its first members, given as (resident, relation) pairs."""
    household = Household.objects.create(
        name=" ".join(name.split()), address=address, postal_code=postal_code, city=city
    )
    for resident, relation in members:
        add_household_member(
            household=household, resident=resident, relation=relation, actor=actor, channel=channel
        )
    return household


@transaction.atomic
def add_household_member(
    *, household: Household, resident: Resident, relation: str, actor: User | None, channel: str
) -> HouseholdMember:
    """Add the resident to the household (or change their relation if they are already in it).

    A resident may belong to several households: a child of separated parents lives in two.
    """
    membership, created = HouseholdMember.objects.get_or_create(
        household=household, resident=resident, defaults={"relation": relation}
    )
    old_relation = None if created else membership.relation
    if old_relation == relation:
        return membership
    if not created:
        membership.relation = relation
        membership.save(update_fields=["relation"])
    ResidentChange.objects.create(
        resident=resident,
        kind=ResidentChange.Kind.HOUSEHOLD_JOINED,
        actor=actor,
        channel=channel,
        changes={
            "household": [None if created else household.name, household.name],
            "relation": [old_relation, relation],
        },
    )
    return membership


@transaction.atomic
def remove_household_member(
    *, household: Household, resident: Resident, actor: User | None, channel: str
) -> None:
    """Take the resident out of the household (their other households are untouched)."""
    deleted, _ = HouseholdMember.objects.filter(household=household, resident=resident).delete()
    if deleted:
        ResidentChange.objects.create(
            resident=resident,
            kind=ResidentChange.Kind.HOUSEHOLD_LEFT,
            actor=actor,
            channel=channel,
            changes={"household": [household.name, None]},
        )


@transaction.atomic
def add_document(
    *,
    resident: Resident,
    kind: str,
    uploaded_file: File,
    valid_until: datetime.date | None,
    actor: User | None,
    channel: str = "",
) -> Document:
    """Store a pièce justificative already checked with ``uploads.check_document_file``."""
    document = Document(
        resident=resident,
        kind=kind,
        original_name=PurePath(uploaded_file.name or "").name[:255],
        content_type=sniff_content_type(uploaded_file) or "application/octet-stream",
        size=uploaded_file.size or 0,
        valid_until=valid_until,
        uploaded_by=actor,
    )
    # The file is written before the row: if the transaction then rolls back, an unreferenced
    # file stays in storage (never served, since downloads go through the row), not the reverse.
    document.file.save(str(document.uuid), uploaded_file, save=False)
    document.save()
    ResidentChange.objects.create(
        resident=resident,
        kind=ResidentChange.Kind.DOCUMENT_ADDED,
        actor=actor,
        channel=channel,
        changes={"document": [None, str(document.uuid)], "kind": [None, kind]},
    )
    return document


@transaction.atomic
def verify_document(*, document: Document, actor: User, channel: str = "") -> Document:
    """Record that an agent checked the original of this document."""
    if document.verified_at is not None:
        return document
    document.verified_by = actor
    document.verified_at = timezone.now()
    document.save(update_fields=["verified_by", "verified_at"])
    ResidentChange.objects.create(
        resident=document.resident,
        kind=ResidentChange.Kind.DOCUMENT_VERIFIED,
        actor=actor,
        channel=channel,
        changes={"document": [None, str(document.uuid)], "kind": [None, document.kind]},
    )
    return document


@transaction.atomic
def merge_residents(*, source: Resident, target: Resident, actor: User) -> ResidentMerge:
    """Fold the duplicate ``source`` into ``target`` and leave a ResidentMerge as the trace.

    Everything attached to the source moves to the target, whatever app it belongs to (see
    ``merging.move_related``), except the access log and the source's own history, which stay
    as the record of what happened to that file. The target's empty fields are filled from the
    source; the source becomes inactive with ``merged_into`` set. Raise MergeNotAllowed if the
    files cannot be merged (same file, or one of them already inactive).
    """
    # Lock both rows, always in id order. Without the lock two agents could merge A into B and
    # B into A at the same moment (or one duplicate into two files) and leave a file merged into
    # an inactive one; with it, the second merge waits, re-reads both files and is refused.
    locked = {
        resident.pk: resident
        for resident in Resident.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if source.pk not in locked or target.pk not in locked:
        raise MergeNotAllowed(_("Une des deux fiches n'existe plus."))
    source, target = locked[source.pk], locked[target.pk]
    merging.check_can_merge(source, target)

    snapshot = merging.snapshot(source)
    result = merging.move_related(source=source, target=target)
    filled = merging.fillable_fields(source=source, target=target)
    filled_values = {
        name: getattr(source, concrete_field(Resident, name).attname) for name in filled
    }
    now = timezone.now()
    source.is_active = False
    source.merged_into = target
    source.updated_at = now
    # Unique values (portal account, external id) leave the source before the target takes them.
    for name in merging.UNIQUE_FIELDS.intersection(filled):
        setattr(source, concrete_field(Resident, name).attname, None)
    source.save()
    changes: dict[str, list[object]] = {"merged_from": [None, str(source.uuid)]}
    for name, value in filled_values.items():
        attname = concrete_field(Resident, name).attname
        changes[name] = [json_value(getattr(target, attname)), json_value(value)]
        setattr(target, attname, value)
    if any(name in filled for name in NAME_FIELDS):
        for name, key in search_fields(
            target.first_names, target.usage_name, target.birth_name
        ).items():
            setattr(target, name, key)
        remember_names([(target.first_names, target.usage_name, target.birth_name)])
    target.updated_at = now
    target.save()

    merge = ResidentMerge.objects.create(
        target=target,
        source=source,
        source_snapshot=snapshot,
        moved=result.moved,
        moved_ids=result.moved_ids,
        kept=result.kept,
        removed=result.removed,
        filled_fields=filled,
        actor=actor,
        created_at=now,
    )
    ResidentChange.objects.create(
        resident=target, kind=ResidentChange.Kind.MERGED, actor=actor, changes=changes
    )
    ResidentChange.objects.create(
        resident=source,
        kind=ResidentChange.Kind.MERGED,
        actor=actor,
        changes={"merged_into": [None, str(target.uuid)], "is_active": [True, False]},
    )
    return merge
