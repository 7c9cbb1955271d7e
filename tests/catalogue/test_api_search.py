"""The search endpoints of the catalogue API: procedures (public) and articles (agents)."""

import dataclasses

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guichet.catalogue import api
from guichet.catalogue.loader import LoadReport
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, PersonaClient

AGENTS = {
    "reception_agent", "ccas_agent", "education_agent", "helper_agent", "supervisor",
    "admin_agent", "dpo",
}  # fmt: skip
PROCEDURES_URL = reverse("api-procedure-search")
ARTICLES_URL = reverse("api-article-search")


def test_procedure_search_says_which_terms_matched(small_catalogue: SmallCatalogue) -> None:
    """Each result carries the analysed query terms it matched; a good query has no suggestion."""
    body = APIClient().get(PROCEDURES_URL, {"q": "cantine"}).json()
    assert body["suggestion"] is None
    [result] = body["results"]
    assert result["slug"] == "restauration-scolaire"
    assert result["matched_terms"]
    assert all(isinstance(term, str) for term in result["matched_terms"])


def test_procedure_search_offers_the_engine_suggestion(
    small_catalogue: SmallCatalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the engine proposes a corrected query, the API returns it as ``suggestion``."""
    real = api.search_catalogue

    def misspelled(query: str, **kwargs: object) -> object:
        return dataclasses.replace(real(query, **kwargs), suggestion="cantine")  # type: ignore[arg-type]

    monkeypatch.setattr(api, "search_catalogue", misspelled)
    body = APIClient().get(PROCEDURES_URL, {"q": "kantinne"}).json()
    assert body["suggestion"] == "cantine"


@pytest.mark.parametrize("persona", PERSONAS)
def test_article_search_is_for_agents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """Agents search the articles; other logged-in users get 404; anonymous clients 401/403."""
    response = persona_client.as_(persona).get(ARTICLES_URL, {"q": "CNI"})
    if persona in AGENTS:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 404


def test_article_search_finds_published_articles_only(
    small_catalogue: SmallCatalogue, reception_agent
) -> None:
    """An agent's token finds the published article, with its page and matched terms."""
    client = APIClient()
    token = Token.objects.create(user=reception_agent.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = client.get(ARTICLES_URL, {"q": "CNI"}).json()
    assert body["count"] == 1
    [result] = body["results"]
    assert result["slug"] == "verifier-dossier-cni"
    assert result["url"] == reverse("catalogue:article", args=["verifier-dossier-cni"])
    assert result["department"] == {"slug": "population", "name": "Population"}
    assert result["matched_terms"]
    assert "suggestion" in body
    body = client.get(ARTICLES_URL, {"q": "brouillon fiche préparation"}).json()
    assert "fiche-brouillon" not in [item["slug"] for item in body["results"]]


def test_article_search_without_token_is_refused(small_catalogue: SmallCatalogue) -> None:
    """Without credentials, the article search answers 401 or 403, never the articles."""
    assert APIClient().get(ARTICLES_URL, {"q": "CNI"}).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"q": "cni", "limit": "51"}, "limit")],
)
def test_article_search_validates_its_parameters(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, params: dict, field: str
) -> None:
    """A missing, empty or oversized query, or a bad limit, is a 400 naming the parameter."""
    response = persona_client.as_("reception_agent").get(ARTICLES_URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_article_search_limit(real_catalogue: LoadReport, persona_client: PersonaClient) -> None:
    """``limit`` caps the articles returned, best first."""
    client = persona_client.as_("reception_agent")
    results = client.get(ARTICLES_URL, {"q": "carte d'identité", "limit": 2}).json()["results"]
    assert 1 <= len(results) <= 2
    assert results[0]["score"] >= results[-1]["score"]


def test_hostile_query_is_returned_as_data(small_catalogue: SmallCatalogue) -> None:
    """Markup in a query is neither an error nor echoed as markup."""
    response = APIClient().get(PROCEDURES_URL, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
