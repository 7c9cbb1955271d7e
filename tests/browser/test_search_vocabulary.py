"""A supervisor turns a search that found nothing into a vocabulary entry, and search uses it."""

import re

import pytest
from playwright.sync_api import Page, expect

from guichet.catalogue.actions import record_search
from guichet.catalogue.loader import load_catalogue
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "gamelle"


def test_supervisor_adds_a_word_from_the_unhelpful_searches(
    page: Page, live_server, supervisor
) -> None:
    """From the unhelpful searches, a pre-filled form adds the word; the portal then finds it."""
    assert load_catalogue().ok
    record_search(query=WORD, surface="portal", result_count=0)
    record_search(query=WORD, surface="portal", result_count=0)

    log_in(page, live_server.url, "elise", PASSWORD)
    page.goto(live_server.url + "/agents/catalogue/")
    page.get_by_role("link", name="Recherches sans réponse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherches sans réponse")
    row = page.get_by_role("row", name=re.compile(WORD))
    expect(row).to_contain_text("Aucun résultat")
    expect(row.get_by_role("cell").first).to_have_text("2")
    assert_accessible(page)

    page.get_by_label("Où").select_option("console")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucune recherche sans réponse sur cette période.")).to_be_visible()
    page.get_by_label("Où").select_option("portal")
    page.get_by_role("button", name="Filtrer").click()

    page.get_by_role("link", name=f"Ajouter au vocabulaire : {WORD}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une entrée au vocabulaire")
    expect(page.get_by_label("Mot courant → termes du catalogue")).to_be_checked()
    expect(page.get_by_label("Termes", exact=True)).to_have_value(WORD)
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("ce que le terme veut dire")
    expect(page.get_by_label("Termes", exact=True)).to_have_value(WORD)
    assert_accessible(page)

    page.get_by_label("Ce que le mot courant veut dire").fill("restauration scolaire")
    page.get_by_label("Motif de la modification").fill("Mot vu dans les recherches du portail")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text(f"Entrée ajoutée au vocabulaire : {WORD}")
    expect(page.get_by_role("row", name=re.compile(WORD))).to_contain_text("restauration scolaire")
    assert_accessible(page)

    page.get_by_role("link", name=f"Historique : {WORD}").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(
        supervisor.user.display_name()
    )
    expect(page.get_by_text("Mot vu dans les recherches du portail")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + f"/demarches/?q={WORD}")
    results = page.locator(".search-results")
    expect(results.get_by_role("link").first).to_contain_text("restauration scolaire")
