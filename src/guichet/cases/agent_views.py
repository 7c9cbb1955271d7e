"""The case page of the back office, its actions, and filing a case on a resident's behalf."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.audit.actions import record_access
from guichet.cases import access, actions, draft_actions
from guichet.cases.agent_forms import (
    AssignForm,
    MessageForm,
    NoteForm,
    OnBehalfForm,
    TransferForm,
    TransitionForm,
)
from guichet.cases.attachments import attachment_response
from guichet.cases.choices import REASON_REQUIRED, CaseStatus
from guichet.cases.deadlines import deadline_state
from guichet.cases.filing import definition_of
from guichet.cases.form_engine import answer_summary
from guichet.cases.inbox import agent_status_label
from guichet.cases.models import Case, CaseForm
from guichet.contacts.site_memory import initial_site_id, remember_site
from guichet.organisation.access import get_agent, require_agent, site_ids
from guichet.organisation.models import Site, User
from guichet.residents.access import get_resident_for
from guichet.residents.models import Document

# The forms of the case page, by the ability that shows each.
ACTION_FORMS = {
    "transition_form": "transitions",
    "assign_form": "assign",
    "transfer_form": "transfer",
    "message_form": "message",
    "note_form": "note",
}


def answers_of(case: Case, documents: list[Document]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the case's answers as sections of (label, value) lines, as the form words them.

    A case filed without a form version (imported, or through an older API) shows its raw
    answers, key by key, rather than nothing.
    """
    if case.form_version is not None:
        return answer_summary(
            definition_of(case.form_version),
            case.data,
            documents={str(document.uuid): document for document in documents},
        )
    lines = [(str(key), _answer_text(value)) for key, value in case.data.items()]
    return [("", lines)] if lines else []


def _answer_text(value: object) -> str:
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, list):
        return ", ".join(_answer_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_answer_text(item) for item in value.values() if item not in ("", None))
    return "" if value is None else str(value)


def referenced_documents(case: Case) -> list[Document]:
    """Return the resident's documents the answers point to (``{"document": uuid}``)."""
    keys = []
    for value in case.data.values():
        if isinstance(value, dict) and value.get("document"):
            try:
                keys.append(uuid.UUID(str(value["document"])))
            except ValueError:
                continue
    if not keys:
        return []
    return list(Document.objects.filter(uuid__in=keys).order_by("kind"))


def _transitions(abilities: dict[str, Any]) -> list[str]:
    """Return the allowed target statuses in the workflow's order."""
    return [status for status in CaseStatus.values if status in abilities["transitions"]]


def _blank_forms(case: Case, user: User, abilities: dict[str, Any]) -> dict[str, forms.Form]:
    blank: dict[str, forms.Form] = {
        "transition_form": TransitionForm(transitions=_transitions(abilities)),
        "assign_form": AssignForm(case=case, actor=user),
        "transfer_form": TransferForm(case=case),
        "message_form": MessageForm(),
        "note_form": NoteForm(),
    }
    return {name: form for name, form in blank.items() if abilities[ACTION_FORMS[name]]}


def _render_case(
    request: HttpRequest, case: Case, *, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    abilities = access.abilities(user, case)
    record_access(user=user, resident=case.resident, page="case", path=request.get_full_path())
    conversation = list(
        case.messages.select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    if abilities["process"]:
        # The list above keeps showing which messages were new when the page was opened.
        actions.mark_messages_read(case=case, by_resident=False)
    documents = referenced_documents(case)
    events = case.events.select_related(
        "actor", "from_department", "to_department", "assignee"
    ).order_by("created_at", "id")
    context: dict[str, Any] = {
        "case": case,
        "abilities": abilities,
        "deadline": deadline_state(case),
        "answers": answers_of(case, documents),
        "documents": documents,
        "events": events,
        "conversation": conversation,
        "notes": case.notes.select_related("author").order_by("created_at", "id"),
        "nav": "cases",
        **_blank_forms(case, user, abilities),
        **bound,
    }
    return render(request, "cases/agent/case.html", context, status=status)


@login_required
def case_page(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Show a case to an agent who may read it; action forms for those who may process it."""
    return _render_case(request, access.get_case_for_agent(request.user, case))


def _for_processing(request: HttpRequest, case: uuid.UUID, ability: str) -> Case | None:
    """Return the case if the agent may process it and ``ability`` applies now, else None.

    A case the agent may not process is 404; a closed one gets a message instead of the form.
    """
    case_obj = access.get_case_for_processing(request.user, case)
    if not access.abilities(request.user, case_obj)[ability]:
        messages.error(request, _("Cette demande est close : elle ne peut plus être modifiée."))
        return None
    return case_obj


def _again(request: HttpRequest, case: Case, **bound: forms.Form) -> HttpResponse:
    """Draw the case page again with the form in error, as typed (the case read afresh)."""
    fresh = access.get_case_for_agent(request.user, case.uuid)
    return _render_case(request, fresh, status=400, **bound)


@login_required
@require_POST
def transition(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Move the case to another status (asking the resident, deciding, cancelling)."""
    case_obj = access.get_case_for_processing(request.user, case)
    user: User = request.user  # type: ignore[assignment]
    abilities = access.abilities(user, case_obj)
    form = TransitionForm(request.POST, transitions=_transitions(abilities))
    if form.is_valid():
        to_status = form.cleaned_data["to_status"]
        reason = form.cleaned_data["reason"]
        try:
            actions.transition_case(
                case=case_obj, to_status=to_status, actor=user, channel="", reason=reason
            )
        except actions.TransitionNotAllowed as refusal:
            missing_reason = to_status in REASON_REQUIRED and not reason.strip()
            form.add_error("reason" if missing_reason else None, refusal.message)
        else:
            if to_status == CaseStatus.WAITING:
                messages.success(
                    request,
                    _("La demande de complément est envoyée à l'usager ; le délai est suspendu."),
                )
            else:
                messages.success(
                    request,
                    _("La demande est maintenant « %(status)s ».")
                    % {"status": agent_status_label(to_status)},
                )
            return redirect("cases:agent_case", case=case_obj.uuid)
    return _again(request, case_obj, transition_form=form)


@login_required
@require_POST
def assign(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Give the case to an agent of its department, to oneself, or back to the department."""
    case_obj = _for_processing(request, case, "assign")
    if case_obj is None:
        return redirect("cases:agent_case", case=case)
    user: User = request.user  # type: ignore[assignment]
    form = AssignForm(request.POST, case=case_obj, actor=user)
    if not form.is_valid():
        return _again(request, case_obj, assign_form=form)
    assignee: User | None = form.cleaned_data["assignee"]
    actions.assign_case(case=case_obj, assignee=assignee, actor=user)
    if assignee is None:
        messages.success(request, _("La demande est remise dans la file du service."))
    else:
        messages.success(
            request,
            _("La demande est attribuée à %(name)s.") % {"name": assignee.display_name()},
        )
    return redirect("cases:agent_case", case=case_obj.uuid)


@login_required
@require_POST
def transfer(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Send the case to another department with an internal note."""
    case_obj = _for_processing(request, case, "transfer")
    if case_obj is None:
        return redirect("cases:agent_case", case=case)
    user: User = request.user  # type: ignore[assignment]
    form = TransferForm(request.POST, case=case_obj)
    if not form.is_valid():
        return _again(request, case_obj, transfer_form=form)
    department = form.cleaned_data["department"]
    actions.transfer_case(
        case=case_obj, department=department, actor=user, note=form.cleaned_data["note"]
    )
    messages.success(
        request,
        _("La demande a été transférée au service %(department)s.")
        % {"department": department.name},
    )
    case_obj.refresh_from_db()
    if access.can_read(get_agent(user), case_obj):
        return redirect("cases:agent_case", case=case_obj.uuid)
    # Sent to a confidential department the agent is not part of: it is out of their sight.
    return redirect("cases:inbox")


@login_required
@require_POST
def message(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Write to the resident (with attachments, checked like documents)."""
    case_obj = _for_processing(request, case, "message")
    if case_obj is None:
        return redirect("cases:agent_case", case=case)
    user: User = request.user  # type: ignore[assignment]
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, case_obj, message_form=form)
    actions.send_message(
        case=case_obj,
        author=user,
        body=form.cleaned_data["body"],
        from_resident=False,
        channel="",
        attachments=form.cleaned_data["attachments"],
    )
    messages.success(request, _("Le message est envoyé à l'usager."))
    return redirect("cases:agent_case", case=case_obj.uuid)


@login_required
@require_POST
def note(request: HttpRequest, case: uuid.UUID) -> HttpResponse:
    """Add an internal note, never shown to the resident."""
    case_obj = _for_processing(request, case, "note")
    if case_obj is None:
        return redirect("cases:agent_case", case=case)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _again(request, case_obj, note_form=form)
    actions.add_note(case=case_obj, author=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
    messages.success(request, _("La note interne est ajoutée."))
    return redirect("cases:agent_case", case=case_obj.uuid)


@login_required
def attachment(request: HttpRequest, case: uuid.UUID, attachment: uuid.UUID) -> FileResponse:
    """Send a file of the conversation to an agent who may read the case."""
    return attachment_response(access.get_case_for_agent(request.user, case), attachment)


def online_forms() -> list[CaseForm]:
    """Return the forms a case may be filed with: open online, published, with a version."""
    return list(
        CaseForm.objects.filter(
            is_online=True, procedure__is_published=True, versions__isnull=False
        )
        .distinct()
        .select_related("procedure__department", "routing_department")
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_for_resident(request: HttpRequest, resident: uuid.UUID) -> HttpResponse:
    """Start a request for a resident at the counter, on the phone, or received by mail."""
    agent = require_agent(request.user)
    if not access.can_file_on_behalf(request.user):
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    resident_obj = get_resident_for(user, resident)
    sites = Site.objects.filter(id__in=site_ids(agent), is_active=True)
    form = OnBehalfForm(
        request.POST or None,
        online_forms=online_forms(),
        sites=sites,
        initial={"site": initial_site_id(request, agent)},
    )
    if request.method == "POST" and form.is_valid():
        case_form: CaseForm = form.cleaned_data["case_form"]
        version = case_form.current_version()
        assert version is not None  # online_forms() keeps forms with a version only
        site = form.cleaned_data["site"]
        draft = draft_actions.start_draft(
            form_version=version,
            resident=resident_obj,
            owner=user,
            channel=form.cleaned_data["channel"],
            site=site,
        )
        remember_site(request, site)
        return redirect(reverse("cases:draft", args=[draft.uuid]))
    return render(
        request,
        "cases/agent/new_for_resident.html",
        {"form": form, "resident": resident_obj, "nav": "console"},
        status=400 if form.is_bound else 200,
    )
