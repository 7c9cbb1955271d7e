"""Search with the vocabulary: expansions, equivalents, named procedures, life event cues.

Every ranking test runs once per backend (generic and native; both on PostgreSQL).
"""

from dataclasses import dataclass

import pytest

from guichet.catalogue.actions import (
    create_article,
    create_procedure,
    create_vocabulary_entry,
    delete_vocabulary_entry,
)
from guichet.catalogue.analysis import stem
from guichet.catalogue.choices import VocabularyKind
from guichet.catalogue.models import Article, LifeEvent, Procedure
from guichet.catalogue.search import search_articles, search_catalogue, search_procedures
from guichet.catalogue.search_backends import SearchBackend
from guichet.organisation.models import Department
from tests.factories import DepartmentFactory, LifeEventFactory

EXPANSION = VocabularyKind.EXPANSION


@dataclass
class Town:
    events: dict[str, LifeEvent]
    procedures: dict[str, Procedure]
    caf: Article


def _procedure(slug: str, title: str, department: Department, events: list[LifeEvent], **values):
    return create_procedure(
        actor=None,
        values={
            "slug": slug,
            "title": title,
            "summary": values.pop("summary", title),
            "body": values.pop("body", "Venez en mairie avec vos papiers."),
            "department": department,
            "life_events": events,
            **values,
        },
    )


@pytest.fixture
def town(db: None) -> Town:
    """A few procedures and an article, and a small vocabulary, created through the actions."""
    department = DepartmentFactory(slug="population", name="Population")
    events = {
        slug: LifeEventFactory(slug=slug, title=slug)
        for slug in ("naissance", "petite-enfance", "scolarite", "cadre-de-vie", "papiers")
    }
    specs = [
        ("relais", "Relais petite enfance", ["petite-enfance"], ["assistante maternelle"]),
        ("ecole", "Inscrire son enfant à l'école maternelle", ["scolarite"], ["maternelle"]),
        ("signalement", "Signaler un problème dans la rue", ["cadre-de-vie"], ["éclairage public"]),
        ("naissance", "Déclarer une naissance", ["naissance"], ["acte de naissance"]),
        ("creche", "Demander une place en crèche", ["naissance", "petite-enfance"], []),
        ("stationnement", "Réserver une place de stationnement", ["cadre-de-vie"], []),
        ("carte", "Carte nationale d'identité", ["papiers"], ["carte d'identité"]),
        ("question", "Poser une question sur une naissance", list(events), []),
    ]
    procedures = {
        slug: _procedure(slug, title, department, [events[e] for e in evs], keywords=keywords)
        for slug, title, evs, keywords in specs
    }
    caf = create_article(
        actor=None,
        values={"slug": "orienter-caf", "title": "Orienter vers la CAF", "body": "Allocations."},
    )
    create_article(
        actor=None,
        values={
            "slug": "dossier-cni",
            "title": "Vérifier un dossier de CNI",
            "body": "La photo.",
            "procedures": [procedures["carte"]],
        },
    )
    vocabulary = [
        (EXPANSION, ["nounou"], ["assistante maternelle"], [], [], None),
        (EXPANSION, ["lampadaire"], ["éclairage public"], [procedures["signalement"]], [], None),
        (EXPANSION, ["réverbère"], [], [procedures["signalement"]], [], None),
        (EXPANSION, ["APL"], [], [], [caf], None),
        (VocabularyKind.EQUIVALENT, ["carte d'identité", "CNI"], [], [], [], None),
        (VocabularyKind.LIFE_EVENT_CUE, ["bébé", "enceinte"], [], [], [], events["naissance"]),
    ]
    for kind, terms, means, hinted, articles, event in vocabulary:
        create_vocabulary_entry(
            actor=None,
            kind=kind,
            terms=terms,
            means=means,
            procedures=hinted,
            articles=articles,
            life_event=event,
        )
    return Town(events, procedures, caf)


def ranked(query: str, backend: SearchBackend) -> list[str]:
    return [m.procedure.slug for m in search_procedures(query, backend=backend)]


def scores(query: str, backend: SearchBackend) -> dict[str, float]:
    return {m.procedure.slug: m.score for m in search_procedures(query, backend=backend)}


def test_expansion_finds_what_the_word_means(town: Town, backend: SearchBackend) -> None:
    """The word "nounou" finds the childminders' procedure, though it never says "nounou"."""
    assert ranked("je cherche une nounou", backend)[:1] == ["relais"]


def test_expansion_is_matched_as_a_phrase(town: Town, backend: SearchBackend) -> None:
    """An expansion is a phrase: "maternelle" alone (the nursery school) is no match."""
    assert "ecole" not in ranked("nounou", backend)


def test_expansion_weighs_less_than_the_word_itself(town: Town, backend: SearchBackend) -> None:
    """A document with the resident's own word ranks above one reached through its meaning."""
    department = Department.objects.get(slug="population")
    _procedure("nounou-club", "La nounou du quartier", department, [])
    _procedure("assistantes", "L'assistante maternelle du quartier", department, [])
    order = ranked("nounou", backend)
    assert order.index("nounou-club") < order.index("assistantes")


def test_equivalents_work_in_every_direction(town: Town, backend: SearchBackend) -> None:
    """Equivalents: "CNI" finds the card, "carte d'identité" the article that only says CNI."""
    assert ranked("CNI", backend)[:1] == ["carte"]
    articles = search_articles("carte d'identite", backend=backend)
    assert [m.article.slug for m in articles][:1] == ["dossier-cni"]


def test_named_procedure_comes_first(town: Town, backend: SearchBackend) -> None:
    """A word that names a procedure finds it even when no text of it contains the word."""
    assert ranked("réverbère", backend) == ["signalement"]
    assert ranked("lampadaire en panne", backend)[:1] == ["signalement"]


def test_named_procedure_is_a_hint_not_a_filter(town: Town, backend: SearchBackend) -> None:
    """Other words of the query still find their own procedures."""
    found = ranked("lampadaire devant l'école maternelle", backend)
    assert {"signalement", "ecole"} <= set(found)


def test_named_article_comes_first(town: Town, backend: SearchBackend) -> None:
    """An expansion may name a knowledge article (here the CAF's, for "APL")."""
    assert [m.article.slug for m in search_articles("APL", backend=backend)] == ["orienter-caf"]


def test_article_of_a_named_procedure_is_found(town: Town, backend: SearchBackend) -> None:
    """An article linked to a procedure a word names is found too (the CNI one, to "carte")."""
    create_vocabulary_entry(
        actor=None, kind=EXPANSION, terms=["papiers perdus"], procedures=[town.procedures["carte"]]
    )
    assert [m.article.slug for m in search_articles("papiers perdus", backend=backend)] == [
        "dossier-cni"
    ]


def test_life_event_cue_finds_its_procedures(town: Town, backend: SearchBackend) -> None:
    """A word evoking a life event brings that event's procedures, even without shared words."""
    found = ranked("je suis enceinte", backend)
    assert set(found) == {"naissance", "creche"}


def test_life_event_cue_boosts_without_filtering(town: Town, backend: SearchBackend) -> None:
    """With "bébé", the nursery (a birth procedure) outranks parking, which is still found."""
    found = scores("une place pour bébé", backend)
    assert found["creche"] > found["stationnement"] > 0


def test_procedure_for_every_life_event_gets_no_boost(town: Town, backend: SearchBackend) -> None:
    """A general procedure (linked to every life event) is not favoured by a cue."""
    found = scores("naissance bébé", backend)
    assert found["naissance"] > found["question"]
    assert "question" not in ranked("enceinte", backend)


def test_vocabulary_is_reached_through_typos(town: Town, backend: SearchBackend) -> None:
    """A misspelled vocabulary word ("nounoue") still brings what it means."""
    assert ranked("nounoue", backend)[:1] == ["relais"]


def test_vocabulary_is_reached_as_you_type(town: Town, backend: SearchBackend) -> None:
    """An unfinished vocabulary word ("nouno") already brings what it means."""
    assert ranked("nouno", backend)[:1] == ["relais"]


def test_terms_include_expansions(town: Town) -> None:
    """The analysed terms of a search include what vocabulary added, for highlighting."""
    results = search_catalogue("nounou")
    assert {stem("nounou"), stem("assistante"), stem("maternelle")} <= set(results.terms)
    (match,) = [m for m in results.procedures if m.procedure.slug == "relais"]
    assert {stem("assistante"), stem("maternelle")} <= set(match.matched_terms)


def test_vocabulary_changes_apply_at_once(town: Town, backend: SearchBackend) -> None:
    """A new entry is used by the next search, and a deleted one no longer."""
    assert ranked("trottinette", backend) == []
    entry = create_vocabulary_entry(
        actor=None,
        kind=EXPANSION,
        terms=["trottinette"],
        procedures=[town.procedures["signalement"]],
    )
    assert ranked("trottinette", backend) == ["signalement"]
    delete_vocabulary_entry(entry, actor=None)
    assert ranked("trottinette", backend) == []
