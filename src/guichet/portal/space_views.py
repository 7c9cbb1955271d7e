"""Mon espace: what a resident sees of their file — requests, drafts, documents and household."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.cases.access import require_resident, resident_cases
from guichet.cases.models import CaseDraft
from guichet.residents.access import get_own_document
from guichet.residents.models import HouseholdMember


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    resident = require_resident(request.user)
    cases = (
        resident_cases(resident)
        .select_related("procedure")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__from_resident=False, messages__read_at__isnull=True),
            )
        )
        .order_by("-submitted_at")
    )
    open_cases = [case for case in cases if not case.is_closed]
    closed_cases = [case for case in cases if case.is_closed][:10]
    drafts = (
        CaseDraft.objects.filter(owner=resident.user, submitted_case__isnull=True)
        .select_related("form_version__form__procedure")
        .order_by("-updated_at")
    )
    memberships = HouseholdMember.objects.filter(resident=resident).select_related("household")
    members = (
        HouseholdMember.objects.filter(household__in=[m.household_id for m in memberships])
        .exclude(resident=resident)
        .select_related("resident")
        .order_by("resident__birth_date")
    )
    return render(
        request,
        "portal/my_space.html",
        {
            "resident": resident,
            "open_cases": open_cases,
            "closed_cases": closed_cases,
            "unread": sum(case.unread for case in cases),
            "drafts": drafts,
            "documents": resident.documents.order_by("kind", "-created_at"),
            "members": members,
            "nav": "my_space",
        },
    )


@login_required
def my_document(request: HttpRequest, document_uuid: object) -> FileResponse:
    """Send one of the resident's own documents back to them."""
    document = get_own_document(request.user, document_uuid)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name or document.kind,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
