import datetime

import pytest
from playwright.sync_api import Page, expect

from guichet.residents.actions import create_resident
from guichet.residents.models import Resident
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_is_warned_of_a_duplicate_and_opens_the_existing_file(
    page: Page, live_server, reception_agent
) -> None:
    """Creating a file for someone who has one shows it; the agent opens it instead."""
    existing = create_resident(
        actor=None,
        channel="counter",
        first_names="Hélène",
        usage_name="Dupont",
        birth_date=datetime.date(1980, 3, 12),
        city="Créteil",
    )
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche usager")
    assert_accessible(page)

    page.get_by_label("Prénoms").fill("Helene")
    page.get_by_label("Nom d'usage").fill("Dupond")
    page.get_by_label("Date de naissance").fill("1980-03-12")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Créer la fiche").click()

    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur")
    expect(
        page.get_by_role("heading", name="Cette personne a peut-être déjà une fiche")
    ).to_be_visible()
    expect(page.get_by_label("Nom d'usage")).to_have_value("Dupond")
    expect(page.get_by_label("C'est une autre personne")).not_to_be_checked()
    assert_accessible(page)

    page.get_by_role("link", name="Ouvrir la fiche de DUPONT Hélène").click()
    expect(page).to_have_url(f"{live_server.url}{existing.get_absolute_url()}")
    # The resident page belongs to the back office; its title is the resident's name.
    expect(page.get_by_role("heading", level=1)).to_have_text("DUPONT Hélène")
    assert_accessible(page)
    assert Resident.objects.count() == 1


def test_agent_confirms_another_person_keyboard_only(
    page: Page, live_server, reception_agent
) -> None:
    """With the keyboard only, the agent ticks « autre personne » and creates the file."""
    create_resident(
        actor=None,
        channel="counter",
        first_names="Hélène",
        usage_name="Dupont",
        birth_date=datetime.date(1980, 3, 12),
    )
    log_in(page, live_server.url, "alice", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/usagers/nouveau/")
    page.get_by_label("Prénoms").fill("Hélène")
    page.get_by_label("Nom d'usage").fill("Dupont")
    page.get_by_label("Date de naissance").fill("1980-03-12")
    page.get_by_label("Nom d'usage").press("Enter")
    confirm = page.get_by_label("C'est une autre personne")
    expect(confirm).to_be_visible()
    confirm.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Créer la fiche")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="La fiche a été créée.")).to_be_visible()
    assert_accessible(page)
    assert Resident.objects.count() == 2
