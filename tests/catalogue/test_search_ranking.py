"""Ranking principles: field weights, coordination, proximity, person words, unknown words.

Every test runs once per backend (generic and the database's own).
"""

import pytest

from guichet.catalogue.actions import create_procedure
from guichet.catalogue.models import Procedure
from guichet.catalogue.search import search_procedures
from guichet.catalogue.search_backends import SearchBackend
from tests.factories import DepartmentFactory


def procedure(slug: str, title: str, body: str = "Venez en mairie.", **values: object) -> Procedure:
    return create_procedure(
        actor=None,
        values={
            "slug": slug,
            "title": title,
            "summary": values.pop("summary", "Une démarche."),
            "body": body,
            "department": DepartmentFactory(slug="population"),
            **values,
        },
    )


def ranked(query: str, backend: SearchBackend) -> list[str]:
    return [m.procedure.slug for m in search_procedures(query, backend=backend)]


@pytest.fixture
def filler(db: None) -> None:
    """Documents that contain none of the tested words, so that the tested ones are rare."""
    for n in range(6):
        procedure(f"autre-{n}", f"Autre démarche {n}", "Rien à voir.")


def test_title_outweighs_repetition_in_the_body(filler: None, backend: SearchBackend) -> None:
    """A word in the title counts more than the same word repeated in a long body."""
    procedure("titre", "Carte de stationnement")
    procedure("corps", "Vivre en ville", " ".join(["Le stationnement en ville."] * 5))
    assert ranked("stationnement", backend) == ["titre", "corps"]


def test_documents_matching_every_word_come_first(filler: None, backend: SearchBackend) -> None:
    """A document with both words outranks one with a single word, even in its title."""
    procedure("deux", "Réserver une place", "Une place de stationnement devant chez vous.")
    procedure("un", "Stationnement résidentiel")
    assert ranked("place stationnement", backend)[:1] == ["deux"]


def test_words_side_by_side_add_a_little(filler: None, backend: SearchBackend) -> None:
    """The words of the query found together rank above the same words found apart."""
    procedure("ensemble", "Obtenir un acte", "Demandez l'acte de naissance en ligne.")
    procedure("separes", "Obtenir un acte", "Un acte, puis plus tard la naissance.")
    assert ranked("acte de naissance", backend) == ["ensemble", "separes"]


def test_person_words_count_less(filler: None, backend: SearchBackend) -> None:
    """In "le décès de mon père", the need is the death, not the father."""
    procedure("deces", "Déclarer un décès")
    procedure("pere", "Reconnaissance par le père", keywords=["père", "papa"])
    assert ranked("décès de mon père", backend)[:1] == ["deces"]


def test_unknown_words_do_not_count_against_results(filler: None, backend: SearchBackend) -> None:
    """A word found nowhere (a name, noise) changes neither the order nor the scores."""
    procedure("passeport", "Passeport")
    alone = search_procedures("passeport", backend=backend)
    noisy = search_procedures("passeport xqzwv", backend=backend)
    assert [(m.procedure.slug, m.score) for m in noisy] == [
        (m.procedure.slug, m.score) for m in alone
    ]


def test_equal_scores_are_in_a_stable_order(filler: None, backend: SearchBackend) -> None:
    """Results with the same score are listed by title, then by age, whatever the database."""
    procedure("b", "Bébé : déclaration", "Déclaration.")
    procedure("a", "Bébé : déclaration", "Déclaration.")
    found = search_procedures("bébé", backend=backend)
    assert found[0].score == found[1].score
    assert [m.procedure.slug for m in found] == ["b", "a"]
