"""The console search box: results page, suggestions as you type, did you mean, search log."""

import dataclasses

import pytest
from django.test import Client
from django.urls import reverse

from guichet.backoffice import views
from guichet.catalogue.models import SearchQuery
from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page
from tests.factories import ArticleFactory, ResidentFactory

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:search")
SUGGESTIONS = reverse("backoffice:suggestions")
LOG = reverse("backoffice:search_log")


@pytest.fixture
def suggest(monkeypatch: pytest.MonkeyPatch):
    """suggest("cantine") makes the engine propose that corrected query for any search."""

    def install(text: str) -> None:
        real = views.search_catalogue

        def with_suggestion(query: str, **kwargs: object) -> object:
            return dataclasses.replace(real(query, **kwargs), suggestion=text)  # type: ignore[arg-type]

        monkeypatch.setattr(views, "search_catalogue", with_suggestion)

    return install


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [URL, SUGGESTIONS])
def test_search_is_for_agents(persona, persona_client, city, url):
    """Agents search; residents get 404; anonymous visitors log in first."""
    response = persona_client.as_(persona).get(url, {"q": "dupont"})
    assert response.status_code == expected_for_agent_page(persona)


def test_search_finds_residents_by_misspelled_name_and_procedures(
    persona_client, resident, id_procedure
):
    """One query finds a resident despite a typo; another finds the procedure."""
    client = persona_client.as_("reception_agent")
    html = client.get(URL, {"q": "Dupond"}).content.decode()
    assert resident.get_absolute_url() in html
    html = client.get(URL, {"q": "carte identite"}).content.decode()
    assert id_procedure.title.replace("'", "&#x27;") in html
    assert f"{reverse('contacts:log')}?demarche=carte-identite" in html
    assert "<mark>" in html


def test_search_by_birth_date(persona_client, city):
    """A birth date finds the resident born that day."""
    person = ResidentFactory(usage_name="Lefebvre", first_names="Anne", birth_date="1980-05-17")
    html = persona_client.as_("reception_agent").get(URL, {"q": "17/05/1980"}).content.decode()
    assert person.get_absolute_url() in html


def test_search_finds_articles_and_highlights_the_words(persona_client, city):
    """Knowledge articles are searched too, the matched word marked."""
    ArticleFactory(
        slug="orienter-caf", title="Orienter vers la CAF", body="Allocations familiales."
    )
    html = persona_client.as_("reception_agent").get(URL, {"q": "caf"}).content.decode()
    assert "Orienter vers la <mark>CAF</mark>" in html


def test_full_page_without_js_keeps_the_query(persona_client, resident):
    """Without JavaScript, the results page repeats the query in the box."""
    html = persona_client.as_("reception_agent").get(URL, {"q": "<b>dupont"}).content.decode()
    assert "<h1>Recherche</h1>" in html
    assert 'value="&lt;b&gt;dupont"' in html


def test_short_and_long_queries(persona_client, city):
    """One character asks for more; a huge query is cut, never an error."""
    client = persona_client.as_("reception_agent")
    assert "au moins deux caractères" in client.get(URL, {"q": "d"}).content.decode()
    assert client.get(URL, {"q": "x" * 10_000}).status_code == 200
    assert client.get(SUGGESTIONS, {"q": "d"}).content == b""
    assert client.get(SUGGESTIONS, {"q": "x" * 10_000}).status_code == 200


def test_search_shows_phones_in_the_national_format(persona_client, city):
    """Phones stored in E.164 are shown the way agents read them out ("06 12 34 56 78")."""
    ResidentFactory(usage_name="Lefebvre", first_names="Anne", phone="+33612345678")
    html = persona_client.as_("reception_agent").get(URL, {"q": "lefebvre"}).content.decode()
    assert "06 12 34 56 78" in html
    assert "+33612345678" not in html


def test_suggestions_group_residents_procedures_and_articles(
    persona_client, resident, id_procedure
):
    """The suggestions are listbox options in groups, residents with why they matched."""
    ArticleFactory(slug="fiche-dupont", title="Accueillir M. Dupont", body="Texte.")
    client = persona_client.as_("reception_agent")
    html = client.get(SUGGESTIONS, {"q": "dupond"}).content.decode()
    assert 'data-status="1 usager trouvé' in html
    assert f'role="option" data-href="{resident.get_absolute_url()}"' in html
    assert 'role="group" aria-labelledby="console-search-residents"' in html
    assert '<span class="badge">' in html  # the reasons of the match
    assert f'data-href="{URL}?q=dupond"' in html
    html = client.get(SUGGESTIONS, {"q": "carte identite"}).content.decode()
    agent_page = reverse("catalogue:agent_procedure", args=["carte-identite"])
    assert f'data-href="{agent_page}" data-slug="carte-identite"' in html
    assert "<mark>" in html


def test_did_you_mean_when_nobody_matches(persona_client, resident, id_procedure, suggest):
    """A corrected query is offered for catalogue words, not when the query found somebody."""
    suggest("carte identité")
    client = persona_client.as_("reception_agent")
    html = client.get(URL, {"q": "kart identiter"}).content.decode()
    assert f'Vouliez-vous dire : <a href="{URL}?q=carte%20identit%C3%A9">carte identité</a>' in html
    html = client.get(SUGGESTIONS, {"q": "kart identiter"}).content.decode()
    assert 'data-query="carte identité"' in html
    assert "Vouliez-vous dire" not in client.get(URL, {"q": "dupond"}).content.decode()


def test_catalogue_searches_are_logged_resident_lookups_are_not(
    persona_client, resident, id_procedure
):
    """A procedure search goes to the log (console); a query that finds a person never does."""
    client = persona_client.as_("reception_agent")
    client.get(URL, {"q": "dupond"})
    client.get(URL, {"q": "Dupont 12/03/1985"})
    assert not SearchQuery.objects.exists()
    html = client.get(URL, {"q": "carte identite"}).content.decode()
    search = SearchQuery.objects.get()
    assert (search.surface, search.result_count) == ("console", 1)
    click_url = reverse("catalogue:agent_search_click", args=[search.uuid, "carte-identite"])
    assert f'href="{click_url}"' in html
    response = client.get(click_url)
    assert response["Location"] == reverse("catalogue:agent_procedure", args=["carte-identite"])
    search.refresh_from_db()
    assert search.clicked_at is not None


def test_unknown_words_without_any_match_are_not_logged(persona_client, city):
    """A query finding nothing at all may be a newcomer's name: it is not kept."""
    persona_client.as_("reception_agent").get(URL, {"q": "Kowalczyk"})
    assert not SearchQuery.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_log_is_for_agents(persona, persona_client, id_procedure):
    """Only agents' boxes write to the console log."""
    response = persona_client.as_(persona).post(LOG, {"q": "carte identite"})
    expected = expected_for_agent_page(persona)
    assert response.status_code == (204 if expected == 200 else expected)


def test_search_log_records_an_opened_procedure(persona_client, resident, id_procedure):
    """A suggestion opened from the box is logged with its procedure; a person never is."""
    client = persona_client.as_("reception_agent")
    assert (
        client.post(LOG, {"q": "carte identite", "demarche": "carte-identite"}).status_code == 204
    )
    search = SearchQuery.objects.get()
    assert search.surface == "console"
    assert search.clicked_at is not None
    assert client.post(LOG, {"q": "dupond"}).status_code == 204
    assert SearchQuery.objects.count() == 1


def test_search_log_rejects_bad_input(persona_client, city):
    """Malformed requests are a 400; GET is not allowed; CSRF is checked."""
    client = persona_client.as_("reception_agent")
    assert client.post(LOG, {"q": ""}).status_code == 400
    assert client.post(LOG, {"q": "x", "demarche": "a b"}).status_code == 400
    assert client.get(LOG, {"q": "x"}).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(persona_client.request.getfixturevalue("reception_agent").user)
    assert strict.post(LOG, {"q": "cantine"}).status_code == 403
