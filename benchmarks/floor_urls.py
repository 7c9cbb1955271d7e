"""The URLconf of the submission benchmark's server: Guichet's URLs plus ``bench/floor/``.

Used ONLY by ``bench_case_submissions.py`` (through ``case_load_settings``), never by Guichet.
``bench/floor/`` is the stack's floor: the same gunicorn, middleware, DRF token authentication,
permission check, JSON parsing and exception handler as ``POST /api/v1/cases/``, and then a
single INSERT into a throwaway table. Whatever filing a case costs on top of that is the
application's own work.

The throwaway table (``bench_floor_row``) belongs to no app and no migration: the benchmark
creates it with the schema editor in the database it made for the run, and the database is
dropped (PostgreSQL) or deleted (SQLite) afterwards. No project model is touched.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models, transaction
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


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


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/", FloorView.as_view(), name="bench-floor"),
    path("", include("guichet.urls")),
]
