import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.factories import LifeEventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_home_lists_life_events_accessibly(page: Page, live_server) -> None:
    """The public home page shows life events and has no axe-core violation."""
    LifeEventFactory(slug="naissance", title="J'attends ou j'ai eu un enfant")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vos démarches")
    expect(page.get_by_role("link", name="J'attends ou j'ai eu un enfant")).to_be_visible()
    assert_accessible(page)
