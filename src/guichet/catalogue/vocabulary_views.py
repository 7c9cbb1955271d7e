"""Supervisors' pages that improve the search: the searches that did not help, and the
vocabulary of the public service (synonyms, abbreviations, residents' own words)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.catalogue import access
from guichet.catalogue.actions import (
    create_vocabulary_entry,
    delete_vocabulary_entry,
    update_vocabulary_entry,
)
from guichet.catalogue.choices import VocabularyKind
from guichet.catalogue.forms import (
    UnhelpfulSearchFilterForm,
    VocabularyDeleteForm,
    VocabularyEntryForm,
    VocabularyFilterForm,
)
from guichet.catalogue.models import VocabularyEntry, VocabularyRevision
from guichet.catalogue.search_log import unhelpful_queries
from guichet.core.text import normalize
from guichet.organisation.models import User

UNHELPFUL_PER_PAGE = 50
ENTRIES_PER_PAGE = 50
REVISIONS_PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _list_showing(entry: VocabularyEntry) -> HttpResponseRedirect:
    """Redirect to the list filtered on the entry's first term, so that it shows at once."""
    query = urlencode({"q": entry.terms[0]}) if entry.terms else ""
    return HttpResponseRedirect(f"{reverse('catalogue:vocabulary_list')}?{query}")


def _entry_for_editor(request: HttpRequest, entry_id: int) -> VocabularyEntry:
    access.require_editor(request.user)
    try:
        return VocabularyEntry.objects.select_related("updated_by", "life_event").get(pk=entry_id)
    except VocabularyEntry.DoesNotExist:
        raise Http404 from None


@login_required
def unhelpful_searches(request: HttpRequest) -> HttpResponse:
    """List the searches that found nothing or whose results nobody opened."""
    access.require_editor(request.user)
    form = UnhelpfulSearchFilterForm(request.GET or None)
    days, surface = form.filters()
    since = timezone.localdate() - datetime.timedelta(days=days)
    rows = unhelpful_queries(since=since, surface=surface)
    page = Paginator(rows, UNHELPFUL_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/agent/unhelpful_searches.html",
        {
            "nav": "catalogue",
            "form": form,
            "page": page,
            "since": since,
            "query": _query_without_page(request),
        },
    )


def _matching(entries: Iterable[VocabularyEntry], text: str) -> list[VocabularyEntry]:
    """Return the entries one of whose terms or meanings contains the words of ``text``."""
    wanted = normalize(text)
    return [
        entry
        for entry in entries
        if any(wanted in normalize(term) for term in [*entry.terms, *entry.means])
    ]


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    """List the vocabulary entries, filtered by kind and by a word they contain."""
    access.require_editor(request.user)
    form = VocabularyFilterForm(request.GET or None)
    entries = VocabularyEntry.objects.select_related("life_event").prefetch_related("procedures")
    selected = entries.order_by("kind", "id")
    text = ""
    if form.is_valid():
        if form.cleaned_data["kind"]:
            selected = selected.filter(kind=form.cleaned_data["kind"])
        text = form.cleaned_data["q"].strip()
    rows = _matching(selected, text) if text else selected
    page = Paginator(rows, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/agent/vocabulary_list.html",
        {
            "nav": "catalogue",
            "form": form,
            "page": page,
            "total": entries.count(),
            "kinds": VocabularyKind,
            "query": _query_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_create(request: HttpRequest) -> HttpResponse:
    """Add an entry; ``?terme=`` (from the unhelpful searches) pre-fills a resident's word."""
    access.require_editor(request.user)
    if request.method == "POST":
        form = VocabularyEntryForm(request.POST)
        if form.is_valid():
            entry = create_vocabulary_entry(
                actor=_user(request),
                kind=form.cleaned_data["kind"],
                **form.changes(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request, _("Entrée ajoutée au vocabulaire : %(entry)s") % {"entry": entry}
            )
            return _list_showing(entry)
    else:
        term = " ".join(request.GET.get("terme", "").split())[:100]
        initial: dict[str, object] = {"kind": VocabularyKind.EXPANSION}
        if term:
            initial["terms"] = [term]
        form = VocabularyEntryForm(initial=initial)
    return render(
        request, "catalogue/agent/vocabulary_form.html", {"nav": "catalogue", "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_editor(request, entry_id)
    if request.method == "POST":
        form = VocabularyEntryForm(request.POST, entry=entry)
        if form.is_valid():
            saved_at = entry.updated_at
            update_vocabulary_entry(
                entry,
                actor=_user(request),
                changes=form.changes(),
                comment=form.cleaned_data["comment"],
            )
            if entry.updated_at == saved_at:
                messages.info(request, _("Aucune modification à enregistrer."))
            else:
                messages.success(
                    request, _("Entrée du vocabulaire modifiée : %(entry)s") % {"entry": entry}
                )
            return _list_showing(entry)
    else:
        form = VocabularyEntryForm(entry=entry)
    return render(
        request,
        "catalogue/agent/vocabulary_form.html",
        {"nav": "catalogue", "form": form, "entry": entry},
    )


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_editor(request, entry_id)
    form = VocabularyDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        description = str(entry)
        delete_vocabulary_entry(entry, actor=_user(request), comment=form.cleaned_data["comment"])
        messages.success(
            request, _("Entrée supprimée du vocabulaire : %(entry)s") % {"entry": description}
        )
        return redirect("catalogue:vocabulary_list")
    return render(
        request,
        "catalogue/agent/vocabulary_delete.html",
        {"nav": "catalogue", "form": form, "entry": entry},
    )


@login_required
def vocabulary_history(request: HttpRequest) -> HttpResponse:
    """List the changes to the vocabulary, newest first (``?entree=`` for one entry's)."""
    access.require_editor(request.user)
    revisions = VocabularyRevision.objects.select_related("actor").order_by("-created_at", "-id")
    entry = None
    entry_id = request.GET.get("entree", "")
    if entry_id.isdigit():
        entry = VocabularyEntry.objects.filter(pk=int(entry_id)).first()
        if entry is not None:
            revisions = revisions.filter(key=entry.key)
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/agent/vocabulary_history.html",
        {
            "nav": "catalogue",
            "page": page,
            "entry": entry,
            "query": _query_without_page(request),
        },
    )
