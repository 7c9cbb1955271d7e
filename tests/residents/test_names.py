import pytest

from guichet.residents.names import phonetic, search_fields


@pytest.mark.parametrize(
    ("spelling", "other"),
    [
        ("Dupont", "Dupond"),
        ("Lefèvre", "Lefebvre"),
        ("Philippe", "Filipe"),
        ("Moreau", "Moreaux"),
        ("Lopez", "Lopes"),
        ("Dupré", "Duprez"),
        ("Rousseau", "Roussot"),
        ("Mathieu", "Matthieu"),
    ],
)
def test_names_that_sound_alike_share_a_key(spelling: str, other: str) -> None:
    """Spellings a French ear cannot tell apart get the same sound key."""
    assert phonetic(spelling) == phonetic(other)


def test_different_names_get_different_keys() -> None:
    """Martin and Martine, Dupont and Durand stay distinct."""
    assert phonetic("Martin") != phonetic("Martine")
    assert phonetic("Dupont") != phonetic("Durand")


def test_search_fields_fold_names_and_keep_the_last_word_of_compound_names() -> None:
    """Search columns are unaccented, lower-case, and keep the tail of a compound name."""
    fields = search_fields("Jean-Pierre", "Martin-Dupont", "Lefèvre")
    assert fields["search_last"] == "martin dupont"
    assert fields["search_last_tail"] == "dupont"
    assert fields["search_birth"] == "lefevre"
    assert fields["search_first"] == "jean pierre"
    assert fields["phonetic_last_tail"] == phonetic("Dupont")
    assert fields["phonetic_birth"] == phonetic("Lefebvre")


def test_single_word_names_have_no_tail() -> None:
    """A simple name leaves the tail columns empty."""
    fields = search_fields("Ivan", "Martin", "")
    assert fields["search_last_tail"] == ""
    assert fields["phonetic_last_tail"] == ""
