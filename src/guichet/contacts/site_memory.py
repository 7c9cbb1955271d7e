"""Remember at which site an agent logs contacts, to preselect it next time."""

from __future__ import annotations

from django.http import HttpRequest

from guichet.organisation.access import site_ids
from guichet.organisation.models import Agent, Site

SESSION_KEY = "contacts_last_site"


def initial_site_id(request: HttpRequest, agent: Agent) -> int | None:
    """Return the site to preselect: the last one used in this session, or the agent's first."""
    remembered = request.session.get(SESSION_KEY)
    sites = site_ids(agent)
    if remembered in sites:
        return int(remembered)
    return min(sites) if sites else None


def remember_site(request: HttpRequest, site: Site | None) -> None:
    if site is not None:
        request.session[SESSION_KEY] = site.pk
