"""The URLconf of the submission benchmark's server: Guichet's URLs plus two yardsticks.

Used ONLY by ``bench_case_submissions.py`` (through ``case_load_settings``), never by Guichet.
``bench/floor/`` is the stack's floor: the same gunicorn, middleware, DRF token authentication,
permission check, JSON parsing and exception handler as ``POST /api/v1/cases/``, and then a
single INSERT into a throwaway table. Whatever filing a case costs on top of that is the
application's own work.

``bench/bound/`` is the **lower bound of any filing** under the project's rules (the ORM, no raw
SQL; every transition a history row; every message an outbox row): the same stack reads the
resident named in the body and, in one transaction, writes the rows a filing cannot do without
— the case, its two history rows ("submitted", "acknowledged"), the acknowledgement in the
outbox and its status row. Nothing else: no answer is checked, no reference looked up, no due
date counted in working days, no message rendered, nothing queued (the outbox row is written as
already sent, so no worker picks it up). No filing that meets the issue can cost less; how far
the real filing is from this bound is what the application's own logic costs.

The throwaway table (``bench_floor_row``) belongs to no app and no migration: the benchmark
creates it with the schema editor in the database it made for the run, and the database is
dropped (PostgreSQL) or deleted (SQLite) afterwards. No project model is touched.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from typing import Any

from django.db import models, transaction
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guichet.cases.actions import new_reference, new_tracking_code
from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case, CaseEvent
from guichet.cases.published_forms import online_form
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification, NotificationChange
from guichet.organisation.choices import Channel
from guichet.residents.models import Resident

BOUND_TEXT = "Votre demande a bien été reçue."


class FloorRow(models.Model):
    """One row per floor request: the key the client sent, and when it arrived."""

    key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: models.Manager[FloorRow] = models.Manager()

    class Meta:
        # An explicit label outside INSTALLED_APPS: no migration is ever made for it.
        app_label = "bench_floor"
        db_table = "bench_floor_row"

    def __str__(self) -> str:
        return str(self.key)


class FloorView(APIView):
    """Insert one row for an authenticated client: the cheapest write the stack can serve."""

    permission_classes = [permissions.IsAuthenticated]

    def post(self, request: Request) -> Response:
        data: Any = request.data
        try:
            key = uuid.UUID(str(data.get("submission_key")))
        except (AttributeError, ValueError):
            raise serializers.ValidationError({"submission_key": ["A UUID."]}) from None
        # Atomic like an action: the floor pays for a transaction as filing does.
        with transaction.atomic():
            row = FloorRow.objects.create(key=key)
        return Response({"id": row.pk, "key": str(row.key)}, status=status.HTTP_201_CREATED)


@functools.cache
def _bound_form(slug: str) -> Any:
    """The online form the bound files under (looked up once per process, like the cache)."""
    return online_form(slug)


class BoundView(APIView):
    """Write the rows a filing cannot do without, through the ORM, and nothing else."""

    permission_classes = [permissions.IsAuthenticated]

    def post(self, request: Request) -> Response:
        data: Any = request.data
        try:
            key = uuid.UUID(str(data.get("submission_key")))
            resident = Resident.objects.get(uuid=uuid.UUID(str(data.get("resident"))))
        except (AttributeError, ValueError, Resident.DoesNotExist):
            raise serializers.ValidationError({"resident": ["A resident's UUID."]}) from None
        case_form = _bound_form(str(data.get("procedure")))
        now = timezone.now()
        case = Case(
            reference=new_reference(now.year),
            tracking_code=new_tracking_code(),
            procedure=case_form.procedure,
            form_version_id=case_form.current_version_id,
            resident=resident,
            data=data.get("data") or {},
            channel=str(data.get("channel") or Channel.WEB),
            filed_by=request.user,
            department=case_form.department,
            submitted_at=now,
            commitment_days=case_form.deadline_days,
            due_date=timezone.localdate(now) + datetime.timedelta(days=30),
            submission_key=key,
            updated_at=now,
        )
        with transaction.atomic():
            case.save(force_insert=True)
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(
                        case=case,
                        kind=CaseEventKind.SUBMITTED,
                        actor=request.user,
                        channel=case.channel,
                        to_status=CaseStatus.SUBMITTED,
                        to_department=case.department,
                        created_at=now,
                    ),
                    CaseEvent(
                        case=case,
                        kind=CaseEventKind.ACKNOWLEDGED,
                        channel=case.channel,
                        created_at=now,
                    ),
                ]
            )
            notification = Notification(
                resident=resident,
                channel="email",
                recipient=resident.email or "bound@example.org",
                language="fr",
                event="case_received",
                subject=BOUND_TEXT,
                body_text=BOUND_TEXT,
                status=NotificationStatus.SENT,
                dedupe_key=f"case:{case.uuid}:received",
                related_label=case.reference,
                created_at=now,
                sent_at=now,
            )
            notification.save(force_insert=True)
            NotificationChange.objects.create(
                notification=notification, status=NotificationStatus.SENT, created_at=now
            )
        return Response({"id": str(case.uuid)}, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/", FloorView.as_view(), name="bench-floor"),
    path("bench/bound/", BoundView.as_view(), name="bench-bound"),
    path("", include("guichet.urls")),
]
