"""The agent console: home with the search box, search results, and the resident page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from guichet.audit.actions import record_access
from guichet.backoffice.timeline import TimelineFilter, filter_options, resident_timeline
from guichet.catalogue.search import search_articles, search_procedures
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
from guichet.residents.search import find_residents

SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 200
RESIDENT_RESULTS = 10
PROCEDURE_RESULTS = 5
ARTICLE_RESULTS = 5
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


@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Search residents, procedures and articles at once (HTMX fragment or full page)."""
    require_agent(request.user)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    results: dict[str, object] = {"query": query, "too_short": len(query) < SEARCH_MIN_LENGTH}
    if not results["too_short"]:
        results["residents"] = find_residents(query, limit=RESIDENT_RESULTS)
        results["procedures"] = search_procedures(query, limit=PROCEDURE_RESULTS)
        results["articles"] = search_articles(query, limit=ARTICLE_RESULTS)
    template = "backoffice/_search_results.html" if request.htmx else "backoffice/search.html"
    return render(request, template, {**results, "nav": "console"})


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
