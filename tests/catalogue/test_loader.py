"""Loading the catalogue from its YAML files."""

import datetime
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from guichet.catalogue.actions import update_procedure
from guichet.catalogue.choices import RevisionSource
from guichet.catalogue.indexing import parse_search_document
from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import Article, ContentRevision, LifeEvent, Procedure
from guichet.organisation.models import Department, User
from tests.factories import UserFactory

# The table of CATALOGUE.md (the project's reference list): slug, department, life events.
# Slugs are fixed: other tools, imports and tests refer to them.
CATALOGUE = [
    ("acte-naissance", "population", ("naissance", "papiers")),
    ("acte-mariage", "population", ("mariage-pacs", "papiers")),
    ("acte-deces", "population", ("deces",)),
    ("declaration-naissance", "population", ("naissance",)),
    ("declaration-deces", "population", ("deces",)),
    ("reconnaissance-enfant", "population", ("naissance",)),
    ("mariage", "population", ("mariage-pacs",)),
    ("pacs", "population", ("mariage-pacs",)),
    ("changement-prenom", "population", ("papiers",)),
    ("livret-famille", "population", ("naissance", "mariage-pacs")),
    ("parrainage-civil", "population", ("naissance",)),
    ("carte-identite", "population", ("papiers",)),
    ("passeport", "population", ("papiers",)),
    ("inscription-listes-electorales", "population", ("citoyennete", "demenagement")),
    ("recensement-citoyen", "population", ("citoyennete",)),
    ("attestation-accueil", "population", ("papiers",)),
    ("legalisation-signature", "population", ("papiers",)),
    ("concession-funeraire", "population", ("deces",)),
    ("inscription-scolaire", "education", ("scolarite", "demenagement")),
    ("derogation-scolaire", "education", ("scolarite",)),
    ("restauration-scolaire", "education", ("scolarite",)),
    ("accueil-periscolaire", "education", ("scolarite",)),
    ("centre-loisirs", "education", ("scolarite",)),
    ("quotient-familial", "education", ("scolarite", "petite-enfance")),
    ("paiement-factures-famille", "education", ("scolarite", "petite-enfance")),
    ("place-creche", "petite-enfance", ("naissance", "petite-enfance")),
    ("relais-petite-enfance", "petite-enfance", ("naissance", "petite-enfance")),
    ("aide-sociale-facultative", "ccas", ("difficultes",)),
    ("domiciliation", "ccas", ("difficultes",)),
    ("portage-repas", "ccas", ("vieillissement",)),
    ("teleassistance", "ccas", ("vieillissement",)),
    ("registre-vulnerables", "ccas", ("vieillissement",)),
    ("aide-domicile", "ccas", ("vieillissement", "handicap")),
    ("logement-social", "ccas", ("demenagement", "difficultes")),
    ("signalement-espace-public", "espace-public", ("cadre-de-vie",)),
    ("encombrants", "espace-public", ("demenagement", "cadre-de-vie")),
    ("bacs-dechets", "espace-public", ("demenagement", "cadre-de-vie")),
    ("occupation-domaine-public", "espace-public", ("demenagement", "travaux")),
    ("stationnement-residentiel", "espace-public", ("demenagement",)),
    ("objets-trouves", "espace-public", ("papiers",)),
    ("autorisation-urbanisme", "urbanisme", ("travaux",)),
    ("location-salle", "vie-locale", ("vie-associative",)),
    ("subvention-association", "vie-locale", ("vie-associative",)),
    ("inscription-activites", "vie-locale", ("scolarite",)),
    ("accompagnement-numerique", "relation-usager", ("numerique",)),
    ("atelier-numerique", "relation-usager", ("numerique",)),
    ("demenagement", "relation-usager", ("demenagement",)),
    ("chien-categorie", "population", ("cadre-de-vie",)),
    ("question-generale", "relation-usager", ()),  # every life event
]
DEPARTMENTS = {
    "population", "education", "petite-enfance", "ccas", "espace-public", "urbanisme",
    "vie-locale", "relation-usager",
}  # fmt: skip
LIFE_EVENTS = {
    "naissance", "mariage-pacs", "deces", "demenagement", "scolarite", "petite-enfance",
    "papiers", "citoyennete", "vieillissement", "handicap", "difficultes", "cadre-de-vie",
    "travaux", "vie-associative", "numerique",
}  # fmt: skip


def test_real_catalogue_loads_without_error(db: None) -> None:
    """The shipped content is valid: nothing is reported, everything is created."""
    report = load_catalogue()
    assert report.errors == []
    assert report.created["procedures"] == len(CATALOGUE)
    assert set(Department.objects.values_list("slug", flat=True)) == DEPARTMENTS
    assert set(LifeEvent.objects.values_list("slug", flat=True)) == LIFE_EVENTS


def test_every_procedure_of_the_reference_table_is_complete(real_catalogue: object) -> None:
    """Each procedure of CATALOGUE.md exists with its department, life events and every text."""
    procedures = Procedure.objects.select_related("department").prefetch_related("life_events")
    by_slug = {procedure.slug: procedure for procedure in procedures}
    problems = []
    for slug, department, life_events in CATALOGUE:
        procedure = by_slug.get(slug)
        if procedure is None:
            problems.append(f"{slug}: missing")
            continue
        if procedure.department.slug != department:
            problems.append(f"{slug}: department {procedure.department.slug}")
        events = {event.slug for event in procedure.life_events.all()}
        if not events >= set(life_events or LIFE_EVENTS):
            problems.append(f"{slug}: life events {sorted(events)}")
        for name in ("title", "summary", "body", "agent_note", "channels", "keywords", "cost"):
            if not getattr(procedure, name):
                problems.append(f"{slug}: empty {name}")
        if not procedure.handled_by_city and not procedure.orient_to:
            problems.append(f"{slug}: not the city's, but does not say where to go")
        if not procedure.is_published or procedure.review_before is None:
            problems.append(f"{slug}: unpublished or without review date")
        if parse_search_document(procedure.search_document) is None:
            problems.append(f"{slug}: no search document")
    assert problems == []


def test_question_generale_is_linked_to_every_life_event(real_catalogue: object) -> None:
    """The general question (empty life event list) appears under every life event."""
    procedure = Procedure.objects.get(slug="question-generale")
    assert procedure.life_events.count() == LifeEvent.objects.count() == len(LIFE_EVENTS)


def test_demo_has_enough_knowledge_articles(real_catalogue: object) -> None:
    """At least 30 published "fiches réflexes", each linked to a procedure or a department."""
    articles = Article.objects.filter(is_published=True)
    assert articles.count() >= 30
    for article in articles:
        assert article.body
        assert article.procedures.exists() or article.department_id is not None, article.slug


def test_loading_twice_changes_nothing(db: None) -> None:
    """A second load finds everything unchanged and writes no revision."""
    load_catalogue()
    revisions = ContentRevision.objects.count()
    report = load_catalogue()
    assert report.errors == []
    assert sum(report.created.values()) == sum(report.updated.values()) == 0
    assert report.unchanged["procedures"] == len(CATALOGUE)
    assert ContentRevision.objects.count() == revisions
    assert Procedure.objects.count() == len(CATALOGUE)


# Small content directories written for the tests.


def write(directory: Path, name: str, data: object) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def procedure_data(slug: str = "velo", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slug": slug,
        "title": "Louer un vélo",
        "summary": "Location de vélos municipaux.",
        "department": "mobilite",
        "life_events": ["demenagement"],
        "handled_by_city": True,
        "orient_to": "",
        "channels": ["counter", "web"],
        "appointment_required": False,
        "cost": "10 € par mois",
        "commitment_days": 5,
        "who_can_ask": "Tout habitant.",
        "documents": ["Justificatif de domicile"],
        "body": "Un vélo pour se déplacer.",
        "agent_note": "Vérifier le domicile.",
        "keywords": ["vélo", "bicyclette"],
    }
    return data | overrides


@pytest.fixture
def content(tmp_path: Path) -> Path:
    write(tmp_path, "departments.yaml", [{"slug": "mobilite", "name": "Mobilités"}])
    write(
        tmp_path,
        "life_events.yaml",
        [
            {"slug": "demenagement", "title": "Je déménage", "order": 1},
            {"slug": "travaux", "title": "Je fais des travaux", "order": 2},
        ],
    )
    write(tmp_path, "procedures/velo.yaml", procedure_data())
    write(
        tmp_path,
        "articles/fiche-velo.yaml",
        {
            "slug": "fiche-velo",
            "title": "Répondre sur les vélos",
            "summary": "",
            "department": "mobilite",
            "procedures": ["velo"],
            "keywords": ["vélo"],
            "body": "Orienter vers l'accueil.",
        },
    )
    return tmp_path


def test_load_creates_everything_with_a_revision(db: None, content: Path) -> None:
    """Each created procedure and article has an import revision and a review date a year ahead."""
    actor = UserFactory()
    report = load_catalogue(content, actor=actor)
    assert report.ok, report.summary()
    procedure = Procedure.objects.get(slug="velo")
    assert procedure.department.name == "Mobilités"
    assert procedure.commitment_days == 5
    assert list(procedure.life_events.values_list("slug", flat=True)) == ["demenagement"]
    assert procedure.review_before == timezone.localdate() + datetime.timedelta(days=365)
    assert procedure.updated_by == actor
    revision = ContentRevision.objects.get(object_id=procedure.pk, content_type__model="procedure")
    assert revision.source == RevisionSource.IMPORT
    assert revision.actor == actor
    assert revision.snapshot["department"] == "mobilite"
    article = Article.objects.get(slug="fiche-velo")
    assert list(article.procedures.all()) == [procedure]


def test_changed_file_updates_the_procedure(db: None, content: Path) -> None:
    """Editing a file then loading again updates that procedure only, with a new revision."""
    load_catalogue(content)
    write(content, "procedures/velo.yaml", procedure_data(cost="Gratuit", life_events=["travaux"]))
    report = load_catalogue(content)
    assert report.updated["procedures"] == 1
    assert report.unchanged["articles"] == 1
    procedure = Procedure.objects.get(slug="velo")
    assert procedure.cost == "Gratuit"
    assert list(procedure.life_events.values_list("slug", flat=True)) == ["travaux"]
    latest = ContentRevision.objects.filter(object_id=procedure.pk).first()
    assert latest is not None
    assert set(latest.changed_fields) >= {"cost", "life_events"}


def test_review_date_from_file_is_kept(db: None, content: Path) -> None:
    """An explicit ``review_before`` in a file is used as is."""
    write(content, "procedures/velo.yaml", procedure_data(review_before="2020-01-31"))
    load_catalogue(content)
    procedure = Procedure.objects.get(slug="velo")
    assert procedure.review_before == datetime.date(2020, 1, 31)
    assert procedure.is_stale


def test_agents_edits_are_kept_unless_overwritten(db: None, content: Path) -> None:
    """A procedure edited by an agent since the last load is not overwritten by default."""
    load_catalogue(content)
    procedure = Procedure.objects.get(slug="velo")
    update_procedure(procedure, actor=UserFactory(), changes={"cost": "5 €"})
    write(content, "procedures/velo.yaml", procedure_data(cost="Gratuit"))
    report = load_catalogue(content)
    assert report.kept_local_edits == ["velo"]
    assert Procedure.objects.get(slug="velo").cost == "5 €"
    report = load_catalogue(content, overwrite_local_edits=True)
    assert report.updated["procedures"] == 1
    assert Procedure.objects.get(slug="velo").cost == "Gratuit"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channels": ["fax"]}, "canal inconnu : fax"),
        ({"department": "inconnu"}, "service inconnu : inconnu"),
        (
            {"life_events": ["lune"]},
            "« life_events » cite « lune », qui n'est pas un événement de vie connu",
        ),
        ({"title": None}, "le champ « title » est obligatoire"),
        ({"title": "   "}, "le champ « title » est vide"),
        ({"title": "x" * 301}, "dépasse 300 caractères"),
        ({"keywords": "vélo"}, "doit être une liste"),
        ({"keywords": [True]}, "n'est pas un texte"),
        ({"commitment_days": "cinq"}, "nombre de jours ouvrés"),
        ({"commitment_days": -1}, "nombre de jours ouvrés"),
        ({"appointment_required": "oui"}, "doit valoir true ou false"),
        ({"review_before": "31/02/2025"}, "doit être une date AAAA-MM-JJ"),
        ({"keyword": ["vélo"]}, "champ inconnu : keyword"),
        ({"slug": "autre"}, "ne correspond pas au nom du fichier"),
    ],
)
def test_invalid_procedure_is_reported_and_skipped(
    db: None, content: Path, overrides: dict[str, object], message: str
) -> None:
    """Each invalid field is reported with its file and reason; the rest still loads."""
    (content / "articles" / "fiche-velo.yaml").unlink()
    write(content, "procedures/velo.yaml", procedure_data(**overrides))
    write(content, "procedures/trottinette.yaml", procedure_data("trottinette"))
    report = load_catalogue(content)
    assert not report.ok
    assert len(report.errors) == 1
    assert report.errors[0].path == "procedures/velo.yaml"
    assert message in report.errors[0].message
    assert message in report.summary()
    assert list(Procedure.objects.values_list("slug", flat=True)) == ["trottinette"]


def test_article_linking_an_unknown_procedure_is_reported(db: None, content: Path) -> None:
    """An article that names a procedure that does not exist is reported, not half-loaded."""
    write(
        content,
        "articles/fiche-velo.yaml",
        {"slug": "fiche-velo", "title": "Fiche", "body": "Texte.", "procedures": ["tandem"]},
    )
    report = load_catalogue(content)
    assert [str(e) for e in report.errors] == [
        "articles/fiche-velo.yaml: le champ « procedures » cite « tandem », qui n'est pas "
        "une démarche connue"
    ]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("slug: [velo\n", "YAML invalide"),
        ("- une liste\n", "un seul élément"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_unreadable_file_is_reported(
    db: None, content: Path, text: str | bytes, message: str
) -> None:
    """Broken YAML, a wrong shape or a wrong encoding is reported, not raised."""
    (content / "articles" / "fiche-velo.yaml").unlink()
    path = content / "procedures" / "velo.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    report = load_catalogue(content)
    assert len(report.errors) == 1
    assert message in report.errors[0].message


def test_invalid_life_event_in_list_file_names_its_slug(db: None, content: Path) -> None:
    """An error in a list file (life events) says which entry is wrong."""
    entry = {"slug": "demenagement", "title": "Je déménage", "order": "1"}
    write(content, "life_events.yaml", [entry])
    report = load_catalogue(content)
    assert str(report.errors[0]) == (
        "life_events.yaml: demenagement : le champ « order » doit être un entier positif"
    )


def test_missing_directory_is_reported(db: None, tmp_path: Path) -> None:
    """A content directory that does not exist gives one clear error."""
    report = load_catalogue(tmp_path / "nulle-part")
    assert not report.ok
    assert "n'existe pas" in report.errors[0].message


def test_departments_are_updated_from_file(db: None, content: Path) -> None:
    """A department that already exists (by slug) takes the name and flags of the file."""
    Department.objects.create(slug="mobilite", name="Ancien nom")
    report = load_catalogue(content)
    assert report.updated["departments"] == 1
    assert Department.objects.get(slug="mobilite").name == "Mobilités"
    assert not User.objects.exists()
