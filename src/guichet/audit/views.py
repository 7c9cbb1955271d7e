"""The access log, for the data protection officer and administrators."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.access import readable_access_log, require_access_log_reader
from guichet.audit.csv_export import stream_csv
from guichet.audit.forms import AccessLogFilterForm
from guichet.audit.models import AccessLog
from guichet.residents.search import find_residents

PER_PAGE = 50
RESIDENT_MATCHES = 50


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the aware local midnight starting ``day`` (an index-friendly bound)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filter_by_resident(entries: QuerySet[AccessLog], query: str) -> QuerySet[AccessLog]:
    """Keep the rows of the residents ``query`` designates: a file's UUID, or a search."""
    try:
        return entries.filter(resident__uuid=uuid.UUID(query))
    except ValueError:
        ids = [match.resident.pk for match in find_residents(query, limit=RESIDENT_MATCHES)]
        return entries.filter(resident_id__in=ids)


def filtered_access_log(request: HttpRequest) -> tuple[AccessLogFilterForm, QuerySet[AccessLog]]:
    form = AccessLogFilterForm(request.GET or None)
    entries = readable_access_log(request.user)
    if form.is_bound:
        if not form.is_valid():
            return form, entries.none()
        data = form.cleaned_data
        if data.get("agent"):
            entries = entries.filter(user=data["agent"])
        if data.get("resident", "").strip():
            entries = filter_by_resident(entries, data["resident"].strip())
        if data.get("date_from"):
            entries = entries.filter(created_at__gte=day_start(data["date_from"]))
        if data.get("date_to"):
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(created_at__lt=day_start(next_day))
    return form, entries.select_related("user", "resident").order_by("-created_at", "-id")


def csv_rows(entries: QuerySet[AccessLog]) -> Iterator[list[object]]:
    for entry in entries.iterator(chunk_size=1000):
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.user.username,
            entry.user.display_name(),
            entry.resident.uuid,
            entry.resident.display_name,
            entry.page,
            entry.path,
            _("oui") if entry.via_api else _("non"),
        ]


@login_required
def access_log(request: HttpRequest) -> HttpResponseBase:
    """List who opened which resident's file, filtered, paginated, exportable as CSV."""
    require_access_log_reader(request.user)
    form, entries = filtered_access_log(request)
    if request.GET.get("format") == "csv":
        header = [
            _("Date"),
            _("Identifiant de l'agent"),
            _("Agent"),
            _("Identifiant de la fiche"),
            _("Usager"),
            _("Page"),
            _("Adresse"),
            _("Par l'API"),
        ]
        response = StreamingHttpResponse(
            stream_csv(header, csv_rows(entries)), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="journal-des-acces.csv"'
        return response
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": query.urlencode(), "nav": "audit"},
    )
