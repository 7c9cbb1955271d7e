"""Working days (jours ouvrés): the unit of every deadline the city commits to.

A working day is a Monday to Friday that is neither a French public holiday nor a day when the
whole administration is closed (``CityClosure``, such as the bridge day after Ascension).
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.utils.translation import gettext as _

from guichet.core.process_cache import KeptValue
from guichet.organisation.models import CityClosure

_ONE_DAY = datetime.timedelta(days=1)
_SATURDAY = 5
# How far past the last requested day a calendar loads closures, so that deadlines landing just
# after a closure or a holiday cluster are computed without a second query.
_MARGIN = datetime.timedelta(days=31)
_YEAR = datetime.timedelta(days=366)


def _all_closures() -> tuple[tuple[datetime.date, datetime.date], ...]:
    return tuple(CityClosure.objects.order_by("start_date").values_list("start_date", "end_date"))


# Every closure of the administration as (first day, last day). Closures are a handful of rows a
# year, read by every filing (its due date) and every list of cases (near due, overdue): each
# process keeps them all until they change (see ``KeptValue``).
closures = KeptValue("closures", _all_closures)


def easter_sunday(year: int) -> datetime.date:
    """Return the date of Easter Sunday in the Gregorian calendar (anonymous algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    sun_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - sun_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late_correction = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * late_correction + 114, 31)
    return datetime.date(year, month, day + 1)


def french_public_holidays(year: int) -> dict[datetime.date, str]:
    """Return the public holidays (jours fériés) of ``year`` with their names, translated.

    The eleven national holidays, plus Good Friday and 26 December where the local law of Alsace
    and Moselle applies (setting ``GUICHET_ALSACE_MOSELLE``).
    """
    easter = easter_sunday(year)
    holidays: dict[datetime.date, str] = {
        datetime.date(year, 1, 1): _("Jour de l'an"),
        easter + datetime.timedelta(days=1): _("Lundi de Pâques"),
        datetime.date(year, 5, 1): _("Fête du Travail"),
        datetime.date(year, 5, 8): _("Victoire 1945"),
        easter + datetime.timedelta(days=39): _("Ascension"),
        easter + datetime.timedelta(days=50): _("Lundi de Pentecôte"),
        datetime.date(year, 7, 14): _("Fête nationale"),
        datetime.date(year, 8, 15): _("Assomption"),
        datetime.date(year, 11, 1): _("Toussaint"),
        datetime.date(year, 11, 11): _("Armistice 1918"),
        datetime.date(year, 12, 25): _("Noël"),
    }
    if settings.GUICHET_ALSACE_MOSELLE:
        holidays[easter - datetime.timedelta(days=2)] = _("Vendredi saint")
        holidays[datetime.date(year, 12, 26)] = _("Saint-Étienne")
    return dict(sorted(holidays.items()))


@functools.lru_cache(maxsize=64)
def _holiday_dates(year: int, alsace_moselle: bool) -> frozenset[datetime.date]:
    # The dates only (their names are translated per request), once per year; the setting is
    # part of the key, as french_public_holidays reads it.
    return frozenset(french_public_holidays(year))


class WorkingCalendar:
    """Answer working-day questions for a range of dates.

    Build one per call site for the dates it needs (``first`` to ``last``); the closed days of
    that range (plus a margin after it) are worked out at once from the closures this process
    holds (read at most once a minute, see ``_ClosureCache``). A question about a day outside the
    range works out one more stretch, so answers are always right.
    """

    def __init__(self, first: datetime.date, last: datetime.date | None = None) -> None:
        last = max(last or first, first) + _MARGIN
        self._loaded_from = first
        self._loaded_until = last
        self._closed = self._closed_days(first, last)
        self._holidays_by_year: dict[int, frozenset[datetime.date]] = {}

    @staticmethod
    def _closed_days(first: datetime.date, last: datetime.date) -> set[datetime.date]:
        closed = set()
        for closure_start, closure_end in closures.get():
            if closure_start > last or closure_end < first:
                continue
            day = max(closure_start, first)
            while day <= min(closure_end, last):
                closed.add(day)
                day += _ONE_DAY
        return closed

    def _is_closed(self, day: datetime.date) -> bool:
        # Extend by at least a year: each extension is a query, and long spans ask day by day.
        if day < self._loaded_from:
            first = min(day, self._loaded_from - _YEAR)
            self._closed |= self._closed_days(first, self._loaded_from - _ONE_DAY)
            self._loaded_from = first
        elif day > self._loaded_until:
            last = max(day, self._loaded_until + _YEAR)
            self._closed |= self._closed_days(self._loaded_until + _ONE_DAY, last)
            self._loaded_until = last
        return day in self._closed

    def _is_holiday(self, day: datetime.date) -> bool:
        holidays = self._holidays_by_year.get(day.year)
        if holidays is None:
            holidays = _holiday_dates(day.year, settings.GUICHET_ALSACE_MOSELLE)
            self._holidays_by_year[day.year] = holidays
        return day in holidays

    def is_working_day(self, day: datetime.date) -> bool:
        """Return whether ``day`` is a working day of the administration."""
        return day.weekday() < _SATURDAY and not self._is_holiday(day) and not self._is_closed(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """Return the first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """Return the due date ``days`` working days after ``start``.

        Counting starts the working day after ``start`` (the day a request arrives is not
        counted, even when it is a working day): a request filed on Monday with 2 days is due
        on Wednesday, one filed on Friday with 1 day is due on Monday. With 0 days the due date is
        ``start`` itself when it is a working day, else the next working day.
        """
        if days < 0:
            raise ValueError("days must be zero or more")
        if days == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        day = start
        for _count in range(days):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Return the number of working days after ``start`` up to and including ``end``.

        It is the inverse of ``add_working_days``: ``working_days_between(d,
        add_working_days(d, n)) == n`` for n ≥ 1. When ``end`` is before ``start`` the count is
        negative (the working days in ``(end, start]``), which reads as "days late".
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count


def _calendar_for(start: datetime.date, working_days: int) -> WorkingCalendar:
    # Five working days a week, plus room for holidays and closures: covers the answer at once.
    span = datetime.timedelta(days=working_days * 7 // 5 + 1)
    return WorkingCalendar(start, start + span)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Return the due date ``days`` working days after ``start`` (see ``WorkingCalendar``)."""
    return _calendar_for(start, days).add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Return the working days in ``(start, end]``, negative when ``end`` is before ``start``."""
    first, last = min(start, end), max(start, end)
    return WorkingCalendar(first, last).working_days_between(start, end)
