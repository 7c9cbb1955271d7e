"""The agent console: home with the search box, search results, and the resident page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from guichet.audit.actions import record_access
from guichet.backoffice.timeline import TimelineFilter, filter_options, resident_timeline
from guichet.catalogue.actions import record_search, record_search_click
from guichet.catalogue.choices import SearchSurface
from guichet.catalogue.forms import SearchLogForm
from guichet.catalogue.models import SearchQuery
from guichet.catalogue.search import CatalogueResults, search_catalogue
from guichet.contacts.access import (
    can_read_content,
    open_callbacks_of,
    today_bounds,
    visible_contacts,
)
from guichet.contacts.actions import log_contact
from guichet.contacts.forms import ContactForm
from guichet.contacts.site_memory import initial_site_id, remember_site
from guichet.organisation.access import require_agent
from guichet.organisation.models import User
from guichet.residents.access import abilities, get_merged_target_for, get_resident_for
from guichet.residents.models import Resident
from guichet.residents.search import ResidentMatch, find_residents

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 200
RESIDENT_RESULTS = 10
CATALOGUE_RESULTS = 5  # procedures, and as many articles
# The list under the search box, as you type, is shorter than the results page.
RESIDENT_SUGGESTIONS = 5
CATALOGUE_SUGGESTIONS = 4
HOME_CALLBACKS = 5
HOME_CONTACTS = 10
TIMELINE_PER_PAGE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the console: the search box, my callbacks and today's contacts of my sites."""
    require_agent(request.user)
    callbacks = open_callbacks_of(request.user)
    start, end = today_bounds()
    contacts = (
        visible_contacts(request.user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .select_related("site", "agent", "resident", "procedure", "department")
        .order_by("-occurred_at", "-id")[:HOME_CONTACTS]
    )
    return render(
        request,
        "backoffice/home.html",
        {
            "callbacks": [
                (callback, can_read_content(request.user, callback.contact))
                for callback in callbacks[:HOME_CALLBACKS]
            ],
            "callbacks_count": callbacks.count(),
            "contacts": [
                (contact, can_read_content(request.user, contact)) for contact in contacts
            ],
            "nav": "console",
        },
    )


@dataclass(frozen=True)
class ConsoleResults:
    """What one query of the console search box finds."""

    query: str
    residents: list[ResidentMatch]
    catalogue: CatalogueResults

    @property
    def is_catalogue_search(self) -> bool:
        """Return whether the query is about procedures rather than a person.

        Only such queries go to the search log: a query that finds residents is a name, a
        date or a phone, and one that finds nothing in the catalogue either may be the name
        of a person not yet known.
        """
        return not self.residents and bool(self.catalogue.procedures or self.catalogue.suggestion)

    @property
    def suggestion(self) -> str | None:
        """Return the catalogue's "did you mean", unless the query found somebody."""
        return None if self.residents else self.catalogue.suggestion


def _console_search(query: str, *, suggestions: bool = False) -> ConsoleResults:
    residents, catalogue = (
        (RESIDENT_SUGGESTIONS, CATALOGUE_SUGGESTIONS)
        if suggestions
        else (RESIDENT_RESULTS, CATALOGUE_RESULTS)
    )
    return ConsoleResults(
        query, find_residents(query, limit=residents), search_catalogue(query, limit=catalogue)
    )


def _record(results: ConsoleResults) -> SearchQuery | None:
    if not results.is_catalogue_search:
        return None
    return record_search(
        query=results.query,
        surface=SearchSurface.CONSOLE,
        result_count=len(results.catalogue.procedures),
    )


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Show what the console search box finds: residents, procedures and articles."""
    require_agent(request.user)
    query = _query(request)
    context: dict[str, object] = {"query": query, "nav": "console"}
    if len(query) >= SEARCH_MIN_LENGTH:
        results = _console_search(query)
        context.update({"results": results, "search": _record(results)})
    return render(request, "backoffice/search.html", context)


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """Return the suggestions of the console search box (a listbox fragment)."""
    require_agent(request.user)
    query = _query(request)
    if len(query) < SEARCH_MIN_LENGTH:
        return HttpResponse("")
    results = _console_search(query, suggestions=True)
    return render(request, "backoffice/_suggestions.html", {"results": results})


@require_POST
@login_required
def search_log(request: HttpRequest) -> HttpResponse:
    """Keep a search typed in the console box, and the procedure opened from it, if any."""
    require_agent(request.user)
    form = SearchLogForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    search = _record(_console_search(form.cleaned_data["q"], suggestions=True))
    if search is not None and form.cleaned_data["demarche"]:
        record_search_click(search_id=search.uuid, slug=form.cleaned_data["demarche"])
    return HttpResponse(status=204)


@login_required
@require_http_methods(["GET", "POST"])
def resident(request: HtmxHttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Show a resident's file (identity, household, documents, timeline) and log a contact."""
    agent = require_agent(request.user)
    user: User = request.user  # type: ignore[assignment]
    # Filtering or paging the timeline with HTMX redraws the timeline alone.
    fragment = request.method == "GET" and request.htmx.target == "timeline"
    try:
        resident = get_resident_for(
            user, uuid, queryset=None if fragment else Resident.objects.with_page_relations()
        )
    except Http404:
        # An old link to a merged duplicate: open the file that was kept instead.
        kept = get_merged_target_for(user, uuid)
        messages.info(request, _("Cette fiche a été fusionnée : voici la fiche conservée."))
        return redirect(kept)
    if request.method == "POST":
        form = ContactForm(request.POST, actor=user)
        if form.is_valid():
            contact = log_contact(actor=user, resident=resident, **form.action_kwargs())
            remember_site(request, contact.site)
            messages.success(request, _("Le contact a été enregistré."))
            return redirect(resident)
    elif not fragment:
        form = ContactForm(initial={"site": initial_site_id(request, agent)}, actor=user)
    record_access(user=user, resident=resident, page="resident", path=request.get_full_path())

    entries = resident_timeline(resident, user)
    chosen = TimelineFilter.from_query(request.GET)
    page = Paginator(chosen.apply(entries), TIMELINE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "resident": resident,
        "page": page,
        "entries_count": len(entries),
        "chosen": chosen,
        "query": query.urlencode(),
    }
    if fragment:
        return render(request, "backoffice/_timeline.html", context)
    # The agent comes here to log what the resident says: the motive is where typing starts.
    form.fields["motive"].widget.attrs["autofocus"] = True
    context.update(
        {
            "abilities": abilities(user, resident),
            "form": form,
            "options": filter_options(entries),
            "nav": "console",
        }
    )
    return render(request, "backoffice/resident.html", context)
