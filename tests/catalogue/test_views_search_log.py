"""The supervisors' list of searches that did not help (no result, or no result opened)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.catalogue.actions import record_search, record_search_click
from guichet.catalogue.models import SearchQuery
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, PersonaClient

URL = reverse("catalogue:unhelpful_searches")
EDITORS = {"supervisor", "admin_agent"}


def expected(persona: str) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in EDITORS else 404


@pytest.fixture
def searches(small_catalogue: SmallCatalogue) -> None:
    """A few searches: two in vain on the portal, one followed, one in vain in the console."""
    record_search(query="lampadaire", surface="portal", result_count=0)
    record_search(query="Lampadaire", surface="portal", result_count=0)
    record_search(query="carte grise", surface="portal", result_count=1)
    opened = record_search(query="cantine", surface="portal", result_count=1)
    assert opened is not None
    record_search_click(search_id=opened.uuid, slug="restauration-scolaire")
    record_search(query="nounou", surface="console", result_count=0)
    old = record_search(query="vieille recherche", surface="portal", result_count=0)
    assert old is not None
    SearchQuery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_is_for_supervisors(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """Supervisors and administrators read the list; other agents and residents get 404."""
    assert persona_client.as_(persona).get(URL).status_code == expected(persona)


def test_lists_searches_without_result_and_never_opened(
    searches: None, persona_client: PersonaClient
) -> None:
    """The last 30 days by default, most frequent first, each with a pre-filled vocabulary link."""
    html = persona_client.as_("supervisor").get(URL).content.decode()
    assert "3 recherches sans réponse depuis le" in html
    assert html.index("lampadaire") < html.index("carte grise")
    assert "Aucun résultat ouvert" in html  # carte grise
    assert "Aucun résultat" in html
    assert "cantine" not in html.split("<table>")[1]
    assert "vieille recherche" not in html
    create = reverse("catalogue:vocabulary_create")
    assert f'href="{create}?terme=lampadaire"' in html
    assert '<th scope="row">lampadaire</th>\n      <td>2</td>' in html


@pytest.mark.parametrize(
    ("params", "present", "absent"),
    [
        ({"surface": "console"}, ["nounou"], ["lampadaire"]),
        ({"surface": "portal"}, ["lampadaire"], ["nounou"]),
        ({"period": "90"}, ["vieille recherche", "nounou"], []),
        ({"period": "7", "surface": ""}, ["lampadaire", "nounou"], ["vieille recherche"]),
    ],
)
def test_filters_by_period_and_surface(
    searches: None,
    persona_client: PersonaClient,
    params: dict[str, str],
    present: list[str],
    absent: list[str],
) -> None:
    """The period and the surface narrow the list."""
    table = persona_client.as_("supervisor").get(URL, params).content.decode().split("<table>")[1]
    for text in present:
        assert f">{text}</th>" in table
    for text in absent:
        assert f">{text}</th>" not in table


@pytest.mark.parametrize("params", [{"period": "abc"}, {"surface": "<script>"}, {"page": "x"}])
def test_bad_filters_are_explained_not_an_error(
    searches: None, persona_client: PersonaClient, params: dict[str, str]
) -> None:
    """A hand-edited filter gives the default list, with a message when a value is invalid."""
    response = persona_client.as_("supervisor").get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html
    if "page" not in params:
        assert 'role="alert"' in html


def test_empty_list_says_so(small_catalogue: SmallCatalogue, persona_client: PersonaClient) -> None:
    """Without any unhelpful search, the page says so."""
    html = persona_client.as_("admin_agent").get(URL).content.decode()
    assert "Aucune recherche sans réponse sur cette période." in html


@pytest.mark.parametrize(("persona", "shown"), [("supervisor", True), ("reception_agent", False)])
def test_catalogue_page_links_to_the_search_pages_for_editors(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str, shown: bool
) -> None:
    """The agents' catalogue page links to the unhelpful searches and the vocabulary for editors."""
    html = persona_client.as_(persona).get(reverse("catalogue:agent_index")).content.decode()
    assert (URL in html) is shown
    assert (reverse("catalogue:vocabulary_list") in html) is shown
