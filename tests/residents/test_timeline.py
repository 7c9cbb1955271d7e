import pytest

from guichet.residents.actions import (
    add_document,
    create_household,
    merge_residents,
    update_resident,
)
from guichet.residents.choices import DocumentKind, Relation
from guichet.residents.timeline import timeline_entries
from tests.factories import ContactFactory
from tests.residents.conftest import pdf_file

pytestmark = pytest.mark.django_db


def test_timeline_has_creation_changes_households_documents_and_merges(
    helene, make_resident, reception_agent, supervisor
) -> None:
    """Each kind of change of the file is an entry, with who did it."""
    update_resident(helene, actor=reception_agent.user, channel="phone", city="Paris")
    create_household(name="Foyer Dupont", members=[(helene, Relation.HEAD)], actor=None, channel="")
    document = add_document(
        resident=helene,
        kind=DocumentKind.PASSPORT,
        uploaded_file=pdf_file(),
        valid_until=None,
        actor=reception_agent.user,
    )
    twin = make_resident(first_names="Helene", usage_name="Dupond")
    ContactFactory(resident=twin)
    merge_residents(source=twin, target=helene, actor=supervisor.user)

    entries = timeline_entries(helene, reception_agent.user)
    kinds = sorted(entry.kind for entry in entries)
    assert kinds == ["document", "household", "merge", "resident", "resident"]
    updated = next(e for e in entries if e.title == "Fiche modifiée")
    assert updated.summary == "Champs : commune"
    assert updated.channel_label == "Téléphone"
    added = next(e for e in entries if e.kind == "document")
    assert added.url == f"/agents/usagers/pieces/{document.uuid}/"
    assert added.summary == "Passeport"
    merged = next(e for e in entries if e.kind == "merge")
    assert "DUPOND Helene" in merged.summary and "1 élément" in merged.summary


def test_timeline_is_empty_for_non_agents(helene, resident) -> None:
    """Residents and anonymous viewers get no entries from this app."""
    assert timeline_entries(helene, resident.user) == []
    assert timeline_entries(helene, None) == []
