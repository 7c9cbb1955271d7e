"""Who may see the outbox and edit message templates: supervisors and administrators only.

Messages hold residents' personal data (addresses, the texts sent to them), so other agents do
not read the outbox. Everyone else gets 404, whether the object exists or not.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from guichet.notifications.models import MessageTemplate, Notification
from guichet.organisation.access import get_agent
from guichet.organisation.models import Agent


def can_manage_notifications(user: object) -> bool:
    agent = get_agent(user)
    return agent is not None and agent.is_supervisor


def require_supervisor(user: object) -> Agent:
    """Return the supervisor's (or administrator's) agent profile, or raise 404."""
    agent = get_agent(user)
    if agent is None or not agent.is_supervisor:
        raise Http404
    return agent


def get_notification_for(user: object, notification_uuid: uuid.UUID) -> Notification:
    require_supervisor(user)
    try:
        return Notification.objects.select_related("resident", "user").get(uuid=notification_uuid)
    except Notification.DoesNotExist:
        raise Http404 from None


def get_template_for(user: object, template_id: int) -> MessageTemplate:
    require_supervisor(user)
    try:
        return MessageTemplate.objects.select_related("updated_by").get(pk=template_id)
    except MessageTemplate.DoesNotExist:
        raise Http404 from None
