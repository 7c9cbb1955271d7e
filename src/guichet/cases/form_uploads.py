"""New pièces justificatives sent with a form: checked with the page, stored in the resident's file.

A piece is checked by content and size in the page's validation (the same check as the resident's
documents), but stored only once the page is accepted, by ``store_pending_uploads``: it then
lands in the resident's file, where later forms offer it again (tell us once).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from guichet.organisation.models import User
from guichet.residents.actions import add_document
from guichet.residents.choices import DocumentKind
from guichet.residents.models import Resident
from guichet.residents.uploads import check_document_file

# How long a piece sent with a form is offered again to later forms, when its own end of
# validity is unknown: an address or income proof is asked for as "less than 3 months old".
OFFERED_FOR_DAYS: dict[str, int] = {
    DocumentKind.PROOF_OF_ADDRESS: 90,
    DocumentKind.CAF_CERTIFICATE: 90,
    DocumentKind.INCOME_PROOF: 90,
    DocumentKind.PHOTO: 180,
    DocumentKind.TAX_NOTICE: 365,
}


@dataclass(frozen=True)
class PendingUpload:
    """A new piece sent on a page, checked but not stored yet (``store_pending_uploads``)."""

    field_key: str
    uploaded_file: UploadedFile
    document_kind: str


class DocumentUploadField(forms.FileField):
    """A pièce justificative, checked by its content and size like the resident's documents."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            check_document_file(value)


@transaction.atomic
def store_pending_uploads(
    resident: Resident, uploads: Iterable[PendingUpload], *, actor: User | None, channel: str
) -> dict[str, dict[str, str]]:
    """Add the new pieces to the resident's file (tell us once); return their answers."""
    today = timezone.localdate()
    answers = {}
    for upload in uploads:
        days = OFFERED_FOR_DAYS.get(upload.document_kind)
        document = add_document(
            resident=resident,
            kind=upload.document_kind,
            uploaded_file=upload.uploaded_file,
            valid_until=today + datetime.timedelta(days=days) if days else None,
            actor=actor,
            channel=channel,
        )
        answers[upload.field_key] = {"document": str(document.uuid)}
    return answers
