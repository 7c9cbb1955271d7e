"""An agent finds a resident by a misspelled name and logs a phone call, keyboard only."""

import re

import pytest
from playwright.sync_api import Page, expect

from guichet.contacts.choices import Outcome
from guichet.contacts.models import Contact
from guichet.organisation.choices import Channel
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.contacts.fixtures import id_procedure  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_resident_and_log_a_phone_contact_in_three_interactions(
    page: Page,
    live_server,
    reception_agent,
    resident,
    id_procedure,  # noqa: F811
) -> None:
    """Console search tolerates a typo; the phone contact takes three keyboard interactions."""
    log_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Console d'accueil")
    search = page.get_by_label("Rechercher un usager, une démarche ou une fiche réflexe")
    expect(search).to_be_focused()
    assert_accessible(page)

    page.keyboard.type("Dupond Helene")
    option = page.get_by_role("option", name=re.compile("DUPONT Hélène"))
    expect(option).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("DUPONT Hélène")
    form = page.locator("#contact-form")
    expect(form.get_by_label("Canal")).to_have_value(Channel.PHONE)
    expect(form.get_by_label("Suite donnée")).to_have_value(Outcome.ANSWERED)
    expect(form.get_by_label("Motif")).to_be_focused()
    assert_accessible(page)

    interactions = 0
    page.keyboard.type("Carte nationale d'identité")  # 1: the motive (a procedure's title)
    interactions += 1
    page.keyboard.press("Tab")  # 2: the summary
    page.keyboard.type("Liste des pièces donnée, rendez-vous à prendre en ligne.")
    interactions += 1
    page.keyboard.press("Control+Enter")  # 3: save
    interactions += 1
    assert interactions <= 3

    expect(page.get_by_role("status").first).to_contain_text("Le contact a été enregistré.")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Carte nationale d'identité")
    expect(timeline).to_contain_text("Liste des pièces donnée")
    assert_accessible(page)

    contact = Contact.objects.get()
    assert contact.resident == resident
    assert contact.channel == Channel.PHONE
    assert contact.outcome == Outcome.ANSWERED
    assert contact.procedure == id_procedure
    assert contact.agent == reception_agent.user
