"""Supervisors' vocabulary pages: list, add (from an unhelpful search), edit, delete, history."""

import re

import pytest
from django.urls import reverse

from guichet.catalogue.actions import create_vocabulary_entry
from guichet.catalogue.models import VocabularyEntry, VocabularyRevision
from guichet.catalogue.search import search_procedures
from tests.catalogue.conftest import SmallCatalogue
from tests.conftest import PERSONAS, PersonaClient

EDITORS = {"supervisor", "admin_agent"}
LIST = reverse("catalogue:vocabulary_list")
CREATE = reverse("catalogue:vocabulary_create")
HISTORY = reverse("catalogue:vocabulary_history")


def expected(persona: str) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in EDITORS else 404


@pytest.fixture
def cni(small_catalogue: SmallCatalogue) -> VocabularyEntry:
    """An equivalents group written by nobody in particular (as the loader would)."""
    return create_vocabulary_entry(
        actor=None, kind="equivalent", terms=["CNI", "carte nationale d'identité"]
    )


def edit_url(entry: VocabularyEntry) -> str:
    return reverse("catalogue:vocabulary_edit", args=[entry.pk])


def delete_url(entry: VocabularyEntry) -> str:
    return reverse("catalogue:vocabulary_delete", args=[entry.pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["list", "create", "history", "edit", "delete"])
def test_pages_are_for_supervisors(
    cni: VocabularyEntry, persona_client: PersonaClient, persona: str, page: str
) -> None:
    """Supervisors and administrators open every vocabulary page; others get 404."""
    url = {
        "list": LIST,
        "create": CREATE,
        "history": HISTORY,
        "edit": edit_url(cni),
        "delete": delete_url(cni),
    }[page]
    assert persona_client.as_(persona).get(url).status_code == expected(persona)


@pytest.mark.parametrize("persona", ["reception_agent", "dpo", "resident"])
def test_others_cannot_post(
    cni: VocabularyEntry, persona_client: PersonaClient, persona: str
) -> None:
    """Posting to the vocabulary pages is a 404 for anybody but editors; nothing changes."""
    client = persona_client.as_(persona)
    assert client.post(CREATE, {"kind": "expansion", "terms": "x", "means": "y"}).status_code == 404
    assert client.post(delete_url(cni)).status_code == 404
    assert VocabularyEntry.objects.count() == 1


def test_unknown_entry_is_404(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """An entry that does not exist is a plain 404."""
    client = persona_client.as_("supervisor")
    assert client.get(reverse("catalogue:vocabulary_edit", args=[999999])).status_code == 404


def test_list_shows_and_filters_entries(
    cni: VocabularyEntry, small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """The list shows each entry with its kind and links; the filter finds a word, accents aside."""
    create_vocabulary_entry(
        actor=None,
        kind="expansion",
        terms=["cantoche"],
        means=["restauration scolaire"],
        procedures=[small_catalogue.cantine],
    )
    client = persona_client.as_("supervisor")
    html = client.get(LIST).content.decode()
    assert "CNI · carte nationale d&#x27;identité" in html
    assert "restauration scolaire" in html and small_catalogue.cantine.title in html
    assert edit_url(cni) in html and delete_url(cni) in html
    table = client.get(LIST, {"q": "identite"}).content.decode().split("<table>")[1]
    assert "CNI" in table and "cantoche" not in table
    table = client.get(LIST, {"kind": "expansion"}).content.decode().split("<table>")[1]
    assert "cantoche" in table and "CNI" not in table
    assert client.get(LIST, {"kind": "nope", "q": "x" * 500}).status_code == 200


def test_unhelpful_search_prefills_a_new_entry(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """``?terme=`` from the unhelpful searches fills the term of a resident's word."""
    html = persona_client.as_("supervisor").get(CREATE, {"terme": " nounou "}).content.decode()
    assert re.search(r'<input type="radio" name="kind" value="expansion"[^>]* checked', html)
    assert "nounou</textarea>" in html


def test_supervisor_adds_an_expansion_that_search_uses(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, supervisor
) -> None:
    """A new expansion is saved with a history row, and the next search uses it."""
    assert search_procedures("gamelle") == []
    response = persona_client.as_("supervisor").post(
        CREATE,
        {
            "kind": "expansion",
            "terms": "gamelle",
            "means": "restauration scolaire",
            "procedures": [str(small_catalogue.cantine.pk)],
            "comment": "Vu dans les recherches sans réponse",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?q=gamelle"
    entry = VocabularyEntry.objects.get()
    assert (entry.terms, entry.means) == (["gamelle"], ["restauration scolaire"])
    revision = VocabularyRevision.objects.get()
    assert (revision.change, revision.actor, revision.comment) == (
        "created",
        supervisor.user,
        "Vu dans les recherches sans réponse",
    )
    assert search_procedures("gamelle")[0].procedure == small_catalogue.cantine


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "equivalent", "terms": "CNI"}, "au moins deux termes"),
        ({"kind": "expansion", "terms": "nounou"}, "ce que le terme veut dire"),
        ({"kind": "expansion", "terms": "nounou\ngarde", "means": "crèche"}, "un seul terme"),
        ({"kind": "life_event_cue", "terms": "bébé"}, "événement de vie"),
        ({"kind": "expansion", "terms": "le de", "means": "x"}, "mots outils"),
        ({"kind": "bogus", "terms": "x"}, "Sélectionnez un choix valide"),
        ({"kind": "expansion", "terms": "x" * 101, "means": "y"}, "au plus 100 caractères"),
    ],
)
def test_invalid_entry_keeps_input_and_explains(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient, data: dict, message: str
) -> None:
    """An invalid entry is not saved; the form says why and keeps what was typed."""
    response = persona_client.as_("supervisor").post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    assert data["terms"].split("\n")[0][:50] in html
    assert not VocabularyEntry.objects.exists()


def test_hostile_terms_are_stored_as_text_and_escaped(
    small_catalogue: SmallCatalogue, persona_client: PersonaClient
) -> None:
    """Markup typed in a term is kept as text and shown escaped."""
    client = persona_client.as_("supervisor")
    client.post(CREATE, {"kind": "equivalent", "terms": "<script>alert(1)</script>\ncantine"})
    html = client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_supervisor_edits_an_entry(
    cni: VocabularyEntry, persona_client: PersonaClient, supervisor
) -> None:
    """The edit form is filled in; saving records who changed what; the kind stays."""
    client = persona_client.as_("supervisor")
    html = client.get(edit_url(cni)).content.decode()
    assert "CNI\ncarte nationale d&#x27;identité</textarea>" in html
    version = cni.updated_at.isoformat()
    data = {"version": version, "kind": "expansion", "terms": "CNI\ncarte d'identité\ncarte ID"}
    response = client.post(edit_url(cni), data)
    assert response.status_code == 302
    cni.refresh_from_db()
    assert cni.kind == "equivalent"
    assert cni.terms == ["CNI", "carte d'identité", "carte ID"]
    assert cni.updated_by == supervisor.user
    assert VocabularyRevision.objects.filter(change="updated").count() == 1


def test_unchanged_edit_records_nothing(
    cni: VocabularyEntry, persona_client: PersonaClient
) -> None:
    """Saving the form as it is writes no history row."""
    client = persona_client.as_("supervisor")
    data = {"version": cni.updated_at.isoformat(), "terms": "\n".join(cni.terms)}
    response = client.post(edit_url(cni), data, follow=True)
    assert "Aucune modification à enregistrer." in response.content.decode()
    assert not VocabularyRevision.objects.filter(change="updated").exists()


def test_concurrent_edit_is_detected(cni: VocabularyEntry, persona_client: PersonaClient) -> None:
    """A stale version is refused with an explanation, keeping the typed terms."""
    client = persona_client.as_("supervisor")
    response = client.post(edit_url(cni), {"version": "2000-01-01", "terms": "CNI\nID"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "pendant que vous la modifiiez" in html
    assert "CNI\nID</textarea>" in html


def test_supervisor_deletes_an_entry_and_reads_the_history(
    cni: VocabularyEntry, persona_client: PersonaClient, supervisor
) -> None:
    """Deleting asks for confirmation, keeps the entry's content in the history."""
    client = persona_client.as_("supervisor")
    assert "carte nationale" in client.get(delete_url(cni)).content.decode()
    response = client.post(delete_url(cni), {"comment": "Doublon"})
    assert response.status_code == 302
    assert not VocabularyEntry.objects.exists()
    html = client.get(HISTORY).content.decode()
    assert "Supprimée par" in html
    assert supervisor.user.display_name() in html
    assert "Doublon" in html
    assert "CNI · carte nationale d&#x27;identité" in html


def test_history_of_one_entry(cni: VocabularyEntry, persona_client: PersonaClient) -> None:
    """``?entree=`` narrows the history to one entry; a bad value shows everything."""
    other = create_vocabulary_entry(actor=None, kind="equivalent", terms=["HLM", "logement social"])
    client = persona_client.as_("supervisor")
    html = client.get(HISTORY, {"entree": str(cni.pk)}).content.decode()
    assert "CNI" in html and "HLM" not in html
    html = client.get(HISTORY, {"entree": "abc"}).content.decode()
    assert "CNI" in html and "HLM" in html
    assert other.pk
