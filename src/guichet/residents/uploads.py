"""Checks on uploaded documents: the type is read from the content, never from the file name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What a pièce justificative may be: scanned or photographed pages.
ACCEPTED_CONTENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
_SIGNATURE_BYTES = 8192


def sniff_content_type(file: File) -> str | None:
    """Return the MIME type the file's first bytes announce, or None if unknown."""
    file.seek(0)
    head = file.read(_SIGNATURE_BYTES)
    file.seek(0)
    kind = filetype.guess(bytes(head))
    return kind.mime if kind else None


def check_document_file(file: File) -> str:
    """Return the file's content type, or raise ValidationError saying what to do instead."""
    max_bytes: int = settings.GUICHET_MAX_UPLOAD_BYTES
    if not file.size:
        raise ValidationError(
            _("Le fichier est vide. Choisissez le fichier scanné ou photographié de la pièce."),
            code="empty",
        )
    if file.size > max_bytes:
        raise ValidationError(
            _(
                "Le fichier pèse %(size)s, la limite est de %(limit)s. "
                "Réduisez sa taille (numérisez en 150 dpi ou compressez le PDF) puis recommencez."
            ),
            code="too_big",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
        )
    content_type = sniff_content_type(file)
    if content_type not in ACCEPTED_CONTENT_TYPES:
        raise ValidationError(
            _(
                "Ce fichier n'est pas un PDF, un JPEG ou un PNG (son contenu a été vérifié, "
                "pas seulement son nom). Enregistrez la pièce dans l'un de ces formats puis "
                "recommencez."
            ),
            code="bad_type",
        )
    return content_type
