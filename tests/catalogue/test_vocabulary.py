"""Vocabulary actions: create, update, delete, with history and checks."""

import pytest

from guichet.catalogue.actions import (
    create_vocabulary_entry,
    delete_vocabulary_entry,
    update_vocabulary_entry,
)
from guichet.catalogue.choices import (
    RevisionSource,
    VocabularyChange,
    VocabularyKind,
    VocabularySource,
)
from guichet.catalogue.models import VocabularyEntry, VocabularyRevision
from guichet.catalogue.vocabulary import InvalidVocabulary, check_entry, clean_terms
from guichet.organisation.models import Agent
from tests.catalogue.conftest import SmallCatalogue

EXPANSION = VocabularyKind.EXPANSION


def test_create_records_who_and_a_revision(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """A supervisor's new entry is local, with a revision holding its content."""
    entry = create_vocabulary_entry(
        actor=supervisor.user,
        kind=EXPANSION,
        terms=["  cantoche "],
        means=["cantine"],
        procedures=[small_catalogue.cantine],
        comment="Mot entendu au guichet",
    )
    assert entry.terms == ["cantoche"]
    assert entry.source == VocabularySource.EDITED
    assert entry.updated_by == supervisor.user
    assert entry.key.startswith("local:")
    assert list(entry.procedures.all()) == [small_catalogue.cantine]
    (revision,) = entry.revisions.all()
    assert revision.change == VocabularyChange.CREATED
    assert revision.source == RevisionSource.EDITOR
    assert revision.actor == supervisor.user
    assert revision.comment == "Mot entendu au guichet"
    assert revision.snapshot["procedures"] == ["restauration-scolaire"]
    assert str(entry) == "cantoche → cantine"


def test_update_changes_only_what_differs(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """Saving the same values writes nothing; a change writes a revision with the result."""
    entry = create_vocabulary_entry(
        actor=None, kind=VocabularyKind.EQUIVALENT, terms=["CNI", "carte d'identité"]
    )
    update_vocabulary_entry(
        entry, actor=supervisor.user, changes={"terms": ["CNI", "carte d'identité"]}
    )
    assert entry.revisions.count() == 1
    update_vocabulary_entry(
        entry, actor=supervisor.user, changes={"terms": ["CNI", "carte d'identité", "carte ID"]}
    )
    entry.refresh_from_db()
    assert entry.terms == ["CNI", "carte d'identité", "carte ID"]
    latest = entry.revisions.first()
    assert latest is not None
    assert latest.change == VocabularyChange.UPDATED
    assert latest.snapshot["terms"] == entry.terms


def test_update_of_a_shipped_entry_makes_it_local(small_catalogue: SmallCatalogue) -> None:
    """A shipped entry a supervisor edits becomes a local edit."""
    entry = create_vocabulary_entry(
        actor=None,
        kind=EXPANSION,
        terms=["cantoche"],
        means=["cantine"],
        source=RevisionSource.IMPORT,
        key="expansion:cantoche",
    )
    assert entry.source == VocabularySource.SHIPPED
    update_vocabulary_entry(entry, actor=None, changes={"means": ["restauration scolaire"]})
    entry.refresh_from_db()
    assert entry.source == VocabularySource.EDITED


def test_update_rejects_unknown_fields(small_catalogue: SmallCatalogue) -> None:
    """Only the editable fields may change."""
    entry = create_vocabulary_entry(actor=None, kind=EXPANSION, terms=["x1"], means=["cantine"])
    with pytest.raises(ValueError):
        update_vocabulary_entry(entry, actor=None, changes={"kind": "equivalent"})


def test_delete_keeps_the_history(small_catalogue: SmallCatalogue, supervisor: Agent) -> None:
    """A deleted entry leaves a revision with its last content, under its key."""
    entry = create_vocabulary_entry(
        actor=None, kind=EXPANSION, terms=["cantoche"], means=["cantine"]
    )
    key = entry.key
    delete_vocabulary_entry(entry, actor=supervisor.user, comment="Doublon")
    assert not VocabularyEntry.objects.filter(key=key).exists()
    latest = VocabularyRevision.objects.filter(key=key).first()
    assert latest is not None
    assert (latest.change, latest.entry, latest.comment) == (
        VocabularyChange.DELETED,
        None,
        "Doublon",
    )
    assert latest.snapshot["terms"] == ["cantoche"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": EXPANSION, "terms": []}, "au moins un terme"),
        ({"kind": "equivalent", "terms": ["CNI"]}, "au moins deux termes"),
        ({"kind": EXPANSION, "terms": ["a", "b"], "means": ["c"]}, "un seul terme"),
        ({"kind": EXPANSION, "terms": ["nounou"]}, "veut dire"),
        ({"kind": "life_event_cue", "terms": ["bébé"]}, "événement de vie"),
        ({"kind": "other", "terms": ["bébé"]}, "inconnu"),
    ],
)
def test_check_entry_explains_what_is_wrong(values: dict[str, object], message: str) -> None:
    """Invalid combinations are refused with a French message saying what to fix."""
    with pytest.raises(InvalidVocabulary, match=message):
        check_entry(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (["de la"], "mots ignorés"),
        (["x" * 101], "dépasse 100 caractères"),
        ([""], "pas un texte"),
        ([None], "pas un texte"),
    ],
)
def test_clean_terms_refuses_bad_terms(terms: list[object], message: str) -> None:
    """Empty terms, stop words only, or too long terms are refused."""
    with pytest.raises(InvalidVocabulary, match=message):
        clean_terms("terms", terms)


def test_clean_terms_merges_what_search_reads_the_same() -> None:
    """Terms search reads the same ("CNI", "cni ") are one; numbers are accepted as text."""
    assert clean_terms("terms", ["CNI", "cni ", "carte  d'identité", 16]) == [
        "CNI",
        "carte d'identité",
        "16",
    ]


def test_invalid_entry_is_not_created(db: None) -> None:
    """The action refuses an invalid entry and writes nothing."""
    with pytest.raises(InvalidVocabulary):
        create_vocabulary_entry(actor=None, kind=EXPANSION, terms=["nounou"])
    assert not VocabularyEntry.objects.exists()
    assert not VocabularyRevision.objects.exists()
