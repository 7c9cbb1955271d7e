"""Who may read and edit the catalogue.

- Published procedures and life events are public: anyone, logged in or not, reads them.
- Agents (any role) also read unpublished procedures, the agents' notes and the knowledge
  articles; residents never do.
- Supervisors and administrators edit procedures and articles and read unpublished articles.

Look-ups raise 404 both for what does not exist and for what the user may not see.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from guichet.catalogue.models import Article, LifeEvent, Procedure
from guichet.organisation.access import get_agent, require_agent
from guichet.organisation.models import Agent


def is_agent(user: object) -> bool:
    """Return whether ``user`` reads agent-only content (notes, articles, unpublished pages)."""
    return get_agent(user) is not None


def can_edit(user: object) -> bool:
    """Return whether ``user`` edits catalogue content (supervisors and administrators)."""
    agent = get_agent(user)
    return agent is not None and agent.is_supervisor


def abilities(user: object) -> dict[str, bool]:
    """Return what ``user`` may do with the catalogue, for templates and the API."""
    return {"read_agent_content": is_agent(user), "edit": can_edit(user)}


def visible_procedures(user: object) -> QuerySet[Procedure]:
    """Return the procedures ``user`` may read: published ones, and all of them for agents."""
    procedures = Procedure.objects.select_related("department")
    return procedures if is_agent(user) else procedures.filter(is_published=True)


def get_procedure_for(user: object, slug: str) -> Procedure:
    """Return the procedure's public page content, or raise 404."""
    try:
        return visible_procedures(user).get(slug=slug)
    except Procedure.DoesNotExist:
        raise Http404 from None


def get_life_event(slug: str) -> LifeEvent:
    try:
        return LifeEvent.objects.get(slug=slug)
    except LifeEvent.DoesNotExist:
        raise Http404 from None


def require_editor(user: object) -> Agent:
    """Return the agent profile of a supervisor or administrator, or raise 404."""
    agent = require_agent(user)
    if not agent.is_supervisor:
        raise Http404
    return agent


def visible_articles(user: object) -> QuerySet[Article]:
    """Return the articles ``user`` may read: none for non-agents, unpublished for editors."""
    articles = Article.objects.select_related("department")
    if can_edit(user):
        return articles
    if is_agent(user):
        return articles.filter(is_published=True)
    return articles.none()


def get_article_for(user: object, slug: str) -> Article:
    """Return a knowledge article the agent may read, or raise 404."""
    try:
        return visible_articles(user).get(slug=slug)
    except Article.DoesNotExist:
        raise Http404 from None


def get_agent_procedure(user: object, slug: str) -> Procedure:
    """Return a procedure for the agents' pages (unpublished ones included), or raise 404."""
    require_agent(user)
    return get_procedure_for(user, slug)
