"""Resident lookup by birth date (full or partial), phone and email, in the formats people type."""

import datetime

import pytest

from guichet.residents.lookup_query import BirthPeriod, parse_query
from guichet.residents.search import find_residents

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(make_resident):
    """Three Martin Claire born on different days, one with a phone and an email."""
    return {
        "1985": make_resident(
            first_names="Claire",
            usage_name="Martin",
            birth_date=datetime.date(1985, 3, 12),
            phone="06 12 34 56 78",
            email="claire.martin@example.org",
        ),
        "1958": make_resident(
            first_names="Claire", usage_name="Martin", birth_date=datetime.date(1958, 3, 12)
        ),
        "1985b": make_resident(
            first_names="Claire", usage_name="Martin", birth_date=datetime.date(1985, 11, 30)
        ),
        "2015": make_resident(
            first_names="Claire", usage_name="Martin", birth_date=datetime.date(2015, 3, 12)
        ),
    }


def best(query: str):
    return find_residents(query, limit=5)[0].resident


@pytest.mark.parametrize(
    "written",
    [
        "12/03/1985",
        "12-03-1985",
        "12.03.1985",
        "12/3/1985",
        "1985-03-12",
        "12031985",
        "19850312",
        "12-03-85",
        "12/03/85",
        "120385",
        "12 03 1985",
        "12 mars 1985",
    ],
)
def test_full_birth_dates_in_every_format(namesakes, written: str) -> None:
    """A full birth date, however written, puts that person first among namesakes."""
    assert best(f"martin claire {written}") == namesakes["1985"]


def test_two_digit_year_may_mean_this_century(namesakes) -> None:
    """ "12/03/15" is 2015 rather than 1915."""
    assert best("martin claire 12/03/15") == namesakes["2015"]


@pytest.mark.parametrize(("written", "expected"), [("03/1985", "1985"), ("11/1985", "1985b")])
def test_birth_month_and_year(namesakes, written: str, expected: str) -> None:
    """A month and year put the person born then first."""
    assert best(f"martin claire {written}") == namesakes[expected]


def test_birth_year_alone(namesakes) -> None:
    """A year puts those born that year before the others."""
    found = [m.resident for m in find_residents("martin claire 1985")]
    assert set(found[:2]) == {namesakes["1985"], namesakes["1985b"]}
    assert "année de naissance" in find_residents("martin claire 1985")[0].reasons


def test_a_birth_date_alone_finds_the_file(namesakes) -> None:
    """Only a date typed: the person born that day."""
    assert [m.resident for m in find_residents("12/03/1958")] == [namesakes["1958"]]


def test_a_contradicting_birth_date_ranks_below(namesakes, make_resident) -> None:
    """Claire Martin born another day ranks below Clara Martin born on the typed day."""
    clara = make_resident(
        first_names="Clara", usage_name="Martin", birth_date=datetime.date(1990, 7, 14)
    )
    assert best("martin claire 14/07/1990") == clara


def test_day_and_month_swapped_still_rank_first(namesakes) -> None:
    """ "03/12/1985" (month first) is closest to 12 March 1985."""
    match = find_residents("martin claire 03/12/1985")[0]
    assert match.resident == namesakes["1985"]
    assert "date de naissance proche" in match.reasons


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_phones_in_any_format(namesakes, phone: str) -> None:
    """National, international, with dots, dashes or spaces: the same number."""
    matches = find_residents(phone)
    assert [m.resident for m in matches] == [namesakes["1985"]]
    assert matches[0].reasons == ("téléphone",)


def test_a_phone_being_typed(namesakes) -> None:
    """The beginning of a number already finds its owner."""
    assert best("06 12 34 5") == namesakes["1985"]
    assert "début du téléphone" in find_residents("06 12 34 5")[0].reasons


def test_a_wrong_name_with_the_right_phone(namesakes) -> None:
    """The phone is right where the name is misspelled: the file comes first."""
    assert best("Matrin 06 12 34 56 78") == namesakes["1985"]


@pytest.mark.parametrize(
    "email",
    [
        "claire.martin@example.org",
        "Claire.Martin@EXAMPLE.org",
        "claire.martin@",
        "claire.mart",
        "CLAIRE.MARTIN",
    ],
)
def test_emails_in_any_case_and_partly_typed(namesakes, email: str) -> None:
    """The address, in any case, or only its beginning before the @, finds the file first."""
    assert best(email) == namesakes["1985"]


def test_parse_query_reads_full_and_partial_dates() -> None:
    """Full dates give dates, a month or a year gives a period, nothing else is a date."""
    assert parse_query("12/03/1985").birth_dates == (datetime.date(1985, 3, 12),)
    assert parse_query("12/03/15").birth_dates == (
        datetime.date(2015, 3, 12),
        datetime.date(1915, 3, 12),
    )
    assert parse_query("03/1985").birth_period == BirthPeriod(
        datetime.date(1985, 3, 1), datetime.date(1985, 3, 31)
    )
    assert parse_query("fevrier 2000").birth_period == BirthPeriod(
        datetime.date(2000, 2, 1), datetime.date(2000, 2, 29)
    )
    assert parse_query("dupont 1985").birth_period == BirthPeriod(
        datetime.date(1985, 1, 1), datetime.date(1985, 12, 31)
    )
    parsed = parse_query("dupont 31/02/1985")
    assert parsed.birth_date is None
    assert parsed.words == ("dupont",)


def test_parse_query_keeps_phones_and_dates_apart() -> None:
    """A dotted phone number is not a date, and a date next to a phone stays a date."""
    parsed = parse_query("06.12.34.56.78")
    assert parsed.phone == "+33612345678"
    assert parsed.birth_dates == ()
    parsed = parse_query("01.02.1985 06 12 34 56 78")
    assert parsed.birth_dates == (datetime.date(1985, 2, 1),)
    assert parsed.phone == "+33612345678"


def test_parse_query_reads_civility_and_particles() -> None:
    """ "Mme" is a civility, "née le" and "de" are optional words."""
    parsed = parse_query("Mme de La Fontaine née le 02/05/1975")
    assert parsed.civility == "mme"
    assert parsed.words == ("de", "la", "fontaine", "nee", "le")
    assert [parsed.words[i] for i in parsed.required] == ["fontaine"]


def test_future_and_impossible_dates_are_ignored() -> None:
    """Nobody is born tomorrow or on 31 February."""
    assert parse_query("01/01/2999").birth_dates == ()
    assert parse_query("31/02/1985").birth_dates == ()
