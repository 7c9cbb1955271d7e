"""Resident lookup by names typed with typos, without accents, in any order and spelling."""

import datetime

import pytest

from guichet.residents.search import find_residents
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(make_resident):
    """Residents with look-alike, compound and married names (made by the actions)."""
    return {
        "helene": make_resident(
            first_names="Hélène",
            usage_name="Lefebvre",
            birth_name="Garnier",
            civility="mme",
            birth_date=datetime.date(1980, 3, 12),
        ),
        "helena": make_resident(first_names="Héléna", usage_name="Lefort"),
        "claire": make_resident(
            first_names="Claire", usage_name="Martin-Dupont", birth_date=datetime.date(1975, 5, 2)
        ),
        "claire_martin": make_resident(first_names="Claire", usage_name="Martin"),
        "jp": make_resident(first_names="Jean-Pierre", usage_name="Bensaïd"),
        "jean": make_resident(first_names="Jean", usage_name="Bensaïd"),
        "noemie": make_resident(first_names="Noémie", usage_name="Le Goff"),
        "lucas": make_resident(first_names="Lucas", usage_name="Goff"),
        "sow": make_resident(first_names="Awa", usage_name="Sow"),
        "other": make_resident(first_names="Paul", usage_name="Durand"),
    }


def first(query: str) -> str:
    """Return "FIRST NAMES LAST NAME" of the best match."""
    matches = find_residents(query, limit=5)
    assert matches, f"nothing found for {query!r}"
    return f"{matches[0].resident.first_names} {matches[0].resident.usage_name}"


@pytest.mark.parametrize(
    "query",
    [
        "Lefebrve Hélène",  # two letters swapped
        "Lefebre Hélène",  # a letter left out
        "Leffebvre Hélène",  # a letter too many
        "Lefabvre Hélène",  # a wrong letter
        "Lafebre Hélène",  # two typos
        "Lefebvre Hélèen",  # a typo in the first name
        "Lefbevre Heelne",  # typos in both
    ],
)
def test_typos_in_names_find_the_file(town, query: str) -> None:
    """One or two typos in the last or first name still find the right file first."""
    assert first(query) == "Hélène Lefebvre"


@pytest.mark.parametrize("query", ["helene lefebvre", "HELENE LEFEBVRE", "Hélène Lefèbvre"])
def test_accents_and_case_do_not_matter(town, query: str) -> None:
    """Missing or extra accents and capitals are ignored."""
    assert first(query) == "Hélène Lefebvre"


@pytest.mark.parametrize(
    "query",
    ["Martin-Dupont Claire", "martin dupont claire", "martindupont claire", "claire MARTINDUPONT"],
)
def test_compound_names_with_hyphen_space_or_nothing(town, query: str) -> None:
    """A compound last name is found whether typed with a hyphen, a space or as one word."""
    assert first(query) == "Claire Martin-Dupont"


def test_compound_name_typed_as_one_word_with_a_typo(town) -> None:
    """ "martindupond" is one typo away from Martin-Dupont written as one word."""
    assert first("martindupond claire") == "Claire Martin-Dupont"


def test_compound_first_name_typed_as_one_word(town) -> None:
    """ "jeanpierre" finds Jean-Pierre, before a plain Jean."""
    assert first("jeanpierre bensaid") == "Jean-Pierre Bensaïd"


@pytest.mark.parametrize("query", ["legoff noemie", "le goff noemie", "Le Gof Noémie"])
def test_names_with_a_particle(town, query: str) -> None:
    """ "Le Goff" is found joined, apart, or with a typo; Goff alone comes after."""
    assert first(query) == "Noémie Le Goff"


@pytest.mark.parametrize("query", ["Hélène Lefebvre", "Lefebvre Hélène", "helene lefebre"])
def test_first_and_last_names_in_any_order(town, query: str) -> None:
    """The first name may come first or last."""
    assert first(query) == "Hélène Lefebvre"


def test_birth_name_finds_a_married_name(town) -> None:
    """A woman known under her birth name is found by it, and the reason says so."""
    [match, *_] = find_residents("Garnier Hélène")
    assert match.resident == town["helene"]
    assert "nom de naissance" in match.reasons


def test_birth_name_with_a_typo(town) -> None:
    """A misspelled birth name still finds the file."""
    assert first("Garnir Helene") == "Hélène Lefebvre"


def test_short_name_missing_a_letter(town) -> None:
    """ "sw" is Sow with a letter left out."""
    assert first("sw awa") == "Awa Sow"


def test_names_being_typed_are_matched_by_their_beginning(town) -> None:
    """The last word may be the beginning of a name: the console searches as the agent types."""
    assert first("lefebvre hel") == "Hélène Lefebvre"
    assert first("martin-dupont c") == "Claire Martin-Dupont"


def test_exact_spelling_ranks_above_a_typo(town) -> None:
    """ "Lefort Héléna" is Héléna Lefort, not Hélène Lefebvre one typo away."""
    names = [m.resident.first_names for m in find_residents("Lefort Héléna")]
    assert names[0] == "Héléna"


def test_files_missing_a_typed_word_are_left_out_when_another_has_them_all(town) -> None:
    """ "claire martin dupont" shows Claire Martin-Dupont, not Claire Martin."""
    names = [m.resident.usage_name for m in find_residents("claire martin dupont")]
    assert names == ["Martin-Dupont"]


def test_files_missing_a_typed_word_come_when_none_has_them_all(town) -> None:
    """A word no file accounts for lowers the files but does not hide them."""
    matches = find_residents("claire martin xqzw")
    assert {m.resident.usage_name for m in matches} == {"Martin", "Martin-Dupont"}
    assert matches[0].score < find_residents("claire martin")[0].score


def test_unknown_names_find_nothing(town) -> None:
    """A name far from every known name finds nothing."""
    assert find_residents("Zyxwvu Qwerty") == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("Lefebrve Hélène", "nom approchant"),
        ("Lefebvre Helen", "début du prénom"),
        ("Lefebvre Hélèen", "prénom approchant"),
        ("Lefebvre Hélène", "nom"),
        ("Lefebvre Hélène", "prénom"),
    ],
)
def test_reasons_say_how_the_names_matched(town, query: str, reason: str) -> None:
    """Each match lists short French labels of why it matched."""
    [match, *_] = find_residents(query)
    assert match.resident == town["helene"]
    assert reason in match.reasons
    assert all(isinstance(label, str) for label in match.reasons)


def test_residents_made_without_the_dictionary_are_still_found(town) -> None:
    """A file whose names never reached the dictionary is found by exact spelling and sound."""
    ResidentFactory(first_names="Ysolde", usage_name="Quarantotto")
    assert first("Quarantotto Ysolde") == "Ysolde Quarantotto"
    assert first("quaranto") == "Ysolde Quarantotto"
