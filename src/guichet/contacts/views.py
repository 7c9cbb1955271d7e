"""Agents' pages of the contact log: log, read, attach, callbacks, the contacts of my sites."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.audit.actions import record_access
from guichet.contacts import actions
from guichet.contacts.access import (
    callback_of,
    can_read_content,
    contact_abilities,
    day_start,
    get_callback_for,
    get_contact_for,
    open_callbacks_of,
    visible_contacts,
)
from guichet.contacts.export import contacts_csv_rows
from guichet.contacts.forms import (
    CallbackDoneForm,
    ContactFilterForm,
    ContactForm,
    ReassignCallbackForm,
)
from guichet.contacts.models import Contact
from guichet.contacts.site_memory import initial_site_id, remember_site
from guichet.contacts.timeline import restricted_title
from guichet.organisation.access import require_agent, site_ids
from guichet.organisation.models import Site, User
from guichet.residents.access import get_resident_for
from guichet.residents.models import Resident
from guichet.residents.search import find_residents

SITE_CONTACTS_PER_PAGE = 50


def _resident_from_value(user: object, value: str) -> Resident | None:
    """Return the resident whose UUID is ``value`` if ``user`` may see it (404 if not)."""
    try:
        resident_uuid = uuid.UUID(value.strip())
    except ValueError:
        return None
    return get_resident_for(user, resident_uuid)


@login_required
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """Log a contact, anonymous or (with ``?usager=<uuid>``) for a resident."""
    agent = require_agent(request.user)
    user: User = request.user  # type: ignore[assignment]
    resident = _resident_from_value(user, request.GET.get("usager", ""))
    if request.method == "POST":
        form = ContactForm(request.POST, actor=user)
        if form.is_valid():
            contact = actions.log_contact(actor=user, resident=resident, **form.action_kwargs())
            remember_site(request, contact.site)
            messages.success(request, _("Le contact a été enregistré."))
            if resident is not None:
                return redirect(resident)
            return redirect("contacts:detail", contact.uuid)
    else:
        initial = {"site": initial_site_id(request, agent)}
        procedure_slug = request.GET.get("demarche", "")
        form = ContactForm(initial=initial, actor=user)
        if procedure_slug and (procedure := form.procedure_for_motive(procedure_slug)):
            form.initial["motive"] = procedure.title
    return render(
        request,
        "contacts/log.html",
        {"form": form, "resident": resident, "nav": "console"},
    )


@login_required
def detail(request: HttpRequest, contact_uuid: uuid.UUID) -> HttpResponse:
    """Show one contact; the content of a confidential one only to those who may read it."""
    contact = get_contact_for(request.user, contact_uuid)
    abilities = contact_abilities(request.user, contact)
    if contact.resident is not None:
        record_access(
            user=request.user,  # type: ignore[arg-type]
            resident=contact.resident,
            page="contact",
            path=request.get_full_path(),
        )
    events = contact.events.select_related("actor") if abilities["read_content"] else []
    return render(
        request,
        "contacts/detail.html",
        {
            "contact": contact,
            "title": contact.motive if abilities["read_content"] else restricted_title(contact),
            "abilities": abilities,
            "callback": callback_of(contact),
            "events": events,
            "nav": "contacts",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attach(request: HttpRequest, contact_uuid: uuid.UUID) -> HttpResponse:
    """Attach an anonymous contact to a resident found by search."""
    contact = get_contact_for(request.user, contact_uuid)
    user: User = request.user  # type: ignore[assignment]
    if contact.resident_id is not None:
        messages.info(request, _("Ce contact est déjà rattaché à un usager."))
        return redirect("contacts:detail", contact.uuid)
    if request.method == "POST":
        resident = _resident_from_value(user, request.POST.get("resident", ""))
        if resident is None:
            messages.error(request, _("Choisissez l'usager dans la liste des résultats."))
        else:
            try:
                actions.attach_contact_to_resident(contact, resident, actor=user)
            except actions.ContactAlreadyAttached:
                messages.error(
                    request, _("Un autre agent vient de rattacher ce contact à un usager.")
                )
                return redirect("contacts:detail", contact.uuid)
            messages.success(request, _("Le contact a été rattaché à la fiche de l'usager."))
            return redirect(resident)
    query = request.GET.get("q", "").strip()[:200]
    matches = find_residents(query, limit=10) if len(query) >= 2 else []
    return render(
        request,
        "contacts/attach.html",
        {"contact": contact, "query": query, "matches": matches, "nav": "contacts"},
    )


@login_required
def callbacks(request: HttpRequest) -> HttpResponse:
    """List my open callbacks, overdue first."""
    require_agent(request.user)
    return render(
        request,
        "contacts/callbacks.html",
        {
            "rows": [
                (callback, can_read_content(request.user, callback.contact))
                for callback in open_callbacks_of(request.user)
            ],
            "nav": "callbacks",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def callback_done(request: HttpRequest, contact_uuid: uuid.UUID) -> HttpResponse:
    """Mark a callback done by logging the outgoing call."""
    callback = get_callback_for(request.user, contact_uuid)
    user: User = request.user  # type: ignore[assignment]
    if callback.done_at is not None:
        messages.info(request, _("Ce rappel a déjà été effectué."))
        return redirect("contacts:detail", callback.contact.uuid)
    form = CallbackDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_callback(
                callback,
                actor=user,
                summary=form.cleaned_data["summary"],
                outcome=form.cleaned_data["outcome"],
                channel=form.cleaned_data["channel"],
            )
        except actions.CallbackAlreadyDone:
            messages.error(request, _("Un autre agent vient de marquer ce rappel comme fait."))
            return redirect("contacts:callbacks")
        messages.success(request, _("Le rappel est fait et l'appel a été enregistré."))
        return redirect("contacts:callbacks")
    return render(
        request,
        "contacts/callback_done.html",
        {
            "callback": callback,
            "contact": callback.contact,
            "abilities": contact_abilities(user, callback.contact),
            "form": form,
            "nav": "callbacks",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def callback_reassign(request: HttpRequest, contact_uuid: uuid.UUID) -> HttpResponse:
    """Give a callback to another agent or move its due date."""
    callback = get_callback_for(request.user, contact_uuid)
    user: User = request.user  # type: ignore[assignment]
    if callback.done_at is not None:
        messages.info(request, _("Ce rappel a déjà été effectué."))
        return redirect("contacts:detail", callback.contact.uuid)
    form = ReassignCallbackForm(request.POST or None, initial={"assignee": callback.assignee_id})
    if request.method == "POST" and form.is_valid():
        try:
            actions.reassign_callback(
                callback,
                actor=user,
                assignee=form.cleaned_data["assignee"],
                due_at=form.cleaned_data.get("due_at"),
            )
        except actions.CallbackAlreadyDone:
            messages.error(request, _("Ce rappel vient d'être marqué comme fait."))
            return redirect("contacts:detail", callback.contact.uuid)
        messages.success(request, _("Le rappel a été réattribué."))
        return redirect("contacts:detail", callback.contact.uuid)
    return render(
        request,
        "contacts/callback_reassign.html",
        {
            "callback": callback,
            "contact": callback.contact,
            "abilities": contact_abilities(user, callback.contact),
            "form": form,
            "nav": "callbacks",
        },
    )


def filtered_site_contacts(
    request: HttpRequest,
) -> tuple[ContactFilterForm, QuerySet[Contact], bool]:
    """Return the filter form, the filtered contacts of my sites, and whether dates apply."""
    agent = require_agent(request.user)
    with_dates = agent.is_supervisor
    sites = Site.objects.filter(id__in=site_ids(agent))
    form = ContactFilterForm(request.GET or None, sites=sites, with_dates=with_dates)
    contacts = visible_contacts(request.user)
    if form.is_bound and not form.is_valid():
        contacts = contacts.none()
    elif form.is_bound:
        data = form.cleaned_data
        if data.get("site"):
            contacts = contacts.filter(site=data["site"])
        if data.get("channel"):
            contacts = contacts.filter(channel=data["channel"])
        if data.get("agent"):
            contacts = contacts.filter(agent=data["agent"])
        if data.get("outcome"):
            contacts = contacts.filter(outcome=data["outcome"])
        if data.get("date_from"):
            contacts = contacts.filter(occurred_at__gte=day_start(data["date_from"]))
        if data.get("date_to"):
            next_day = data["date_to"] + datetime.timedelta(days=1)
            contacts = contacts.filter(occurred_at__lt=day_start(next_day))
    contacts = contacts.select_related(
        "site", "agent", "resident", "procedure", "department", "oriented_to_department"
    ).order_by("-occurred_at", "-id")
    return form, contacts, with_dates


@login_required
def site_contacts(request: HttpRequest) -> HttpResponseBase:
    """List the contacts of my sites (supervisors: any date, with filters and a CSV export)."""
    form, contacts, with_dates = filtered_site_contacts(request)
    if request.GET.get("format") == "csv" and with_dates and not form.errors:
        response = StreamingHttpResponse(
            contacts_csv_rows(contacts, viewer=request.user), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="contacts.csv"'
        return response
    page = Paginator(contacts, SITE_CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "contacts/site_contacts.html",
        {
            "form": form,
            "page": page,
            "rows": contact_rows(page.object_list, request.user),
            "with_dates": with_dates,
            "query": query.urlencode(),
            "nav": "contacts",
        },
    )


def contact_rows(contacts: Iterable[Contact], viewer: object) -> list[tuple[Contact, bool]]:
    """Pair each contact with whether ``viewer`` may read its content."""
    return [(contact, can_read_content(viewer, contact)) for contact in contacts]
