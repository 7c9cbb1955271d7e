import datetime

import pytest
from django.db import IntegrityError

from guichet.organisation import actions
from guichet.organisation.actions import OpeningPeriod
from guichet.organisation.choices import ChangeKind, SiteKind
from guichet.organisation.models import Agent, OrganisationChange, Site

NINE, NOON, TWO, FIVE = (datetime.time(h) for h in (9, 12, 14, 17))


def test_create_site_with_hours_records_the_change(admin_agent: Agent) -> None:
    """A new site gets its periods and a 'site created' row naming the administrator."""
    site = actions.create_site(
        actor=admin_agent.user,
        slug="mairie-annexe-sud",
        name="Mairie annexe Sud",
        kind=SiteKind.NEIGHBOURHOOD_OFFICE,
        opening_hours=[OpeningPeriod(0, TWO, FIVE), OpeningPeriod(0, NINE, NOON)],
    )
    assert [(p.opens_at, p.closes_at) for p in site.opening_hours.all()] == [
        (NINE, NOON),
        (TWO, FIVE),
    ]
    change = OrganisationChange.objects.get(site=site)
    assert change.kind == ChangeKind.SITE_CREATED
    assert change.actor == admin_agent.user


def test_update_site_records_only_changed_fields(admin_agent: Agent, city) -> None:
    """Changing the phone writes one row listing 'phone'; saving unchanged writes none."""
    site = city.annex
    fields = {
        "name": site.name,
        "kind": site.kind,
        "address": site.address,
        "postal_code": site.postal_code,
        "city": site.city,
        "phone": "01 02 03 04 05",
        "accessibility": site.accessibility,
        "is_active": True,
    }
    actions.update_site(site, actor=admin_agent.user, **fields)
    actions.update_site(site, actor=admin_agent.user, **fields)
    changes = OrganisationChange.objects.filter(site=site, kind=ChangeKind.SITE_UPDATED)
    assert [c.details["fields"] for c in changes] == [["phone"]]
    site.refresh_from_db()
    assert site.phone == "01 02 03 04 05"


def test_set_opening_hours_replaces_periods(admin_agent: Agent, site_with_hours: Site) -> None:
    """New hours replace the old ones and the change keeps both versions."""
    changed = actions.set_opening_hours(
        site_with_hours, [OpeningPeriod(2, NINE, FIVE)], actor=admin_agent.user
    )
    assert changed
    assert site_with_hours.opening_hours.count() == 1
    change = OrganisationChange.objects.get(kind=ChangeKind.HOURS_CHANGED)
    assert change.details["after"] == ["2 09:00-17:00"]
    assert len(change.details["before"]) == 11


def test_set_opening_hours_without_change_writes_nothing(
    admin_agent: Agent, site_with_hours: Site
) -> None:
    """Submitting the same hours again is not a change."""
    same = [
        OpeningPeriod(p.weekday, p.opens_at, p.closes_at)
        for p in site_with_hours.opening_hours.all()
    ]
    assert not actions.set_opening_hours(site_with_hours, same, actor=admin_agent.user)
    assert not OrganisationChange.objects.filter(kind=ChangeKind.HOURS_CHANGED).exists()


def test_database_refuses_hours_closing_before_opening(city) -> None:
    """The check constraint backs the form: closes_at must follow opens_at."""
    with pytest.raises(IntegrityError):
        actions.set_opening_hours(city.annex, [OpeningPeriod(1, FIVE, NINE)], actor=None)


def test_add_and_remove_closure_keep_history(admin_agent: Agent, city) -> None:
    """Adding then removing a closure leaves two rows describing it."""
    closure = actions.add_site_closure(
        city.annex,
        actor=admin_agent.user,
        start_date=datetime.date(2026, 12, 24),
        end_date=datetime.date(2026, 12, 26),
        reason="Fêtes de fin d'année",
    )
    actions.remove_site_closure(closure, actor=admin_agent.user)
    assert not city.annex.closures.exists()
    kinds = list(
        OrganisationChange.objects.filter(site=city.annex).values_list("kind", "details__reason")
    )
    assert sorted(kinds) == [
        (ChangeKind.CLOSURE_ADDED, "Fêtes de fin d'année"),
        (ChangeKind.CLOSURE_REMOVED, "Fêtes de fin d'année"),
    ]
