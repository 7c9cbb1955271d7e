"""Who may read the access log: the data protection officer and administrators, nobody else."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from guichet.audit.models import AccessLog
from guichet.organisation.access import get_agent
from guichet.organisation.models import Agent


def can_read_access_log(user: object) -> bool:
    agent = get_agent(user)
    return agent is not None and (agent.is_dpo or agent.is_admin)


def require_access_log_reader(user: object) -> Agent:
    """Return the reader's agent profile, or raise 404 for anybody else."""
    agent = get_agent(user)
    if agent is None or not (agent.is_dpo or agent.is_admin):
        raise Http404
    return agent


def readable_access_log(user: object) -> QuerySet[AccessLog]:
    """Return the access log rows ``user`` may read: all of them for the DPO and admins."""
    if not can_read_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.all()
