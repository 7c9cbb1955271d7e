"""A CCAS contact's content stays hidden from a reception agent and visible to the CCAS."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD
from tests.contacts.fixtures import CCAS_SECRET, ccas_contact, ccas_procedure  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ccas_content_hidden_from_reception_and_shown_to_ccas(
    page: Page,
    live_server,
    reception_agent,
    ccas_agent,
    resident,
    ccas_contact,  # noqa: F811
) -> None:
    """Alice sees that a CCAS contact happened, not its content; Bruno (CCAS) reads it."""
    file_url = f"{live_server.url}{resident.get_absolute_url()}"
    log_in(page, live_server.url, "alice", PASSWORD)
    page.goto(file_url)
    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("link", name="Contact confidentiel (CCAS)")).to_be_visible()
    expect(timeline).to_contain_text("Hôtel de Ville")
    assert CCAS_SECRET not in page.content()
    assert_accessible(page)

    timeline.get_by_role("link", name="Contact confidentiel (CCAS)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact confidentiel (CCAS)")
    expect(page.get_by_text("n'est lisible que par les agents du service CCAS")).to_be_visible()
    assert CCAS_SECRET not in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, live_server.url, "bruno", PASSWORD)
    page.goto(file_url)
    expect(page.locator("#timeline")).to_contain_text(CCAS_SECRET)
    page.locator("#timeline").get_by_role(
        "link", name="Demander une aide financière au CCAS"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Demander une aide financière au CCAS"
    )
    expect(page.get_by_text(CCAS_SECRET)).to_be_visible()
    assert_accessible(page)
