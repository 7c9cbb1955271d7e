"""Reading what an agent typed to find a resident: names, a birth date, a phone, an email.

Dates may be full ("12/03/1985", "12-03-85", "12031985", "1985-03-12", "12 mars 1985") or
partial ("03/1985", "mars 1985", "1985"); phones may be in any format, or only begun
("06 12 34"); an email may be only begun ("helene.dup", "helene@").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from guichet.core.text import fold, normalize
from guichet.residents.choices import Civility
from guichet.residents.names import phonetic
from guichet.residents.phones import possible_e164

# Longer queries are cut: nobody types more, and it bounds the work hostile input can cause.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 6
# A begun phone number is used from this many characters of E.164 on ("+336123").
MIN_PHONE_PREFIX = 7

_EMAIL = re.compile(r"[^\s@]*@[^\s@]*")
_EMAIL_LOCAL_PART = re.compile(r"^(?=.*[a-z])[a-z0-9+-]+(?:[._][a-z0-9+-]+)+$")
_PHONE = re.compile(r"(?:\+|\b00|\b0)\d(?:[\s.()-]{0,2}\d){7,13}\b")
_BEGUN_PHONE = re.compile(r"(?:\+|\b0)\d(?:[\s.-]?\d){4,}")
# Dates with separators must not be cut out of a longer run of digits ("06.12.34.56.78").
_ALONE_START, _ALONE_END = r"(?<![\d/.+-])", r"(?![/.-]?\d)"
_ISO_DATE = re.compile(rf"{_ALONE_START}(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_ALONE_END}")
_NUMERIC_DATE = re.compile(
    rf"{_ALONE_START}(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_ALONE_END}"
)
_SPACED_DATE = re.compile(r"\b(\d{1,2}) (\d{1,2}) (\d{4})\b")
_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WORD_DATE = re.compile(rf"\b(?:(\d{{1,2}})(?:er)?\s+)?({_MONTH_NAME})\.?\s+(\d{{4}})\b")
_COMPACT_DATE = re.compile(r"\b(\d{8}|\d{6})\b")
_MONTH_YEAR = re.compile(rf"{_ALONE_START}(\d{{1,2}})[/.-](\d{{4}}){_ALONE_END}")
_YEAR = re.compile(r"\b(\d{4})\b")
_DIGITS = re.compile(r"\d+")

CIVILITY_WORDS = {
    "mme": Civility.MADAME,
    "madame": Civility.MADAME,
    "mlle": Civility.MADAME,
    "melle": Civility.MADAME,
    "mademoiselle": Civility.MADAME,
    "m": Civility.MONSIEUR,
    "mr": Civility.MONSIEUR,
    "monsieur": Civility.MONSIEUR,
}
# Particles of compound names and words around a date ("née le"): they count when they match a
# name, but a file is not left out for lacking them.
FILLER_WORDS = frozenset({
    "a", "al", "ait", "ben", "d", "da", "das", "de", "del", "della", "den", "der", "des", "di",
    "do", "dos", "du", "el", "en", "et", "l", "la", "le", "les", "ne", "nee", "saint", "sainte",
    "st", "ste", "van", "von",
})  # fmt: skip


@dataclass(frozen=True)
class BirthPeriod:
    """A birth date known only to the year, or to the month."""

    start: datetime.date
    end: datetime.date

    @property
    def is_month(self) -> bool:
        return self.start.month == self.end.month

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


@dataclass(frozen=True)
class ParsedQuery:
    """What a search text holds: name words (folded, in typed order) and identifiers."""

    words: tuple[str, ...] = ()
    sounds: tuple[str, ...] = ()  # phonetic key of each word
    # A full birth date; a two-digit year gives two ("12/03/15": 2015 first, then 1915).
    birth_dates: tuple[datetime.date, ...] = ()
    birth_period: BirthPeriod | None = None
    phone: str = ""  # E.164
    phone_prefix: str = ""  # the beginning of an E.164 number
    email: str = ""  # lower-case, possibly only its beginning
    # A dotted word typed without "@" ("helene.dupont"): perhaps the beginning of an email.
    email_guess: str = ""
    civility: str = ""
    required: tuple[int, ...] = field(default=())  # indexes of the words a file must match

    @property
    def birth_date(self) -> datetime.date | None:
        return self.birth_dates[0] if self.birth_dates else None

    @property
    def has_identifier(self) -> bool:
        return bool(
            self.birth_dates
            or self.birth_period
            or self.phone
            or self.phone_prefix
            or self.email
            or self.email_guess
        )

    @property
    def has_strong_identifier(self) -> bool:
        """Tell whether a full birth date, a whole phone number or an email was typed."""
        return bool(self.birth_dates or self.phone or self.email)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.has_identifier)


def parse_query(query: str) -> ParsedQuery:
    """Split a free-text search into name words, a birth date, a phone number and an email."""
    text = fold(query[:MAX_QUERY_LENGTH])
    today = timezone.localdate()
    email, text = _take_email(text)
    # Dates written with separators first, so that a phone number does not swallow one…
    birth_dates, text = _take_full_date(text, today, _SEPARATED_DATES)
    phone, text = _take_phone(text)
    # …and runs of digits after, so that a phone number is not read as a date.
    period = None
    if not birth_dates:
        birth_dates, text = _take_full_date(text, today, ((_COMPACT_DATE, "compact"),))
    if not birth_dates:
        period, text = _take_birth_period(text, today)
    phone_prefix = ""
    if not phone:
        phone_prefix, text = _take_begun_phone(text)
    email_guess = ""
    if not email:
        email_guess = next((token for token in text.split() if _EMAIL_LOCAL_PART.match(token)), "")
    words = [_DIGITS.sub("", word) for word in normalize(text).split()]
    words = [word for word in words if word]
    civility = ""
    for index, word in enumerate(words):
        # A lone "m" being typed last is the beginning of a name, not "Monsieur".
        if word in CIVILITY_WORDS and (word != "m" or index < len(words) - 1):
            civility = CIVILITY_WORDS[word]
            del words[index]
            break
    words = words[:MAX_WORDS]
    required = tuple(i for i, word in enumerate(words) if word not in FILLER_WORDS)
    return ParsedQuery(
        words=tuple(words),
        sounds=tuple(phonetic(word) for word in words),
        birth_dates=birth_dates,
        birth_period=period,
        phone=phone,
        phone_prefix=phone_prefix,
        email=email,
        email_guess=email_guess,
        civility=civility,
        required=required or tuple(range(len(words))),
    )


def _take_email(text: str) -> tuple[str, str]:
    match = _EMAIL.search(text)
    if match and len(match.group()) > 1:
        return match.group(), text.replace(match.group(), " ")
    return "", text


def _take_phone(text: str) -> tuple[str, str]:
    for match in _PHONE.finditer(text):
        e164 = possible_e164(match.group())
        if e164:
            return e164, text.replace(match.group(), " ")
    return "", text


def _take_begun_phone(text: str) -> tuple[str, str]:
    match = _BEGUN_PHONE.search(text)
    if not match:
        return "", text
    digits = "".join(_DIGITS.findall(match.group()))
    if match.group().startswith("+"):
        prefix = "+" + digits
    elif digits.startswith("00"):
        prefix = "+" + digits[2:]
    else:
        prefix = "+33" + digits[1:]
    if len(prefix) < MIN_PHONE_PREFIX:
        return "", text
    return prefix, text.replace(match.group(), " ")


def _date(year: int, month: int, day: int, today: datetime.date) -> datetime.date | None:
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return None
    return value if value <= today else None


def _years(year: str, today: datetime.date) -> list[int]:
    """Return the years a typed year may mean: "85" → 1985; "15" → 2015, then 1915."""
    if len(year) == 4:
        return [int(year)]
    return [y for y in (2000 + int(year), 1900 + int(year)) if y <= today.year]


_SEPARATED_DATES = (
    (_ISO_DATE, "ymd"),
    (_NUMERIC_DATE, "dmy"),
    (_SPACED_DATE, "dmy"),
    (_WORD_DATE, "word"),
)


def _take_full_date(
    text: str, today: datetime.date, patterns: tuple[tuple[re.Pattern[str], str], ...]
) -> tuple[tuple[datetime.date, ...], str]:
    """Find a full birth date in ``text``; return it and the text without it."""
    for pattern, kind in patterns:
        for match in pattern.finditer(text):
            dates = _full_dates(match, kind, today)
            if dates:
                return tuple(dates), text.replace(match.group(), " ", 1)
    return (), text


def _take_birth_period(text: str, today: datetime.date) -> tuple[BirthPeriod | None, str]:
    """Find a birth month ("03/1985", "mars 1985") or year in ``text``."""
    for match in _MONTH_YEAR.finditer(text):
        period = _month(int(match.group(2)), int(match.group(1)), today)
        if period:
            return period, text.replace(match.group(), " ", 1)
    for match in _WORD_DATE.finditer(text):  # with a day, it was a full date
        period = _month(int(match.group(3)), _MONTHS[match.group(2)], today)
        if period:
            return period, text.replace(match.group(), " ", 1)
    for match in _YEAR.finditer(text):
        year = int(match.group())
        if 1900 <= year <= today.year:
            period = BirthPeriod(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            return period, text.replace(match.group(), " ", 1)
    return None, text


def _full_dates(match: re.Match[str], kind: str, today: datetime.date) -> list[datetime.date]:
    groups = match.groups()
    if kind == "ymd":
        found = _date(int(groups[0]), int(groups[1]), int(groups[2]), today)
        return [found] if found else []
    if kind == "dmy":
        day, month, year = groups[0], groups[-2], groups[-1]
        dates = [_date(y, int(month), int(day), today) for y in _years(year, today)]
        return [d for d in dates if d]
    if kind == "word":
        if not groups[0]:
            return []
        found = _date(int(groups[2]), _MONTHS[groups[1]], int(groups[0]), today)
        return [found] if found else []
    digits = match.group()
    if len(digits) == 8:
        # DDMMYYYY, else YYYYMMDD
        for day, month, year in (
            (digits[:2], digits[2:4], digits[4:]),
            (digits[6:], digits[4:6], digits[:4]),
        ):
            found = _date(int(year), int(month), int(day), today)
            if found:
                return [found]
        return []
    dates = [_date(y, int(digits[2:4]), int(digits[:2]), today) for y in _years(digits[4:], today)]
    return [d for d in dates if d]


def _month(year: int, month: int, today: datetime.date) -> BirthPeriod | None:
    if not (1 <= month <= 12 and 1900 <= year <= today.year):
        return None
    start = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return BirthPeriod(start, following - datetime.timedelta(days=1))
