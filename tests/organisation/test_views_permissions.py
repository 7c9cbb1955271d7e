import pytest
from django.urls import reverse

from tests.conftest import PERSONAS, City, PersonaClient

PAGES = [
    ("organisation:index", {}),
    ("organisation:site_list", {}),
    ("organisation:site_create", {}),
    ("organisation:site_edit", {"slug": "mairie-annexe-nord"}),
    ("organisation:site_closures", {"slug": "mairie-annexe-nord"}),
    ("organisation:department_list", {}),
    ("organisation:department_create", {}),
    ("organisation:department_edit", {"slug": "ccas"}),
    ("organisation:agent_list", {}),
    ("organisation:agent_create", {}),
    ("organisation:agent_edit", {"agent_id": "reception"}),
]


def _url(request: pytest.FixtureRequest, name: str, kwargs: dict[str, str]) -> str:
    if kwargs.get("agent_id") == "reception":
        kwargs = {"agent_id": request.getfixturevalue("reception_agent").pk}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_only_administrators_see_the_admin_area(
    request: pytest.FixtureRequest,
    persona_client: PersonaClient,
    city: City,
    persona: str,
    name: str,
    kwargs: dict[str, str],
) -> None:
    """Administrators get 200, anonymous users the login page, everyone else 404."""
    url = _url(request, name, kwargs)
    response = persona_client.as_(persona).get(url)
    if persona == "admin_agent":
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 404


POSTS = [
    ("organisation:agent_toggle_active", "agent"),
    ("organisation:agent_reset_password", "agent"),
    ("organisation:agent_api_token", "agent"),
    ("organisation:closure_delete", "closure"),
]


@pytest.mark.parametrize("persona", ["supervisor", "dpo", "reception_agent", "resident"])
@pytest.mark.parametrize(("name", "target"), POSTS)
def test_non_administrators_cannot_post_admin_actions(
    request: pytest.FixtureRequest,
    persona_client: PersonaClient,
    city: City,
    persona: str,
    name: str,
    target: str,
) -> None:
    """Administration actions answer 404 to everyone else and change nothing."""
    from guichet.organisation.models import OrganisationChange, SiteClosure

    victim = request.getfixturevalue("education_agent")
    if target == "agent":
        url = reverse(name, kwargs={"agent_id": victim.pk})
    else:
        closure = SiteClosure.objects.create(
            site=city.annex, start_date="2026-12-24", end_date="2026-12-24", reason="Noël"
        )
        url = reverse(name, kwargs={"slug": city.annex.slug, "closure_id": closure.pk})
    response = persona_client.as_(persona).post(url)
    assert response.status_code == 404
    assert not OrganisationChange.objects.exists()


def test_admin_link_shows_in_navigation_for_administrators_only(
    persona_client: PersonaClient, city: City
) -> None:
    """The back-office navigation offers "Administration" to administrators, marked current."""
    response = persona_client.as_("admin_agent").get(reverse("organisation:index"))
    assert b'aria-current="page">Administration' in response.content
