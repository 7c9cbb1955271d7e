"""The portal's procedure search: suggestions as you type, results, "did you mean", search log."""

import dataclasses
import datetime
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.catalogue import views
from guichet.catalogue.models import SearchQuery
from guichet.catalogue.search_log import unhelpful_queries
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, PersonaClient

INDEX = reverse("catalogue:index")
SUGGESTIONS = reverse("catalogue:suggestions")
LOG = reverse("catalogue:search_log")


def unhelpful_texts() -> list[str]:
    since = timezone.localdate() - datetime.timedelta(days=1)
    return [row.text for row in unhelpful_queries(since=since, surface="portal")]


@pytest.fixture
def suggest_cantine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the engine propose "cantine" as the corrected query, whatever was typed."""
    real = views.search_catalogue

    def with_suggestion(query: str, **kwargs: object) -> object:
        return dataclasses.replace(real(query, **kwargs), suggestion="cantine")  # type: ignore[arg-type]

    monkeypatch.setattr(views, "search_catalogue", with_suggestion)


@pytest.mark.parametrize("persona", PERSONAS)
def test_suggestions_are_public(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """Everybody gets the suggestions of the portal search box."""
    response = persona_client.as_(persona).get(SUGGESTIONS, {"q": "carte"})
    assert response.status_code == 200


def test_suggestions_are_listbox_options(small_catalogue: SmallCatalogue, client: Client) -> None:
    """Each published procedure found is an option with its address, slug and matched words."""
    html = client.get(SUGGESTIONS, {"q": "cantine"}).content.decode()
    assert 'data-status="1 démarche suggérée.' in html
    assert 'role="option" data-href="/demarches/restauration-scolaire/"' in html
    assert 'data-slug="restauration-scolaire"' in html
    assert "<mark>" in html
    assert f'data-href="{INDEX}?q=cantine"' in html
    assert "Voir tous les résultats pour « cantine »" in html


def test_suggestions_leave_out_unpublished_procedures(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """The portal never suggests a procedure that is not published, even to agents."""
    html = persona_client.as_("supervisor").get(SUGGESTIONS, {"q": "brouillon"}).content.decode()
    assert "data-slug" not in html
    assert "Aucune démarche ne correspond." in html


@pytest.mark.parametrize("query", ["", "c", "   "])
def test_suggestions_need_two_characters(small_catalogue: SmallCatalogue, query: str) -> None:
    """Too short a query gets an empty answer (the box shows nothing)."""
    assert Client().get(SUGGESTIONS, {"q": query}).content == b""


def test_suggestions_are_not_logged(small_catalogue: SmallCatalogue, client: Client) -> None:
    """Typing alone keeps nothing: the log gets the search when it is opened or left."""
    client.get(SUGGESTIONS, {"q": "cantine"})
    assert not SearchQuery.objects.exists()


def test_suggestions_escape_hostile_queries(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """Markup typed in the box comes back escaped; an overlong query is no error."""
    html = client.get(SUGGESTIONS, {"q": '<img src=x onerror="alert(1)">'}).content.decode()
    assert "<img" not in html
    assert client.get(SUGGESTIONS, {"q": "x" * 5000}).status_code == 200


def test_did_you_mean_on_suggestions_and_results(
    small_catalogue: SmallCatalogue, client: Client, suggest_cantine: None
) -> None:
    """A corrected query is an option of the box and a link on the results page."""
    html = client.get(SUGGESTIONS, {"q": "kantinne"}).content.decode()
    assert 'role="option" class="combobox-did-you-mean" data-query="cantine"' in html
    assert "Vouliez-vous dire : cantine ?" in html  # in the announced status
    html = client.get(INDEX, {"q": "kantinne"}).content.decode()
    assert f'Vouliez-vous dire : <a href="{INDEX}?q=cantine">cantine</a> ?' in html


def test_results_page_keeps_the_search_and_links_through_the_click_log(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A results page writes the search to the log; opening a result is recorded, then shown."""
    html = client.get(INDEX, {"q": "Cantine"}).content.decode()
    search = SearchQuery.objects.get()
    assert (search.surface, search.result_count) == ("portal", 1)
    click_url = reverse("catalogue:search_click", args=[search.uuid, "restauration-scolaire"])
    assert f'href="{click_url}" rel="nofollow"' in html
    assert "<mark>" in html
    assert unhelpful_texts() == ["cantine"]  # nobody opened a result yet
    response = client.get(click_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:procedure", args=["restauration-scolaire"])
    search.refresh_from_db()
    assert search.clicked_at is not None
    assert unhelpful_texts() == []


def test_search_without_result_is_logged_as_such(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A search that found nothing is listed for supervisors as such."""
    client.get(INDEX, {"q": "lampadaire"})
    [row] = unhelpful_queries(since=timezone.localdate(), surface="portal")
    assert (row.text, row.zero_results) == ("lampadaire", True)


@pytest.mark.parametrize("query", ["dupont 0612345678", "helene@example.org", "né le 12/03/1985"])
def test_personal_data_is_never_logged(
    small_catalogue: SmallCatalogue, client: Client, query: str
) -> None:
    """A search that may identify somebody is not kept; result links then go straight to pages."""
    response = client.get(INDEX, {"q": query})
    assert response.status_code == 200
    assert not SearchQuery.objects.exists()
    assert "/recherche/" not in re.sub(
        r'action="[^"]*"|data-[a-z-]+="[^"]*"', "", response.content.decode()
    )


def test_click_log_checks_the_procedure(small_catalogue: SmallCatalogue, client: Client) -> None:
    """Unknown or unpublished procedures are 404; an unknown search still opens the page."""
    unknown = uuid.uuid4()
    assert (
        client.get(reverse("catalogue:search_click", args=[unknown, "inconnue"])).status_code == 404
    )
    assert (
        client.get(reverse("catalogue:search_click", args=[unknown, "brouillon"])).status_code
        == 404
    )
    response = client.get(reverse("catalogue:search_click", args=[unknown, "carte-identite"]))
    assert response.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_log_is_open_to_everybody(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """The portal box of any visitor may send its search to the log."""
    response = persona_client.as_(persona).post(LOG, {"q": "cantine"})
    assert response.status_code == 204


def test_search_log_keeps_a_left_search_and_an_opened_one(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A search left without opening anything is listed; one whose result was opened is not."""
    assert client.post(LOG, {"q": "nounou"}).status_code == 204
    assert (
        client.post(LOG, {"q": "cantine", "demarche": "restauration-scolaire"}).status_code == 204
    )
    assert unhelpful_texts() == ["nounou"]
    opened = SearchQuery.objects.get(text="cantine")
    assert opened.clicked_at is not None
    assert opened.result_count == 1


@pytest.mark.parametrize("data", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "a", "demarche": "../x"}])
def test_search_log_rejects_bad_input(
    small_catalogue: SmallCatalogue, client: Client, data: dict
) -> None:
    """Malformed log requests are a 400 and keep nothing."""
    assert client.post(LOG, data).status_code == 400
    assert not SearchQuery.objects.exists()


def test_search_log_needs_post_and_csrf(small_catalogue: SmallCatalogue) -> None:
    """The log accepts only POST requests from the site's own pages."""
    assert Client().get(LOG, {"q": "cantine"}).status_code == 405
    assert Client(enforce_csrf_checks=True).post(LOG, {"q": "cantine"}).status_code == 403
