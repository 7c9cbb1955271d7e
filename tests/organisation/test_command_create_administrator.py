from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from guichet.organisation.choices import ChangeKind, Role
from guichet.organisation.models import Agent, OrganisationChange

pytestmark = pytest.mark.django_db


def test_creates_an_administrator_with_a_temporary_password() -> None:
    """The printed password logs the new administrator in; the creation is recorded."""
    out, err = StringIO(), StringIO()
    call_command(
        "create_administrator", "sophie.admin", first_name="Sophie", email="s@example.org",
        stdout=out, stderr=err,
    )  # fmt: skip
    password = out.getvalue().strip()
    agent = Agent.objects.get(user__username="sophie.admin")
    assert agent.role == Role.ADMIN
    assert "affiché une seule fois" in err.getvalue()
    assert Client().login(username="sophie.admin", password=password)
    assert OrganisationChange.objects.get(agent=agent).kind == ChangeKind.AGENT_CREATED


def test_refuses_a_taken_or_malformed_login(admin_agent: Agent) -> None:
    """An existing login and a login with spaces are refused."""
    with pytest.raises(CommandError, match="déjà pris"):
        call_command("create_administrator", "farid", stderr=StringIO())
    with pytest.raises(CommandError, match="lettres minuscules"):
        call_command("create_administrator", "Marie Durand", stderr=StringIO())


def test_refuses_an_invalid_email() -> None:
    """A malformed email is refused before anything is created."""
    with pytest.raises(CommandError, match="courriel"):
        call_command("create_administrator", "paul", email="pas-un-courriel", stderr=StringIO())
    assert not Agent.objects.exists()
