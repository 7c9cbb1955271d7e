import datetime
from zoneinfo import ZoneInfo

from guichet.organisation.models import Site, SiteClosure

PARIS = ZoneInfo("Europe/Paris")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def test_site_is_open_during_an_opening_period(site_with_hours: Site) -> None:
    """A Tuesday at 10:00 Paris time falls in the morning period."""
    assert site_with_hours.is_open_at(at(2026, 3, 10, 10))


def test_site_is_closed_at_lunch_and_on_sunday(site_with_hours: Site) -> None:
    """Between the two periods and on Sunday the site is closed."""
    assert not site_with_hours.is_open_at(at(2026, 3, 10, 12, 30))
    assert not site_with_hours.is_open_at(at(2026, 3, 15, 10))


def test_closing_time_is_exclusive(site_with_hours: Site) -> None:
    """At 17:00 sharp the site has closed."""
    assert site_with_hours.is_open_at(at(2026, 3, 10, 16, 59))
    assert not site_with_hours.is_open_at(at(2026, 3, 10, 17))


def test_is_open_at_uses_paris_time(site_with_hours: Site) -> None:
    """9:00 UTC in March is 10:00 in Paris, within opening hours."""
    moment = datetime.datetime(2026, 3, 10, 7, 45, tzinfo=datetime.UTC)
    assert site_with_hours.is_open_at(moment)


def test_exceptional_closure_wins_over_opening_hours(site_with_hours: Site) -> None:
    """During a closure the site is closed even within its hours."""
    SiteClosure.objects.create(
        site=site_with_hours,
        start_date=datetime.date(2026, 3, 9),
        end_date=datetime.date(2026, 3, 10),
        reason="Travaux",
    )
    assert not site_with_hours.is_open_at(at(2026, 3, 10, 10))
    assert site_with_hours.is_open_at(at(2026, 3, 11, 10))


def test_weekly_hours_lists_seven_days(site_with_hours: Site) -> None:
    """Monday has two periods, Saturday one, Sunday is closed."""
    days = site_with_hours.weekly_hours()
    assert days[0].label == "Lundi"
    assert len(days) == 7
    assert len(days[0].periods) == 2
    assert len(days[5].periods) == 1
    assert days[6].is_closed


def test_upcoming_closures_excludes_past_ones(site_with_hours: Site) -> None:
    """A closure that ended yesterday is not upcoming."""
    today = datetime.date(2026, 6, 1)
    SiteClosure.objects.create(
        site=site_with_hours,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 31),
        reason="Passée",
    )
    SiteClosure.objects.create(
        site=site_with_hours,
        start_date=datetime.date(2026, 7, 14),
        end_date=datetime.date(2026, 7, 14),
        reason="Fête nationale",
    )
    assert [c.reason for c in site_with_hours.upcoming_closures(today)] == ["Fête nationale"]
