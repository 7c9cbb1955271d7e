"""Expected answers of agents' pages, by persona."""

from tests.conftest import PERSONAS

AGENT_PERSONAS = [p for p in PERSONAS if p not in {"anonymous", "resident", "other_resident"}]


def expected_for_agent_page(persona: str) -> int:
    """Anonymous visitors are sent to the login page; residents get 404; agents 200."""
    if persona == "anonymous":
        return 302
    if persona in {"resident", "other_resident"}:
        return 404
    return 200
