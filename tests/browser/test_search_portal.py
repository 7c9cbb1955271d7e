"""The portal search: suggestions as you type, "did you mean", results, and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import SearchQuery
from tests.browser.conftest import assert_accessible
from tests.browser.test_search_console import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSPELLED = "crehce"
CORRECTED = "crèche"
TITLE = "Demander une place en crèche"


def test_did_you_mean_then_open_a_suggestion_by_keyboard(page: Page, live_server) -> None:
    """A misspelled word offers its correction; Enter takes it; Down and Enter open a procedure."""
    assert load_catalogue().ok
    page.goto(live_server.url + "/")
    search = page.get_by_role("combobox", name="Que cherchez-vous ?")
    expect(search).to_have_attribute("aria-expanded", "false")
    assert_accessible(page)

    search.click()
    page.keyboard.type(MISSPELLED)
    listbox = page.get_by_role("listbox", name="Démarches suggérées")
    did_you_mean = listbox.get_by_role("option", name=f"Vouliez-vous dire : {CORRECTED} ?")
    expect(did_you_mean).to_be_visible()
    expect(page.locator("#portal-search-status")).to_contain_text(
        f"Vouliez-vous dire : {CORRECTED}"
    )
    assert_accessible(page)
    page.keyboard.press("ArrowDown")
    expect(did_you_mean).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(search).to_have_value(CORRECTED)
    creche = listbox.get_by_role("option", name=re.compile(f"^{TITLE}"))
    expect(creche).to_be_visible()
    expect(creche.locator("mark").first).to_be_visible()
    assert_accessible(page)

    while creche.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(page)
    wait_until(page, lambda: SearchQuery.objects.filter(clicked_at__isnull=False).exists())
    search_row = SearchQuery.objects.get(clicked_at__isnull=False)
    assert (search_row.text, search_row.surface, search_row.clicked_slugs) == (
        "creche",  # the log keeps words folded
        "portal",
        ["place-creche"],
    )


def test_results_page_offers_the_correction(page: Page, live_server) -> None:
    """Enter submits the search; the results page links to the corrected query."""
    assert load_catalogue().ok
    page.goto(live_server.url + "/demarches/")
    search = page.get_by_role("combobox", name="Que cherchez-vous ?")
    search.fill(MISSPELLED)
    search.press("Enter")
    expect(page.get_by_role("heading", level=2, name=re.compile(MISSPELLED))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=CORRECTED, exact=True).click()
    expect(page.get_by_role("heading", level=2, name=re.compile(CORRECTED))).to_be_visible()
    results = page.locator(".search-results")
    expect(results.get_by_role("link").first).to_contain_text(TITLE)
    assert_accessible(page)
    results.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert SearchQuery.objects.filter(text="creche", clicked_at__isnull=False).exists()


def test_search_works_without_the_script(page: Page, live_server) -> None:
    """Without combobox.js (blocked, failed or JavaScript off), the box is a plain search form."""
    assert load_catalogue().ok
    page.route("**/combobox.js", lambda route: route.abort())
    page.goto(live_server.url + "/")
    search = page.get_by_role("searchbox", name="Que cherchez-vous ?")
    assert_accessible(page)
    search.fill("cantine")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator(".search-results")
    expect(results.get_by_role("link").first).to_contain_text("restauration scolaire")
    assert_accessible(page)
