"""The administration area: sites (with hours and closures), city closures, departments, agents."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guichet.organisation import actions
from guichet.organisation.access import (
    get_agent_for_admin,
    get_city_closure_for_admin,
    get_closure_for_admin,
    get_department_for_admin,
    get_site_for_admin,
    require_admin,
)
from guichet.organisation.choices import Role
from guichet.organisation.forms import (
    AgentForm,
    CityClosureForm,
    ClosureForm,
    DepartmentForm,
    SiteForm,
    opening_hours_formset,
)
from guichet.organisation.models import (
    Agent,
    CityClosure,
    Department,
    OrganisationChange,
    Site,
)
from guichet.organisation.working_days import french_public_holidays


def _render(
    request: HttpRequest, template: str, section: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        f"organisation/{template}",
        {"nav": "admin", "section": section, **context},
        status=status,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    changes = OrganisationChange.objects.select_related(
        "actor", "site", "department", "agent__user"
    )[:20]
    return _render(
        request,
        "index.html",
        "index",
        {
            "site_count": Site.objects.filter(is_active=True).count(),
            "department_count": Department.objects.count(),
            "agent_count": Agent.objects.filter(is_active=True).count(),
            "changes": changes,
        },
    )


# Sites ---------------------------------------------------------------------------------------


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    sites = Site.objects.annotate(
        agent_count=Count("agents", filter=Q(agents__is_active=True))
    ).prefetch_related("opening_hours")
    return _render(request, "site_list.html", "sites", {"sites": sites})


@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    admin = require_admin(request.user)
    form = SiteForm(request.POST or None)
    hours = opening_hours_formset(None, request.POST or None)
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        site = actions.create_site(
            actor=admin.user, opening_hours=hours.periods(), **form.cleaned_data
        )
        messages.success(request, _("Le site « %(name)s » a été créé.") % {"name": site.name})
        return redirect("organisation:site_edit", slug=site.slug)
    return _render(
        request,
        "site_form.html",
        "sites",
        {"form": form, "hours": hours, "site": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def site_edit(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for_admin(request.user, slug)
    admin = require_admin(request.user)
    if request.method == "POST":
        form = SiteForm(request.POST, site=site)
        hours = opening_hours_formset(site, request.POST)
        if form.is_valid() and hours.is_valid():
            actions.update_site(site, actor=admin.user, **form.cleaned_data)
            actions.set_opening_hours(site, hours.periods(), actor=admin.user)
            messages.success(
                request, _("Le site « %(name)s » a été enregistré.") % {"name": site.name}
            )
            return redirect("organisation:site_edit", slug=site.slug)
        status = 400
    else:
        form = SiteForm(
            site=site,
            initial={name: getattr(site, name) for name in SiteForm.base_fields if name != "slug"},
        )
        hours = opening_hours_formset(site)
        status = 200
    return _render(
        request,
        "site_form.html",
        "sites",
        {
            "form": form,
            "hours": hours,
            "site": site,
            "changes": site.changes.select_related("actor")[:10],
        },
        status=status,
    )


@login_required
def site_closures(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_site_for_admin(request.user, slug)
    admin = require_admin(request.user)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_site_closure(site, actor=admin.user, **form.cleaned_data)
        messages.success(request, _("La fermeture exceptionnelle a été ajoutée."))
        return redirect("organisation:site_closures", slug=site.slug)
    return _render(
        request,
        "site_closures.html",
        "sites",
        {"site": site, "form": form, "closures": site.closures.all()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, slug: str, closure_id: int) -> HttpResponse:
    closure = get_closure_for_admin(request.user, slug, closure_id)
    admin = require_admin(request.user)
    actions.remove_site_closure(closure, actor=admin.user)
    messages.success(request, _("La fermeture exceptionnelle a été supprimée."))
    return redirect("organisation:site_closures", slug=slug)


# Closures of the whole administration -------------------------------------------------------


@login_required
def city_closures(request: HttpRequest) -> HttpResponse:
    admin = require_admin(request.user)
    form = CityClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_city_closure(actor=admin.user, **form.cleaned_data)
        messages.success(request, _("La fermeture de l'administration a été ajoutée."))
        return redirect("organisation:city_closures")
    return _render(
        request,
        "city_closures.html",
        "city_closures",
        {
            "form": form,
            "closures": CityClosure.objects.all(),
            "holidays": _holidays_of_this_year_and_next(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _holidays_of_this_year_and_next() -> list[tuple[datetime.date, str]]:
    year = timezone.localdate().year
    return [
        (day, name)
        for each_year in (year, year + 1)
        for day, name in french_public_holidays(each_year).items()
    ]


@login_required
@require_POST
def city_closure_delete(request: HttpRequest, closure_id: int) -> HttpResponse:
    closure = get_city_closure_for_admin(request.user, closure_id)
    admin = require_admin(request.user)
    actions.remove_city_closure(closure, actor=admin.user)
    messages.success(request, _("La fermeture de l'administration a été supprimée."))
    return redirect("organisation:city_closures")


# Departments ---------------------------------------------------------------------------------


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    departments = Department.objects.annotate(
        agent_count=Count("agents", filter=Q(agents__is_active=True))
    )
    return _render(request, "department_list.html", "departments", {"departments": departments})


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    admin = require_admin(request.user)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        department = actions.create_department(actor=admin.user, **form.cleaned_data)
        messages.success(
            request, _("Le service « %(name)s » a été créé.") % {"name": department.name}
        )
        return redirect("organisation:department_list")
    return _render(
        request,
        "department_form.html",
        "departments",
        {"form": form, "department": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def department_edit(request: HttpRequest, slug: str) -> HttpResponse:
    department = get_department_for_admin(request.user, slug)
    admin = require_admin(request.user)
    initial = {
        name: getattr(department, name) for name in DepartmentForm.base_fields if name != "slug"
    }
    form = DepartmentForm(request.POST or None, department=department, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_department(department, actor=admin.user, **form.cleaned_data)
        messages.success(
            request, _("Le service « %(name)s » a été enregistré.") % {"name": department.name}
        )
        return redirect("organisation:department_list")
    return _render(
        request,
        "department_form.html",
        "departments",
        {"form": form, "department": department},
        status=400 if request.method == "POST" else 200,
    )


# Agents --------------------------------------------------------------------------------------

_AGENTS_PER_PAGE = 50


@login_required
def agent_list(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    role = request.GET.get("role", "")
    status = request.GET.get("statut", "actifs")
    query = request.GET.get("q", "").strip()[:100]
    agents = Agent.objects.select_related("user").prefetch_related(
        Prefetch("sites", queryset=Site.objects.only("id", "name")),
        Prefetch("departments", queryset=Department.objects.only("id", "name")),
    )
    if role in Role.values:
        agents = agents.filter(role=role)
    if status == "actifs":
        agents = agents.filter(is_active=True)
    elif status == "inactifs":
        agents = agents.filter(is_active=False)
    if query:
        agents = agents.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    page = Paginator(agents, _AGENTS_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return _render(
        request,
        "agent_list.html",
        "agents",
        {
            "page": page,
            "roles": Role.choices,
            "role": role,
            "status": status,
            "query": query,
            "filters": filters.urlencode(),
        },
    )


@never_cache
@login_required
def agent_create(request: HttpRequest) -> HttpResponse:
    admin = require_admin(request.user)
    form = AgentForm(request.POST or None, actor=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = actions.create_agent(
            actor=admin.user,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=data["role"],
            sites=data["sites"],
            departments=data["departments"],
            job_title=data["job_title"],
            password=data["password"] or None,
        )
        if account.temporary_password:
            return _render(
                request,
                "agent_secret.html",
                "agents",
                {
                    "agent": account.agent,
                    "secret": account.temporary_password,
                    "secret_kind": "password",
                    "created": True,
                },
            )
        messages.success(request, _("Le compte de %(name)s a été créé.") % {"name": account.agent})
        return redirect("organisation:agent_edit", agent_id=account.agent.pk)
    return _render(
        request,
        "agent_form.html",
        "agents",
        {"form": form, "agent": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def agent_edit(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = get_agent_for_admin(request.user, agent_id)
    admin = require_admin(request.user)
    initial = {
        "first_name": agent.user.first_name,
        "last_name": agent.user.last_name,
        "email": agent.user.email,
        "job_title": agent.job_title,
        "role": agent.role,
        "sites": list(agent.sites.all()),
        "departments": list(agent.departments.all()),
    }
    form = AgentForm(request.POST or None, agent=agent, actor=admin, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_agent(agent, actor=admin.user, **form.cleaned_data)
        messages.success(request, _("Le compte de %(name)s a été enregistré.") % {"name": agent})
        return redirect("organisation:agent_edit", agent_id=agent.pk)
    return _render(
        request,
        "agent_form.html",
        "agents",
        {
            "form": form,
            "agent": agent,
            "is_self": agent.pk == admin.pk,
            "changes": agent.changes.select_related("actor")[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def agent_toggle_active(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = get_agent_for_admin(request.user, agent_id)
    admin = require_admin(request.user)
    if agent.pk == admin.pk:
        messages.error(
            request,
            _(
                "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre "
                "administrateur."
            ),
        )
    elif agent.is_active:
        actions.deactivate_agent(agent, actor=admin.user)
        messages.success(
            request,
            _("Le compte de %(name)s est désactivé : il ne peut plus se connecter.")
            % {"name": agent},
        )
    else:
        actions.reactivate_agent(agent, actor=admin.user)
        messages.success(request, _("Le compte de %(name)s est réactivé.") % {"name": agent})
    return redirect("organisation:agent_edit", agent_id=agent.pk)


@never_cache
@login_required
@require_POST
def agent_reset_password(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = get_agent_for_admin(request.user, agent_id)
    admin = require_admin(request.user)
    password = actions.reset_agent_password(agent, actor=admin.user)
    return _render(
        request,
        "agent_secret.html",
        "agents",
        {"agent": agent, "secret": password, "secret_kind": "password", "created": False},
    )


@never_cache
@login_required
@require_POST
def agent_api_token(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = get_agent_for_admin(request.user, agent_id)
    admin = require_admin(request.user)
    if not agent.is_active:
        messages.error(
            request, _("Réactivez d'abord ce compte : un agent désactivé n'a pas accès à l'API.")
        )
        return redirect("organisation:agent_edit", agent_id=agent.pk)
    token = actions.create_api_token(agent, actor=admin.user)
    return _render(
        request,
        "agent_secret.html",
        "agents",
        {"agent": agent, "secret": token, "secret_kind": "token", "created": False},
    )
