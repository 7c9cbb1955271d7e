"""The inbox's own changes: saved views and assigning many cases at once."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction

from guichet.cases.access import processable_cases
from guichet.cases.actions import assign_case
from guichet.cases.models import SavedView
from guichet.organisation.models import Department, User


@transaction.atomic
def save_view(*, owner: User, name: str, query: str) -> tuple[SavedView, bool]:
    """Keep the inbox filters ``query`` under ``name``; a view of that name is replaced.

    Return the view and whether it is new.
    """
    return SavedView.objects.update_or_create(
        owner=owner, name=name.strip(), defaults={"query": query}
    )


def delete_view(*, view: SavedView) -> None:
    view.delete()


@dataclass(frozen=True)
class BulkAssignment:
    """What a bulk assignment did: cases given, and cases left alone with the reason."""

    assigned: int
    # Not found among the cases the actor may process (another department, confidential…).
    forbidden: int
    # Closed, or of a department the assignee does not belong to.
    unsuitable: int


def bulk_assign(
    *, actor: User, case_uuids: Collection[uuid.UUID], assignee: User
) -> BulkAssignment:
    """Give ``assignee`` every listed case the actor may process and the assignee may take.

    The assignee must belong to the case's department, unless the actor takes the case
    themselves (a supervisor helping a department). Each case is assigned by ``assign_case``
    (its own transaction and history row), so one case failing leaves the others assigned.
    """
    wanted = set(case_uuids)
    cases = list(processable_cases(actor).filter(uuid__in=wanted).order_by("id"))
    assignee_departments = set(
        Department.objects.filter(agents__user=assignee, agents__is_active=True).values_list(
            "id", flat=True
        )
    )
    assigned = unsuitable = 0
    for case in cases:
        member = case.department_id in assignee_departments or assignee.pk == actor.pk
        if case.is_closed or not member:
            unsuitable += 1
            continue
        if case.assignee_id != assignee.pk:
            assign_case(case=case, assignee=assignee, actor=actor)
        assigned += 1
    return BulkAssignment(
        assigned=assigned, forbidden=len(wanted) - len(cases), unsuitable=unsuitable
    )
