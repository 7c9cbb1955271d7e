import datetime

import pytest
from playwright.sync_api import Page, expect

from guichet.residents.actions import create_resident
from guichet.residents.models import Document, HouseholdMember, Resident, ResidentMerge
from tests.browser.conftest import assert_accessible, log_in
from tests.residents.conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make(first_names: str, usage_name: str, **fields) -> Resident:
    return create_resident(
        actor=None, channel="counter", first_names=first_names, usage_name=usage_name, **fields
    )


def test_agent_edits_a_file_and_fixes_a_mistake(page: Page, live_server, reception_agent) -> None:
    """A wrong phone is explained next to the field; once fixed, the file is saved."""
    helene = make("Hélène", "Dupont")
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/{helene.uuid}/modifier/")
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("12 34")
    page.get_by_label("Commune").fill("Créteil")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Téléphone")
    expect(page.get_by_label("Commune")).to_have_value("Créteil")
    expect(page.get_by_label("Téléphone")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_role("status").filter(has_text="La fiche a été mise à jour.")
    ).to_be_visible()
    helene.refresh_from_db()
    assert (helene.phone, helene.city) == ("+33612345678", "Créteil")


def test_agent_creates_a_household_and_adds_a_child(
    page: Page, live_server, reception_agent
) -> None:
    """Create the household, search the child, add them with their relation."""
    helene = make("Hélène", "Dupont")
    make("Léo", "Dupont", birth_date=datetime.date(2015, 6, 1))
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/{helene.uuid}/foyers/")
    assert_accessible(page)
    page.get_by_label("Nom du foyer").fill("Foyer Dupont")
    page.get_by_role("button", name="Créer le foyer").click()
    expect(page.get_by_role("heading", name="Foyer Dupont")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ajouter une personne").fill("léo dupont")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Lien de DUPONT Léo avec le foyer").select_option(label="Enfant")
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter DUPONT Léo").click()
    expect(page.get_by_role("row", name="DUPONT Léo")).to_contain_text("Enfant")
    assert HouseholdMember.objects.count() == 2


def test_agent_uploads_a_document_and_a_fake_one_is_refused(
    page: Page, live_server, reception_agent, tmp_path
) -> None:
    """A text file renamed .pdf is refused with a message; a real PDF is stored."""
    helene = make("Hélène", "Dupont")
    fake = tmp_path / "faux.pdf"
    fake.write_text("pas un pdf")
    real = tmp_path / "cni.pdf"
    real.write_bytes(PDF_BYTES)
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/{helene.uuid}/pieces/ajouter/")
    assert_accessible(page)
    page.get_by_label("Type de pièce").select_option(label="Carte nationale d'identité")
    page.get_by_label("Fichier").set_input_files(str(fake))
    page.get_by_role("button", name="Ajouter la pièce").click()
    expect(page.get_by_role("alert")).to_contain_text("n'est pas un PDF, un JPEG ou un PNG")
    expect(page.get_by_label("Type de pièce")).to_have_value("identity_card")
    assert_accessible(page)
    page.get_by_label("Fichier").set_input_files(str(real))
    page.get_by_role("button", name="Ajouter la pièce").click()
    expect(page.get_by_role("link", name="Carte nationale d'identité")).to_be_visible()
    assert Document.objects.get().content_type == "application/pdf"


def test_supervisor_merges_a_duplicate(page: Page, live_server, supervisor) -> None:
    """Choose the duplicate, read what moves, confirm: one file remains."""
    helene = make("Hélène", "Dupont", birth_date=datetime.date(1980, 3, 12))
    twin = make("Helene", "Dupond", birth_date=datetime.date(1980, 3, 12))
    log_in(page, live_server.url, "elise", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/{helene.uuid}/fusionner/")
    assert_accessible(page)
    page.get_by_role("link", name="Comparer avec DUPOND Helene").click()
    expect(page.get_by_role("table", name="Comparaison des deux fiches")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Fusionner les deux fiches").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    assert_accessible(page)
    page.get_by_label("J'ai vérifié que les deux fiches concernent la même personne").check()
    page.get_by_role("button", name="Fusionner les deux fiches").click()
    expect(page).to_have_url(f"{live_server.url}{helene.get_absolute_url()}")
    twin.refresh_from_db()
    assert not twin.is_active
    assert ResidentMerge.objects.count() == 1
