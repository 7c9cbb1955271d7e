"""Typos, unfinished words and "did you mean", on the real catalogue and in the spelling module."""

import pytest

from guichet.catalogue.loader import LoadReport
from guichet.catalogue.search import search_catalogue, search_procedures
from guichet.catalogue.search_backends import SearchBackend
from guichet.catalogue.spelling import Spelling, completions, edit_distance, max_distance


def first(query: str, backend: SearchBackend) -> str | None:
    matches = search_procedures(query, backend=backend, limit=1)
    return matches[0].procedure.slug if matches else None


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("passeport", "passeport", 0),
        ("pasport", "passport", 1),
        ("cantine", "cnatine", 1),  # two neighbouring letters swapped count as one edit
        ("encombrants", "encombrans", 1),
        ("recensement", "resensemant", 2),
        ("abc", "xyz", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    """Insertions, deletions, substitutions and swaps each cost one edit."""
    assert edit_distance(a, b, 3) == distance


def test_edit_distance_stops_beyond_the_limit() -> None:
    """Beyond the limit, the distance is reported as limit + 1."""
    assert edit_distance("cantine", "passeport", 2) == 3


@pytest.mark.parametrize(
    ("word", "allowed"),
    [("cni", 0), ("bebe", 1), ("cantine", 1), ("passeport", 2), ("1985", 0), ("x" * 40, 0)],
)
def test_allowed_distance_depends_on_length(word: str, allowed: int) -> None:
    """No typo below 4 letters, one edit up to 7 letters, two beyond; numbers are never typos."""
    assert max_distance(word) == allowed


def test_spelling_finds_the_closest_known_words() -> None:
    """A typo is matched to known words by sound and edit distance, the closest first."""
    spelling = Spelling(["cantine", "canine", "passeport", "carte"], {"cantine": 5, "canine": 1})
    assert spelling.corrections("cantinne")[0][0] == "cantine"
    assert spelling.corrections("pasport") == [("passeport", 1)]
    assert spelling.corrections("zzzzzz") == []
    assert spelling.corrections("cart") == [("carte", 1)]
    assert spelling.corrections("carte") == []  # a known word is not a typo of itself


def test_sounding_alike_is_not_enough() -> None:
    """Words whose sound keys are close but whose spellings are far apart are no correction."""
    spelling = Spelling(["rqth"], {})
    assert spelling.corrections("zzzzqqqq") == []


def test_completions_prefer_frequent_words() -> None:
    """The words a prefix begins are returned most frequent first."""
    words = sorted(["passage", "passeport", "passer", "pastel"])
    frequency = {"passeport": 10, "passage": 2}
    assert completions(words, "pass", frequency, 2) == ["passeport", "passage"]
    assert completions(words, "passeport", frequency, 5) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pasport", "passeport"),
        ("encombrans", "encombrants"),
        ("cantinne", "restauration-scolaire"),
        ("passeport perdu", "passeport"),
        ("incription listes electoral", "inscription-listes-electorales"),
    ],
)
def test_typos_are_tolerated(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
) -> None:
    """Misspelled words still find the procedure."""
    assert first(query, backend) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("passep", "passeport"), ("encomb", "encombrants"), ("acte de naiss", "acte-naissance")],
)
def test_last_word_may_be_unfinished(
    shipped_catalogue: LoadReport, backend: SearchBackend, query: str, expected: str
) -> None:
    """As you type, the last word is completed."""
    assert first(query, backend) == expected


def test_suggestion_corrects_misspelled_words(shipped_catalogue: LoadReport) -> None:
    """A corrected word that found results is offered back, written with its accents."""
    results = search_catalogue("Renouveler mon passeprot")
    assert results.suggestion == "Renouveler mon passeport"
    assert search_catalogue("inscription ecolle").suggestion == "inscription école"


@pytest.mark.parametrize(
    "query",
    ["passeport", "passep", "cni", "zzzzqqqq", "", "acte de naissance pour mon fils né à Lyon"],
)
def test_no_suggestion_when_nothing_was_corrected(
    shipped_catalogue: LoadReport, query: str
) -> None:
    """Correct, unfinished, unknown or empty queries get no suggestion, nor do unknown names
    whose "correction" did not help the best result."""
    assert search_catalogue(query).suggestion is None


def test_short_words_are_never_corrected(shipped_catalogue: LoadReport) -> None:
    """A word of three letters or fewer is not taken for a typo."""
    assert search_catalogue("xqz").procedures == []
