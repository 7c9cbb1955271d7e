"""Ranking of resident lookups: several weak signals together beat one strong signal."""

import datetime

import pytest

from guichet.residents.search import ResidentMatch, find_residents

pytestmark = pytest.mark.django_db


def test_a_close_name_with_the_right_date_beats_the_exact_name_born_another_day(
    make_resident,
) -> None:
    """Dupond Marie born on the typed day comes before Dupont Marie born another year."""
    exact = make_resident(
        first_names="Marie", usage_name="Dupont", birth_date=datetime.date(1970, 1, 1)
    )
    close = make_resident(
        first_names="Marie", usage_name="Dupond", birth_date=datetime.date(1985, 3, 12)
    )
    assert find_residents("dupont marie 12/03/1985")[0].resident == close
    assert [m.resident for m in find_residents("dupont marie 1985")] == [close, exact]


def test_typos_in_every_word_with_a_birth_year_beat_one_exact_word(make_resident) -> None:
    """Typos in both names plus the year beat the exact last name alone."""
    target = make_resident(
        first_names="Nathalie", usage_name="Lefebvre", birth_date=datetime.date(1965, 6, 1)
    )
    make_resident(first_names="Sophie", usage_name="Lefebvr", birth_date=datetime.date(1990, 1, 1))
    assert find_residents("lefebvr natalie 1965")[0].resident == target


def test_phone_and_name_together_beat_the_name_alone(make_resident) -> None:
    """Of two Paul Durand, the one with the typed phone comes first."""
    make_resident(first_names="Paul", usage_name="Durand")
    with_phone = make_resident(first_names="Paul", usage_name="Durand", phone="0698765432")
    assert find_residents("durand paul 06 98 76 54 32")[0].resident == with_phone


def test_civility_breaks_ties(make_resident) -> None:
    """ "Mme Camille Petit" puts the woman first."""
    make_resident(first_names="Camille", usage_name="Petit", civility="m")
    madame = make_resident(first_names="Camille", usage_name="Petit", civility="mme")
    assert find_residents("Mme Camille Petit")[0].resident == madame


def test_exact_then_beginning_then_typo_then_sound(make_resident) -> None:
    """For "dupont": Dupont, then Dupontel (still typing), then Dupond and Dupons."""
    make_resident(first_names="A", usage_name="Duponte")
    make_resident(first_names="B", usage_name="Dupontel")
    make_resident(first_names="C", usage_name="Dupont")
    names = [m.resident.usage_name for m in find_residents("dupont")]
    assert names[0] == "Dupont"
    assert set(names[1:]) == {"Dupontel", "Duponte"}


def test_scores_decrease_and_matches_carry_reasons(make_resident) -> None:
    """Matches come best first, each with its score and reasons."""
    make_resident(first_names="Marie", usage_name="Dupont", birth_date=datetime.date(1985, 3, 12))
    make_resident(first_names="Marie", usage_name="Dupond")
    matches = find_residents("dupont marie 1985")
    assert all(isinstance(m, ResidentMatch) for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches[0].reasons == ("nom", "prénom", "année de naissance")
    assert "nom approchant" in matches[1].reasons


def test_a_typo_lookup_runs_a_handful_of_queries(
    make_resident, django_assert_max_num_queries
) -> None:
    """Typos, a birth year and a phone cost a handful of SQL queries, however many namesakes."""
    for index in range(30):
        make_resident(first_names=f"Marie{'e' * index}", usage_name="Dupont")
    make_resident(first_names="Marie", usage_name="Dupont", birth_date=datetime.date(1985, 3, 12))
    with django_assert_max_num_queries(6):
        assert find_residents("dupnot mraie 1985")[0].resident.birth_date.year == 1985


def test_a_lookup_matching_nobody_runs_a_bounded_number_of_queries(
    make_resident, django_assert_max_num_queries
) -> None:
    """When no file fits everything typed, every fallback runs, and their number is bounded."""
    for index in range(30):
        make_resident(first_names=f"Marie{'e' * index}", usage_name="Dupont")
    with django_assert_max_num_queries(16):
        find_residents("dupnot mraie 12/03/1985 06 12 34 56 78")
