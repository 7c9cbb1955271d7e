"""Finding a resident from what an agent types: names, a birth date, a phone, an email.

Candidates come from indexed lookups only, each reading a bounded number of rows, and the
search stops as soon as a file matches everything typed:

1. the files holding the typed birth date, phone or email;
2. the dictionary of known names (``lookup_dictionary``) tells, for each typed word, the names
   it may stand for: itself, names within one or two typos, names that sound the same, a
   compound name typed as one word ("martindupont");
3. the files whose names start with, or sound like, every typed word (prefix ranges on the
   normalised name columns, equality on sound keys): a name typed right, or being typed;
4. the files bearing the known names of two typed words as last (or birth) name and first
   name (equality on two-column indexes), then of one typed word — before step 3 when a word
   is no known name, that is when it is a typo.

They are ranked in Python (``lookup_scoring``): every piece of evidence adds to a file's score
and a contradicting birth date takes from it, so several weak signals together beat one strong.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from guichet.residents.lookup_dictionary import similar_terms
from guichet.residents.lookup_query import ParsedQuery, parse_query
from guichet.residents.lookup_scoring import Candidate, Lookup, QueryRun, QueryWord, Score
from guichet.residents.lookups import prefix_q, word_q
from guichet.residents.models import Resident

__all__ = ["ResidentMatch", "find_residents", "parse_query"]

# Rows read per candidate query; the ranking keeps the best ``limit`` of them.
CANDIDATES_PER_QUERY = 200
# Known names looked for per typed word (the closest ones).
MAX_SIMILAR_TERMS = 12
# Files found by the known names of the typed words whose rows are read at most.
MAX_NAMED_ROWS = 300
# Typed words (or runs of words) whose known names are looked up in pairs, or one by one.
MAX_UNITS = 5
MAX_SINGLE_UNITS = 3
# Adjacent typed words are also tried joined ("le goff" for Legoff, "van der berg").
MAX_RUN = 3


@dataclass
class ResidentMatch:
    resident: Resident
    score: float
    # Why the file matched, in short labels ("nom approchant", "date de naissance"…).
    reasons: tuple[str, ...] = ()


def find_residents(query: str, *, limit: int = 20) -> list[ResidentMatch]:
    """Return active residents matching ``query``, most likely first (at most ``limit``)."""
    parsed = parse_query(query)
    if parsed.is_empty or limit <= 0:
        return []
    search = _Search(parsed, limit)
    search.run()
    best = search.ranked()[:limit]
    residents = Resident.objects.in_bulk([candidate.pk for candidate, _ in best])
    return [
        ResidentMatch(residents[candidate.pk], score.value, score.reasons())
        for candidate, score in best
    ]


class _Search:
    """Read candidates with bounded indexed queries, scoring them as they come."""

    def __init__(self, parsed: ParsedQuery, limit: int) -> None:
        self.limit = limit
        self.lookup = Lookup(
            parsed=parsed,
            words=tuple(
                QueryWord(
                    text=word,
                    sound=parsed.sounds[index] if len(word) > 1 else "",
                    similar={},
                    required=index in parsed.required,
                    last=index == len(parsed.words) - 1,
                )
                for index, word in enumerate(parsed.words)
            ),
            runs=(),
        )
        self.scored: dict[int, tuple[Candidate, Score]] = {}

    def read(self, condition: Q, *, limit: int = CANDIDATES_PER_QUERY) -> int:
        """Score the active residents matching ``condition``; return how many rows were read."""
        rows = (
            Resident.objects.active()
            .filter(condition)
            # No ORDER BY: with one, PostgreSQL walks a whole index in order instead of
            # combining the small index lookups; the ranking orders the candidates.
            .order_by()
            .values_list(*Candidate._fields)[:limit]
        )
        count = 0
        for row in rows:
            count += 1
            if row[0] not in self.scored:
                candidate = Candidate(*row)
                self.scored[candidate.pk] = (candidate, self.lookup.score(candidate))
        return count

    def has_complete(self) -> bool:
        """Tell whether a file matches every typed word, as typed, and identifier."""
        return any(score.complete for _, score in self.scored.values())

    def has_match(self) -> bool:
        """Tell whether a file matches every typed word (in some spelling) and identifier."""
        return any(score.matches_all for _, score in self.scored.values())

    def run(self) -> None:
        parsed = self.lookup.parsed
        # A birth date, a phone or an email is selective: the files holding it are read first,
        # whatever their names.
        identifiers = _identifier_conditions(parsed)
        crowded = [c for c in identifiers if self.read(c) >= CANDIDATES_PER_QUERY]
        period = parsed.birth_period
        in_period = Q(birth_date__range=(period.start, period.end)) if period else None
        required = [word for word in self.lookup.words if word.required]
        if not required:
            if in_period is not None and not identifiers:
                # Without names, a birth month or year is all there is to go on.
                self.read(in_period)
            return
        if self.has_complete():
            return
        self.lookup = _with_similar_terms(self.lookup)
        self.scored = {pk: (c, self.lookup.score(c)) for pk, (c, _) in self.scored.items()}
        # Every file holding the typed birth date, phone or email has been read: if one of
        # them also bears the names (all but one word), nobody else can fit better.
        if self.has_match() or any(score.holds_identifiers for _, score in self.scored.values()):
            return
        required = [word for word in self.lookup.words if word.required]
        if _being_typed(required, self.lookup.runs):
            self.read_spelled_names(required, crowded, in_period)
            if not self.has_match():
                self.read_similar_names(in_period)
        else:
            self.read_similar_names(in_period)
            if not self.has_match():
                self.read_spelled_names(required, crowded, in_period)

    def read_spelled_names(
        self, required: list[QueryWord], crowded: list[Q], in_period: Q | None
    ) -> None:
        """Read the files with names starting with, or sounding like, every typed word."""
        exact = reduce(and_, [_exact_word_condition(word.text) for word in required])
        if all(word.similar.get(word.text) == 0 for word in required):
            # Names typed right: enough files bearing them leave no room for the others.
            self.read(exact)
            if sum(score.complete for _, score in self.scored.values()) >= self.limit:
                return
        strict = reduce(and_, [_spelling_condition(word) for word in required])
        if self.read(strict) >= CANDIDATES_PER_QUERY:
            # Many people match the names: make sure the exact matches, and those born in the
            # typed period or holding a too common identifier, are among the candidates read.
            self.read(exact)
            for condition in [*crowded, *([in_period] if in_period else [])]:
                self.read(strict & condition)

    def read_similar_names(self, in_period: Q | None) -> None:
        """Read the files bearing names the typed words may be typos of (or parts of)."""
        words = self.lookup.words
        units = [
            _Unit(frozenset({index}), tuple(word.similar))
            for index, word in enumerate(words)
            if word.required and word.similar
        ]
        # Words that joined make a known name are also looked up as that name.
        units += [_Unit(frozenset(run.indexes), tuple(run.similar)) for run in self.lookup.runs]
        units = units[:MAX_UNITS]
        named = frozenset().union(*(unit.indexes for unit in units))
        # Words no known name stands for may still begin a name (the agent is typing them).
        unnamed = [
            _spelling_condition(word)
            for index, word in enumerate(words)
            if word.required and index not in named
        ]
        if len(units) > 1:
            ids = _ids_of_pairs(units)
            if ids:
                if unnamed:
                    self.read(Q(*unnamed, pk__in=ids), limit=MAX_NAMED_ROWS)
                if not unnamed or not self.has_match():
                    self.read(Q(pk__in=ids), limit=MAX_NAMED_ROWS)
                if self.has_match():
                    return
        # One name at a time: the other words may be only begun, misspelled beyond recognition,
        # or names the file lacks.
        narrowing = [in_period] if in_period is not None else []
        for unit in units[:MAX_SINGLE_UNITS]:
            begun = [
                _spelling_condition(word)
                for index, word in enumerate(words)
                if word.required and index not in unit.indexes
            ]
            for conditions in [[*narrowing, *begun], narrowing] if begun else [narrowing]:
                ids = _ids_of_names(unit.terms, conditions)
                if ids:
                    self.read(Q(pk__in=ids), limit=MAX_NAMED_ROWS)
                if self.has_match():
                    return

    def ranked(self) -> list[tuple[Candidate, Score]]:
        scored = [item for item in self.scored.values() if item[1].value > 0]
        if any(score.has_all_words for _, score in scored):
            # Files missing one of the typed words are a fallback: shown only when no file has
            # them all, or when they hold the typed birth date, phone or email.
            scored = [item for item in scored if item[1].has_all_words or item[1].has_identifier]
        scored.sort(
            key=lambda item: (-item[1].value, item[0].search_last, item[0].search_first, item[0].pk)
        )
        return scored


def _being_typed(required: list[QueryWord], runs: tuple[QueryRun, ...]) -> bool:
    """Tell whether the query reads as known names typed right, the last one perhaps begun.

    Then the names' spelling finds the files at once (and a word only begun needs it); a
    misspelled word, a name typed in one word that is also a compound name ("leroux" for Le
    Roux), or the whole names of several words, are better found through the dictionary.
    """

    def known(word: QueryWord) -> bool:
        return word.similar.get(word.text) == 0

    def also_compound(word: QueryWord) -> bool:
        return any(" " in term and cost == 0 for term, cost in word.similar.items())

    *earlier, last = required
    return (
        all(known(word) for word in earlier)
        and (not earlier or not known(last))
        and not any(also_compound(word) for word in required)
        and not any(0 in run.similar.values() for run in runs)
    )


def _with_similar_terms(lookup: Lookup) -> Lookup:
    """Return the lookup with, for each word and run of words, the known names it may mean."""
    words = lookup.parsed.words
    spans = [
        (start, start + size)
        for size in range(2, MAX_RUN + 1)
        for start in range(len(words) - size + 1)
    ]
    joined = {span: "".join(words[span[0] : span[1]]) for span in spans}
    # Words typed apart are looked for joined as written only: a typo on top is too far.
    similar = similar_terms(list(set(words)), as_written=list(set(joined.values())))
    return replace(
        lookup,
        words=tuple(
            replace(word, similar=_closest(similar.get(word.text, {}))) for word in lookup.words
        ),
        runs=tuple(
            QueryRun(indexes=tuple(range(start, end)), text=text, similar=similar[text])
            for (start, end), text in joined.items()
            if similar.get(text)
        ),
    )


def _closest(terms: dict[str, float]) -> dict[str, float]:
    kept = sorted(terms, key=lambda term: (terms[term], term))[:MAX_SIMILAR_TERMS]
    return {term: terms[term] for term in kept}


@dataclass(frozen=True)
class _Unit:
    """Typed words (one, or several typed apart) and the known names they may stand for."""

    indexes: frozenset[int]
    terms: tuple[str, ...]

    @property
    def heads(self) -> list[str]:
        return sorted({term.split()[0] for term in self.terms})

    @property
    def tails(self) -> list[str]:
        return sorted({term.split()[-1] for term in self.terms})


def _ids_of_pairs(units: list[_Unit]) -> list[int]:
    """Return residents whose last (or birth) name and first name are two of these units.

    Each pair is an equality lookup on a two-column index, so common names cost no more than
    rare ones.
    """
    condition = Q()
    for first in units:
        lasts = [unit for unit in units if not unit.indexes & first.indexes]
        if lasts:
            firsts = first.heads
            # The "not empty" terms let the databases use the partial indexes.
            condition |= (
                Q(search_first_head__in=firsts, search_last_head__in=_merged(lasts, "heads"))
                | (
                    Q(search_first_head__in=firsts, search_last_tail__in=_merged(lasts, "tails"))
                    & ~Q(search_last_tail="")
                )
                | (
                    Q(search_first_head__in=firsts, search_birth__in=_merged(lasts, "terms"))
                    & ~Q(search_birth="")
                )
            )
    if not condition:
        return []
    ids = Resident.objects.filter(condition).order_by().values_list("id", flat=True)
    return list(ids[:MAX_NAMED_ROWS])


def _merged(units: list[_Unit], attribute: str) -> list[str]:
    return sorted({value for unit in units for value in getattr(unit, attribute)})


def _ids_of_names(terms: Collection[str], narrowing: list[Q]) -> list[int]:
    """Return residents bearing one of these names (a word, or a whole compound name)."""
    words = sorted({term.split()[0] for term in terms} | {term.split()[-1] for term in terms})
    everyone = Resident.objects.order_by().filter(*narrowing)
    return _union_ids(
        [
            everyone.filter(search_last__in=terms),
            everyone.filter(search_last_tail__in=words),
            everyone.filter(search_birth__in=terms),
            everyone.filter(search_first_head__in=words),
        ]
    )


def _union_ids(selects: list[QuerySet[Resident]]) -> list[int]:
    """Return the ids the selects find, in one statement of plain index lookups.

    (An OR of IN lists on single columns in one WHERE clause makes SQLite scan the table.)
    """
    first, *others = [select.values_list("id", flat=True) for select in selects]
    return list(dict.fromkeys(first.union(*others, all=True)[:MAX_NAMED_ROWS]))


def _spelling_condition(word: QueryWord) -> Q:
    """Match residents having a name that starts with the word or sounds like it."""
    text = word.text
    condition = (
        prefix_q("search_last", text)
        | prefix_q("search_last_tail", text)
        | prefix_q("search_birth", text)
        | prefix_q("search_first", text)
    )
    if word.sound:
        condition |= (
            word_q("phonetic_last", word.sound)
            | Q(phonetic_last_tail=word.sound)
            | word_q("phonetic_birth", word.sound)
            | word_q("phonetic_first", word.sound)
        )
    return condition


def _exact_word_condition(word: str) -> Q:
    """Match residents having a name word equal to ``word`` (not just starting with it)."""
    return (
        word_q("search_last", word)
        | Q(search_last_tail=word)
        | word_q("search_birth", word)
        | Q(search_first_head=word)
    )


def _phone_prefix_q(prefix: str) -> Q:
    # A range rather than LIKE: E.164 numbers are "+" and digits, ordered the same by every
    # collation, and the plain index on the column serves the range on both databases.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(phone__gte=prefix, phone__lt=upper)


def _identifier_conditions(parsed: ParsedQuery) -> list[Q]:
    conditions = []
    if parsed.birth_dates:
        conditions.append(Q(birth_date__in=parsed.birth_dates))
    if parsed.phone:
        conditions.append(Q(phone=parsed.phone))
    elif parsed.phone_prefix:
        conditions.append(_phone_prefix_q(parsed.phone_prefix))
    if parsed.email or parsed.email_guess:
        conditions.append(prefix_q("email", parsed.email or parsed.email_guess))
    return conditions
