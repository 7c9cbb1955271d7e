"""Who an authenticated user is, as the other apps' access layers need to know it."""

from __future__ import annotations

from django.http import Http404

from guichet.organisation.models import Agent, CityClosure, Department, Site, SiteClosure, User


def get_agent(user: object) -> Agent | None:
    """Return the active agent profile of ``user``, or None (residents, anonymous, inactive)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    agent = user.agent_or_none
    if agent is None or not agent.is_active:
        return None
    return agent


def require_agent(user: object) -> Agent:
    """Return the agent profile or raise 404: agents' pages do not exist for anybody else."""
    agent = get_agent(user)
    if agent is None:
        raise Http404
    return agent


def department_ids(agent: Agent) -> set[int]:
    """Return the ids of the departments the agent belongs to (cached on the instance)."""
    cached: set[int] | None = getattr(agent, "_department_ids", None)
    if cached is None:
        cached = set(agent.departments.values_list("id", flat=True))
        agent._department_ids = cached  # type: ignore[attr-defined]
    return cached


def site_ids(agent: Agent) -> set[int]:
    """Return the ids of the sites the agent works at (cached on the instance)."""
    cached: set[int] | None = getattr(agent, "_site_ids", None)
    if cached is None:
        cached = set(agent.sites.values_list("id", flat=True))
        agent._site_ids = cached  # type: ignore[attr-defined]
    return cached


def can_manage_organisation(agent: Agent | None) -> bool:
    """Only administrators manage sites, departments and agents."""
    return agent is not None and agent.is_admin


def require_admin(user: object) -> Agent:
    """Return the administrator's agent profile or raise 404 for anybody else."""
    agent = get_agent(user)
    if not can_manage_organisation(agent):
        raise Http404
    assert agent is not None
    return agent


def get_site_for_admin(user: object, slug: str) -> Site:
    require_admin(user)
    try:
        return Site.objects.get(slug=slug)
    except Site.DoesNotExist:
        raise Http404 from None


def get_closure_for_admin(user: object, site_slug: str, closure_id: int) -> SiteClosure:
    require_admin(user)
    try:
        return SiteClosure.objects.select_related("site").get(site__slug=site_slug, id=closure_id)
    except SiteClosure.DoesNotExist:
        raise Http404 from None


def get_city_closure_for_admin(user: object, closure_id: int) -> CityClosure:
    require_admin(user)
    try:
        return CityClosure.objects.get(id=closure_id)
    except CityClosure.DoesNotExist:
        raise Http404 from None


def get_department_for_admin(user: object, slug: str) -> Department:
    require_admin(user)
    try:
        return Department.objects.get(slug=slug)
    except Department.DoesNotExist:
        raise Http404 from None


def get_agent_for_admin(user: object, agent_id: int) -> Agent:
    require_admin(user)
    try:
        return Agent.objects.select_related("user").get(id=agent_id)
    except Agent.DoesNotExist:
        raise Http404 from None
