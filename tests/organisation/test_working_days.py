import datetime
import time

import pytest
from django.db import IntegrityError
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from guichet.core import process_cache
from guichet.organisation import working_days
from guichet.organisation.actions import add_city_closure, remove_city_closure
from guichet.organisation.models import CityClosure
from guichet.organisation.working_days import (
    WorkingCalendar,
    add_working_days,
    easter_sunday,
    french_public_holidays,
    working_days_between,
)

date = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    """Easter falls on the known dates, including the earliest and latest possible ones."""
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2024, date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
        (2025, date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
        (2026, date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
        (2027, date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)),
    ],
)
def test_national_public_holidays(
    year: int, easter_monday: date, ascension: date, whit_monday: date
) -> None:
    """A year has the eleven national holidays, the movable ones on their known dates."""
    holidays = french_public_holidays(year)
    assert holidays == {
        date(year, 1, 1): "Jour de l'an",
        easter_monday: "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        ascension: "Ascension",
        whit_monday: "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    assert list(holidays) == sorted(holidays)


@pytest.mark.parametrize(
    ("year", "good_friday"),
    [
        (2024, date(2024, 3, 29)),
        (2025, date(2025, 4, 18)),
        (2026, date(2026, 4, 3)),
        (2027, date(2027, 3, 26)),
    ],
)
def test_alsace_moselle_adds_good_friday_and_saint_stephen(
    settings: Settings, year: int, good_friday: date
) -> None:
    """With GUICHET_ALSACE_MOSELLE, Good Friday and 26 December are holidays too."""
    settings.GUICHET_ALSACE_MOSELLE = True
    holidays = french_public_holidays(year)
    assert len(holidays) == 13
    assert holidays[good_friday] == "Vendredi saint"
    assert holidays[date(year, 12, 26)] == "Saint-Étienne"


def test_good_friday_is_a_working_day_elsewhere(db: None) -> None:
    """Without the Alsace-Moselle setting, Good Friday and 26 December are working days."""
    assert date(2025, 4, 18) not in french_public_holidays(2025)
    calendar = WorkingCalendar(date(2025, 1, 1), date(2025, 12, 31))
    assert calendar.is_working_day(date(2025, 4, 18))
    assert calendar.is_working_day(date(2025, 12, 26))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 5, 13), True),  # Wednesday
        (date(2026, 5, 14), False),  # Ascension
        (date(2026, 5, 16), False),  # Saturday
        (date(2026, 5, 17), False),  # Sunday
        (date(2026, 5, 25), False),  # Whit Monday
        (date(2026, 5, 26), True),  # Tuesday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    """Weekends and public holidays are not working days; other weekdays are."""
    assert WorkingCalendar(day).is_working_day(day) is working


@pytest.mark.django_db
def test_deadline_across_the_ascension_long_weekend() -> None:
    """Two working days from Wednesday 13 May 2026 skip Ascension and the weekend."""
    assert add_working_days(date(2026, 5, 13), 2) == date(2026, 5, 18)


@pytest.mark.django_db
def test_deadline_skips_a_city_closure() -> None:
    """The bridge day after Ascension, when the city closes, does not count."""
    CityClosure.objects.create(
        start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont de l'Ascension"
    )
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    assert add_working_days(date(2026, 5, 13), 2) == date(2026, 5, 19)
    assert working_days_between(date(2026, 5, 13), date(2026, 5, 19)) == 2


@pytest.mark.django_db
def test_deadline_across_christmas_and_new_year() -> None:
    """From Wednesday 30 December 2026, three working days skip New Year's Day and a weekend."""
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)


@pytest.mark.django_db
def test_deadline_across_christmas_in_alsace_moselle(settings: Settings) -> None:
    """In Alsace-Moselle, Friday 26 December 2025 is a holiday, so the deadline moves a day."""
    assert add_working_days(date(2025, 12, 24), 2) == date(2025, 12, 29)
    settings.GUICHET_ALSACE_MOSELLE = True
    assert add_working_days(date(2025, 12, 24), 2) == date(2025, 12, 30)


@pytest.mark.django_db
def test_counting_starts_the_next_working_day() -> None:
    """Filed on Monday with 2 days is due Wednesday; filed on Friday with 1 day, Monday."""
    assert add_working_days(date(2026, 3, 2), 2) == date(2026, 3, 4)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 3, 4), date(2026, 3, 4)),  # a Wednesday stays
        (date(2026, 3, 7), date(2026, 3, 9)),  # a Saturday moves to Monday
        (date(2025, 4, 21), date(2025, 4, 22)),  # Easter Monday moves to Tuesday
    ],
)
def test_zero_days_is_the_same_or_next_working_day(start: date, due: date) -> None:
    """With no delay, the due date is the start when it is a working day, else the next one."""
    assert add_working_days(start, 0) == due


@pytest.mark.django_db
def test_negative_delay_is_refused() -> None:
    """A negative number of working days is a programming error."""
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(date(2026, 3, 2), -1)


@pytest.mark.django_db
def test_next_working_day() -> None:
    """The next working day is strictly after the given day, skipping holidays and weekends."""
    calendar = WorkingCalendar(date(2026, 5, 1))
    assert calendar.next_working_day(date(2026, 5, 1)) == date(2026, 5, 4)
    assert calendar.next_working_day(date(2026, 5, 7)) == date(2026, 5, 11)
    assert calendar.next_working_day(date(2026, 5, 13)) == date(2026, 5, 15)


@pytest.mark.django_db
def test_working_days_in_a_year() -> None:
    """2026 has 261 weekdays, 9 of them public holidays: 252 working days."""
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 252


@pytest.mark.django_db
def test_working_days_between_is_negative_when_late() -> None:
    """Counting back from after the due date gives minus the working days late."""
    assert working_days_between(date(2026, 5, 18), date(2026, 5, 13)) == -2
    assert working_days_between(date(2026, 5, 13), date(2026, 5, 13)) == 0


@pytest.mark.django_db
def test_working_days_between_inverts_add_working_days() -> None:
    """For every start day of a year and several delays, counting back gives the delay."""
    CityClosure.objects.create(
        start_date=date(2026, 12, 28), end_date=date(2026, 12, 31), reason="Fin d'année"
    )
    calendar = WorkingCalendar(date(2026, 1, 1), date(2027, 6, 30))
    start = date(2026, 1, 1)
    while start.year == 2026:
        for days in (1, 2, 5, 15, 30):
            due = calendar.add_working_days(start, days)
            assert calendar.is_working_day(due)
            assert calendar.working_days_between(start, due) == days
        start += datetime.timedelta(days=1)


@pytest.mark.django_db
def test_closure_across_years() -> None:
    """A closure from 28 December to 8 January removes its weekdays in both years."""
    CityClosure.objects.create(
        start_date=date(2026, 12, 28), end_date=date(2027, 1, 8), reason="Fêtes"
    )
    assert add_working_days(date(2026, 12, 24), 1) == date(2027, 1, 11)
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 11)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 10, 60, 400])
def test_one_query_whatever_the_delay(
    django_assert_num_queries: DjangoAssertNumQueries, days: int
) -> None:
    """Closures are read once for the whole span, even for 400 working days, then kept."""
    CityClosure.objects.create(
        start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont"
    )
    with django_assert_num_queries(1):
        due = add_working_days(date(2026, 1, 5), days)
    with django_assert_num_queries(0):
        assert working_days_between(date(2026, 1, 5), due) == days


@pytest.mark.django_db
def test_long_delay_spans_more_than_a_year() -> None:
    """400 working days from 5 January 2026 end in the summer of 2027."""
    due = add_working_days(date(2026, 1, 5), 400)
    # 2026 has 252 working days, 250 of them after 5 January; the 150th of 2027 is 5 August.
    assert due == date(2027, 8, 5)


@pytest.mark.django_db
def test_calendar_answers_beyond_its_range(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """Days outside the range given are still right (worked out from the closures held)."""
    CityClosure.objects.create(
        start_date=date(2028, 5, 26), end_date=date(2028, 5, 26), reason="Pont"
    )
    CityClosure.objects.create(
        start_date=date(2024, 5, 10), end_date=date(2024, 5, 10), reason="Pont"
    )
    with django_assert_num_queries(1):
        calendar = WorkingCalendar(date(2026, 1, 5), date(2026, 1, 31))
        for day in range(5, 32):
            calendar.is_working_day(date(2026, 1, day))
    with django_assert_num_queries(0):
        assert not calendar.is_working_day(date(2028, 5, 26))
        assert not calendar.is_working_day(date(2024, 5, 10))
        assert calendar.is_working_day(date(2024, 5, 13))


@pytest.mark.django_db
def test_closure_end_before_start_is_refused_by_the_database() -> None:
    """A closure ending before it starts cannot be stored."""
    with pytest.raises(IntegrityError):
        CityClosure.objects.create(
            start_date=date(2026, 5, 15), end_date=date(2026, 5, 14), reason="Erreur"
        )


@pytest.mark.django_db
def test_closures_are_read_again_after_a_minute(
    django_assert_num_queries: DjangoAssertNumQueries, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A closure another process added counts here within the minute the closures are kept."""
    add_working_days(date(2026, 5, 13), 1)
    # Another process adds the bridge day after Ascension: this one sends no signal here.
    CityClosure.objects.bulk_create(
        [CityClosure(start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont")]
    )
    with django_assert_num_queries(0):
        assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    later = time.monotonic() + working_days.closures.ttl + 1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    with django_assert_num_queries(1):
        assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)


@pytest.mark.django_db
def test_a_closure_added_or_removed_here_counts_at_once() -> None:
    """The process that adds or removes a closure reads them again on its next question."""
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    closure = add_city_closure(
        actor=None, start_date=date(2026, 5, 15), end_date=date(2026, 5, 15), reason="Pont"
    )
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    remove_city_closure(closure, actor=None)
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
