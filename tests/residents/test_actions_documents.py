import datetime

import pytest

from guichet.residents.actions import add_document, verify_document
from guichet.residents.choices import DocumentKind
from guichet.residents.models import ResidentChange
from tests.residents.conftest import PDF_BYTES, pdf_file

pytestmark = pytest.mark.django_db


def test_add_document_stores_the_file_under_an_anonymous_name(helene, reception_agent) -> None:
    """The file is stored under the document's UUID; its type comes from its content."""
    document = add_document(
        resident=helene,
        kind=DocumentKind.IDENTITY_CARD,
        uploaded_file=pdf_file("Hélène Dupont CNI.pdf"),
        valid_until=datetime.date(2031, 1, 1),
        actor=reception_agent.user,
    )
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.original_name == "Hélène Dupont CNI.pdf"
    assert "Dupont" not in document.file.name
    assert str(document.uuid) in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert ResidentChange.objects.filter(kind=ResidentChange.Kind.DOCUMENT_ADDED).exists()


def test_verify_document_records_who_and_when(helene, reception_agent) -> None:
    """Verification is recorded once, with the agent, and leaves a history row."""
    document = add_document(
        resident=helene,
        kind=DocumentKind.PASSPORT,
        uploaded_file=pdf_file(),
        valid_until=None,
        actor=None,
    )
    verify_document(document=document, actor=reception_agent.user)
    verify_document(document=document, actor=reception_agent.user)
    document.refresh_from_db()
    assert document.verified_by == reception_agent.user
    assert document.verified_at is not None
    assert ResidentChange.objects.filter(kind=ResidentChange.Kind.DOCUMENT_VERIFIED).count() == 1
