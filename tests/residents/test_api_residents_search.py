"""The residents API searched with ``q``: ranked results say how well and why each matched."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

LIST = "/api/v1/residents/"
AGENTS = {p for p in PERSONAS if p not in {"anonymous", "resident", "other_resident"}}


def client_for(persona_obj) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=persona_obj.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_search(request, helene, persona: str) -> None:
    """Agents search; other users get 404, requests without credentials 401."""
    client = APIClient() if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    status = client.get(LIST, {"q": "dupond"}).status_code
    assert status == (401 if persona == "anonymous" else 200 if persona in AGENTS else 404)


def test_search_results_carry_score_and_reasons(reception_agent, helene) -> None:
    """A misspelled name finds the file, with a score and short French reasons."""
    [result] = client_for(reception_agent).get(LIST, {"q": "Dupond Hélène"}).json()["results"]
    assert result["id"] == str(helene.uuid)
    assert result["score"] > 0
    assert result["reasons"]
    assert all(isinstance(reason, str) and reason for reason in result["reasons"])


def test_list_without_query_has_no_score_nor_reasons(reception_agent, helene) -> None:
    """Without ``q``, the list is alphabetical and its items have no search details."""
    [result] = client_for(reception_agent).get(LIST).json()["results"]
    assert result["score"] is None
    assert result["reasons"] == []
