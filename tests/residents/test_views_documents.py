import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from guichet.residents.actions import add_document
from guichet.residents.choices import DocumentKind
from guichet.residents.models import Document
from tests.conftest import PERSONAS
from tests.residents.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, fake_pdf_file, pdf_file
from tests.residents.test_views_create import EDITORS

pytestmark = pytest.mark.django_db


def add_url(resident) -> str:
    return f"/agents/usagers/{resident.uuid}/pieces/ajouter/"


@pytest.fixture
def document(helene) -> Document:
    return add_document(
        resident=helene,
        kind=DocumentKind.IDENTITY_CARD,
        uploaded_file=pdf_file(),
        valid_until=None,
        actor=None,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_add_documents(persona_client, helene, persona: str) -> None:
    """Agents who edit files upload documents; the DPO and residents get 404."""
    response = persona_client.as_(persona).get(add_url(helene))
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in EDITORS else 404)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("cni.pdf", PDF_BYTES, "application/pdf"),
        ("photo.PNG", PNG_BYTES, "image/png"),
        ("scan", JPEG_BYTES, "image/jpeg"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted(persona_client, helene, name, content, content_type) -> None:
    """The type is read from the content, whatever the file is called."""
    response = persona_client.as_("reception_agent").post(
        add_url(helene),
        {
            "kind": DocumentKind.PROOF_OF_ADDRESS,
            "file": SimpleUploadedFile(name, content),
            "valid_until": "31/12/2030",
            "channel": "counter",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == content_type
    assert document.valid_until.isoformat() == "2030-12-31"


def test_a_text_file_renamed_pdf_is_refused(persona_client, helene) -> None:
    """A fake PDF is refused with a message; the type and date chosen are kept."""
    response = persona_client.as_("reception_agent").post(
        add_url(helene),
        {
            "kind": DocumentKind.TAX_NOTICE,
            "file": fake_pdf_file(),
            "valid_until": "2030-12-31",
            "channel": "counter",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est pas un PDF, un JPEG ou un PNG" in content
    assert f'value="{DocumentKind.TAX_NOTICE}" selected' in content
    assert 'value="2030-12-31"' in content
    assert not Document.objects.exists()


@override_settings(GUICHET_MAX_UPLOAD_BYTES=1024)
def test_an_oversized_file_is_refused(persona_client, helene) -> None:
    """A file over the limit is refused with its size and the limit."""
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * 2048)
    response = persona_client.as_("reception_agent").post(
        add_url(helene), {"kind": DocumentKind.PASSPORT, "file": big, "channel": "counter"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "la limite est de 1,0" in content
    assert not Document.objects.exists()


def test_missing_file_and_kind_are_explained(persona_client, helene) -> None:
    """Nothing chosen: both fields say what to do."""
    response = persona_client.as_("reception_agent").post(add_url(helene), {"channel": "counter"})
    content = response.content.decode()
    assert "Choisissez le type de pièce." in content
    assert "Choisissez le fichier de la pièce." in content


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_download(persona_client, document, persona: str) -> None:
    """Every agent may download (through the view, as an attachment); others get 404."""
    response = persona_client.as_(persona).get(f"/agents/usagers/pieces/{document.uuid}/")
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in {"resident", "other_resident"}:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]


def test_documents_are_not_served_from_a_public_url(persona_client, document) -> None:
    """The media path of the file is not reachable."""
    response = persona_client.as_("reception_agent").get(f"/media/{document.file.name}")
    assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_verify(persona_client, document, persona: str) -> None:
    """Reception, department agents, supervisors and admins verify; others get 404."""
    response = persona_client.as_(persona).post(f"/agents/usagers/pieces/{document.uuid}/verifier/")
    document.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302
        assert document.verified_at is None
    elif persona in {
        "reception_agent",
        "ccas_agent",
        "education_agent",
        "supervisor",
        "admin_agent",
    }:
        assert response.status_code == 302
        assert document.verified_at is not None
    else:
        assert response.status_code == 404
        assert document.verified_at is None
