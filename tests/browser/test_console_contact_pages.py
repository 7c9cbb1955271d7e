"""The other screens of the contact log and the access log, driven with a browser and axe."""

import pytest
from playwright.sync_api import Page, expect

from guichet.audit.actions import record_access
from guichet.contacts.models import Contact
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.contacts.fixtures import callback_contact, id_procedure, phone_contact  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_an_anonymous_contact_then_attach_it(
    page: Page, live_server, reception_agent, resident
) -> None:
    """An anonymous call is logged from the console, then attached to the resident's file."""
    log_in(page, live_server.url, "alice", PASSWORD)
    page.get_by_role("link", name="Consigner un contact anonyme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consigner un contact")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le contact").first.click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Indiquez le motif du contact")
    assert_accessible(page)
    page.get_by_label("Motif").fill("Horaires d'ouverture de la mairie annexe")
    page.get_by_role("button", name="Enregistrer le contact").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Horaires d'ouverture de la mairie annexe"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Rattacher à un usager").click()
    assert_accessible(page)
    page.get_by_label("Rechercher l'usager").fill("Dupont")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="Rattacher à DUPONT Hélène").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DUPONT Hélène")
    expect(page.locator("#timeline")).to_contain_text("Horaires d'ouverture de la mairie annexe")
    assert Contact.objects.get().resident == resident


def test_mark_a_callback_done(page: Page, live_server, callback_contact) -> None:  # noqa: F811
    """The assignee opens her callbacks, marks one done and sees the list empty."""
    log_in(page, live_server.url, "alice", PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes rappels"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes rappels")
    assert_accessible(page)
    page.get_by_role("link", name="Réattribuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réattribuer un rappel")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Marquer comme fait").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marquer un rappel comme fait")
    assert_accessible(page)
    page.get_by_label("Résumé de l'appel").fill("Montant de la facture donné.")
    page.get_by_role("button", name="Enregistrer l'appel et clore le rappel").click()
    expect(page.get_by_text("Aucun rappel en attente.")).to_be_visible()
    assert_accessible(page)


def test_supervisor_site_contacts_and_dpo_access_log(
    page: Page,
    live_server,
    supervisor,
    dpo,
    reception_agent,
    resident,
    phone_contact,  # noqa: F811
) -> None:
    """The supervisor filters her sites' contacts; the DPO filters the access log."""
    record_access(user=reception_agent.user, resident=resident, page="resident", path="/x/")
    log_in(page, live_server.url, "elise", PASSWORD)
    page.goto(f"{live_server.url}/agents/recherche/?q=dupont")
    expect(page.get_by_role("link", name="DUPONT Hélène")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Contacts du site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts de mes sites")
    page.get_by_label("Canal").select_option("phone")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("table")).to_contain_text("Carte nationale d'identité")
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, live_server.url, "gaelle", PASSWORD)
    page.get_by_role("link", name="Journal des accès").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Journal des accès aux fiches usagers"
    )
    page.get_by_label("Usager").fill("Dupond")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("table")).to_contain_text("DUPONT Hélène")
    assert_accessible(page)
