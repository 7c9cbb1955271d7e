"""The procedures API: list, retrieve, search."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guichet.catalogue.loader import LoadReport
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, PersonaClient

AGENTS = {
    "reception_agent", "ccas_agent", "education_agent", "helper_agent", "supervisor",
    "admin_agent", "dpo",
}  # fmt: skip
LIST_URL = reverse("api-procedure-list")
SEARCH_URL = reverse("api-procedure-search")


def detail_url(slug: str) -> str:
    return reverse("api-procedure-detail", args=[slug])


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_public_and_notes_are_for_agents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """Everybody lists procedures; only agents get unpublished ones and the agents' note."""
    response = persona_client.as_(persona).get(LIST_URL)
    assert response.status_code == 200
    results = response.json()["results"]
    slugs = [item["slug"] for item in results]
    if persona in AGENTS:
        assert "brouillon" in slugs
        assert all("agent_note" in item for item in results)
    else:
        assert slugs == ["carte-identite", "carte-grise", "restauration-scolaire"]  # by title
        assert all("agent_note" not in item and "articles" not in item for item in results)


@pytest.mark.parametrize("persona", PERSONAS)
def test_retrieve_unpublished_is_404_for_non_agents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """An unpublished procedure exists only for agents."""
    response = persona_client.as_(persona).get(detail_url("brouillon"))
    assert response.status_code == (200 if persona in AGENTS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_is_public(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """Everybody may search; results carry a score and the public page URL."""
    response = persona_client.as_(persona).get(SEARCH_URL, {"q": "CNI"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["slug"] == "carte-identite"
    assert body["results"][0]["url"] == reverse("catalogue:procedure", args=["carte-identite"])
    assert body["results"][0]["score"] > 0


def test_retrieve_gives_every_public_field(small_catalogue: SmallCatalogue) -> None:
    """A procedure's detail has its texts, documents, channels, department and life events."""
    data = APIClient().get(detail_url("restauration-scolaire")).json()
    assert data["department"] == {"slug": "education", "name": "Éducation"}
    assert data["life_events"] == ["scolarite"]
    assert data["documents"] == ["Attestation de quotient familial"]
    assert data["commitment_days"] == 10
    assert data["channels"] == ["web", "counter", "email"]
    assert "agent_note" not in data


def test_agent_token_gets_note_and_published_articles(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """With an agent's token, the detail includes the note and published linked articles."""
    persona_client.as_("reception_agent")
    agent_user = persona_client.request.getfixturevalue("reception_agent").user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=agent_user).key}")
    data = client.get(detail_url("carte-identite")).json()
    assert data["agent_note"] == "Vérifier la **photo** et la pré-demande."
    assert [a["slug"] for a in data["articles"]] == ["verifier-dossier-cni"]


def test_resident_token_gets_public_fields_only(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """A resident's token reads the public fields, never the agents' note."""
    resident_user = persona_client.request.getfixturevalue("resident").user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident_user).key}")
    data = client.get(detail_url("carte-identite")).json()
    assert "agent_note" not in data
    assert data["title"] == "Carte nationale d'identité"


def test_bad_token_is_refused(small_catalogue: SmallCatalogue) -> None:
    """A wrong token is an authentication error, not silently anonymous."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(LIST_URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "slugs"),
    [
        ({"department": "education"}, ["restauration-scolaire"]),
        ({"life_event": "papiers"}, ["carte-identite", "carte-grise"]),
        ({"department": "population", "life_event": "papiers"}, ["carte-identite"]),
        ({"department": "inconnu"}, []),
    ],
)
def test_list_filters(
    small_catalogue: SmallCatalogue, params: dict[str, str], slugs: list[str]
) -> None:
    """The list filters by department and by life event (slugs)."""
    results = APIClient().get(LIST_URL, params).json()["results"]
    assert [item["slug"] for item in results] == slugs


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"q": "cni", "limit": "0"}, "limit")],
)
def test_search_validates_its_parameters(
    small_catalogue: SmallCatalogue, params: dict[str, str], field: str
) -> None:
    """A missing, empty or oversized query, or a bad limit, is a 400 naming the parameter."""
    response = APIClient().get(SEARCH_URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_search_limit_and_ranking(real_catalogue: LoadReport) -> None:
    """``limit`` caps the results, best first."""
    results = APIClient().get(SEARCH_URL, {"q": "carte d'identité", "limit": 3}).json()["results"]
    assert len(results) == 3
    assert results[0]["slug"] == "carte-identite"
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]


def test_list_query_count_is_bounded(
    real_catalogue: LoadReport,
    persona_client: PersonaClient,
    django_assert_max_num_queries: object,
) -> None:
    """Listing a page of procedures as an agent takes a fixed number of queries."""
    client = persona_client.as_("reception_agent")
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = client.get(LIST_URL)
    assert response.json()["count"] == 49
