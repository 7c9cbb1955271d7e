import pytest
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.contacts.helpers import expected_for_agent_page
from tests.factories import ArticleFactory, ResidentFactory

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:search")


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_is_for_agents(persona, persona_client, city):
    """Agents search; residents get 404."""
    response = persona_client.as_(persona).get(URL, {"q": "dupont"})
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


def test_search_by_birth_date(persona_client, city):
    """A birth date finds the resident born that day."""
    person = ResidentFactory(usage_name="Lefebvre", first_names="Anne", birth_date="1980-05-17")
    html = persona_client.as_("reception_agent").get(URL, {"q": "17/05/1980"}).content.decode()
    assert person.get_absolute_url() in html


def test_search_finds_articles(persona_client, city):
    """Knowledge articles are searched too."""
    ArticleFactory(
        slug="orienter-caf", title="Orienter vers la CAF", body="Allocations familiales."
    )
    html = persona_client.as_("reception_agent").get(URL, {"q": "caf"}).content.decode()
    assert "Orienter vers la CAF" in html


def test_htmx_request_gets_only_the_results(persona_client, resident):
    """As-you-type requests get the results fragment, not the whole page."""
    response = persona_client.as_("reception_agent").get(
        URL, {"q": "dupont"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert resident.get_absolute_url() in html


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


def test_search_shows_phones_in_the_national_format(persona_client, city):
    """Phones stored in E.164 are shown the way agents read them out ("06 12 34 56 78")."""
    ResidentFactory(usage_name="Lefebvre", first_names="Anne", phone="+33612345678")
    html = persona_client.as_("reception_agent").get(URL, {"q": "lefebvre"}).content.decode()
    assert "06 12 34 56 78" in html
    assert "+33612345678" not in html
