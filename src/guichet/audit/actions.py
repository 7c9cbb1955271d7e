"""Writing the access log: one row each time an agent opens a resident's file."""

from __future__ import annotations

from guichet.audit.models import AccessLog
from guichet.organisation.models import User
from guichet.residents.models import Resident

PATH_MAX_LENGTH = AccessLog._meta.get_field("path").max_length or 500


def record_access(
    *, user: User, resident: Resident, page: str, path: str, via_api: bool = False
) -> AccessLog:
    """Record that ``user`` opened ``resident``'s file on ``page`` (a single INSERT)."""
    return AccessLog.objects.create(
        user=user, resident=resident, page=page[:100], path=path[:PATH_MAX_LENGTH], via_api=via_api
    )
