"""Serving the files of a case's conversation: to whoever the caller's view let read the case."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404

from guichet.cases.models import Case, CaseAttachment


def attachment_response(case: Case, attachment_uuid: uuid.UUID) -> FileResponse:
    """Return the file ``attachment_uuid`` of ``case``'s conversation as a download.

    The caller has already checked that its user may read ``case``. A file of another case, or
    one missing from the storage, is a 404 like a case one may not read.
    """
    try:
        found = CaseAttachment.objects.get(uuid=attachment_uuid, message__case=case)
        handle = found.file.open("rb")
    except (CaseAttachment.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    # Personal files: never kept by a shared cache or the browser's history.
    response["Cache-Control"] = "private, no-store"
    return response
