"""Resident-facing catalogue pages: browse by life event and by theme, search, read a procedure.

Searches of the portal are kept in the search log (without personal data) so that supervisors
see what residents looked for in vain: the results page keeps each search it shows, its result
links go through ``search_click``, and the suggestions of the search box are kept by
``search_log`` when the person opens one or leaves them (see static/guichet/combobox.js).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from guichet.catalogue import access
from guichet.catalogue.actions import record_search, record_search_click
from guichet.catalogue.choices import SearchSurface
from guichet.catalogue.forms import SearchForm, SearchLogForm
from guichet.catalogue.models import LifeEvent, Procedure
from guichet.catalogue.search import search_catalogue
from guichet.organisation.choices import Channel, SiteKind
from guichet.organisation.models import Site

SEARCH_LIMIT = 20
SUGGESTION_LIMIT = 6
SUGGESTION_MIN_LENGTH = 2


def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    procedures = Procedure.objects.filter(is_published=True).select_related("department")
    context: dict[str, object] = {
        "nav": "catalogue",
        "form": form,
        "query": query,
        "results": None,
        "life_events": LifeEvent.objects.all(),
        "procedures_by_theme": procedures.order_by("department__name", "title"),
    }
    if query:
        results = search_catalogue(query, limit=SEARCH_LIMIT, include_articles=False)
        context["results"] = results
        context["search"] = record_search(
            query=query, surface=SearchSurface.PORTAL, result_count=len(results.procedures)
        )
    return render(request, "catalogue/index.html", context)


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Return the suggestions of the portal search box (a listbox fragment)."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if len(query) < SUGGESTION_MIN_LENGTH:
        return HttpResponse("")
    results = search_catalogue(query, limit=SUGGESTION_LIMIT, include_articles=False)
    return render(request, "catalogue/_suggestions.html", {"query": query, "results": results})


@require_POST
def search_log(request: HttpRequest) -> HttpResponse:
    """Keep a search typed in the portal box, and the procedure opened from it, if any."""
    form = SearchLogForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    query, slug = form.cleaned_data["q"], form.cleaned_data["demarche"]
    results = search_catalogue(query, limit=SUGGESTION_LIMIT, include_articles=False)
    search = record_search(
        query=query, surface=SearchSurface.PORTAL, result_count=len(results.procedures)
    )
    if search is not None and slug:
        record_search_click(search_id=search.uuid, slug=slug)
    return HttpResponse(status=204)


@require_GET
def search_click(request: HttpRequest, search_id: uuid.UUID, slug: str) -> HttpResponse:
    """Note that a result of a kept search was opened, then show that procedure."""
    procedure = access.get_procedure_for(request.user, slug)
    record_search_click(search_id=search_id, slug=procedure.slug)
    return redirect(procedure)


def life_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = access.get_life_event(slug)
    procedures = event.procedures.filter(is_published=True).select_related("department")
    return render(
        request,
        "catalogue/life_event.html",
        {"nav": "catalogue", "event": event, "procedures": procedures.order_by("title")},
    )


def procedure(request: HttpRequest, slug: str) -> HttpResponse:
    obj = access.get_procedure_for(request.user, slug)
    counters = help_points = Site.objects.none()
    if Channel.COUNTER in obj.channels:
        counters = Site.objects.filter(
            is_active=True, kind__in=[SiteKind.CITY_HALL, SiteKind.NEIGHBOURHOOD_OFFICE]
        ).order_by("kind", "name")
    if Channel.WEB in obj.channels:
        help_points = Site.objects.filter(is_active=True, kind=SiteKind.DIGITAL_HELP_POINT)
    return render(
        request,
        "catalogue/procedure.html",
        {
            "nav": "catalogue",
            "procedure": obj,
            "channel_labels": channel_labels(obj.channels),
            "life_events": obj.life_events.all(),
            "counters": counters,
            "help_points": help_points,
            "abilities": access.abilities(request.user),
        },
    )


def channel_labels(channels: list[str]) -> list[str]:
    """Return the French names of a procedure's channels, in the order of ``Channel``."""
    return [str(label) for value, label in Channel.choices if value in channels]
