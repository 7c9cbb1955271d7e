"""Actions on catalogue content: revisions, search documents, review dates."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from guichet.catalogue.actions import (
    changed_fields,
    create_article,
    mark_reviewed,
    update_article,
    update_procedure,
)
from guichet.catalogue.choices import RevisionSource
from guichet.catalogue.history import history_of
from guichet.catalogue.models import Article, ContentRevision, Procedure
from guichet.catalogue.search import search_articles, search_procedures
from guichet.organisation.models import Agent
from tests.catalogue.conftest import SmallCatalogue


def revisions(obj: Procedure | Article) -> list[ContentRevision]:
    """Return the revisions of ``obj``, newest first."""
    return list(
        ContentRevision.objects.filter(
            object_id=obj.pk, content_type=ContentType.objects.get_for_model(obj)
        )
    )


def test_update_procedure_records_who_changed_which_fields(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """An update writes one revision with the actor, the changed fields and a full snapshot."""
    procedure = small_catalogue.carte_identite
    before = len(revisions(procedure))
    update_procedure(
        procedure,
        actor=supervisor.user,
        changes={"cost": "25 € en cas de perte", "title": procedure.title, "keywords": ["CNI"]},
        comment="Tarif de la perte",
    )
    procedure.refresh_from_db()
    assert procedure.cost == "25 € en cas de perte"
    assert procedure.updated_by == supervisor.user
    latest = revisions(procedure)[0]
    assert len(revisions(procedure)) == before + 1
    assert latest.actor == supervisor.user
    assert latest.changed_fields == ["cost", "keywords"]
    assert latest.comment == "Tarif de la perte"
    assert latest.source == RevisionSource.EDITOR
    assert latest.snapshot["cost"] == "25 € en cas de perte"
    assert latest.snapshot["life_events"] == ["papiers"]
    assert latest.snapshot["department"] == "population"


def test_update_without_change_writes_nothing(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """Saving the same values records no revision and keeps the last editor."""
    procedure = small_catalogue.cantine
    before = len(revisions(procedure))
    update_procedure(procedure, actor=supervisor.user, changes={"cost": procedure.cost})
    assert len(revisions(procedure)) == before
    procedure.refresh_from_db()
    assert procedure.updated_by is None


def test_update_refreshes_the_search_document(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """A new keyword is found by search right after the update."""
    assert search_procedures("goûter") == []
    update_procedure(
        small_catalogue.cantine, actor=supervisor.user, changes={"keywords": ["goûter"]}
    )
    assert [m.procedure.slug for m in search_procedures("gouter")] == ["restauration-scolaire"]


def test_update_life_events_and_department(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """Relations are changed and recorded by slug."""
    procedure = small_catalogue.cantine
    update_procedure(
        procedure,
        actor=supervisor.user,
        changes={
            "life_events": [small_catalogue.papiers, small_catalogue.scolarite],
            "department": small_catalogue.espace_public,
        },
    )
    assert set(procedure.life_events.values_list("slug", flat=True)) == {"papiers", "scolarite"}
    latest = revisions(procedure)[0]
    assert latest.changed_fields == ["department", "life_events"]
    assert latest.snapshot["life_events"] == ["papiers", "scolarite"]
    assert latest.snapshot["department"] == "espace-public"


def test_unknown_field_is_a_programming_error(small_catalogue: SmallCatalogue) -> None:
    """Changing a field that is not editable raises instead of being ignored."""
    with pytest.raises(ValueError, match="slug"):
        changed_fields(small_catalogue.cantine, {"slug": "autre"})


def test_create_article_makes_a_free_slug(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """The slug comes from the title and never collides; the review date defaults to a year."""
    values = {"title": "Vérifier un dossier de carte d'identité", "body": "Texte."}
    first = create_article(actor=supervisor.user, values=values)
    second = create_article(actor=supervisor.user, values=values)
    assert first.slug == "verifier-un-dossier-de-carte-didentite"
    assert second.slug == "verifier-un-dossier-de-carte-didentite-2"
    assert first.review_before == timezone.localdate() + datetime.timedelta(days=365)
    assert revisions(first)[0].actor == supervisor.user
    assert "verifier-un-dossier-de-carte-didentite" in [
        m.article.slug for m in search_articles("dossier carte")
    ]


def test_create_article_from_a_title_without_letters(supervisor: Agent) -> None:
    """A title made only of symbols still gives a usable slug."""
    article = create_article(actor=supervisor.user, values={"title": "???", "body": "Texte."})
    assert article.slug == "fiche"


def test_update_article_links_procedures(
    small_catalogue: SmallCatalogue, supervisor: Agent
) -> None:
    """Linked procedures change with a revision naming them by slug."""
    article = small_catalogue.fiche_cni
    update_article(
        article,
        actor=supervisor.user,
        changes={"procedures": [small_catalogue.carte_identite, small_catalogue.carte_grise]},
    )
    assert revisions(article)[0].snapshot["procedures"] == ["carte-grise", "carte-identite"]


def test_mark_reviewed_always_records(small_catalogue: SmallCatalogue, supervisor: Agent) -> None:
    """Marking as reviewed sets the next date and leaves a trace, even with the same date."""
    procedure = small_catalogue.carte_identite
    date = timezone.localdate() + datetime.timedelta(days=200)
    mark_reviewed(procedure, actor=supervisor.user, review_before=date)
    mark_reviewed(procedure, actor=supervisor.user, review_before=date)
    procedure.refresh_from_db()
    assert procedure.review_before == date
    latest, previous = revisions(procedure)[:2]
    assert latest.changed_fields == []
    assert previous.changed_fields == ["review_before"]
    assert latest.comment == "Contenu relu et validé"


def test_history_shows_before_and_after(small_catalogue: SmallCatalogue, supervisor: Agent) -> None:
    """The history pairs each changed field with its previous and new value, newest first."""
    procedure = small_catalogue.cantine
    update_procedure(procedure, actor=supervisor.user, changes={"commitment_days": 15})
    update_procedure(procedure, actor=supervisor.user, changes={"body": "Nouveau texte."})
    entries = history_of(procedure)
    assert [c.name for c in entries[0].changes] == ["body"]
    assert entries[0].changes[0].long
    change = entries[1].changes[0]
    assert (change.label, change.before, change.after) == (
        "délai d'engagement (jours ouvrés)",
        "10",
        "15",
    )
    assert entries[-1].revision.actor is None
