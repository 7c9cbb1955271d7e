"""Agent-facing catalogue pages: reading, searching, editing, history and review."""

import dataclasses
import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.catalogue import agent_views
from guichet.catalogue.actions import update_procedure
from guichet.catalogue.loader import LoadReport
from guichet.catalogue.models import Article, ContentRevision, Procedure, SearchQuery
from guichet.organisation.models import Agent
from tests.catalogue.conftest import SmallCatalogue, yesterday
from tests.conftest import PERSONAS, PersonaClient

AGENTS = {
    "reception_agent", "ccas_agent", "education_agent", "helper_agent", "supervisor",
    "admin_agent", "dpo",
}  # fmt: skip
EDITORS = {"supervisor", "admin_agent"}


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:agent_index"),
        reverse("catalogue:agent_index") + "?q=CNI&department=population",
        reverse("catalogue:agent_procedure", args=["carte-identite"]),
        reverse("catalogue:agent_procedure", args=["brouillon"]),
        reverse("catalogue:procedure_history", args=["carte-identite"]),
        reverse("catalogue:article_list"),
        reverse("catalogue:article", args=["verifier-dossier-cni"]),
        reverse("catalogue:article_history", args=["verifier-dossier-cni"]),
    ],
)
def test_agent_pages_are_for_agents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str, url: str
) -> None:
    """Every agent reads these pages; residents get 404 and anonymous visitors must log in."""
    response = persona_client.as_(persona).get(url)
    assert response.status_code == expected(persona, AGENTS)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:procedure_edit", args=["carte-identite"]),
        reverse("catalogue:article_edit", args=["verifier-dossier-cni"]),
        reverse("catalogue:article_create"),
        reverse("catalogue:review_list"),
        reverse("catalogue:article", args=["fiche-brouillon"]),
    ],
)
def test_editor_pages_are_for_supervisors_and_admins(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str, url: str
) -> None:
    """Editing, the review list and unpublished articles are for supervisors and admins."""
    assert persona_client.as_(persona).get(url).status_code == expected(persona, EDITORS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:procedure_reviewed", args=["carte-identite"]),
        reverse("catalogue:article_reviewed", args=["verifier-dossier-cni"]),
    ],
)
def test_mark_reviewed_is_for_editors(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, persona: str, url: str
) -> None:
    """Only editors may mark content as reviewed; others get 404 (anonymous: login)."""
    response = persona_client.as_(persona).post(url)
    assert response.status_code == (302 if persona in EDITORS | {"anonymous"} else 404)


def test_mark_reviewed_refuses_get(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Marking as reviewed changes data, so it only answers POST."""
    url = reverse("catalogue:procedure_reviewed", args=["carte-identite"])
    assert persona_client.as_("supervisor").get(url).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        reverse("catalogue:agent_procedure", args=["inconnue"]),
        reverse("catalogue:article", args=["inconnue"]),
        reverse("catalogue:procedure_edit", args=["inconnue"]),
        reverse("catalogue:article_history", args=["inconnue"]),
    ],
)
def test_unknown_content_is_404(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, url: str
) -> None:
    """Unknown slugs are 404s, even for an administrator."""
    assert persona_client.as_("admin_agent").get(url).status_code == 404


def test_agent_procedure_shows_note_articles_and_public_content(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """The agents' page has the note, the published linked articles and the public texts."""
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("catalogue:agent_procedure", args=["carte-identite"]))
        .content.decode()
    )
    assert "Vérifier la <strong>photo</strong> et la pré-demande." in html
    assert reverse("catalogue:article", args=["verifier-dossier-cni"]) in html
    assert "Fiche en préparation" not in html
    assert "Photo d&#x27;identité de moins de 6 mois" in html
    assert reverse("catalogue:procedure_edit", args=["carte-identite"]) not in html
    assert 'aria-current="page">Catalogue et fiches' in html


def test_editor_sees_edit_tools_and_unpublished_articles(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Supervisors get the edit link, the review button and unpublished linked articles."""
    html = (
        persona_client.as_("supervisor")
        .get(reverse("catalogue:agent_procedure", args=["carte-identite"]))
        .content.decode()
    )
    assert reverse("catalogue:procedure_edit", args=["carte-identite"]) in html
    assert reverse("catalogue:procedure_reviewed", args=["carte-identite"]) in html
    assert "Fiche en préparation" in html


def test_agent_index_lists_procedures_with_stale_flags(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Without a query, every procedure is listed; past review dates show "À revoir"."""
    update_procedure(small_catalogue.cantine, actor=None, changes={"review_before": yesterday()})
    html = persona_client.as_("reception_agent").get(reverse("catalogue:agent_index")).content
    text = html.decode()
    assert text.count("À revoir</span>") == 1
    assert "Démarche en préparation" in text
    assert "Non publiée" in text


def test_agent_index_filters_by_department(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """The department filter keeps that department's procedures only."""
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("catalogue:agent_index"), {"department": "education"})
        .content.decode()
    )
    assert "Inscrire son enfant à la restauration scolaire" in html
    assert "Carte nationale d&#x27;identité" not in html


def test_agent_index_searches_procedures_and_articles(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """A query lists matching procedures (unpublished included) and published articles."""
    client = persona_client.as_("reception_agent")
    html = client.get(reverse("catalogue:agent_index"), {"q": "CNI"}).content.decode()
    search = SearchQuery.objects.get()
    assert search.surface == "console"
    click_url = reverse("catalogue:agent_search_click", args=[search.uuid, "carte-identite"])
    assert f'href="{click_url}"' in html
    assert reverse("catalogue:article", args=["verifier-dossier-cni"]) in html
    response = client.get(click_url)
    assert response["Location"] == reverse("catalogue:agent_procedure", args=["carte-identite"])
    html = client.get(reverse("catalogue:agent_index"), {"q": "brouillon"}).content.decode()
    assert "/brouillon/" in html


def test_agent_index_offers_did_you_mean_and_keeps_the_department(
    small_catalogue: SmallCatalogue,
    persona_client: PersonaClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A corrected query is a link that keeps the department filter."""
    real = agent_views.search_catalogue

    def with_suggestion(query: str, **kwargs: object) -> object:
        return dataclasses.replace(real(query, **kwargs), suggestion="cantine")  # type: ignore[arg-type]

    monkeypatch.setattr(agent_views, "search_catalogue", with_suggestion)
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("catalogue:agent_index"), {"q": "kantine", "department": "education"})
        .content.decode()
    )
    url = reverse("catalogue:agent_index") + "?q=cantine&amp;department=education"
    assert f'Vouliez-vous dire : <a href="{url}">cantine</a> ?' in html


def test_agent_click_log_is_for_agents(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """The agents' result links answer 404 to residents, like the agents' pages."""
    url = reverse("catalogue:agent_search_click", args=[uuid.uuid4(), "carte-identite"])
    assert persona_client.as_("resident").get(url).status_code == 404
    assert persona_client.as_("reception_agent").get(url).status_code == 302


def test_agent_index_query_count_is_bounded(
    real_catalogue: LoadReport,
    persona_client: PersonaClient,
    django_assert_max_num_queries: object,
) -> None:
    """Listing the whole catalogue takes a fixed, small number of queries."""
    client = persona_client.as_("reception_agent")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("catalogue:agent_index")).status_code == 200


def edit_data(procedure: Procedure, **overrides: str) -> dict[str, object]:
    """Return the edit form's data for ``procedure``, as a browser would post it."""
    data: dict[str, object] = {
        "version": procedure.updated_at.isoformat(),
        "title": procedure.title,
        "summary": procedure.summary,
        "department": str(procedure.department_id),
        "life_events": [str(pk) for pk in procedure.life_events.values_list("pk", flat=True)],
        "orient_to": procedure.orient_to,
        "channels": procedure.channels,
        "cost": procedure.cost,
        "commitment_days": "" if procedure.commitment_days is None else procedure.commitment_days,
        "who_can_ask": procedure.who_can_ask,
        "documents": "\n".join(procedure.documents),
        "body": procedure.body,
        "agent_note": procedure.agent_note,
        "keywords": "\n".join(procedure.keywords),
        "review_before": procedure.review_before.isoformat() if procedure.review_before else "",
        "comment": "",
    }
    for flag in ("handled_by_city", "appointment_required", "is_published"):
        if getattr(procedure, flag):
            data[flag] = "on"
    return data | overrides


def procedure_revisions(procedure: Procedure) -> list[ContentRevision]:
    return list(
        ContentRevision.objects.filter(
            content_type=ContentType.objects.get_for_model(Procedure), object_id=procedure.pk
        )
    )


def test_supervisor_edits_a_procedure(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, supervisor: Agent
) -> None:
    """A valid edit saves, redirects to the agents' page and appears in the history."""
    procedure = small_catalogue.cantine
    client = persona_client.as_("supervisor")
    url = reverse("catalogue:procedure_edit", args=[procedure.slug])
    data = edit_data(
        procedure,
        cost="Tarif selon le quotient, de 0,50 € à 5 €",
        documents="Attestation de quotient familial\nRIB pour le prélèvement",
        comment="Nouveaux tarifs",
    )
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "catalogue:agent_procedure", args=[procedure.slug]
    )
    assert "Modifications enregistrées." in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.documents == ["Attestation de quotient familial", "RIB pour le prélèvement"]
    latest = procedure_revisions(procedure)[0]
    assert latest.actor == supervisor.user
    assert latest.changed_fields == ["documents", "cost"]
    history = client.get(reverse("catalogue:procedure_history", args=[procedure.slug]))
    html = history.content.decode()
    assert "Nouveaux tarifs" in html
    assert supervisor.user.display_name() in html
    assert "RIB pour le prélèvement" in html


def test_saving_unchanged_form_records_nothing(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Submitting the form untouched (browsers send CRLF line ends) writes no revision."""
    procedure = small_catalogue.carte_identite
    before = len(procedure_revisions(procedure))
    data = edit_data(procedure)
    data["body"] = procedure.body.replace("\n", "\r\n")
    response = persona_client.as_("admin_agent").post(
        reverse("catalogue:procedure_edit", args=[procedure.slug]), data, follow=True
    )
    assert "Aucune modification à enregistrer." in response.content.decode()
    assert len(procedure_revisions(procedure)) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire."),
        ({"title": "x" * 301}, "au plus 300 caractères"),
        ({"commitment_days": "-3"}, "supérieure ou égale à 0"),
        ({"commitment_days": "trois"}, "Saisissez un nombre entier."),
        ({"review_before": "2025-02-31"}, "Saisissez une date valide."),
        ({"department": "999999"}, "Sélectionnez un choix valide."),
        ({"channels": "fax"}, "Sélectionnez un choix valide."),
        ({"keywords": "\n".join(["mot"] * 61)}, "Gardez au plus 60 lignes"),
        ({"keywords": "y" * 101}, "au plus 100 caractères"),
    ],
)
def test_invalid_edit_keeps_input_and_explains(
    small_catalogue: SmallCatalogue,
    persona_client: PersonaClient,
    overrides: dict[str, str],
    message: str,
) -> None:
    """A bad value re-displays the form with a linked error and everything typed kept."""
    procedure = small_catalogue.cantine
    before = procedure_revisions(procedure)
    data = edit_data(procedure, summary="Résumé retapé par l'agent", **overrides)
    response = persona_client.as_("supervisor").post(
        reverse("catalogue:procedure_edit", args=[procedure.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert message in html
    assert "Résumé retapé par l&#x27;agent" in html
    assert 'aria-invalid="true"' in html
    assert procedure_revisions(procedure) == before


def test_hostile_input_is_stored_as_text_and_escaped(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Markup typed by an editor is saved verbatim and displayed escaped everywhere."""
    procedure = small_catalogue.cantine
    client = persona_client.as_("supervisor")
    hostile = '<script>alert("x")</script>'
    client.post(
        reverse("catalogue:procedure_edit", args=[procedure.slug]),
        edit_data(procedure, title=hostile, agent_note=hostile, keywords=hostile),
    )
    procedure.refresh_from_db()
    assert procedure.title == hostile
    for url in (
        reverse("catalogue:agent_procedure", args=[procedure.slug]),
        reverse("catalogue:procedure_history", args=[procedure.slug]),
        reverse("catalogue:agent_index"),
    ):
        html = client.get(url).content.decode()
        assert hostile not in html
        assert "&lt;script&gt;" in html


def test_concurrent_edit_is_detected(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, admin_agent: Agent
) -> None:
    """If someone saved meanwhile, the form says who, keeps the input and saves nothing."""
    procedure = small_catalogue.cantine
    data = edit_data(procedure, cost="Mon nouveau tarif")
    update_procedure(procedure, actor=admin_agent.user, changes={"summary": "Changé entre-temps"})
    response = persona_client.as_("supervisor").post(
        reverse("catalogue:procedure_edit", args=[procedure.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"modifié par {admin_agent.user.display_name()}" in html
    assert "Mon nouveau tarif" in html
    procedure.refresh_from_db()
    assert procedure.summary == "Changé entre-temps"
    assert procedure.cost != "Mon nouveau tarif"
    # The re-displayed form carries the current version: submitting again goes through.
    data["version"] = procedure.updated_at.isoformat()
    data["summary"] = procedure.summary
    persona_client.as_("supervisor").post(
        reverse("catalogue:procedure_edit", args=[procedure.slug]), data
    )
    procedure.refresh_from_db()
    assert procedure.cost == "Mon nouveau tarif"


def test_supervisor_creates_an_article(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, supervisor: Agent
) -> None:
    """Creating an article links it to procedures and shows it to agents."""
    response = persona_client.as_("supervisor").post(
        reverse("catalogue:article_create"),
        {
            "title": "Orienter vers la CAF",
            "summary": "Allocations familiales et logement.",
            "department": "",
            "body": "## Quand orienter\n\n- Aides au logement",
            "procedures": [str(small_catalogue.cantine.pk)],
            "keywords": "CAF\nallocations",
            "is_published": "on",
            "review_before": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        },
    )
    article = Article.objects.get(slug="orienter-vers-la-caf")
    assert response["Location"] == reverse("catalogue:article", args=[article.slug])
    assert list(article.procedures.all()) == [small_catalogue.cantine]
    assert article.keywords == ["CAF", "allocations"]
    html = (
        persona_client.as_("reception_agent")
        .get(reverse("catalogue:article", args=[article.slug]))
        .content.decode()
    )
    assert "<h2>Quand orienter</h2>" in html


def test_invalid_article_keeps_input(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """A missing body is reported and the title typed is kept."""
    response = persona_client.as_("supervisor").post(
        reverse("catalogue:article_create"), {"title": "Ma fiche <b>", "body": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in html
    assert 'value="Ma fiche &lt;b&gt;"' in html
    assert not Article.objects.filter(title__startswith="Ma fiche").exists()


def test_supervisor_edits_an_article(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Editing an article saves it with a revision."""
    article = small_catalogue.fiche_cni
    persona_client.as_("supervisor").post(
        reverse("catalogue:article_edit", args=[article.slug]),
        {
            "version": article.updated_at.isoformat(),
            "title": article.title,
            "summary": article.summary,
            "department": str(article.department_id),
            "body": "Nouveau contenu.",
            "procedures": [str(small_catalogue.carte_identite.pk)],
            "keywords": "CNI",
            "is_published": "on",
            "review_before": article.review_before.isoformat() if article.review_before else "",
        },
    )
    article.refresh_from_db()
    assert article.body == "Nouveau contenu."
    assert article.keywords == ["CNI"]


def test_review_list_and_mark_reviewed(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Stale content is listed; marking it reviewed moves its date a year ahead."""
    update_procedure(small_catalogue.cantine, actor=None, changes={"review_before": yesterday()})
    client = persona_client.as_("supervisor")
    html = client.get(reverse("catalogue:review_list")).content.decode()
    assert "Inscrire son enfant à la restauration scolaire" in html
    assert "Carte nationale d&#x27;identité" not in html
    response = client.post(
        reverse("catalogue:procedure_reviewed", args=["restauration-scolaire"]),
        {"next": reverse("catalogue:review_list")},
        follow=True,
    )
    assert "est marqué comme relu" in response.content.decode()
    small_catalogue.cantine.refresh_from_db()
    assert small_catalogue.cantine.review_before == timezone.localdate() + datetime.timedelta(
        days=365
    )
    assert (
        "restauration scolaire</a>"
        not in client.get(reverse("catalogue:review_list")).content.decode()
    )


def test_mark_reviewed_ignores_foreign_next_url(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """An outside ``next`` URL is not followed: back to the review list instead."""
    response = persona_client.as_("supervisor").post(
        reverse("catalogue:article_reviewed", args=["verifier-dossier-cni"]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("catalogue:review_list")


def test_history_of_article_lists_revisions(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, client: Client
) -> None:
    """The history of an article shows the load that created it."""
    html = (
        persona_client.as_("helper_agent")
        .get(reverse("catalogue:article_history", args=["verifier-dossier-cni"]))
        .content.decode()
    )
    assert "Modification par un agent" in html
    assert "Titre" in html
