"""Following a request: the resident's case page, messages, cancelling, tracking, my space."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.cases import actions
from guichet.cases.choices import CaseStatus
from guichet.cases.models import Case, CaseForm, CaseMessage
from guichet.residents.models import Resident
from tests.factories import CaseFormFactory, ProcedureFactory

# Everyone logged in who is not the case's resident.
NOT_THE_RESIDENT = [
    "other_resident",
    "reception_agent",
    "education_agent",
    "ccas_agent",
    "helper_agent",
    "supervisor",
    "admin_agent",
    "dpo",
]
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def filed_case(city, resident: Resident, education_agent) -> Case:  # type: ignore[no-untyped-def]
    procedure = ProcedureFactory(slug="cantine", department=city.education, commitment_days=10)
    case_form = CaseFormFactory(procedure=procedure)
    filing = actions.file_case(
        case_form=case_form,
        resident=resident,
        data={"objet": "Inscription", "details": "Deux enfants"},
        actor=resident.user,
        channel="web",
    )
    return filing.case


def test_resident_sees_their_case(client: Client, filed_case: Case, resident: Resident) -> None:
    """The resident sees status, due date, answers and history of their own case."""
    client.force_login(resident.user)
    response = client.get(reverse("cases:resident_case", args=[filed_case.uuid]))
    assert response.status_code == 200
    body = response.content.decode()
    assert filed_case.reference in body
    assert "Deux enfants" in body


@pytest.mark.parametrize(
    "persona",
    NOT_THE_RESIDENT,
)
def test_nobody_else_sees_the_residents_page(
    persona: str, persona_client, filed_case: Case
) -> None:  # type: ignore[no-untyped-def]
    """The resident-side page of a case is the resident's only: 404 for everyone else."""
    client = persona_client.as_(persona)
    for name in ("cases:resident_case", "cases:resident_cancel"):
        assert client.get(reverse(name, args=[filed_case.uuid])).status_code in {404, 405}
    assert client.post(reverse("cases:resident_cancel", args=[filed_case.uuid])).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, filed_case: Case) -> None:
    """An anonymous visitor is asked to log in."""
    response = client.get(reverse("cases:resident_case", args=[filed_case.uuid]))
    assert response.status_code == 302


def test_resident_answer_resumes_a_waiting_case(
    client: Client, filed_case: Case, resident: Resident, education_agent
) -> None:  # type: ignore[no-untyped-def]
    """Answering while the city waits sends the message and puts the case back in progress."""
    actions.transition_case(
        case=filed_case,
        to_status=CaseStatus.WAITING,
        actor=education_agent.user,
        channel="",
        reason="Merci d'envoyer un justificatif de domicile.",
    )
    client.force_login(resident.user)
    upload = SimpleUploadedFile("justif.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("cases:resident_case", args=[filed_case.uuid]),
        {"body": "Voici le justificatif.", "attachments": [upload]},
    )
    assert response.status_code == 302
    filed_case.refresh_from_db()
    assert filed_case.status == CaseStatus.IN_PROGRESS
    message = CaseMessage.objects.get(case=filed_case)
    assert message.from_resident
    assert message.attachments.count() == 1


def test_fake_attachment_refused_and_text_kept(
    client: Client, filed_case: Case, resident: Resident
) -> None:
    """A file that is not a PDF/JPEG/PNG is refused with a French message; the text stays."""
    client.force_login(resident.user)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("cases:resident_case", args=[filed_case.uuid]),
        {"body": "Mon texte précieux", "attachments": [fake]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mon texte précieux" in body
    assert "PDF" in body
    assert not CaseMessage.objects.exists()


def test_empty_message_refused(client: Client, filed_case: Case, resident: Resident) -> None:
    """An empty message gets a message saying what to do."""
    client.force_login(resident.user)
    response = client.post(reverse("cases:resident_case", args=[filed_case.uuid]), {"body": " "})
    assert response.status_code == 400
    assert "Écrivez votre message" in response.content.decode()


def test_resident_cancels_their_case(client: Client, filed_case: Case, resident: Resident) -> None:
    """The resident may withdraw an open case; a closed one offers nothing more."""
    client.force_login(resident.user)
    response = client.post(
        reverse("cases:resident_cancel", args=[filed_case.uuid]), {"reason": "Plus besoin"}
    )
    assert response.status_code == 302
    filed_case.refresh_from_db()
    assert filed_case.status == CaseStatus.CANCELLED
    assert filed_case.decision_reason == "Plus besoin"
    again = client.post(reverse("cases:resident_cancel", args=[filed_case.uuid]))
    assert again.status_code == 404


def test_tracking_code_shows_status_not_answers(client: Client, filed_case: Case) -> None:
    """Anyone with the tracking code sees the status and dates, never the answers."""
    cache.clear()
    lowered = filed_case.tracking_code.lower().replace("-", " ")
    response = client.get(reverse("cases:track_form"), {"code": lowered})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert filed_case.reference in body
    assert "Deux enfants" not in body


def test_tracking_unknown_code_and_bad_input(client: Client, db: None) -> None:
    """A wrong code says so in French; malformed input is explained; nothing leaks."""
    cache.clear()
    assert client.get(reverse("cases:track", args=["AAAA-BBBB-CCCC"])).status_code == 404
    response = client.get(reverse("cases:track_form"), {"code": "<script>"})
    assert response.status_code == 200
    assert "12 lettres et chiffres" in response.content.decode()


def test_tracking_is_rate_limited(client: Client, filed_case: Case) -> None:
    """Trying codes by the dozen is stopped with a clear page."""
    cache.clear()
    url = reverse("cases:track", args=["AAAA-BBBB-CCCC"])
    statuses = {client.get(url).status_code for _ in range(31)}
    assert 429 in statuses
    cache.clear()


def test_my_space_lists_cases_documents_and_household(
    client: Client, filed_case: Case, resident: Resident
) -> None:
    """ "Mon espace" shows the resident's open cases with unread messages, and their documents."""
    filed_case.messages.create(body="Bonjour", from_resident=False)
    client.force_login(resident.user)
    response = client.get(reverse("portal:my_space"))
    assert response.status_code == 200
    body = response.content.decode()
    assert filed_case.reference in body
    assert "1 message non lu" in body


def test_my_space_is_for_residents_only(persona_client) -> None:  # type: ignore[no-untyped-def]
    """Agents have no resident space."""
    assert persona_client.as_("reception_agent").get(reverse("portal:my_space")).status_code == 404


def test_own_document_download_only(
    client: Client, resident: Resident, other_resident: Resident
) -> None:
    """A resident downloads their own documents, not anybody else's."""
    from guichet.residents.actions import add_document

    document = add_document(
        resident=resident,
        kind="proof_of_address",
        uploaded_file=SimpleUploadedFile("facture.pdf", PDF_BYTES),
        valid_until=None,
        actor=None,
    )
    client.force_login(resident.user)
    response = client.get(reverse("portal:my_document", args=[document.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_resident.user)
    assert client.get(reverse("portal:my_document", args=[document.uuid])).status_code == 404


@pytest.fixture
def city_file(filed_case: Case, education_agent) -> str:  # type: ignore[no-untyped-def]
    """The department sends the resident a PDF; return its download address on the portal."""
    message = actions.send_message(
        case=filed_case,
        author=education_agent.user,
        body="Voici l'attestation d'inscription.",
        from_resident=False,
        channel="",
        attachments=[SimpleUploadedFile("attestation.pdf", PDF_BYTES)],
    )
    return reverse(
        "cases:resident_attachment", args=[filed_case.uuid, message.attachments.get().uuid]
    )


def test_resident_downloads_the_departments_file(
    client: Client, filed_case: Case, resident: Resident, city_file: str
) -> None:
    """The file is linked from the conversation and comes as a private download."""
    client.force_login(resident.user)
    page = client.get(reverse("cases:resident_case", args=[filed_case.uuid])).content.decode()
    assert f'href="{city_file}"' in page and "attestation.pdf" in page
    response = client.get(city_file)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'filename="attestation.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "persona",
    NOT_THE_RESIDENT,
)
def test_nobody_else_downloads_it_from_the_portal(
    persona: str, persona_client, city_file: str
) -> None:  # type: ignore[no-untyped-def]
    """Agents have their own download on the case page; the portal's is the resident's only."""
    assert persona_client.as_(persona).get(city_file).status_code == 404


def test_anonymous_download_asks_to_log_in(client: Client, city_file: str) -> None:
    response = client.get(city_file)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_file_of_another_case_is_404(
    client: Client, filed_case: Case, resident: Resident, city_file: str
) -> None:
    """A file is served only under its own case, even to the same resident."""
    other = actions.file_case(
        case_form=CaseForm.objects.get(procedure=filed_case.procedure),
        resident=resident,
        data={"objet": "Autre"},
        actor=resident.user,
        channel="web",
    ).case
    client.force_login(resident.user)
    attachment = city_file.rstrip("/").rsplit("/", 1)[1]
    url = reverse("cases:resident_attachment", args=[other.uuid, attachment])
    assert client.get(url).status_code == 404
