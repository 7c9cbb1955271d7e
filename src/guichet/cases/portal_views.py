"""Filing and following a request: the residents' side (agents filing on behalf use the same pages).

Flow: the procedure's "Faire la demande" button starts (or resumes) a draft → one page of the
form at a time, saved at each step and as the resident types → a review page that checks
everything again and asks before updating their file → submission (once, whatever the clicks) →
the receipt, with its PDF and tracking code.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.cases import access, actions, draft_actions, filing
from guichet.cases.attachments import attachment_response
from guichet.cases.form_engine import (
    answer_summary,
    build_page_form,
    page_answers,
    partial_page_answers,
    store_pending_uploads,
)
from guichet.cases.models import Case, CaseDraft, CaseEvent
from guichet.cases.portal_forms import CancelForm, MessageForm, ReviewForm, TrackingForm
from guichet.cases.published_forms import current_version
from guichet.cases.receipt import render_receipt_pdf
from guichet.organisation.access import get_agent
from guichet.organisation.choices import Channel

# Tracking codes are 60 random bits; still, nobody may try them by the thousand.
TRACKING_ATTEMPTS_PER_HOUR = 30


def _base_template(on_behalf: bool) -> str:
    """Agents filing for a resident stay in the console's layout; residents in the portal's."""
    return "backoffice_base.html" if on_behalf else "portal_base.html"


def _draft_or_404(request: HttpRequest, draft_uuid: object) -> CaseDraft:
    return access.get_draft_for(request.user, draft_uuid)


def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Present the form of a procedure and start (or resume) the resident's draft."""
    case_form = access.get_online_form(slug)
    version = current_version(case_form)
    if version is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resident = access.require_resident(request.user)
    drafts = CaseDraft.objects.filter(
        owner=resident.user,
        resident=resident,
        form_version__form=case_form,
        submitted_case__isnull=True,
    )
    if request.method == "POST":
        resume = request.POST.get("resume", "")
        existing = next((draft for draft in drafts if str(draft.uuid) == resume), None)
        if existing is not None:
            return redirect("cases:draft", draft=existing.uuid)
        definition = filing.definition_of(version)
        draft = draft_actions.start_draft(
            form_version=version,
            resident=resident,
            owner=request.user,
            channel=Channel.WEB,
            data=filing.prefill(definition, resident),
        )
        return redirect("cases:draft", draft=draft.uuid)
    return render(
        request,
        "cases/portal/start.html",
        {
            "case_form": case_form,
            "procedure": case_form.procedure,
            "definition": filing.definition_of(version),
            "drafts": drafts.order_by("-updated_at"),
        },
    )


def draft_page(request: HttpRequest, draft: object, page: str = "") -> HttpResponse:
    """Show one page of a draft and save it; go to the next page or back to the previous one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft_obj = _draft_or_404(request, draft)
    definition = filing.definition_of(draft_obj.form_version)
    pages = filing.page_sequence(definition, draft_obj.data)
    if not pages:
        return redirect("cases:draft_review", draft=draft_obj.uuid)
    page_key = page or draft_obj.page_key or pages[0].key
    current = next((p for p in pages if p.key == page_key), None)
    on_behalf = get_agent(request.user) is not None
    if current is None:
        # A page hidden by a changed answer (or a stale link): start from the first page.
        return redirect("cases:draft_page", draft=draft_obj.uuid, page=pages[0].key)
    if request.method == "POST":
        form = build_page_form(
            definition,
            current,
            resident=draft_obj.resident,
            answers=draft_obj.data,
            data=request.POST,
            files=request.FILES,
            autocomplete=not on_behalf,
        )
        going_back = "previous" in request.POST
        if form.is_valid():
            answers, uploads = page_answers(form)
            answers.update(
                store_pending_uploads(
                    draft_obj.resident, uploads, actor=request.user, channel=draft_obj.channel
                )
            )
            draft_obj = draft_actions.save_draft(
                draft=draft_obj, answers=answers, page_key=current.key
            )
            before, after = filing.neighbours(definition, draft_obj.data, current.key)
            if going_back and before is not None:
                return redirect("cases:draft_page", draft=draft_obj.uuid, page=before.key)
            if after is None:
                return redirect("cases:draft_review", draft=draft_obj.uuid)
            return redirect("cases:draft_page", draft=draft_obj.uuid, page=after.key)
        if going_back:
            # Going back never loses what was typed: keep what is valid, then go back.
            draft_actions.save_draft(draft=draft_obj, answers=partial_page_answers(form))
            before, _after = filing.neighbours(definition, draft_obj.data, current.key)
            if before is not None:
                return redirect("cases:draft_page", draft=draft_obj.uuid, page=before.key)
    else:
        form = build_page_form(
            definition,
            current,
            resident=draft_obj.resident,
            answers=draft_obj.data,
            autocomplete=not on_behalf,
        )
    before, _after = filing.neighbours(definition, draft_obj.data, current.key)
    keys = [p.key for p in pages]
    return render(
        request,
        "cases/portal/draft_page.html",
        {
            "draft": draft_obj,
            "definition": definition,
            "page": current,
            "form": form,
            "step": keys.index(current.key) + 1,
            "steps": len(keys),
            "has_previous": before is not None,
            "on_behalf": on_behalf,
            "base_template": _base_template(on_behalf),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def autosave(request: HttpRequest, draft: object) -> HttpResponse:
    """Save what the resident has typed so far on a page (called by the page's script)."""
    if not request.user.is_authenticated:
        return JsonResponse({"saved": False, "reason": "session"}, status=401)
    draft_obj = _draft_or_404(request, draft)
    definition = filing.definition_of(draft_obj.form_version)
    page_key = request.POST.get("page", "")
    pages = {p.key: p for p in filing.page_sequence(definition, draft_obj.data)}
    current = pages.get(page_key)
    if current is None:
        return JsonResponse({"saved": False, "reason": "page"}, status=400)
    form = build_page_form(
        definition, current, resident=draft_obj.resident, answers=draft_obj.data, data=request.POST
    )
    form.is_valid()
    draft_obj = draft_actions.save_draft(
        draft=draft_obj, answers=partial_page_answers(form), page_key=current.key
    )
    saved_at = timezone.localtime(draft_obj.updated_at)
    return JsonResponse({"saved": True, "saved_at": saved_at.strftime("%H:%M")})


def review(request: HttpRequest, draft: object) -> HttpResponse:
    """Check the whole draft, show it, ask about updating the file, and submit it once."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    draft_obj = _draft_or_404(request, draft)
    check = filing.check_draft(draft_obj)
    definition = filing.definition_of(draft_obj.form_version)
    form = ReviewForm(
        request.POST if request.method == "POST" else None, changes=check.profile_changes
    )
    if request.method == "POST" and check.is_complete and form.is_valid():
        draft_actions.save_draft(
            draft=draft_obj, answers={}, profile_updates=form.profile_updates()
        )
        result = draft_actions.submit_draft(draft=draft_obj, data=check.answers, actor=request.user)
        return redirect("cases:receipt", case=result.case.uuid)
    if request.method == "POST" and not check.is_complete:
        messages.error(request, _("Il manque des réponses : complétez les pages indiquées."))
    return render(
        request,
        "cases/portal/review.html",
        {
            "draft": draft_obj,
            "definition": definition,
            "check": check,
            "summary": answer_summary(definition, check.answers),
            "form": form,
            "on_behalf": get_agent(request.user) is not None,
            "base_template": _base_template(get_agent(request.user) is not None),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def discard(request: HttpRequest, draft: object) -> HttpResponse:
    draft_obj = _draft_or_404(request, draft)
    procedure = draft_obj.procedure
    draft_actions.delete_draft(draft=draft_obj)
    messages.success(request, _("Le brouillon a été supprimé."))
    if get_agent(request.user) is not None:
        return redirect("backoffice:resident", draft_obj.resident.uuid)
    return redirect(procedure.get_absolute_url())


def _case_for_receipt(request: HttpRequest, case_uuid: object) -> Case:
    """The receipt is for the resident, and for the agent who filed the case with them."""
    if get_agent(request.user) is not None:
        return access.get_case_for_agent(request.user, case_uuid)
    return access.get_case_for_resident(request.user, case_uuid)


def _summary(case: Case) -> list[tuple[str, list[tuple[str, str]]]]:
    if case.form_version is None:
        return []
    return answer_summary(filing.definition_of(case.form_version), case.data)


@login_required
def receipt(request: HttpRequest, case: object) -> HttpResponse:
    case_obj = _case_for_receipt(request, case)
    return render(
        request,
        "cases/portal/receipt.html",
        {
            "case": case_obj,
            "summary": _summary(case_obj),
            "tracking_url": actions.tracking_url(case_obj),
            "on_behalf": get_agent(request.user) is not None,
            "base_template": _base_template(get_agent(request.user) is not None),
        },
    )


@login_required
def receipt_pdf(request: HttpRequest, case: object) -> HttpResponse:
    from django.conf import settings

    case_obj = _case_for_receipt(request, case)
    pdf = render_receipt_pdf(
        case_obj,
        _summary(case_obj),
        city_name=settings.GUICHET_CITY_NAME,
        tracking_url=actions.tracking_url(case_obj),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="demande-{case_obj.reference}.pdf"'
    return response


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    resident = access.require_resident(request.user)
    cases = (
        access.resident_cases(resident)
        .select_related("procedure", "department")
        .order_by("-submitted_at")
    )
    drafts = (
        CaseDraft.objects.filter(owner=resident.user, submitted_case__isnull=True)
        .select_related("form_version__form__procedure")
        .order_by("-updated_at")
    )
    return render(
        request,
        "cases/portal/my_cases.html",
        {"cases": cases, "drafts": drafts, "nav": "my_space"},
    )


@login_required
def resident_case(request: HttpRequest, case: object) -> HttpResponse:
    """The resident's view of their case: where it stands, its history, and the conversation."""
    case_obj = access.get_case_for_resident(request.user, case)
    abilities = access.abilities(request.user, case_obj)
    form = MessageForm()
    if request.method == "POST":
        if not abilities["message"]:
            raise Http404
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            actions.send_message(
                case=case_obj,
                author=request.user,  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
                from_resident=True,
                channel=Channel.WEB,
                attachments=form.cleaned_data["attachments"],
            )
            messages.success(request, _("Votre message a été envoyé au service."))
            return redirect("cases:resident_case", case=case_obj.uuid)
    actions.mark_messages_read(case=case_obj, by_resident=True)
    events = (
        CaseEvent.objects.filter(case=case_obj, kind__in=access.RESIDENT_EVENT_KINDS)
        .select_related("to_department")
        .order_by("created_at", "id")
    )
    conversation = case_obj.messages.prefetch_related("attachments").order_by("created_at", "id")
    return render(
        request,
        "cases/portal/case.html",
        {
            "case": case_obj,
            "abilities": abilities,
            "events": events,
            "conversation": conversation,
            "summary": _summary(case_obj),
            "follow_ups": case_obj.follow_ups.select_related("department").order_by("id"),
            "form": form,
            "cancel_form": CancelForm(),
            "nav": "my_space",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def resident_attachment(
    request: HttpRequest, case: uuid.UUID, attachment: uuid.UUID
) -> FileResponse:
    """Send a file of the conversation to the resident whose case it is."""
    return attachment_response(access.get_case_for_resident(request.user, case), attachment)


@login_required
@require_POST
def cancel(request: HttpRequest, case: object) -> HttpResponse:
    case_obj = access.get_case_for_resident(request.user, case)
    if not access.abilities(request.user, case_obj)["cancel"]:
        raise Http404
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions.cancel_by_resident(case=case_obj, actor=request.user, reason=reason)  # type: ignore[arg-type]
    messages.success(request, _("Votre demande a été retirée."))
    return redirect("cases:resident_case", case=case_obj.uuid)


def _too_many_tracking_attempts(request: HttpRequest) -> bool:
    key = f"cases:track:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        attempts = cache.incr(key)
    except ValueError:
        attempts = 1
    return attempts > TRACKING_ATTEMPTS_PER_HOUR


def track_form(request: HttpRequest) -> HttpResponse:
    """Follow a case without an account: enter the tracking code of the receipt."""
    form = TrackingForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("cases:track", code=form.cleaned_data["code"])
    return render(request, "cases/portal/track_form.html", {"form": form})


def track(request: HttpRequest, code: str) -> HttpResponse:
    """Show where a case stands to whoever holds its tracking code: status and dates only."""
    if _too_many_tracking_attempts(request):
        return render(request, "cases/portal/track_limited.html", status=429)
    try:
        case_obj = access.get_case_by_tracking_code(code)
    except Http404:
        form = TrackingForm(initial={"code": code})
        return render(
            request,
            "cases/portal/track_form.html",
            {"form": form, "not_found": True},
            status=404,
        )
    events = CaseEvent.objects.filter(case=case_obj, kind__in=access.RESIDENT_EVENT_KINDS).order_by(
        "created_at", "id"
    )
    return render(
        request,
        "cases/portal/track.html",
        {
            "case": case_obj,
            "events": events,
            "login_url": reverse("login") + "?next=" + reverse("cases:my_cases"),
        },
    )
