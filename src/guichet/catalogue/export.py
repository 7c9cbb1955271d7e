"""The whole catalogue as plain data, for ``guichet export-catalogue --json``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from guichet.catalogue.models import Article, Procedure


def export_procedures() -> list[dict[str, Any]]:
    """Return every procedure (published or not) with all its texts, links and metadata."""
    procedures = Procedure.objects.select_related("department", "updated_by").prefetch_related(
        "life_events",
        Prefetch("articles", queryset=Article.objects.order_by("title")),
    )
    return [
        {
            "slug": procedure.slug,
            "title": procedure.title,
            "summary": procedure.summary,
            "body": procedure.body,
            "agent_note": procedure.agent_note,
            "who_can_ask": procedure.who_can_ask,
            "documents": procedure.documents,
            "department": {"slug": procedure.department.slug, "name": procedure.department.name},
            "channels": procedure.channels,
            "appointment_required": procedure.appointment_required,
            "cost": procedure.cost,
            "commitment_days": procedure.commitment_days,
            "handled_by_city": procedure.handled_by_city,
            "orient_to": procedure.orient_to,
            "keywords": procedure.keywords,
            "life_events": [
                {"slug": event.slug, "title": event.title} for event in procedure.life_events.all()
            ],
            "articles": [
                {"slug": article.slug, "title": article.title, "summary": article.summary}
                for article in procedure.articles.all()
            ],
            "is_published": procedure.is_published,
            "review_before": procedure.review_before.isoformat()
            if procedure.review_before
            else None,
            "updated_at": procedure.updated_at.isoformat(),
            "updated_by": procedure.updated_by.username if procedure.updated_by else None,
            "url": procedure.get_absolute_url(),
        }
        for procedure in procedures.order_by("slug")
    ]
