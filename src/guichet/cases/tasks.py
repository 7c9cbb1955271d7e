"""Periodic work of the cases app (Celery beat); each is also a management command for cron."""

from __future__ import annotations

from celery import shared_task

from guichet.cases.escalation import escalate_deadlines


@shared_task(name="cases.escalate_deadlines")
def escalate_deadlines_task() -> dict[str, int]:
    """Warn assignees and supervisors about near-due and overdue cases (idempotent)."""
    report = escalate_deadlines()
    return {"near": report.near, "overdue": report.overdue, "notices": report.notices}
