import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from guichet.organisation import actions
from guichet.organisation.choices import ChangeKind, Role
from guichet.organisation.models import Agent, OrganisationChange


def test_create_agent_generates_a_temporary_password(admin_agent: Agent, city) -> None:
    """Without a password, one is generated, returned once and accepted at login."""
    account = actions.create_agent(
        actor=admin_agent.user,
        username="marie.durand",
        first_name="Marie",
        last_name="Durand",
        email="marie.durand@example.org",
        role=Role.RECEPTION,
        sites=[city.annex],
    )
    assert account.temporary_password
    assert len(account.temporary_password) == 14
    assert account.agent.user.check_password(account.temporary_password)
    assert list(account.agent.sites.all()) == [city.annex]
    change = OrganisationChange.objects.get(agent=account.agent)
    assert change.details == {
        "role": "reception",
        "sites": ["mairie-annexe-nord"],
        "departments": [],
    }


def test_create_agent_with_password_returns_no_temporary_one(admin_agent: Agent, city) -> None:
    """A password chosen by the administrator is used as is."""
    account = actions.create_agent(
        actor=admin_agent.user,
        username="paul",
        first_name="Paul",
        last_name="Roux",
        email="",
        role=Role.DEPARTMENT,
        departments=[city.ccas],
        password="un-mot-de-passe-solide",
    )
    assert account.temporary_password is None
    assert account.agent.user.check_password("un-mot-de-passe-solide")


def test_update_agent_records_role_and_memberships(
    admin_agent: Agent, reception_agent: Agent, city
) -> None:
    """Promoting Alice to supervisor of one site records role and sites."""
    actions.update_agent(
        reception_agent,
        actor=admin_agent.user,
        first_name=reception_agent.user.first_name,
        last_name=reception_agent.user.last_name,
        email=reception_agent.user.email,
        role=Role.SUPERVISOR,
        sites=[city.annex],
        departments=[],
        job_title="Responsable de l'accueil",
    )
    reception_agent.refresh_from_db()
    assert reception_agent.role == Role.SUPERVISOR
    change = OrganisationChange.objects.get(kind=ChangeKind.AGENT_UPDATED)
    assert change.details == {"fields": ["role", "job_title", "sites"], "role": "supervisor"}


def test_deactivate_agent_blocks_login_and_revokes_token(
    admin_agent: Agent, reception_agent: Agent
) -> None:
    """A deactivated agent can no longer log in and loses the API token."""
    actions.create_api_token(reception_agent, actor=admin_agent.user)
    actions.deactivate_agent(reception_agent, actor=admin_agent.user)
    assert not Token.objects.filter(user=reception_agent.user).exists()
    assert not Client().login(username="alice", password="motdepasse-test")


def test_reactivate_agent_allows_login_again(admin_agent: Agent, reception_agent: Agent) -> None:
    """Reactivation restores the login."""
    actions.deactivate_agent(reception_agent, actor=admin_agent.user)
    actions.reactivate_agent(reception_agent, actor=admin_agent.user)
    assert Client().login(username="alice", password="motdepasse-test")


def test_reset_password_replaces_the_old_one(admin_agent: Agent, reception_agent: Agent) -> None:
    """The old password stops working, the new one works."""
    password = actions.reset_agent_password(reception_agent, actor=admin_agent.user)
    assert not Client().login(username="alice", password="motdepasse-test")
    assert Client().login(username="alice", password=password)
    assert OrganisationChange.objects.filter(kind=ChangeKind.PASSWORD_RESET).count() == 1


@pytest.mark.parametrize("count", [1, 2])
def test_create_api_token_keeps_only_the_latest(admin_agent: Agent, count: int) -> None:
    """Each new token replaces the previous one."""
    keys = [actions.create_api_token(admin_agent, actor=None) for _ in range(count)]
    assert list(Token.objects.filter(user=admin_agent.user).values_list("key", flat=True)) == [
        keys[-1]
    ]


def test_generated_passwords_differ_and_avoid_ambiguous_characters() -> None:
    """Two generated passwords differ and never contain 0, O, 1, l or I."""
    first, second = actions.generate_password(), actions.generate_password()
    assert first != second
    assert not set("0O1lI") & set(first + second)
