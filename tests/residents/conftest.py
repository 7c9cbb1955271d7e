"""Fixtures of the residents tests: files to upload and residents made through the actions."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.organisation.choices import Channel
from guichet.residents.actions import create_resident
from guichet.residents.models import Resident

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pdf_file(name: str = "carte-identite.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf_file() -> SimpleUploadedFile:
    """A text file renamed .pdf: the extension and declared type lie, the content does not."""
    return SimpleUploadedFile(
        "piece.pdf", b"Ceci n'est pas un PDF, juste du texte.\n", content_type="application/pdf"
    )


@pytest.fixture
def make_resident(db: None) -> Callable[..., Resident]:
    """Create residents through create_resident, with sensible defaults."""

    def make(**fields: Any) -> Resident:
        fields.setdefault("first_names", "Hélène")
        fields.setdefault("usage_name", "Dupont")
        return create_resident(actor=None, channel=Channel.COUNTER, **fields)

    return make


@pytest.fixture
def helene(make_resident: Callable[..., Resident]) -> Resident:
    """Hélène Dupont, born 12/03/1980, with a phone and an email."""
    return make_resident(
        first_names="Hélène",
        usage_name="Dupont",
        birth_date=datetime.date(1980, 3, 12),
        phone="06 12 34 56 78",
        email="helene.dupont@example.org",
        address="3 rue des Écoles",
        postal_code="94000",
        city="Créteil",
    )
