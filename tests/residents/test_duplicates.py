import datetime

import pytest

from guichet.residents.actions import merge_residents
from guichet.residents.duplicates import find_possible_duplicates

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1980, 3, 12)


def test_same_birth_date_and_similar_name_is_a_candidate(helene) -> None:
    """Dupond Helene born the same day is probably Dupont Hélène."""
    [candidate] = find_possible_duplicates(
        first_names="Helene", usage_name="Dupond", birth_date=BIRTH
    )
    assert candidate.resident == helene
    assert candidate.reasons == ["même date de naissance et nom proche"]
    assert candidate.score >= 0.8


def test_birth_name_matches_usage_name(helene, make_resident) -> None:
    """A married woman registered under her birth name is found by it."""
    make_resident(first_names="Claire", usage_name="Bernard", birth_name="Roux", birth_date=BIRTH)
    [candidate] = find_possible_duplicates(
        first_names="Claire", usage_name="Roux", birth_date=BIRTH
    )
    assert candidate.resident.usage_name == "Bernard"


def test_twins_are_not_duplicates(helene) -> None:
    """Same birth date and last name but another first name: not the same person."""
    assert find_possible_duplicates(first_names="Paul", usage_name="Dupont", birth_date=BIRTH) == []


def test_same_name_with_a_different_birth_date_is_not_a_candidate(helene) -> None:
    """Two Hélène Dupont born on different days are different people."""
    other_day = datetime.date(1990, 1, 1)
    assert (
        find_possible_duplicates(first_names="Hélène", usage_name="Dupont", birth_date=other_day)
        == []
    )


def test_same_name_without_birth_date_is_a_weaker_candidate(helene) -> None:
    """Without a birth date to tell them apart, the same name is worth a look."""
    [candidate] = find_possible_duplicates(first_names="Hélène", usage_name="Dupont")
    assert candidate.resident == helene
    assert candidate.score == 0.5


def test_same_email_or_phone_is_a_candidate(helene) -> None:
    """Same email (any case) or same phone (any format) points at the file."""
    [by_email] = find_possible_duplicates(
        first_names="Léa", usage_name="Petit", email="Helene.Dupont@example.org"
    )
    assert by_email.reasons == ["même adresse électronique"]
    [by_phone] = find_possible_duplicates(
        first_names="Léa", usage_name="Petit", phone="+33 6 12 34 56 78"
    )
    assert by_phone.reasons == ["même numéro de téléphone"]


def test_reasons_add_up_and_rank_first(helene, make_resident) -> None:
    """A file matching on several grounds comes first, with every reason."""
    make_resident(first_names="Léa", usage_name="Petit", email="helene.dupont@example.org")
    candidates = find_possible_duplicates(
        first_names="Hélène",
        usage_name="Dupont",
        birth_date=BIRTH,
        phone="0612345678",
        email="helene.dupont@example.org",
    )
    assert candidates[0].resident == helene
    assert len(candidates[0].reasons) == 3
    assert candidates[0].score == 1.0
    assert candidates[1].resident.usage_name == "Petit"


def test_exclude_and_inactive_files_are_left_out(helene, make_resident, supervisor) -> None:
    """The file itself and merged files are never candidates."""
    twin = make_resident(first_names="Helene", usage_name="Dupond", birth_date=BIRTH)
    assert (
        find_possible_duplicates(
            first_names="Hélène", usage_name="Dupont", birth_date=BIRTH, exclude=helene
        )[0].resident
        == twin
    )
    merge_residents(source=twin, target=helene, actor=supervisor.user)
    assert (
        find_possible_duplicates(
            first_names="Hélène", usage_name="Dupont", birth_date=BIRTH, exclude=helene
        )
        == []
    )
