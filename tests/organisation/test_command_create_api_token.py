from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from guichet.organisation.models import Agent


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_prints_a_new_token_for_an_agent(reception_agent: Agent) -> None:
    """The printed key is the agent's token."""
    key, _ = run("alice")
    assert Token.objects.get(user=reception_agent.user).key == key


def test_a_second_token_revokes_the_first(reception_agent: Agent) -> None:
    """Running it again prints another key and says the previous one is revoked."""
    first, _ = run("alice")
    second, err = run("alice")
    assert first != second
    assert "révoqué" in err
    assert Token.objects.filter(user=reception_agent.user).count() == 1


def test_unknown_user_is_refused(db: None) -> None:
    """An unknown username gives a clear message."""
    with pytest.raises(CommandError, match="Aucun utilisateur « personne »"):
        run("personne")


def test_resident_is_refused(resident) -> None:
    """A resident's portal account is not an agent."""
    with pytest.raises(CommandError, match="n'est pas un agent"):
        run("helene")
    assert not Token.objects.exists()


def test_deactivated_agent_is_refused(reception_agent: Agent) -> None:
    """A deactivated agent gets no token."""
    reception_agent.is_active = False
    reception_agent.save()
    with pytest.raises(CommandError, match="désactivé"):
        run("alice")
