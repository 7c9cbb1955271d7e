"""The department processes a request in the back office: inbox, case page, decision."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.cases.choices import CaseStatus
from guichet.cases.models import Case, CaseMessage
from guichet.notifications.models import Notification
from tests.browser.conftest import assert_accessible, log_in
from tests.cases.backoffice_fixtures import file, school_form  # noqa: F401
from tests.conftest import PASSWORD
from tests.factories import CaseFactory, ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_department_agent_asks_for_a_piece_then_accepts(
    page: Page,
    live_server,
    education_agent,
    resident,
    school_form,  # noqa: F811
) -> None:
    """Chloé filters her inbox, opens Hélène's request, asks for a piece, writes, accepts."""
    case = file(school_form, resident, data={"objet": "Entrée en CP", "details": ""})
    CaseFactory(
        procedure=school_form.procedure,
        reference="2026-AUTRE1",
        resident=ResidentFactory(first_names="Ivan", usage_name="Martin"),
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    log_in(page, live_server.url, "chloe", PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Demandes"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes à traiter")
    expect(page.get_by_role("heading", name="2 demandes")).to_be_visible()
    assert_accessible(page)

    # Keyboard only: type the resident's name in the search box and press Enter.
    search = page.get_by_label("Rechercher")
    search.focus()
    page.keyboard.type("Dupont")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 demande")).to_be_visible()
    expect(page.get_by_role("link", name="2026-AUTRE1")).to_have_count(0)
    page.get_by_role("link", name=case.reference).focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Demande {case.reference} — Inscription scolaire"
    )
    expect(page.get_by_text("Entrée en CP")).to_be_visible()
    assert_accessible(page)

    # Asking without saying what is missing is refused, with the message tied to the field.
    page.get_by_label("Nouveau statut").select_option(
        label="Demander un complément à l'usager (suspend le délai)"
    )
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez ce qui manque")
    assert_accessible(page)
    page.get_by_label("Motif ou pièces manquantes").fill(
        "Merci de joindre un justificatif de domicile."
    )
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_role("status")).to_contain_text("le délai est suspendu")
    expect(page.get_by_text("Délai suspendu")).to_be_visible()

    message = page.get_by_label("Message à l'usager")
    message.fill("Un justificatif de moins de trois mois convient.")
    message.press("Tab")  # to the file input
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Envoyer le message")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Le message est envoyé à l'usager.")
    expect(page.get_by_text("Un justificatif de moins de trois mois convient.")).to_be_visible()

    page.get_by_label("Nouveau statut").select_option(label="Accepter la demande")
    page.get_by_label("Motif ou pièces manquantes").fill(
        "Inscription confirmée à l'école Jean-Jaurès."
    )
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_role("status")).to_contain_text("La demande est maintenant « Acceptée ».")
    expect(page.get_by_text("Cette demande est close")).to_be_visible()
    assert_accessible(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.paused_at is None
    assert CaseMessage.objects.filter(case=case, from_resident=False).count() == 1
    assert set(Notification.objects.filter(resident=resident).values_list("event", flat=True)) == {
        "case_received",
        "case_information_needed",
        "case_message",
        "case_decided",
    }
    assert Case.objects.get(reference="2026-AUTRE1").status == CaseStatus.SUBMITTED
