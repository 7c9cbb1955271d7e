import pytest

from guichet.residents.names import (
    SOUND_PREFIX,
    allowed_edits,
    deletion_keys,
    edit_distance,
    fuzzy_keys,
    name_terms,
    phonetic,
    search_fields,
    term_keys,
    typo_cost,
)


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


def test_search_fields_fold_names_and_keep_the_ends_of_compound_names() -> None:
    """Search columns are unaccented, lower-case, and keep the first and last word of names."""
    fields = search_fields("Jean-Pierre", "Martin-Dupont", "Lefèvre")
    assert fields["search_last"] == "martin dupont"
    assert fields["search_last_head"] == "martin"
    assert fields["search_last_tail"] == "dupont"
    assert fields["search_birth"] == "lefevre"
    assert fields["search_first"] == "jean pierre"
    assert fields["search_first_head"] == "jean"
    assert fields["phonetic_last_tail"] == phonetic("Dupont")
    assert fields["phonetic_birth"] == phonetic("Lefebvre")


def test_single_word_names_have_no_tail_but_a_head() -> None:
    """A simple name leaves the tail columns empty; the head columns are never empty."""
    fields = search_fields("Ivan", "Martin", "")
    assert fields["search_last_tail"] == ""
    assert fields["phonetic_last_tail"] == ""
    assert fields["search_last_head"] == "martin"
    assert fields["search_first_head"] == "ivan"


@pytest.mark.parametrize(("length", "edits"), [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (12, 2)])
def test_typo_budget_grows_with_the_length_of_a_word(length: int, edits: int) -> None:
    """No typo in one or two letters, one up to four letters, two beyond."""
    assert allowed_edits(length) == edits


def test_deletion_keys_are_the_word_less_some_letters() -> None:
    """Up to ``depth`` letters are deleted, anywhere."""
    assert deletion_keys("abc", 1) == {"abc", "bc", "ac", "ab"}
    assert deletion_keys("abc", 2) == {"abc", "bc", "ac", "ab", "a", "b", "c"}


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("dupont", "dupond"),  # substitution
        ("dupont", "dupnt"),  # deletion
        ("dupont", "duppont"),  # insertion
        ("dupont", "dupnot"),  # swap of neighbours
        ("dupont", "dapomt"),  # two substitutions
        ("lefebvre", "lefbevr"),  # a swap and a deletion
        ("sow", "sou"),
    ],
)
def test_spellings_within_the_typo_budget_share_a_key(name: str, typed: str) -> None:
    """Any name within one or two edits of a typed word shares one of its keys."""
    assert fuzzy_keys(name) & fuzzy_keys(typed)


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    """Swapping two neighbours is one typo; the count stops past the limit."""
    assert edit_distance("dupont", "dupont", 2) == 0
    assert edit_distance("dupont", "dupnot", 2) == 1
    assert edit_distance("dupont", "dapomt", 2) == 2
    assert edit_distance("dupont", "durand", 2) == 3
    assert edit_distance("a", "abcdef", 2) == 3


def test_name_terms_hold_words_and_compound_names() -> None:
    """Words of two letters or more, compound names whole; separate first names stay apart."""
    terms = name_terms("Jean-Pierre Marie", "Le Goff", "Martin-Dupont")
    assert terms == {
        "jean",
        "pierre",
        "marie",
        "jean pierre",
        "le",
        "goff",
        "le goff",
        "martin",
        "dupont",
        "martin dupont",
    }


def test_term_keys_hold_typo_keys_and_the_sound_of_a_word() -> None:
    """A word is keyed by its deletions and its sound; a compound name by its joined form."""
    assert {"dupont", "dupnt", "dpnt", SOUND_PREFIX + phonetic("dupont")} <= term_keys("dupont")
    compound = term_keys("le goff")
    assert "legoff" in compound
    assert not any(key.startswith(SOUND_PREFIX) for key in compound)


@pytest.mark.parametrize(
    ("typed", "meant", "cost"),
    [
        ("dupont", "dupont", 0.0),
        ("dupnot", "dupont", 0.9),  # two letters swapped
        ("dupomt", "dupont", 1.2),  # m is not next to n on a French keyboard
        ("dupikt", "dupont", 2.1),  # i and o both vowels, k far from n
        ("lefebre", "lefebvre", 1.0),  # a letter left out
        ("leffebvre", "lefebvre", 0.7),  # a letter doubled
        ("lefabvre", "lefebvre", 0.9),  # two vowels confused
    ],
)
def test_typo_cost_ranks_common_slips_below_rare_ones(typed: str, meant: str, cost: float) -> None:
    """Neighbouring keys, swaps, vowels and doubled letters cost less than far keys."""
    assert typo_cost(typed, meant) == cost
