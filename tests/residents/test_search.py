import datetime
import json

import pytest
from django.core.management import call_command

from guichet.residents.actions import create_resident, merge_residents
from guichet.residents.search import find_residents, parse_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(helene, make_resident):
    """A few residents with names that look alike."""
    return {
        "helene": helene,
        "claire": make_resident(first_names="Claire", usage_name="Martin-Dupont"),
        "jp": make_resident(
            first_names="Jean-Pierre Marie",
            usage_name="Lefebvre",
            birth_date=datetime.date(1975, 5, 2),
        ),
        "durand": make_resident(first_names="Paul", usage_name="Durand", email="paul@example.org"),
    }


def names(query: str, **kwargs) -> list[str]:
    return [match.resident.first_names for match in find_residents(query, **kwargs)]


def test_exact_name_ranks_before_compound_name(people) -> None:
    """ "dupont" finds Dupont first, then Martin-Dupont."""
    assert names("dupont") == ["Hélène", "Claire"]


@pytest.mark.parametrize(
    "query", ["Dupond", "DUPONT", "dupond hélène", "Hélène Dupond", "helene dup"]
)
def test_misspelled_or_partial_names_find_the_file(people, query: str) -> None:
    """Misspellings, accents, order and prefixes do not matter."""
    assert names(query)[0] == "Hélène"


def test_phonetic_match_finds_lefebvre_from_lefevre(people) -> None:
    """Lefèvre and Lefebvre sound the same."""
    assert names("Lefèvre") == ["Jean-Pierre Marie"]


def test_a_second_first_name_still_finds_the_file(people) -> None:
    """ "pierre lefebvre": Pierre is the second of the first names."""
    assert names("pierre lefebvre") == ["Jean-Pierre Marie"]


def test_prefix_ranks_above_phonetic(make_resident) -> None:
    """Exact > prefix > sound."""
    make_resident(first_names="A", usage_name="Dupond")
    make_resident(first_names="B", usage_name="Dupontel")
    make_resident(first_names="C", usage_name="Dupont")
    assert names("dupont") == ["C", "B", "A"]


@pytest.mark.parametrize("query", ["12/03/1980", "12/3/1980", "1980-03-12", "dupont 12/03/1980"])
def test_birth_dates_in_every_format(people, query: str) -> None:
    """Dates typed DD/MM/YYYY, D/M/YYYY or YYYY-MM-DD find the file."""
    assert names(query)[0] == "Hélène"


def test_birth_date_boosts_among_namesakes(people, make_resident) -> None:
    """Among several Dupont, the one born that day comes first."""
    make_resident(first_names="Aline", usage_name="Dupont", birth_date=datetime.date(1950, 1, 1))
    assert names("dupont 01/01/1950")[0] == "Aline"


@pytest.mark.parametrize(
    "query", ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678"]
)
def test_phones_in_any_french_format(people, query: str) -> None:
    """Phones are matched as E.164 whatever their format."""
    assert names(query) == ["Hélène"]


def test_email_exact_and_beginning(people) -> None:
    """An email finds its file, in any case, even half typed."""
    assert names("Paul@Example.org") == ["Paul"]
    assert names("paul@") == ["Paul"]


def test_wrong_name_with_right_phone_still_shows_the_file(people) -> None:
    """The phone is right where the name is not: the file comes up, lower."""
    assert "Hélène" in names("durand 06 12 34 56 78")


def test_inactive_files_are_not_found(people, supervisor) -> None:
    """A merged duplicate no longer appears."""
    twin = create_resident(actor=None, channel="", first_names="Hélène", usage_name="Dupont")
    merge_residents(source=twin, target=people["helene"], actor=supervisor.user)
    assert [m.resident for m in find_residents("dupont hélène")] == [people["helene"]]


def test_nothing_matches(people) -> None:
    """Unknown names and empty queries return nothing."""
    assert names("zyxwvu") == []
    assert names("   ") == []
    assert names("dupont", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", "'; DROP TABLE residents_resident; --", "%_%", "é" * 5000],
)
def test_hostile_queries_are_harmless(people, query: str) -> None:
    """Markup, SQL and huge inputs return nothing rather than fail."""
    assert names(query) == []


def test_limit_is_respected(make_resident) -> None:
    """No more than ``limit`` results."""
    for index in range(5):
        make_resident(first_names=f"Prénom{'a' * index}", usage_name="Martin")
    assert len(find_residents("martin", limit=3)) == 3


def test_parse_query_separates_identifiers_from_names() -> None:
    """Names, date, phone and email are told apart."""
    parsed = parse_query("Dupont 12/03/1980 06 12 34 56 78 h@x.org")
    assert parsed.words == ("dupont",)
    assert parsed.birth_date == datetime.date(1980, 3, 12)
    assert parsed.phone == "+33612345678"
    assert parsed.email == "h@x.org"


def test_invalid_dates_are_ignored() -> None:
    """31/02 is not a date: it is dropped, not an error."""
    assert parse_query("dupont 31/02/1980").birth_date is None


def test_find_residents_command_prints_json(people, capsys) -> None:
    """guichet find-residents QUERY --json prints id, display_name, birth_date, score."""
    call_command("find_residents", "dupont", "--limit", "1", "--json")
    [result] = json.loads(capsys.readouterr().out)
    assert result == {
        "id": str(people["helene"].uuid),
        "display_name": "DUPONT Hélène",
        "birth_date": "1980-03-12",
        "score": result["score"],
    }
    assert result["score"] > 0
