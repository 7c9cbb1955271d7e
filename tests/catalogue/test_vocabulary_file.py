"""Loading the vocabulary file: idempotent, keeps supervisors' edits, reports bad entries."""

from pathlib import Path

import pytest
import yaml

from guichet.catalogue.actions import (
    create_vocabulary_entry,
    delete_vocabulary_entry,
    update_vocabulary_entry,
)
from guichet.catalogue.choices import RevisionSource, VocabularyKind, VocabularySource
from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import VocabularyEntry, VocabularyRevision
from guichet.catalogue.search import search_procedures

VOCABULARY = {
    "equivalents": [["carte d'identité", "CNI", "carte nationale d'identité"]],
    "expansions": [
        {"term": "nounou", "means": ["assistante maternelle"]},
        {"term": "biclou", "means": ["vélo"], "procedures": ["velo", "fiche-velo"]},
    ],
    "life_event_cues": {"demenagement": ["carton", "nouvel appartement"]},
}


def write(directory: Path, name: str, data: object) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content directory with one procedure, one article and a vocabulary file."""
    write(tmp_path, "departments.yaml", [{"slug": "mobilite", "name": "Mobilités"}])
    write(tmp_path, "life_events.yaml", [{"slug": "demenagement", "title": "Je déménage"}])
    write(
        tmp_path,
        "procedures/velo.yaml",
        {
            "slug": "velo",
            "title": "Louer un vélo",
            "summary": "Location de vélos municipaux.",
            "department": "mobilite",
            "life_events": ["demenagement"],
            "body": "Un vélo pour se déplacer.",
        },
    )
    write(
        tmp_path,
        "articles/fiche-velo.yaml",
        {"slug": "fiche-velo", "title": "Répondre sur les vélos", "body": "Orienter."},
    )
    write(tmp_path, "vocabulary.yaml", VOCABULARY)
    return tmp_path


def entry(key: str) -> VocabularyEntry:
    return VocabularyEntry.objects.get(key=key)


def test_load_creates_the_vocabulary(db: None, content: Path) -> None:
    """Each group, expansion and cue becomes a shipped entry with an import revision."""
    report = load_catalogue(content)
    assert report.ok, report.summary()
    assert report.created["vocabulary"] == 4
    group = entry("equivalent:carte d identite")
    assert group.kind == VocabularyKind.EQUIVALENT
    assert group.terms == VOCABULARY["equivalents"][0]
    biclou = entry("expansion:biclou")
    assert [p.slug for p in biclou.procedures.all()] == ["velo"]
    assert [a.slug for a in biclou.articles.all()] == ["fiche-velo"]
    cue = entry("life_event_cue:demenagement")
    assert cue.life_event is not None and cue.life_event.slug == "demenagement"
    assert {e.source for e in VocabularyEntry.objects.all()} == {VocabularySource.SHIPPED}
    assert {r.source for r in VocabularyRevision.objects.all()} == {RevisionSource.IMPORT}
    assert "vocabulaire : 4 entrées créées" in report.summary()


def test_loaded_vocabulary_is_used_by_search(db: None, content: Path) -> None:
    """The loaded expansions apply at once."""
    load_catalogue(content)
    assert [m.procedure.slug for m in search_procedures("biclou")] == ["velo"]


def test_loading_again_changes_nothing(db: None, content: Path) -> None:
    """A second load of the same file writes no row."""
    load_catalogue(content)
    revisions = VocabularyRevision.objects.count()
    report = load_catalogue(content)
    assert report.unchanged["vocabulary"] == 4
    assert report.created["vocabulary"] == report.updated["vocabulary"] == 0
    assert VocabularyRevision.objects.count() == revisions


def test_changed_file_updates_and_removes_shipped_entries(db: None, content: Path) -> None:
    """An edited entry is updated; a shipped entry that left the file is deleted."""
    load_catalogue(content)
    write(
        content,
        "vocabulary.yaml",
        {"expansions": [{"term": "nounou", "means": ["assistante maternelle", "crèche"]}]},
    )
    report = load_catalogue(content)
    assert report.ok, report.summary()
    assert report.updated["vocabulary"] == 1
    assert report.deleted["vocabulary"] == 3
    assert entry("expansion:nounou").means == ["assistante maternelle", "crèche"]
    assert VocabularyEntry.objects.count() == 1


def test_supervisor_edits_are_kept(db: None, content: Path) -> None:
    """An entry a supervisor changed or deleted keeps the supervisor's version on reload."""
    load_catalogue(content)
    update_vocabulary_entry(entry("expansion:nounou"), actor=None, changes={"means": ["crèche"]})
    delete_vocabulary_entry(entry("expansion:biclou"), actor=None)
    write(content, "vocabulary.yaml", VOCABULARY | {"life_event_cues": {}})
    report = load_catalogue(content)
    assert sorted(report.kept_local_edits) == ["expansions n°1 (nounou)", "expansions n°2 (biclou)"]
    assert entry("expansion:nounou").means == ["crèche"]
    assert not VocabularyEntry.objects.filter(key="expansion:biclou").exists()
    assert report.deleted["vocabulary"] == 1  # the cue left the file


def test_overwrite_replaces_supervisor_edits(db: None, content: Path) -> None:
    """With overwrite_local_edits, the file wins again, deleted entries included."""
    load_catalogue(content)
    update_vocabulary_entry(entry("expansion:nounou"), actor=None, changes={"means": ["crèche"]})
    delete_vocabulary_entry(entry("expansion:biclou"), actor=None)
    report = load_catalogue(content, overwrite_local_edits=True)
    assert report.updated["vocabulary"] == 1 and report.created["vocabulary"] == 1
    assert entry("expansion:nounou").means == ["assistante maternelle"]
    assert entry("expansion:nounou").source == VocabularySource.SHIPPED


def test_local_entries_are_never_removed(db: None, content: Path) -> None:
    """Entries created by supervisors are not touched by loads."""
    load_catalogue(content)
    local = create_vocabulary_entry(
        actor=None, kind=VocabularyKind.EXPANSION, terms=["cantoche"], means=["cantine"]
    )
    write(content, "vocabulary.yaml", {})
    load_catalogue(content)
    assert VocabularyEntry.objects.filter(pk=local.pk).exists()


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        ({"expansions": [{"term": "biclou", "means": ["vélo"], "procedures": ["zz"]}]}, "zz"),
        ({"expansions": [{"term": "biclou"}]}, "veut dire"),
        ({"expansions": [{"term": "biclou", "sens": ["vélo"]}]}, "s'écrit"),
        ({"expansions": ["biclou"]}, "s'écrit"),
        ({"equivalents": [["CNI"]]}, "au moins deux termes"),
        ({"equivalents": ["CNI"]}, "doit être une liste"),
        ({"equivalents": [["le", "de la"]]}, "mots ignorés"),
        ({"life_event_cues": {"mariage": ["noces"]}}, "événement de vie inconnu"),
        ({"life_event_cues": ["noces"]}, "associe un événement"),
        ({"synonymes": []}, "section inconnue"),
        ({"expansions": {"term": "x"}}, "doit être une liste"),
        (["CNI"], "sections"),
        (
            {
                "expansions": [
                    {"term": "biclou", "means": ["vélo"]},
                    {"term": "Biclou", "means": ["vélo"]},
                ]
            },
            "même premier terme",
        ),
    ],
)
def test_bad_entries_are_reported_and_skipped(
    db: None, content: Path, vocabulary: object, message: str
) -> None:
    """Each invalid entry is reported with the file and a French reason; the rest loads."""
    write(content, "vocabulary.yaml", vocabulary)
    report = load_catalogue(content)
    assert not report.ok
    assert report.errors[0].path == "vocabulary.yaml"
    assert message in report.errors[0].message
    assert report.created["procedures"] == 1


def test_errors_do_not_delete_entries(db: None, content: Path) -> None:
    """While the file has errors, no shipped entry is deleted."""
    load_catalogue(content)
    write(content, "vocabulary.yaml", {"expansions": [{"term": "nounou"}]})
    report = load_catalogue(content)
    assert not report.ok
    assert VocabularyEntry.objects.count() == 4


def test_missing_file_is_fine(db: None, content: Path) -> None:
    """A content directory without a vocabulary file loads without it."""
    (content / "vocabulary.yaml").unlink()
    report = load_catalogue(content)
    assert report.ok
    assert not VocabularyEntry.objects.exists()


def test_shipped_vocabulary_loads_cleanly(db: None) -> None:
    """The vocabulary file shipped with Guichet has no invalid entry."""
    report = load_catalogue()
    errors = [str(error) for error in report.errors if error.path == "vocabulary.yaml"]
    assert errors == []
    assert report.created["vocabulary"] > 0
