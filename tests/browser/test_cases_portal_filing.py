"""A resident files a request online, is saved as they type, gets a receipt and follows it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from guichet.cases.actions import file_case, send_message
from guichet.cases.models import Case, CaseDraft
from tests.browser.conftest import assert_accessible, log_in
from tests.cases.test_views_portal_filing import TWO_PAGES
from tests.factories import CaseFormFactory, ProcedureFactory
from tests.residents.conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_form(city):  # type: ignore[no-untyped-def]
    procedure = ProcedureFactory(
        slug="demarche-deux-pages",
        title="Poser une question",
        department=city.population,
        commitment_days=5,
    )
    return CaseFormFactory(procedure=procedure, version=TWO_PAGES)


def test_resident_files_online_and_follows_the_request(
    page: Page, live_server, resident, case_form
) -> None:  # type: ignore[no-untyped-def]
    """From the procedure page to the receipt and the case page, accessible at every step."""
    log_in(page, live_server.url, "helene", "motdepasse-test")
    page.goto(f"{live_server.url}/demarches/{case_form.procedure.slug}/")
    page.get_by_role("link", name="Faire la demande en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande en deux pages")
    assert_accessible(page)
    page.get_by_role("button", name="Commencer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos coordonnées")
    expect(page.get_by_label("Courriel")).to_have_value("helene@example.org")
    page.get_by_label("Autre chose").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Précisions")
    page.get_by_label("Précisez").fill("Quels sont les horaires de la mairie annexe ?")
    # Saved as the resident types: the status line says so, and a reload keeps the text.
    expect(page.get_by_role("status").filter(has_text="Brouillon enregistré")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Précisez")).to_have_value(
        "Quels sont les horaires de la mairie annexe ?"
    )
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier ma demande")
    expect(page.get_by_text("Quels sont les horaires de la mairie annexe ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Déposer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande a bien été déposée")
    case = Case.objects.get()
    expect(page.get_by_text(case.tracking_code).first).to_be_visible()
    assert_accessible(page)
    assert not CaseDraft.objects.filter(submitted_case__isnull=True).exists()

    page.get_by_role("link", name="Suivre ma demande dans mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poser une question")
    assert_accessible(page)
    page.goto(f"{live_server.url}/mon-espace/")
    expect(page.get_by_role("link", name="Poser une question")).to_be_visible()
    assert_accessible(page)


def test_anyone_follows_a_request_with_its_tracking_code(
    page: Page, live_server, resident, case_form
) -> None:  # type: ignore[no-untyped-def]
    """Without an account, the tracking code shows where the request stands (keyboard only)."""
    from guichet.cases.actions import file_case

    case = file_case(
        case_form=case_form,
        resident=resident,
        data={"courriel": "helene@example.org", "motif": "info"},
        actor=resident.user,
        channel="web",
    ).case
    page.goto(f"{live_server.url}/suivi/")
    assert_accessible(page)
    page.get_by_label("Code de suivi").focus()
    page.keyboard.type(case.tracking_code.replace("-", " ").lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.get_by_text("Déposée").first).to_be_visible()
    assert_accessible(page)


def test_reception_agent_files_for_a_resident_at_the_counter(
    page: Page, live_server, reception_agent, resident, case_form
) -> None:  # type: ignore[no-untyped-def]
    """From the resident's file, the agent fills the same form; the case records the counter."""
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}{resident.get_absolute_url()}")
    page.get_by_role("link", name="Déposer une demande pour cet usager").click()
    assert_accessible(page)
    page.get_by_label("Démarche").select_option(label="Poser une question")
    page.get_by_role("button", name="Commencer la demande").click()

    expect(page.get_by_text("Demande déposée pour DUPONT Hélène")).to_be_visible()
    expect(page.get_by_label("Courriel")).to_have_value("helene@example.org")
    page.get_by_label("Une information").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continuer").click()
    assert_accessible(page)
    page.get_by_role("button", name="Déposer la demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("La demande a bien été déposée")
    assert_accessible(page)
    case = Case.objects.get()
    assert case.channel == "counter"
    assert case.filed_by == reception_agent.user
    assert case.filed_on_behalf


def test_resident_reads_the_departments_answer_and_downloads_its_file(
    page: Page, live_server, resident, case_form, education_agent
) -> None:  # type: ignore[no-untyped-def]
    """The department's message and file reach the resident's case page, downloadable."""
    case = file_case(
        case_form=case_form,
        resident=resident,
        data={},
        actor=resident.user,
        channel="web",
    ).case
    send_message(
        case=case,
        author=education_agent.user,
        body="Voici votre attestation.",
        from_resident=False,
        channel="",
        attachments=[SimpleUploadedFile("attestation.pdf", PDF_BYTES)],
    )
    log_in(page, live_server.url, "helene", "motdepasse-test")
    page.goto(f"{live_server.url}/mon-espace/demandes/{case.uuid}/")
    expect(page.get_by_text("Voici votre attestation.")).to_be_visible()
    assert_accessible(page)
    link = page.get_by_role("link", name="attestation.pdf")
    link.focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "attestation.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
