"""State changes of the organisation: sites, opening hours, closures, departments and agents.

Every function runs in a transaction and writes an ``OrganisationChange`` row saying who changed
what. ``actor`` is None when the change comes from a command line rather than a person.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from guichet.organisation.choices import ChangeKind
from guichet.organisation.models import (
    Agent,
    CityClosure,
    Department,
    OpeningHours,
    OrganisationChange,
    Site,
    SiteClosure,
    User,
)

# No 0/O, 1/l/I: the password is read aloud or copied from a screen.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


@dataclass(frozen=True)
class OpeningPeriod:
    """One opening period on a weekday (0 = Monday)."""

    weekday: int
    opens_at: datetime.time
    closes_at: datetime.time


@dataclass(frozen=True)
class AgentAccount:
    """A new agent and, when the administrator gave no password, the generated one (shown once)."""

    agent: Agent
    temporary_password: str | None


def generate_password() -> str:
    """Return a random password of three groups of four characters, easy to read and type."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def _record(kind: ChangeKind, actor: User | None, **target_and_details: Any) -> None:
    details = target_and_details.pop("details", {})
    OrganisationChange.objects.create(kind=kind, actor=actor, details=details, **target_and_details)


def _apply(instance: Site | Department | User | Agent, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``instance`` and return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# Sites ---------------------------------------------------------------------------------------


@transaction.atomic
def create_site(
    *,
    actor: User | None,
    slug: str,
    name: str,
    kind: str,
    address: str = "",
    postal_code: str = "",
    city: str = "",
    phone: str = "",
    accessibility: str = "",
    is_active: bool = True,
    opening_hours: Iterable[OpeningPeriod] = (),
) -> Site:
    """Create a site with its weekly opening hours."""
    site = Site.objects.create(
        slug=slug,
        name=name,
        kind=kind,
        address=address,
        postal_code=postal_code,
        city=city,
        phone=phone,
        accessibility=accessibility,
        is_active=is_active,
    )
    periods = _sorted_periods(opening_hours)
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=p.weekday, opens_at=p.opens_at, closes_at=p.closes_at)
        for p in periods
    )
    _record(
        ChangeKind.SITE_CREATED, actor, site=site, details={"hours": _describe_periods(periods)}
    )
    return site


@transaction.atomic
def update_site(
    site: Site,
    *,
    actor: User | None,
    name: str,
    kind: str,
    address: str,
    postal_code: str,
    city: str,
    phone: str,
    accessibility: str,
    is_active: bool,
) -> Site:
    """Replace the site's details (its slug never changes: links and imports rely on it)."""
    changed = _apply(
        site,
        {
            "name": name,
            "kind": kind,
            "address": address,
            "postal_code": postal_code,
            "city": city,
            "phone": phone,
            "accessibility": accessibility,
            "is_active": is_active,
        },
    )
    if changed:
        site.save(update_fields=changed)
        _record(ChangeKind.SITE_UPDATED, actor, site=site, details={"fields": changed})
    return site


@transaction.atomic
def set_opening_hours(site: Site, periods: Iterable[OpeningPeriod], *, actor: User | None) -> bool:
    """Replace the site's weekly opening hours; return whether they changed."""
    new = _sorted_periods(periods)
    old = [
        OpeningPeriod(p.weekday, p.opens_at, p.closes_at)
        for p in site.opening_hours.order_by("weekday", "opens_at")
    ]
    if old == new:
        return False
    site.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=p.weekday, opens_at=p.opens_at, closes_at=p.closes_at)
        for p in new
    )
    _record(
        ChangeKind.HOURS_CHANGED,
        actor,
        site=site,
        details={"before": _describe_periods(old), "after": _describe_periods(new)},
    )
    return True


def _sorted_periods(periods: Iterable[OpeningPeriod]) -> list[OpeningPeriod]:
    return sorted(set(periods), key=lambda p: (p.weekday, p.opens_at, p.closes_at))


def _describe_periods(periods: Sequence[OpeningPeriod]) -> list[str]:
    return [f"{p.weekday} {p.opens_at:%H:%M}-{p.closes_at:%H:%M}" for p in periods]


@transaction.atomic
def add_site_closure(
    site: Site,
    *,
    actor: User | None,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str,
) -> SiteClosure:
    """Close the site exceptionally from ``start_date`` to ``end_date`` inclusive."""
    closure = SiteClosure.objects.create(
        site=site, start_date=start_date, end_date=end_date, reason=reason
    )
    _record(
        ChangeKind.CLOSURE_ADDED,
        actor,
        site=site,
        details={"start": start_date.isoformat(), "end": end_date.isoformat(), "reason": reason},
    )
    return closure


@transaction.atomic
def remove_site_closure(closure: SiteClosure, *, actor: User | None) -> None:
    """Cancel an exceptional closure."""
    _record(
        ChangeKind.CLOSURE_REMOVED,
        actor,
        site=closure.site,
        details={
            "start": closure.start_date.isoformat(),
            "end": closure.end_date.isoformat(),
            "reason": closure.reason,
        },
    )
    closure.delete()


# Closures of the whole administration -------------------------------------------------------


@transaction.atomic
def add_city_closure(
    *, actor: User | None, start_date: datetime.date, end_date: datetime.date, reason: str
) -> CityClosure:
    """Close the administration from ``start_date`` to ``end_date`` inclusive.

    These days stop counting as working days: deadlines computed afterwards skip them (the due
    dates of cases already filed stay as they were).
    """
    closure = CityClosure.objects.create(start_date=start_date, end_date=end_date, reason=reason)
    _record(
        ChangeKind.CITY_CLOSURE_ADDED,
        actor,
        details={"start": start_date.isoformat(), "end": end_date.isoformat(), "reason": reason},
    )
    return closure


@transaction.atomic
def remove_city_closure(closure: CityClosure, *, actor: User | None) -> None:
    """Cancel a closure of the administration: its days become working days again."""
    _record(
        ChangeKind.CITY_CLOSURE_REMOVED,
        actor,
        details={
            "start": closure.start_date.isoformat(),
            "end": closure.end_date.isoformat(),
            "reason": closure.reason,
        },
    )
    closure.delete()


# Departments ---------------------------------------------------------------------------------


@transaction.atomic
def create_department(
    *,
    actor: User | None,
    slug: str,
    name: str,
    description: str = "",
    email: str = "",
    confidential: bool = False,
) -> Department:
    """Create a department (service)."""
    department = Department.objects.create(
        slug=slug, name=name, description=description, email=email, confidential=confidential
    )
    _record(ChangeKind.DEPARTMENT_CREATED, actor, department=department)
    return department


@transaction.atomic
def update_department(
    department: Department,
    *,
    actor: User | None,
    name: str,
    description: str,
    email: str,
    confidential: bool,
) -> Department:
    """Replace the department's details (its slug never changes: the catalogue relies on it)."""
    changed = _apply(
        department,
        {"name": name, "description": description, "email": email, "confidential": confidential},
    )
    if changed:
        department.save(update_fields=changed)
        _record(
            ChangeKind.DEPARTMENT_UPDATED, actor, department=department, details={"fields": changed}
        )
    return department


# Agents --------------------------------------------------------------------------------------


@transaction.atomic
def create_agent(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    sites: Iterable[Site] = (),
    departments: Iterable[Department] = (),
    job_title: str = "",
    password: str | None = None,
) -> AgentAccount:
    """Create a user and their agent profile; generate a password when none is given."""
    temporary_password = None if password else generate_password()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password or temporary_password)
    user.save()
    agent = Agent.objects.create(user=user, role=role, job_title=job_title)
    agent.sites.set(sites)
    agent.departments.set(departments)
    _record(
        ChangeKind.AGENT_CREATED,
        actor,
        agent=agent,
        details={
            "role": role,
            "sites": _slugs(agent.sites.all()),
            "departments": _slugs(agent.departments.all()),
        },
    )
    return AgentAccount(agent=agent, temporary_password=temporary_password)


@transaction.atomic
def update_agent(
    agent: Agent,
    *,
    actor: User | None,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    sites: Iterable[Site],
    departments: Iterable[Department],
    job_title: str,
) -> Agent:
    """Replace the agent's identity, role, sites and departments."""
    user_changed = _apply(
        agent.user, {"first_name": first_name, "last_name": last_name, "email": email}
    )
    if user_changed:
        agent.user.save(update_fields=user_changed)
    agent_changed = _apply(agent, {"role": role, "job_title": job_title})
    if agent_changed:
        agent.save(update_fields=agent_changed)
    old_sites, old_departments = _slugs(agent.sites.all()), _slugs(agent.departments.all())
    agent.sites.set(sites)
    agent.departments.set(departments)
    new_sites, new_departments = _slugs(agent.sites.all()), _slugs(agent.departments.all())
    changed = user_changed + agent_changed
    if old_sites != new_sites:
        changed.append("sites")
    if old_departments != new_departments:
        changed.append("departments")
    if changed:
        details: dict[str, Any] = {"fields": changed}
        if "role" in changed:
            details["role"] = role
        _record(ChangeKind.AGENT_UPDATED, actor, agent=agent, details=details)
    return agent


def _slugs(objects: Iterable[Site | Department]) -> list[str]:
    return sorted(obj.slug for obj in objects)


@transaction.atomic
def deactivate_agent(agent: Agent, *, actor: User | None) -> Agent:
    """Stop the agent from logging in and from using the API (their history stays)."""
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    agent.user.is_active = False
    agent.user.save(update_fields=["is_active"])
    Token.objects.filter(user=agent.user).delete()
    _record(ChangeKind.AGENT_DEACTIVATED, actor, agent=agent)
    return agent


@transaction.atomic
def reactivate_agent(agent: Agent, *, actor: User | None) -> Agent:
    """Let a deactivated agent log in again."""
    agent.is_active = True
    agent.save(update_fields=["is_active"])
    agent.user.is_active = True
    agent.user.save(update_fields=["is_active"])
    _record(ChangeKind.AGENT_REACTIVATED, actor, agent=agent)
    return agent


@transaction.atomic
def reset_agent_password(agent: Agent, *, actor: User | None) -> str:
    """Give the agent a new random password and return it (open sessions are logged out)."""
    password = generate_password()
    agent.user.set_password(password)
    agent.user.save(update_fields=["password"])
    _record(ChangeKind.PASSWORD_RESET, actor, agent=agent)
    return password


@transaction.atomic
def create_api_token(agent: Agent, *, actor: User | None) -> str:
    """Return a new API token for the agent, revoking the previous one."""
    Token.objects.filter(user=agent.user).delete()
    token = Token.objects.create(user=agent.user)
    _record(ChangeKind.API_TOKEN_CREATED, actor, agent=agent)
    return str(token.key)
