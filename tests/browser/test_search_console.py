"""The console search box as a combobox: keyboard only, screen-reader announcements, search log."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from guichet.catalogue.models import SearchQuery
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.contacts.fixtures import id_procedure  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL = "Rechercher un usager, une démarche ou une fiche réflexe"


def wait_until(page: Page, condition: Callable[[], bool], timeout_ms: int = 5000) -> None:
    """Wait for something the server records after the page moved on (a beacon)."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("The condition did not come true in time.")


def test_keyboard_only_misspelled_name_down_enter_opens_the_file(
    page: Page,
    live_server,
    reception_agent,
    resident,
    id_procedure,  # noqa: F811
) -> None:
    """Type a misspelled name, Down selects the file, Enter opens it; the count is announced."""
    log_in(page, live_server.url, "alice", PASSWORD)
    search = page.get_by_role("combobox", name=LABEL)
    expect(search).to_be_focused()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).to_have_attribute("aria-controls", "console-search-listbox")
    assert_accessible(page)

    page.keyboard.type("Dupond Helene")
    listbox = page.get_by_role("listbox", name="Suggestions")
    option = listbox.get_by_role("option", name=re.compile("DUPONT Hélène"))
    expect(option).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="usager trouvé")).to_contain_text(
        "1 usager trouvé"
    )
    assert_accessible(page)

    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    expect(search).to_be_focused()
    assert_accessible(page)  # the selected option's colours too
    page.keyboard.press("End")
    last = listbox.get_by_role("option").last
    expect(last).to_contain_text("Voir tous les résultats")
    expect(last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")  # wraps to the last option
    expect(last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(search).to_have_value("Dupond Helene")
    page.keyboard.press("ArrowDown")  # reopens on the first option
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("DUPONT Hélène")
    assert_accessible(page)
    assert not SearchQuery.objects.exists()  # a resident lookup is never logged


def test_enter_without_a_choice_opens_the_results_page(
    page: Page,
    live_server,
    reception_agent,
    resident,
    id_procedure,  # noqa: F811
) -> None:
    """Enter with no option selected submits the search, as without JavaScript."""
    log_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("combobox", name=LABEL)).to_be_focused()
    page.keyboard.type("carte identite")
    expect(page.get_by_role("option", name=re.compile("Carte nationale"))).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    expect(page.get_by_role("link", name="Consigner un contact sur cette démarche")).to_be_visible()
    expect(page.locator(".search-results mark").first).to_be_visible()
    assert_accessible(page)
    search = SearchQuery.objects.get()
    assert (search.surface, search.clicked_at) == ("console", None)

    page.locator(".search-results").get_by_role(
        "link", name="Carte nationale d'identité", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Note pour les agents")).to_be_visible()
    search.refresh_from_db()
    assert search.clicked_at is not None


def test_choosing_a_procedure_suggestion_is_logged(
    page: Page,
    live_server,
    reception_agent,
    id_procedure,  # noqa: F811
) -> None:
    """Opening a procedure from the suggestions keeps the search and the opened procedure."""
    log_in(page, live_server.url, "alice", PASSWORD)
    expect(page.get_by_role("combobox", name=LABEL)).to_be_focused()
    page.keyboard.type("carte identite")
    option = page.get_by_role("option", name=re.compile("Carte nationale"))
    option.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carte nationale d'identité")
    assert_accessible(page)
    # The beacon arrives on its own: wait for it a little.
    wait_until(page, lambda: SearchQuery.objects.filter(clicked_at__isnull=False).exists())
    search = SearchQuery.objects.get()
    assert (search.text, search.surface, search.clicked_slugs) == (
        "carte identite",
        "console",
        ["carte-identite"],
    )
