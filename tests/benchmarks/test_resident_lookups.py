"""The noisy resident lookups: each kind of noise, the ambiguity guard, reproducibility."""

import datetime
import random

import pytest

from benchmarks.resident_lookups import (
    KINDS,
    WINDOW,
    Facts,
    People,
    Person,
    compact,
    compound_variants,
    date_formats,
    email_variants,
    generate_lookups,
    keyboard_neighbours,
    levenshtein,
    load_people,
    one_edit,
    phone_formats,
)
from guichet.organisation.choices import Channel
from guichet.residents.actions import create_resident
from guichet.residents.phones import possible_e164


def _person(number: int, **fields: object) -> Person:
    values: dict[str, object] = {
        "uuid": f"00000000-0000-0000-0000-{number:012d}",
        "first_names": "Marie",
        "usage_name": "Martin",
        "birth_date": datetime.date(1985, 3, 12),
    }
    values.update(fields)
    return Person(**values)  # type: ignore[arg-type]


def _town() -> list[Person]:
    """Return a small varied population (accents, compound and birth names, phones, emails)."""
    rng = random.Random(3)
    names = ["Martin", "Lefèvre", "Le Goff", "Martin-Dupont", "Goff", "Dupont", "Lebrun", "Brun"]
    firsts = ["Marie", "Hélène", "Jean-Pierre", "Noé", "Ali", "Chloé"]
    people = []
    for number in range(300):
        people.append(
            _person(
                number,
                first_names=rng.choice(firsts),
                usage_name=rng.choice(names),
                birth_name=rng.choice(["", "", "Nguyen", "Roux"]),
                birth_date=datetime.date(1940, 1, 1)
                + datetime.timedelta(days=rng.randrange(30000)),
                phone=f"+336{number:08d}" if number % 3 else "",
                email=f"p{number}@example.org" if number % 2 else "",
            )
        )
    return people


def test_levenshtein_counts_single_edits() -> None:
    """One insertion, deletion or substitution is distance 1; a swap is 2."""
    assert levenshtein("martin", "martn") == 1
    assert levenshtein("martin", "marttin") == 1
    assert levenshtein("martin", "mzrtin") == 1
    assert levenshtein("martin", "amrtin") == 2
    assert levenshtein("", "abc") == 3


def test_keyboard_neighbours_on_azerty() -> None:
    """The keys around A on a French keyboard are Z and Q."""
    assert keyboard_neighbours("a") == "zq"
    assert set(keyboard_neighbours("g")) == {"f", "h", "t", "b"}


@pytest.mark.parametrize("seed", range(40))
def test_one_edit_is_one_edit_away_and_keeps_the_initial(seed: int) -> None:
    """A typo changes exactly one letter, never the first."""
    typed = one_edit(random.Random(seed), "Lefèvre")
    assert levenshtein(compact(typed), "lefevre") == 1
    assert typed[0] == "L"


def test_compound_variants() -> None:
    """Hyphens and spaces are dropped or swapped; a particle is split only before a name."""
    assert compound_variants("Martin-Dupont") == ["MartinDupont", "Martin Dupont"]
    assert compound_variants("Le Goff") == ["LeGoff", "Le-Goff"]
    assert compound_variants("Lebrun", lambda name: name == "brun") == ["Le brun"]
    assert compound_variants("Dupont", lambda name: False) == []


def test_date_formats_cover_how_people_type_dates() -> None:
    """A date comes with slashes, without separators, with dashes, dots, spaces or no zeros."""
    formats = date_formats(datetime.date(1985, 3, 2))
    assert {"02/03/1985", "02031985", "02-03-1985", "02.03.1985", "02 03 1985", "2/3/1985"} == set(
        formats
    )


def test_phone_formats_all_mean_the_same_number() -> None:
    """Every written form of a French number parses back to the stored E.164."""
    formats = phone_formats("+33612345678")
    assert {"06.12.34.56.78", "0612345678", "+33 6 12 34 56 78"} <= set(formats)
    assert {possible_e164(text) for text in formats} == {"+33612345678"}


def test_foreign_phone_numbers_keep_their_country() -> None:
    """A non-French number is written with + or 00."""
    assert phone_formats("+442071234567") == ["+442071234567", "00442071234567"]


def test_email_variants_differ_only_in_case() -> None:
    """Emails are typed in capitals but are the same address."""
    variants = email_variants("jean.martin2@example.org")
    assert "JEAN.MARTIN2@EXAMPLE.ORG" in variants
    assert {variant.lower() for variant in variants} == {"jean.martin2@example.org"}


def test_consistent_matches_usage_or_birth_name_and_compact_forms() -> None:
    """A name fact matches the usage or birth name, whatever its spaces and hyphens."""
    people = People(
        [
            _person(1, usage_name="Le Goff"),
            _person(2, usage_name="Legoff", first_names="Marie Anne"),
            _person(3, usage_name="Roux", birth_name="Le Goff", first_names="Anne"),
        ]
    )
    found = people.consistent(Facts(last="legoff"))
    assert len(found) == 3
    assert len(people.consistent(Facts(last="legoff", first="Marie"))) == 2
    assert len(people.consistent(Facts(last="legoff", first="Marie", birth_year=1984))) == 0


def test_homonyms_get_what_an_agent_would_add() -> None:
    """With more than WINDOW namesakes, the lookup adds the birth year, then the full date."""
    same_year = [_person(n, birth_date=datetime.date(1985, 1, n)) for n in range(1, WINDOW + 3)]
    other_years = [_person(n + 20, birth_date=datetime.date(1990 + n, 1, 1)) for n in range(3)]
    lookups = generate_lookups(same_year + other_years, 40, seed=1, kinds=["swapped"])
    by_resident = {lookup.expected: lookup.query.lower() for lookup in lookups}
    assert len(by_resident) == len(same_year) + len(other_years)
    assert all("martin" in query and "marie" in query for query in by_resident.values())
    for person in same_year:
        assert by_resident[person.uuid].endswith(f"{person.birth_date:%d}/01/1985")
    for person in other_years:
        assert by_resident[person.uuid].endswith(f" {person.birth_date.year}")


def test_indistinguishable_residents_are_skipped() -> None:
    """Residents nothing can tell apart never become lookups."""
    twins = [_person(n) for n in range(WINDOW + 1)]
    assert generate_lookups(twins, 10, seed=1, kinds=["swapped", "name_date"]) == []


def test_lookups_are_spread_over_kinds_and_reproducible() -> None:
    """The same seed gives the same lookups, spread evenly over every kind."""
    town = _town()
    first = generate_lookups(town, 100, seed=5)
    assert first == generate_lookups(town, 100, seed=5)
    assert first != generate_lookups(town, 100, seed=6)
    assert {lookup.kind for lookup in first} == set(KINDS)
    assert all(sum(lk.kind == kind for lk in first) == 10 for kind in KINDS)


def test_every_lookup_leaves_at_most_window_candidates() -> None:
    """Each lookup is true of its resident and of at most WINDOW residents in all."""
    town = _town()
    people = People(town)
    by_uuid = {person.uuid: person for person in town}
    lookups = generate_lookups(people, 200, seed=2)
    assert all(1 <= lookup.candidates <= WINDOW for lookup in lookups)
    for lookup in lookups:
        person = by_uuid[lookup.expected]
        if lookup.kind == "email":
            assert lookup.query.lower() == person.email
        if lookup.kind == "phone":
            assert possible_e164(lookup.query) == person.phone


def test_typos_never_spell_another_resident() -> None:
    """A misspelled name is one edit from the true name and is nobody's name."""
    town = _town()
    people = People(town)
    by_uuid = {person.uuid: person for person in town}
    lookups = [lk for lk in generate_lookups(people, 300, seed=4) if lk.kind == "typo"]
    assert lookups
    for lookup in lookups:
        person = by_uuid[lookup.expected]
        typed = " ".join(lookup.query.split()[: len(person.usage_name.split())])
        assert not people.is_name(typed)
        assert levenshtein(compact(typed), compact(person.usage_name)) == 1


def test_no_accents_lookups_have_none() -> None:
    """Lookups of the no-accents kind are plain ASCII and come from accented names."""
    town = _town()
    by_uuid = {person.uuid: person for person in town}
    for lookup in generate_lookups(town, 100, seed=8, kinds=["no_accents"]):
        assert lookup.query.isascii()
        person = by_uuid[lookup.expected]
        assert not f"{person.usage_name}{person.first_name}".isascii()


@pytest.mark.django_db
def test_load_people_reads_active_residents() -> None:
    """Residents are read from the database, inactive ones left out."""
    kept = create_resident(
        actor=None,
        channel=Channel.COUNTER,
        first_names="Hélène",
        usage_name="Lefèvre",
        birth_name="Roux",
        birth_date=datetime.date(1985, 3, 12),
        phone="06 12 34 56 78",
        email="helene@example.org",
    )
    gone = create_resident(actor=None, channel=Channel.COUNTER, first_names="A", usage_name="B")
    gone.is_active = False
    gone.save()
    people = load_people()
    assert [person.uuid for person in people.persons] == [str(kept.uuid)]
    person = people.persons[0]
    assert (person.birth_name, person.phone, person.birth_date) == (
        "Roux",
        "+33612345678",
        datetime.date(1985, 3, 12),
    )
