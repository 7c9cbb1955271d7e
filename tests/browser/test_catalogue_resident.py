import pytest
from playwright.sync_api import Page, expect

from guichet.catalogue.loader import load_catalogue
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_browses_by_life_event_and_opens_a_procedure(page: Page, live_server) -> None:
    """A resident goes from the catalogue to a life event to a procedure, then searches."""
    assert load_catalogue().ok
    page.goto(live_server.url + "/demarches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos démarches")
    assert_accessible(page)

    page.get_by_role("link", name="Je déménage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je déménage")
    assert_accessible(page)

    page.get_by_role("link", name="Faire enlever des encombrants").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("encombrants")
    expect(page.get_by_role("heading", name="Pièces à fournir")).to_be_visible()
    expect(page.get_by_text("Service en charge")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Démarches").first.click()
    page.get_by_label("Que cherchez-vous ?").fill("pasport")
    page.get_by_label("Que cherchez-vous ?").press("Enter")
    results = page.locator(".search-results")
    expect(results.get_by_role("link").first).to_contain_text("Passeport")
    assert_accessible(page)
    results.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Passeport")
    expect(page.locator("dl.facts")).to_contain_text("Sur rendez-vous")
