"""Filing a request on the portal: drafts, pages, autosave, review, one submission, receipt."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseDraft, CaseEvent
from guichet.residents.models import Resident
from tests.factories import CaseFormFactory, ProcedureFactory

TWO_PAGES = {
    "procedure": "demarche-deux-pages",
    "title": "Demande en deux pages",
    "pages": [
        {
            "key": "coordonnees",
            "title": "Vos coordonnées",
            "sections": [
                {
                    "fields": [
                        {
                            "key": "courriel",
                            "type": "email",
                            "label": "Courriel",
                            "required": True,
                            "prefill": "resident.email",
                        },
                        {
                            "key": "motif",
                            "type": "choice",
                            "label": "Motif",
                            "required": True,
                            "options": [
                                {"value": "info", "label": "Une information"},
                                {"value": "autre", "label": "Autre chose"},
                            ],
                        },
                    ]
                }
            ],
        },
        {
            "key": "precisions",
            "title": "Précisions",
            "condition": {"field": "motif", "equals": "autre"},
            "sections": [
                {
                    "fields": [
                        {"key": "texte", "type": "textarea", "label": "Précisez", "required": True}
                    ]
                }
            ],
        },
    ],
}


@pytest.fixture
def case_form(city):  # type: ignore[no-untyped-def]
    procedure = ProcedureFactory(
        slug="demarche-deux-pages", department=city.population, commitment_days=5
    )
    return CaseFormFactory(procedure=procedure, version=TWO_PAGES)


def _start(client: Client, case_form) -> CaseDraft:  # type: ignore[no-untyped-def]
    response = client.post(reverse("cases:start", args=[case_form.procedure.slug]))
    assert response.status_code == 302
    return CaseDraft.objects.filter(submitted_case__isnull=True).latest("created_at")


def test_start_requires_login(client: Client, case_form) -> None:  # type: ignore[no-untyped-def]
    """An anonymous visitor is sent to the login page, then back to the form."""
    response = client.get(reverse("cases:start", args=[case_form.procedure.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_start_page_and_draft_prefilled(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """Starting a request makes a draft that already holds what the city knows (tell us once)."""
    client.force_login(resident.user)
    assert client.get(reverse("cases:start", args=[case_form.procedure.slug])).status_code == 200
    draft = _start(client, case_form)
    assert draft.data["courriel"] == "helene@example.org"
    page = client.get(reverse("cases:draft", args=[draft.uuid]))
    assert page.status_code == 200
    assert "helene@example.org" in page.content.decode()


def test_unknown_or_closed_form_is_404(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """A procedure without an open online form has no filing page."""
    client.force_login(resident.user)
    assert client.get(reverse("cases:start", args=["nexiste-pas"])).status_code == 404
    case_form.is_online = False
    case_form.save()
    assert client.get(reverse("cases:start", args=[case_form.procedure.slug])).status_code == 404


def test_full_flow_files_one_case_and_sends_receipt(
    client: Client, case_form, resident: Resident
) -> None:  # type: ignore[no-untyped-def]
    """Pages, conditional page, review, submission: one case, its history and its email."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    first = reverse("cases:draft_page", args=[draft.uuid, "coordonnees"])
    response = client.post(first, {"courriel": "helene@example.org", "motif": "autre"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:draft_page", args=[draft.uuid, "precisions"])
    response = client.post(response["Location"], {"texte": "Ma question <script>x</script>"})
    assert response["Location"] == reverse("cases:draft_review", args=[draft.uuid])
    review = client.get(response["Location"])
    assert review.status_code == 200
    assert "&lt;script&gt;" in review.content.decode()
    with django_capture_on_commit():
        response = client.post(reverse("cases:draft_review", args=[draft.uuid]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:receipt", args=[case.uuid])
    assert case.data["texte"] == "Ma question <script>x</script>"
    assert case.status == CaseStatus.SUBMITTED
    assert case.channel == "web"
    assert case.due_date is not None
    assert case.department == case_form.procedure.department
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == [CaseEventKind.SUBMITTED, CaseEventKind.ACKNOWLEDGED]
    receipt = client.get(response["Location"])
    assert case.tracking_code in receipt.content.decode()
    assert any(
        case.reference in message.subject or case.reference in message.body
        for message in mail.outbox
    )


def django_capture_on_commit():  # type: ignore[no-untyped-def]
    """Tests run in a transaction: on_commit callbacks (the emails) run when this block ends."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_double_submission_files_once(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """A second click on "Déposer" (or a retry) leads to the same case, never a second one."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "helene@example.org", "motif": "info"},
    )
    first = client.post(reverse("cases:draft_review", args=[draft.uuid]))
    second = client.post(reverse("cases:draft_review", args=[draft.uuid]))
    assert Case.objects.count() == 1
    assert first.status_code == 302
    # The draft is gone from the resident's drafts once submitted: the retry finds nothing to
    # submit again, and never a second case.
    assert second.status_code in {302, 404}


def test_invalid_page_keeps_input_and_explains(
    client: Client, case_form, resident: Resident
) -> None:  # type: ignore[no-untyped-def]
    """A wrong answer is shown with a French message and the typed values are kept."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    response = client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "pas-une-adresse", "motif": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "pas-une-adresse" in body
    assert "error-summary" in body


def test_previous_keeps_valid_answers(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """Going back saves what was typed on the page, even if the page is not complete."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "helene@example.org", "motif": "autre"},
    )
    response = client.post(
        reverse("cases:draft_page", args=[draft.uuid, "precisions"]),
        {"texte": "Début de ma réponse", "previous": "1"},
    )
    assert response["Location"] == reverse("cases:draft_page", args=[draft.uuid, "coordonnees"])
    draft.refresh_from_db()
    assert draft.data["texte"] == "Début de ma réponse"


def test_autosave_keeps_partial_answers(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """The page's script saves what is typed; a field in error keeps its previous answer."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    url = reverse("cases:draft_autosave", args=[draft.uuid])
    response = client.post(url, {"page": "coordonnees", "courriel": "mauvais", "motif": "info"})
    assert response.status_code == 200
    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.data["motif"] == "info"
    assert draft.data["courriel"] == "helene@example.org"
    assert client.post(url, {"page": "inconnue"}).status_code == 400


def test_autosave_after_logout_answers_401(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """An expired session gets a 401 the script turns into "keep it on this device"."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.logout()
    response = client.post(reverse("cases:draft_autosave", args=[draft.uuid]), {"page": "x"})
    assert response.status_code == 401


def test_review_lists_missing_answers(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """Submitting an incomplete draft is refused and the pages to complete are linked."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    CaseDraft.objects.filter(pk=draft.pk).update(data={"courriel": "", "motif": "autre"})
    response = client.post(reverse("cases:draft_review", args=[draft.uuid]))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert (
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]) in response.content.decode()
    )


def test_profile_update_only_with_consent(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """A changed email is copied to the file only when the resident ticks the box."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "nouvelle@example.org", "motif": "info"},
    )
    review = client.get(reverse("cases:draft_review", args=[draft.uuid]))
    assert "update_email" in review.content.decode()
    client.post(reverse("cases:draft_review", args=[draft.uuid]), {})
    resident.refresh_from_db()
    assert resident.email == "helene@example.org"

    draft = _start(client, case_form)
    client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "nouvelle@example.org", "motif": "info"},
    )
    client.post(reverse("cases:draft_review", args=[draft.uuid]), {"update_email": "on"})
    resident.refresh_from_db()
    assert resident.email == "nouvelle@example.org"


def test_receipt_pdf(client: Client, case_form, resident: Resident) -> None:  # type: ignore[no-untyped-def]
    """The receipt is downloadable as a PDF by the resident."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.post(
        reverse("cases:draft_page", args=[draft.uuid, "coordonnees"]),
        {"courriel": "helene@example.org", "motif": "info"},
    )
    client.post(reverse("cases:draft_review", args=[draft.uuid]))
    case = Case.objects.get()
    response = client.get(reverse("cases:receipt_pdf", args=[case.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "persona",
    ["anonymous", "other_resident", "reception_agent", "education_agent", "supervisor", "dpo"],
)
def test_others_cannot_open_a_residents_draft(
    persona: str, persona_client, case_form, resident: Resident, client: Client
) -> None:  # type: ignore[no-untyped-def]
    """A draft belongs to whoever fills it in: everybody else gets a 404 (or the login page)."""
    client.force_login(resident.user)
    draft = _start(client, case_form)
    client.logout()
    other = persona_client.as_(persona)
    for name in ("cases:draft", "cases:draft_review"):
        response = other.get(reverse(name, args=[draft.uuid]))
        assert response.status_code in ({302} if persona == "anonymous" else {404})
    response = other.post(reverse("cases:draft_discard", args=[draft.uuid]))
    assert response.status_code in {302, 404} if persona == "anonymous" else {404}
    assert CaseDraft.objects.filter(pk=draft.pk).exists()


def test_agents_cannot_start_as_a_resident(persona_client, case_form) -> None:  # type: ignore[no-untyped-def]
    """Agents file for a resident from the console, not from the portal's start page."""
    client = persona_client.as_("reception_agent")
    response = client.post(reverse("cases:start", args=[case_form.procedure.slug]))
    assert response.status_code == 404
