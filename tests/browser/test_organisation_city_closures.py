"""An administrator adds a city closure day; a wrong range is explained and nothing is lost."""

import pytest
from playwright.sync_api import Page, expect

from guichet.organisation.models import CityClosure
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_adds_a_city_closure(page: Page, live_server, admin_agent) -> None:  # type: ignore[no-untyped-def]
    """The closure is listed once added; an end before the start keeps what was typed."""
    log_in(page, live_server.url, "farid", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/administration/fermetures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fermetures de l'administration")
    assert_accessible(page)

    page.get_by_label("Du").fill("2027-05-07")
    page.get_by_label("Au").fill("2027-05-06")
    page.get_by_label("Motif").fill("Pont de l'Ascension")
    page.get_by_role("button", name="Ajouter la fermeture").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Motif")).to_have_value("Pont de l'Ascension")
    assert_accessible(page)
    assert not CityClosure.objects.exists()

    page.get_by_label("Au").fill("2027-05-07")
    page.get_by_role("button", name="Ajouter la fermeture").click()
    expect(page.get_by_role("cell", name="Pont de l'Ascension")).to_be_visible()
    assert CityClosure.objects.count() == 1
