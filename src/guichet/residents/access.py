"""Who may see and change resident files, households and documents.

One file per resident: every active agent, whatever their role, site or department, may open any
active resident file (what they may read of each contact is decided by the contacts app). Residents
and anonymous visitors get a 404, exactly as for a file that does not exist. What an agent may do
with the file depends on their role: see ``abilities``.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from guichet.organisation.access import get_agent, require_agent
from guichet.organisation.choices import Role
from guichet.organisation.models import Agent
from guichet.residents.models import Document, Resident

# Roles that change files (the data protection officer only reads them).
EDITING_ROLES = frozenset(
    {Role.RECEPTION, Role.HELPER, Role.DEPARTMENT, Role.SUPERVISOR, Role.ADMIN}
)
# Roles that may certify they saw the original of a document.
VERIFYING_ROLES = frozenset({Role.RECEPTION, Role.DEPARTMENT, Role.SUPERVISOR, Role.ADMIN})
# Roles that may merge duplicate files, which cannot be undone by a click.
MERGING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})

NO_ABILITIES = {
    "view": False,
    "edit": False,
    "manage_household": False,
    "add_document": False,
    "download_document": False,
    "verify_document": False,
    "merge": False,
}


def _as_uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def get_resident_for(
    user: object, resident_uuid: object, *, queryset: QuerySet[Resident] | None = None
) -> Resident:
    """Return the active resident file ``user`` may open, or raise Http404.

    Pass ``queryset`` to add prefetches (``Resident.objects.with_page_relations()``).
    """
    require_agent(user)
    queryset = Resident.objects.all() if queryset is None else queryset
    try:
        return queryset.get(uuid=_as_uuid(resident_uuid), is_active=True)
    except Resident.DoesNotExist as exc:
        raise Http404 from exc


def get_merged_target_for(user: object, resident_uuid: object) -> Resident:
    """Return the active file a merged (inactive) file was folded into, or raise Http404.

    Old links to a duplicate keep working: the page can redirect to the file that was kept.
    """
    require_agent(user)
    try:
        resident = Resident.objects.get(uuid=_as_uuid(resident_uuid))
    except Resident.DoesNotExist as exc:
        raise Http404 from exc
    seen = set()
    while not resident.is_active and resident.merged_into_id and resident.pk not in seen:
        seen.add(resident.pk)
        resident = Resident.objects.get(pk=resident.merged_into_id)
    if not resident.is_active:
        raise Http404
    return resident


def abilities(user: object, resident: Resident) -> dict[str, bool]:
    """Return what ``user`` may do with ``resident``'s file (all False for non-agents)."""
    agent = get_agent(user)
    if agent is None or not resident.is_active:
        return dict(NO_ABILITIES)
    edits = agent.role in EDITING_ROLES
    return {
        "view": True,
        "edit": edits,
        "manage_household": edits,
        "add_document": edits,
        "download_document": True,
        "verify_document": agent.role in VERIFYING_ROLES,
        "merge": agent.role in MERGING_ROLES,
    }


def require_editing_agent(user: object) -> Agent:
    """Return the agent if their role lets them create and change files, else raise Http404."""
    agent = require_agent(user)
    if agent.role not in EDITING_ROLES:
        raise Http404
    return agent


def get_resident_for_ability(user: object, resident_uuid: object, ability: str) -> Resident:
    """Return the resident if ``user`` has ``ability`` on the file, else raise Http404."""
    resident = get_resident_for(user, resident_uuid)
    if not abilities(user, resident)[ability]:
        raise Http404
    return resident


def get_document_for(
    user: object, document_uuid: object, *, ability: str = "download_document"
) -> Document:
    """Return a document of an active file if ``user`` has ``ability`` on it, else Http404."""
    require_agent(user)
    try:
        document = Document.objects.select_related("resident").get(
            uuid=_as_uuid(document_uuid), resident__is_active=True
        )
    except Document.DoesNotExist as exc:
        raise Http404 from exc
    if not abilities(user, document.resident)[ability]:
        raise Http404
    return document


def own_resident_file(user: object) -> Resident | None:
    """Return the active file of a logged-in resident (not an agent), or None."""
    if get_agent(user) is not None or not getattr(user, "is_authenticated", False):
        return None
    resident = Resident.objects.filter(user=user, is_active=True).first()  # type: ignore[misc]
    return resident


def get_own_document(user: object, document_uuid: object) -> Document:
    """Return one of the logged-in resident's own documents, or raise 404."""
    resident = own_resident_file(user)
    if resident is None:
        raise Http404
    try:
        return Document.objects.get(uuid=_as_uuid(document_uuid), resident=resident)
    except Document.DoesNotExist as exc:
        raise Http404 from exc
