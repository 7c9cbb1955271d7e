"""Generate noisy resident lookups, typed the way agents really type, each with its resident.

From the residents of the configured database (sampled with a fixed seed), each lookup carries one
kind of noise: a one-letter typo in the last name, missing accents, hyphens or spaces removed or
added in a compound name, first and last names swapped, the birth name instead of the usage
name, a last name with a birth year, a last name with a birth date in some format, a birth date
alone, a phone number in another format, an email in capitals. Case varies too.

A lookup must leave at most ``WINDOW`` residents consistent with what it says, or no search could
be expected to rank the right one in the top ``WINDOW``: when more residents share it (homonyms,
a shared phone…) the generator adds what an agent would add next (the first name, the birth
year, then the full date) or picks another resident. A typo never produces another existing name.

    .venv/bin/python benchmarks/resident_lookups.py --data-dir var/volume --count 1000 --out x.jsonl
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

WINDOW = 5  # lookups are judged on the top 5 results (recall@5)
DEFAULT_COUNT = 1000
DEFAULT_SEED = 20261128

KINDS: dict[str, str] = {
    "typo": "one-letter typo in the last name",
    "no_accents": "no accents",
    "compound_name": "compound name, hyphen/space removed or added",
    "swapped": "first name before last name",
    "birth_name": "birth name instead of usage name",
    "name_year": "last name + birth year",
    "name_date": "last name + birth date (various formats)",
    "date_only": "birth date alone (various formats)",
    "phone": "phone number in another format",
    "email": "email in capitals",
}

_AZERTY = ["azertyuiop", "qsdfghjklm", "wxcvbn"]
_PARTICLES = ("le", "la", "de", "du", "des")
_NON_LETTER = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Person:
    uuid: str
    first_names: str
    usage_name: str
    birth_name: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""  # E.164
    email: str = ""

    @property
    def first_name(self) -> str:
        """Return the first of the first names, as written ("Jean-Pierre", "Thi")."""
        return self.first_names.split()[0] if self.first_names.strip() else ""


@dataclass(frozen=True)
class Lookup:
    kind: str
    query: str
    expected: str  # the resident's UUID
    candidates: int = 1  # residents of whom everything the lookup says is true


@dataclass(frozen=True)
class Facts:
    """What a lookup says about the resident, to count who else it could mean."""

    last: str = ""  # compact form of a usage or birth name
    first: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""
    email: str = ""


def fold(text: str) -> str:
    """Return ``text`` lower-cased and without accents."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_words(text: str) -> list[str]:
    """Return the folded words of a name; hyphens and apostrophes separate words."""
    return _NON_LETTER.sub(" ", fold(text)).split()


def compact(text: str) -> str:
    """Return a name folded with no separators ("Le Goff", "le-goff", "LEGOFF" → "legoff")."""
    return "".join(name_words(text))


def levenshtein(a: str, b: str) -> int:
    """Return the edit distance (insertions, deletions, substitutions) between two strings."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def keyboard_neighbours(letter: str) -> str:
    """Return the letters next to ``letter`` on a French (AZERTY) keyboard."""
    for row_index, row in enumerate(_AZERTY):
        column = row.find(letter)
        if column < 0:
            continue
        found = row[max(0, column - 1) : column] + row[column + 1 : column + 2]
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_AZERTY) and column < len(_AZERTY[other]):
                found += _AZERTY[other][column]
        return found
    return "e"


def one_edit(rng: random.Random, name: str) -> str:
    """Return ``name`` with one typo: a letter dropped, added or hit next to the right key.

    The first letter is kept: people rarely get it wrong, and it is what they check first.
    """
    positions = [i for i, char in enumerate(name) if char.isalpha()][1:]
    if not positions:
        return name
    index = rng.choice(positions)
    letter = fold(name[index]) or name[index]
    operation = rng.choice(("substitute", "delete", "insert"))
    if operation == "delete":
        return name[:index] + name[index + 1 :]
    neighbours = keyboard_neighbours(letter)
    if operation == "substitute":
        return name[:index] + rng.choice(neighbours) + name[index + 1 :]
    return name[:index] + rng.choice(letter + neighbours) + name[index:]


def compound_variants(name: str, is_name: Callable[[str], bool] = lambda _: False) -> list[str]:
    """Return how a compound name gets typed with its hyphens and spaces removed or changed.

    "Martin-Dupont" → "MartinDupont", "Martin Dupont"; "Le Goff" → "LeGoff", "Le-Goff";
    "Lebrun" → "Le brun": a particle written apart, when what follows it is a name too
    (``is_name``), so "Dupont" never becomes "Du pont" nor "Denis" "De nis".
    """
    variants: list[str] = []
    if "-" in name:
        variants += [name.replace("-", ""), name.replace("-", " ")]
    if " " in name:
        variants += [name.replace(" ", ""), name.replace(" ", "-")]
    if not variants:
        for particle in _PARTICLES:
            head, rest = name[: len(particle)], name[len(particle) :]
            if head.lower() == particle and len(rest) >= 3 and is_name(rest):
                variants.append(f"{head} {rest}")
                break
    return [variant for variant in variants if variant != name]


def date_formats(date: datetime.date) -> list[str]:
    """Return a birth date the ways people type it ("12/03/1985", "12031985", "1/3/1985"…)."""
    return [
        date.strftime("%d/%m/%Y"),
        date.strftime("%d%m%Y"),
        date.strftime("%d-%m-%Y"),
        date.strftime("%d.%m.%Y"),
        date.strftime("%d %m %Y"),
        f"{date.day}/{date.month}/{date.year}",
    ]


def phone_formats(e164: str) -> list[str]:
    """Return a French E.164 number the ways people write it; foreign ones as written."""
    if not (e164.startswith("+33") and len(e164) == 12):
        return [e164, e164.replace("+", "00")]
    national = "0" + e164[3:]
    pairs = [national[i : i + 2] for i in range(0, 10, 2)]
    digits = e164[3:]
    spaced_international = f"{digits[0]} {' '.join(digits[i : i + 2] for i in range(1, 9, 2))}"
    return [
        ".".join(pairs),
        " ".join(pairs),
        "-".join(pairs),
        national,
        e164,
        f"+33 {spaced_international}",
        f"0033 {spaced_international}",
        f"+33 (0){spaced_international}",
    ]


def email_variants(email: str) -> list[str]:
    """Return an email typed with capitals ("JEAN.MARTIN@EXAMPLE.FR", "Jean.Martin@Example.fr")."""
    local, _, domain = email.partition("@")
    titled_local = ".".join(part.capitalize() for part in local.split("."))
    return [email.upper(), f"{titled_local}@{domain.capitalize()}"]


class People:
    """The residents a lookup may point to, indexed to count who else it could mean."""

    def __init__(self, persons: Iterable[Person]) -> None:
        self.persons = sorted(persons, key=lambda person: person.uuid)
        self.by_last: dict[str, list[Person]] = defaultdict(list)
        self.by_date: dict[datetime.date, list[Person]] = defaultdict(list)
        self.by_phone: dict[str, list[Person]] = defaultdict(list)
        self.by_email: dict[str, list[Person]] = defaultdict(list)
        for person in self.persons:
            for name in {compact(person.usage_name), compact(person.birth_name)} - {""}:
                self.by_last[name].append(person)
            if person.birth_date:
                self.by_date[person.birth_date].append(person)
            if person.phone:
                self.by_phone[person.phone].append(person)
            if person.email:
                self.by_email[person.email.lower()].append(person)

    def is_name(self, name: str) -> bool:
        """Say whether ``name`` is the usage or birth name of some resident."""
        return compact(name) in self.by_last

    def consistent(self, facts: Facts) -> list[Person]:
        """Return the residents of whom everything in ``facts`` is true."""
        if facts.phone:
            pool = self.by_phone.get(facts.phone, [])
        elif facts.email:
            pool = self.by_email.get(facts.email.lower(), [])
        elif facts.last:
            pool = self.by_last.get(facts.last, [])
        elif facts.birth_date:
            pool = self.by_date.get(facts.birth_date, [])
        else:
            pool = self.persons
        return [person for person in pool if _agrees(person, facts)]


def _agrees(person: Person, facts: Facts) -> bool:
    if facts.last and facts.last not in {compact(person.usage_name), compact(person.birth_name)}:
        return False
    if facts.first and not set(name_words(facts.first)) <= set(name_words(person.first_names)):
        return False
    if facts.birth_date and person.birth_date != facts.birth_date:
        return False
    if facts.birth_year and (
        person.birth_date is None or person.birth_date.year != facts.birth_year
    ):
        return False
    if facts.phone and person.phone != facts.phone:
        return False
    return not (facts.email and person.email.lower() != facts.email.lower())


# A candidate lookup: the query words and what they say, for the ambiguity check.
_Draft = tuple[list[str], Facts]


def _with_discriminators(person: Person, words: list[str], facts: Facts) -> Iterator[_Draft]:
    """Yield the draft, then the draft with what an agent adds next: first name, year, date."""
    yield words, facts
    if not facts.first and not facts.phone and not facts.email:
        words = [*words, person.first_name]
        facts = replace(facts, first=person.first_name)
        yield words, facts
    if person.birth_date and not facts.birth_date and not facts.birth_year:
        yield (
            [*words, str(person.birth_date.year)],
            replace(facts, birth_year=person.birth_date.year),
        )
        yield (
            [*words, person.birth_date.strftime("%d/%m/%Y")],
            replace(facts, birth_date=person.birth_date),
        )
    if (facts.phone or facts.email) and not facts.last:
        yield [*words, person.usage_name], replace(facts, last=compact(person.usage_name))


def _vary_case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.5:
        return text.lower()
    if roll < 0.7:
        return text.upper()
    return text


class _Generator:
    def __init__(self, people: People, rng: random.Random) -> None:
        self.people = people
        self.rng = rng

    def typo(self, person: Person) -> _Draft | None:
        if len(compact(person.usage_name)) < 4:
            return None
        for _ in range(10):
            typed = one_edit(self.rng, person.usage_name)
            if levenshtein(compact(typed), compact(person.usage_name)) == 1 and not (
                self.people.is_name(typed)
            ):
                last = compact(person.usage_name)
                return [typed, person.first_name], Facts(last=last, first=person.first_name)
        return None

    def no_accents(self, person: Person) -> _Draft | None:
        text = f"{person.usage_name} {person.first_name}"
        if fold(text) == text.lower():
            return None
        words = [fold(person.usage_name), fold(person.first_name)]
        return words, Facts(last=compact(person.usage_name), first=person.first_name)

    def compound_name(self, person: Person) -> _Draft | None:
        variants = compound_variants(person.usage_name, self.people.is_name)
        if not variants:
            return None
        variant = self.rng.choice(variants)
        facts = Facts(last=compact(person.usage_name), first=person.first_name)
        return [variant, person.first_name], facts

    def swapped(self, person: Person) -> _Draft | None:
        facts = Facts(last=compact(person.usage_name), first=person.first_name)
        return [person.first_name, person.usage_name], facts

    def birth_name(self, person: Person) -> _Draft | None:
        if not person.birth_name or compact(person.birth_name) == compact(person.usage_name):
            return None
        facts = Facts(last=compact(person.birth_name), first=person.first_name)
        return [person.birth_name, person.first_name], facts

    def name_year(self, person: Person) -> _Draft | None:
        if person.birth_date is None:
            return None
        year = person.birth_date.year
        return [person.usage_name, str(year)], Facts(
            last=compact(person.usage_name), birth_year=year
        )

    def name_date(self, person: Person) -> _Draft | None:
        if person.birth_date is None:
            return None
        typed = self.rng.choice(date_formats(person.birth_date))
        words = (
            [person.usage_name, typed] if self.rng.random() < 0.7 else [typed, person.usage_name]
        )
        return words, Facts(last=compact(person.usage_name), birth_date=person.birth_date)

    def date_only(self, person: Person) -> _Draft | None:
        if person.birth_date is None:
            return None
        typed = self.rng.choice(date_formats(person.birth_date))
        return [typed], Facts(birth_date=person.birth_date)

    def phone(self, person: Person) -> _Draft | None:
        if not person.phone:
            return None
        return [self.rng.choice(phone_formats(person.phone))], Facts(phone=person.phone)

    def email(self, person: Person) -> _Draft | None:
        if not person.email:
            return None
        return [self.rng.choice(email_variants(person.email))], Facts(email=person.email)

    def lookup(self, kind: str, person: Person) -> Lookup | None:
        make: Callable[[Person], _Draft | None] = getattr(self, kind)
        draft = make(person)
        if draft is None:
            return None
        for words, facts in _with_discriminators(person, *draft):
            candidates = len(self.people.consistent(facts))
            if candidates <= WINDOW:
                query = " ".join(words)
                if kind not in ("phone", "email", "date_only"):
                    query = _vary_case(self.rng, query)
                return Lookup(kind, query, person.uuid, candidates)
        return None


def generate_lookups(
    people: People | Sequence[Person],
    count: int = DEFAULT_COUNT,
    *,
    seed: int = DEFAULT_SEED,
    kinds: Sequence[str] = tuple(KINDS),
) -> list[Lookup]:
    """Return ``count`` lookups spread evenly over ``kinds``, reproducible for a given seed.

    A kind with too few suitable residents yields fewer lookups.
    """
    if not isinstance(people, People):
        people = People(people)
    rng = random.Random(seed)
    generator = _Generator(people, rng)
    lookups: list[Lookup] = []
    for position, kind in enumerate(kinds):
        quota = count // len(kinds) + (position < count % len(kinds))
        order = list(people.persons)
        rng.shuffle(order)
        made = 0
        for person in order:
            if made == quota:
                break
            lookup = generator.lookup(kind, person)
            if lookup is not None:
                lookups.append(lookup)
                made += 1
    return lookups


def load_people() -> People:
    """Return the active residents of the configured database (Django must be set up)."""
    from guichet.residents.models import Resident

    rows = Resident.objects.filter(is_active=True).values_list(
        "uuid", "first_names", "usage_name", "birth_name", "birth_date", "phone", "email"
    )
    return People(
        Person(str(uuid), first, usage, birth, date, phone, email)
        for uuid, first, usage, birth, date, phone, email in rows.iterator(chunk_size=5000)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, help="SQLite: directory of guichet.sqlite3")
    parser.add_argument("--out", type=Path, help="write JSON lines here (default: stdout)")
    args = parser.parse_args()
    if args.data_dir and not os.environ.get("DATABASE_URL"):
        os.environ["GUICHET_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("GUICHET_DEMO", "true")

    import django

    django.setup()
    people = load_people()
    if not people.persons:
        print("No residents: build the database with generate_volume.py first.", file=sys.stderr)
        return 1
    lines = [
        json.dumps(asdict(item), ensure_ascii=False)
        for item in generate_lookups(people, args.count, seed=args.seed)
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
