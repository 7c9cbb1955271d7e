"""The department inbox: filters, saved views, bulk assignment and the CSV export."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.audit.csv_export import stream_csv
from guichet.cases import inbox_actions
from guichet.cases.access import get_saved_view, has_case_inbox, processable_cases
from guichet.cases.agent_forms import (
    BulkAssignForm,
    InboxFilterForm,
    SavedViewForm,
    department_agents,
)
from guichet.cases.inbox import (
    DeadlineClock,
    agent_status_label,
    filter_cases,
    inbox_rows,
    list_columns,
    ordered,
    view_query,
    with_unread_messages,
)
from guichet.cases.models import Case, SavedView
from guichet.organisation.access import department_ids, require_agent
from guichet.organisation.choices import Channel
from guichet.organisation.models import Agent, Department, User

INBOX_PER_PAGE = 50


def _require_inbox(request: HttpRequest) -> Agent:
    agent = require_agent(request.user)
    if not has_case_inbox(request.user):
        raise Http404
    return agent


def _assignable_agents(agent: Agent) -> QuerySet[User]:
    """Return who the agent may give cases to: themselves and their departments' agents (the
    agents of every department, for supervisors)."""
    return department_agents(
        None if agent.is_supervisor else department_ids(agent), also=agent.user_id
    )


def _filter_form(agent: Agent, query: QueryDict) -> InboxFilterForm:
    own = department_ids(agent)
    if agent.is_supervisor:
        departments: QuerySet[Department] | None = Department.objects.all()
    elif len(own) > 1:
        departments = Department.objects.filter(id__in=own)
    else:
        departments = None
    return InboxFilterForm(query or None, agents=_assignable_agents(agent), departments=departments)


def _filtered(
    request: HttpRequest, agent: Agent, query: QueryDict
) -> tuple[InboxFilterForm, QuerySet[Case], DeadlineClock]:
    form = _filter_form(agent, query)
    clock = DeadlineClock.for_today()
    cases = processable_cases(request.user)
    if form.is_bound and not form.is_valid():
        cases = cases.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        cases = filter_cases(cases, data, user_id=agent.user_id, clock=clock)
        cases = ordered(cases, data.get("sort", ""))
    return form, list_columns(cases), clock


def _render_inbox(
    request: HttpRequest,
    agent: Agent,
    query: QueryDict,
    *,
    bulk_form: BulkAssignForm | None = None,
    selected: Collection[str] = (),
    status: int = 200,
) -> HttpResponse:
    form, cases, clock = _filtered(request, agent, query)
    page = Paginator(with_unread_messages(cases), INBOX_PER_PAGE).get_page(query.get("page"))
    current = view_query(query, InboxFilterForm.QUERY_KEYS)
    if bulk_form is None:
        bulk_form = BulkAssignForm(agents=_assignable_agents(agent))
    return render(
        request,
        "cases/agent/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": inbox_rows(page.object_list, clock),
            "query": current,
            "saved_views": SavedView.objects.filter(owner=agent.user),
            "save_form": SavedViewForm(initial={"query": current}),
            "bulk_form": bulk_form,
            "selected": set(selected),
            "can_export": agent.is_supervisor,
            "nav": "cases",
        },
        status=status,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """List the cases the agent may process, open ones by default, due soonest first."""
    agent = _require_inbox(request)
    return _render_inbox(request, agent, request.GET)


def _inbox_url(query: str) -> str:
    return reverse("cases:inbox") + (f"?{query}" if query else "")


def _posted_query(request: HttpRequest) -> QueryDict:
    """Return the inbox filters a form carried back (only the known ones)."""
    query = QueryDict(request.POST.get("query", "")[:1000])
    return QueryDict(view_query(query, InboxFilterForm.QUERY_KEYS))


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Give the ticked cases to one agent; say how many were given and how many skipped."""
    agent = _require_inbox(request)
    user: User = request.user  # type: ignore[assignment]
    query = _posted_query(request)
    form = BulkAssignForm(request.POST, agents=_assignable_agents(agent))
    if not form.is_valid():
        # Drawn again with the ticks and the filters, so nothing chosen is lost.
        return _render_inbox(
            request,
            agent,
            query,
            bulk_form=form,
            selected=request.POST.getlist("cases"),
            status=400,
        )
    assignee: User = form.cleaned_data["assignee"]
    result = inbox_actions.bulk_assign(
        actor=user, case_uuids=form.cleaned_data["cases"], assignee=assignee
    )
    name = assignee.display_name()
    if result.assigned:
        messages.success(
            request,
            ngettext(
                "%(count)d demande attribuée à %(name)s.",
                "%(count)d demandes attribuées à %(name)s.",
                result.assigned,
            )
            % {"count": result.assigned, "name": name},
        )
    if result.forbidden:
        messages.warning(
            request,
            ngettext(
                "%(count)d demande ignorée : vous ne pouvez pas la traiter.",
                "%(count)d demandes ignorées : vous ne pouvez pas les traiter.",
                result.forbidden,
            )
            % {"count": result.forbidden},
        )
    if result.unsuitable:
        messages.warning(
            request,
            ngettext(
                "%(count)d demande ignorée : elle est close ou relève d'un service "
                "dont %(name)s ne fait pas partie.",
                "%(count)d demandes ignorées : elles sont closes ou relèvent d'un service "
                "dont %(name)s ne fait pas partie.",
                result.unsuitable,
            )
            % {"count": result.unsuitable, "name": name},
        )
    return redirect(_inbox_url(query.urlencode()))


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    """Keep the current filters under a name, listed above the inbox."""
    _require_inbox(request)
    user: User = request.user  # type: ignore[assignment]
    query = _posted_query(request).urlencode()
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez un nom à la vue (100 caractères au plus)."))
        return redirect(_inbox_url(query))
    view, created = inbox_actions.save_view(owner=user, name=form.cleaned_data["name"], query=query)
    if created:
        messages.success(request, _("La vue « %(name)s » est enregistrée.") % {"name": view.name})
    else:
        messages.success(request, _("La vue « %(name)s » est mise à jour.") % {"name": view.name})
    return redirect(_inbox_url(query))


@login_required
@require_POST
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    _require_inbox(request)
    view = get_saved_view(request.user, view_id)
    inbox_actions.delete_view(view=view)
    messages.success(request, _("La vue « %(name)s » est supprimée.") % {"name": view.name})
    return redirect("cases:inbox")


def _csv_rows(cases: QuerySet[Case], clock: DeadlineClock) -> Iterator[str]:
    header = [
        _("Référence"),
        _("Démarche"),
        _("Service"),
        _("Statut"),
        _("Déposée le"),
        _("Échéance"),
        _("Délai"),
        _("Agent en charge"),
        _("Canal"),
        _("Site"),
        _("Usager"),
    ]
    channels = dict(Channel.choices)

    def rows() -> Iterator[list[object]]:
        for case in cases.iterator(chunk_size=500):
            yield [
                case.reference,
                case.procedure.title,
                case.department.name,
                agent_status_label(case.status),
                timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"),
                case.due_date.isoformat() if case.due_date else "",
                clock.state(case).label,
                case.assignee.display_name() if case.assignee else "",
                channels.get(case.channel, case.channel),
                case.site.name if case.site else "",
                case.resident.display_name,
            ]

    return stream_csv(header, rows())


@login_required
def inbox_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Export the filtered inbox as CSV (supervisors)."""
    agent = _require_inbox(request)
    if not agent.is_supervisor:
        raise Http404
    _form, cases, clock = _filtered(request, agent, request.GET)
    response = StreamingHttpResponse(_csv_rows(cases, clock), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="demandes.csv"'
    return response
