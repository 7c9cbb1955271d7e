"""Resident-facing catalogue pages: browse by life event and by theme, search, read a procedure."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.catalogue import access
from guichet.catalogue.forms import SearchForm
from guichet.catalogue.models import LifeEvent, Procedure
from guichet.catalogue.search import search_procedures
from guichet.organisation.choices import Channel, SiteKind
from guichet.organisation.models import Site

SEARCH_LIMIT = 20


def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    procedures = Procedure.objects.filter(is_published=True).select_related("department")
    return render(
        request,
        "catalogue/index.html",
        {
            "nav": "catalogue",
            "form": form,
            "query": query,
            "matches": search_procedures(query, limit=SEARCH_LIMIT) if query else None,
            "life_events": LifeEvent.objects.all(),
            "procedures_by_theme": procedures.order_by("department__name", "title"),
        },
    )


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
