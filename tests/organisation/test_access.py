import pytest
from django.http import Http404

from guichet.organisation.access import (
    get_agent_for_admin,
    get_site_for_admin,
    require_admin,
)
from guichet.organisation.models import Agent


def test_require_admin_returns_the_administrator(admin_agent: Agent) -> None:
    """The administrator gets their profile back."""
    assert require_admin(admin_agent.user) == admin_agent


@pytest.mark.parametrize("persona", ["supervisor", "dpo", "reception_agent", "resident"])
def test_require_admin_refuses_others_with_404(
    request: pytest.FixtureRequest, persona: str
) -> None:
    """Supervisors, DPO, agents and residents get a 404, not a 403."""
    user = request.getfixturevalue(persona).user
    with pytest.raises(Http404):
        require_admin(user)


def test_inactive_administrator_is_refused(admin_agent: Agent) -> None:
    """A deactivated administrator loses the admin area."""
    admin_agent.is_active = False
    admin_agent.save()
    with pytest.raises(Http404):
        require_admin(admin_agent.user)


def test_lookups_answer_404_for_missing_objects(admin_agent: Agent) -> None:
    """A missing site or agent gives the same 404 as a forbidden one."""
    with pytest.raises(Http404):
        get_site_for_admin(admin_agent.user, "nulle-part")
    with pytest.raises(Http404):
        get_agent_for_admin(admin_agent.user, 999_999)
