import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.factories import LifeEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_language_switch_to_english_and_back(page: Page, live_server) -> None:
    """The header button switches the portal home to English, accessibly, and back to French."""
    LifeEventFactory(slug="naissance", title="J'attends ou j'ai eu un enfant")
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your procedures with the City of")
    expect(page.get_by_role("combobox", name="What are you looking for?")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_label("Password")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    assert_accessible(page)
