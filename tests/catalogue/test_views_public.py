"""Resident-facing catalogue pages: browse, search, read a procedure."""

import pytest
from django.test import Client
from django.urls import reverse

from guichet.catalogue.actions import update_procedure
from guichet.catalogue.loader import LoadReport
from guichet.organisation.choices import SiteKind
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, City, PersonaClient
from tests.factories import SiteFactory

AGENTS = {
    "reception_agent", "ccas_agent", "education_agent", "helper_agent", "supervisor",
    "admin_agent", "dpo",
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:index"),
        reverse("catalogue:index") + "?q=carte",
        reverse("catalogue:life_event", args=["papiers"]),
        reverse("catalogue:procedure", args=["carte-identite"]),
        reverse("catalogue:procedure", args=["carte-grise"]),
    ],
)
def test_public_pages_are_open_to_everybody(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str, url: str
) -> None:
    """Published catalogue pages answer 200 to every persona, logged in or not."""
    assert persona_client.as_(persona).get(url).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_procedure_is_for_agents_only(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str
) -> None:
    """An unpublished procedure is a 404 for residents and anonymous visitors, 200 for agents."""
    response = persona_client.as_(persona).get(reverse("catalogue:procedure", args=["brouillon"]))
    assert response.status_code == (200 if persona in AGENTS else 404)


@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:procedure", args=["inconnue"]),
        reverse("catalogue:life_event", args=["inconnu"]),
    ],
)
def test_unknown_slugs_are_404(small_catalogue: SmallCatalogue, client: Client, url: str) -> None:
    """Unknown procedures and life events are plain 404s."""
    assert client.get(url).status_code == 404


def test_index_browses_by_life_event_and_theme(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """The index lists life events and the published procedures grouped by department."""
    response = client.get(reverse("catalogue:index"))
    html = response.content.decode()
    assert 'aria-current="page"' in html
    assert reverse("catalogue:life_event", args=["papiers"]) in html
    assert "Mon enfant va à l&#x27;école" in html
    assert '<h3 id="theme-education">Éducation</h3>' in html
    assert "Démarche en préparation" not in html


def test_index_search_shows_ranked_results(small_catalogue: SmallCatalogue, client: Client) -> None:
    """``?q=`` lists the matching published procedures and keeps the query in the box."""
    response = client.get(reverse("catalogue:index"), {"q": "cantine"})
    html = response.content.decode()
    assert "1 démarche pour « cantine »" in html
    assert reverse("catalogue:procedure", args=["restauration-scolaire"]) in html
    assert 'value="cantine"' in html


def test_index_search_without_result_suggests_a_way_out(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """No result says so and points to browsing and to asking a question."""
    html = client.get(reverse("catalogue:index"), {"q": "brouillon"}).content.decode()
    assert "Aucune démarche pour « brouillon »" in html
    assert "Essayez un autre mot" in html


def test_index_search_escapes_hostile_query(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A query with markup is echoed escaped."""
    html = client.get(reverse("catalogue:index"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_index_search_rejects_overlong_query(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A huge query gives a clear message instead of results, and is kept in the box."""
    response = client.get(reverse("catalogue:index"), {"q": "carte " * 100})
    html = response.content.decode()
    assert response.status_code == 200
    assert "au plus 200 caractères" in html
    assert 'aria-invalid="true"' in html


def test_life_event_lists_its_published_procedures(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A life event page lists its procedures and flags those handled elsewhere."""
    html = client.get(reverse("catalogue:life_event", args=["papiers"])).content.decode()
    assert "Carte nationale d&#x27;identité" in html
    assert "Auprès d'un autre organisme" in html
    assert "Démarche en préparation" not in html


def test_procedure_page_says_what_how_where_cost_and_delay(
    small_catalogue: SmallCatalogue, city: City, client: Client
) -> None:
    """The page gives documents, channels, appointment, cost, delay and the counters."""
    SiteFactory(slug="relais-sud", name="Relais numérique Sud", kind=SiteKind.DIGITAL_HELP_POINT)
    html = client.get(
        reverse("catalogue:procedure", args=["restauration-scolaire"])
    ).content.decode()
    assert "Attestation de quotient familial" in html
    assert "Accueil physique, Courriel, En ligne" in html
    assert "Sans rendez-vous" in html
    assert "Selon le quotient familial" in html
    assert "La ville s'engage à traiter votre demande en 10 jours ouvrés." in html
    assert "Hôtel de Ville" in html and "Mairie annexe Nord" in html
    assert "Relais numérique Sud" in html
    assert "Note pour les agents" not in html
    assert "Vérifier le quotient familial" not in html


def test_procedure_body_is_rendered_markup(small_catalogue: SmallCatalogue, client: Client) -> None:
    """Headings, lists and bold of the body are rendered; headings sit under the page's h2."""
    html = client.get(reverse("catalogue:procedure", args=["carte-identite"])).content.decode()
    assert "<h3>Les étapes</h3>" in html
    assert "<li>Faites une <strong>pré-demande</strong> en ligne.</li>" in html
    assert "Sur rendez-vous" in html
    assert "Pas de délai d'engagement de la ville" in html
    assert "Bon à savoir" in html


def test_procedure_not_handled_by_city_orients(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """A procedure of another body says so first and where to go."""
    html = client.get(reverse("catalogue:procedure", args=["carte-grise"])).content.decode()
    assert "Cette démarche ne se fait pas auprès de la ville" in html
    assert "France Titres (ANTS)" in html


def test_procedure_page_escapes_edited_content(
    small_catalogue: SmallCatalogue, client: Client
) -> None:
    """Markup typed into the content by an editor is shown as text, never run."""
    update_procedure(
        small_catalogue.cantine,
        actor=None,
        changes={
            "title": "<img src=x onerror=alert(1)>",
            "body": "<script>alert(1)</script> **gras**",
            "documents": ["<b>pièce</b>"],
        },
    )
    html = client.get(
        reverse("catalogue:procedure", args=["restauration-scolaire"])
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "<b>pièce</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <strong>gras</strong>" in html


def test_agent_sees_a_link_to_the_agent_page(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Agents reading the public page get a link to the agents' version."""
    url = reverse("catalogue:procedure", args=["carte-identite"])
    agent_link = reverse("catalogue:agent_procedure", args=["carte-identite"])
    assert agent_link in persona_client.as_("reception_agent").get(url).content.decode()


def test_public_link_hidden_from_residents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Residents do not get the agents' link."""
    url = reverse("catalogue:procedure", args=["carte-identite"])
    agent_link = reverse("catalogue:agent_procedure", args=["carte-identite"])
    assert agent_link not in persona_client.as_("resident").get(url).content.decode()


def test_real_catalogue_pages_render(real_catalogue: LoadReport, client: Client) -> None:
    """Every life event and every procedure of the shipped catalogue renders."""
    from guichet.catalogue.models import LifeEvent, Procedure

    for event in LifeEvent.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
    for procedure in Procedure.objects.all():
        assert client.get(procedure.get_absolute_url()).status_code == 200, procedure.slug
