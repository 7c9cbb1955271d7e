"""Agent-facing catalogue pages: search, procedures with the agents' notes, knowledge articles,
and — for supervisors — editing, history and the content due for review."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.catalogue import access
from guichet.catalogue.actions import (
    changed_fields,
    create_article,
    default_review_date,
    mark_reviewed,
    record_search,
    record_search_click,
    update_article,
    update_procedure,
)
from guichet.catalogue.choices import SearchSurface
from guichet.catalogue.forms import AgentSearchForm, ArticleForm, ProcedureForm, content_version
from guichet.catalogue.history import history_of
from guichet.catalogue.models import Article, Procedure
from guichet.catalogue.search import search_catalogue
from guichet.catalogue.views import channel_labels
from guichet.organisation.models import User

SEARCH_LIMIT = 20
# Content due for review within this many days already shows on the review list.
REVIEW_NOTICE_DAYS = 30


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def agent_index(request: HttpRequest) -> HttpResponse:
    access.require_agent(request.user)
    form = AgentSearchForm(request.GET or None)
    query, department = "", None
    if form.is_valid():
        query, department = form.cleaned_data["q"].strip(), form.cleaned_data["department"]
    context: dict[str, object] = {
        "nav": "catalogue",
        "form": form,
        "query": query,
        "department": department,
        "abilities": access.abilities(request.user),
        "today": timezone.localdate(),
    }
    if query:
        # Search everything, then keep the department asked for: the catalogue is small.
        results = search_catalogue(query, limit=100, include_unpublished=True)
        procedure_matches = [
            match
            for match in results.procedures
            if department is None or match.procedure.department_id == department.pk
        ][:SEARCH_LIMIT]
        context["results"] = results
        context["procedure_matches"] = procedure_matches
        context["article_matches"] = [
            match
            for match in results.articles
            if department is None or match.article.department_id in (None, department.pk)
        ][:SEARCH_LIMIT]
        context["search"] = record_search(
            query=query, surface=SearchSurface.CONSOLE, result_count=len(procedure_matches)
        )
    else:
        procedures = access.visible_procedures(request.user).order_by("title")
        if department is not None:
            procedures = procedures.filter(department=department)
        context["procedures"] = procedures
    context["article_count"] = access.visible_articles(request.user).count()
    return render(request, "catalogue/agent/index.html", context)


@login_required
def agent_search_click(request: HttpRequest, search_id: uuid.UUID, slug: str) -> HttpResponse:
    """Note that a result of a kept search was opened, then show the procedure's agents' page."""
    procedure = access.get_agent_procedure(request.user, slug)
    record_search_click(search_id=search_id, slug=procedure.slug)
    return redirect("catalogue:agent_procedure", slug=procedure.slug)


@login_required
def agent_procedure(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = access.get_agent_procedure(request.user, slug)
    articles = access.visible_articles(request.user).filter(procedures=procedure)
    return render(
        request,
        "catalogue/agent/procedure.html",
        {
            "nav": "catalogue",
            "procedure": procedure,
            "channel_labels": channel_labels(procedure.channels),
            "life_events": procedure.life_events.all(),
            "articles": articles.order_by("title"),
            "abilities": access.abilities(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    access.require_agent(request.user)
    articles = access.visible_articles(request.user).order_by("title")
    return render(
        request,
        "catalogue/agent/article_list.html",
        {
            "nav": "catalogue",
            "articles": articles,
            "abilities": access.abilities(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def article(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_agent(request.user)
    obj = access.get_article_for(request.user, slug)
    procedures = access.visible_procedures(request.user).filter(articles=obj).order_by("title")
    return render(
        request,
        "catalogue/agent/article.html",
        {
            "nav": "catalogue",
            "article": obj,
            "procedures": procedures,
            "abilities": access.abilities(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def procedure_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_editor(request.user)
    procedure = access.get_agent_procedure(request.user, slug)
    if request.method == "POST":
        form = ProcedureForm(request.POST, instance=procedure)
        if form.is_valid():
            changes = form.changes()
            if not changed_fields(procedure, changes):
                messages.info(request, _("Aucune modification à enregistrer."))
            else:
                update_procedure(
                    procedure,
                    actor=_user(request),
                    changes=changes,
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Modifications enregistrées."))
            return redirect("catalogue:agent_procedure", slug=procedure.slug)
    else:
        form = ProcedureForm(initial=ProcedureForm.initial_for(procedure), instance=procedure)
    return render(
        request,
        "catalogue/agent/procedure_form.html",
        {
            "nav": "catalogue",
            "procedure": procedure,
            "form": form,
            "version": content_version(procedure),
        },
    )


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            created = create_article(
                actor=_user(request), values=form.changes(), comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Fiche réflexe créée."))
            return redirect("catalogue:article", slug=created.slug)
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(None))
    return render(request, "catalogue/agent/article_form.html", {"nav": "catalogue", "form": form})


@login_required
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_editor(request.user)
    obj = access.get_article_for(request.user, slug)
    if request.method == "POST":
        form = ArticleForm(request.POST, instance=obj)
        if form.is_valid():
            changes = form.changes()
            if not changed_fields(obj, changes):
                messages.info(request, _("Aucune modification à enregistrer."))
            else:
                update_article(
                    obj, actor=_user(request), changes=changes, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Modifications enregistrées."))
            return redirect("catalogue:article", slug=obj.slug)
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(obj), instance=obj)
    return render(
        request,
        "catalogue/agent/article_form.html",
        {"nav": "catalogue", "article": obj, "form": form, "version": content_version(obj)},
    )


@login_required
def procedure_history(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = access.get_agent_procedure(request.user, slug)
    return _history(request, procedure, reverse("catalogue:agent_procedure", args=[slug]))


@login_required
def article_history(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_agent(request.user)
    obj = access.get_article_for(request.user, slug)
    return _history(request, obj, reverse("catalogue:article", args=[slug]))


def _history(request: HttpRequest, obj: Procedure | Article, back_url: str) -> HttpResponse:
    return render(
        request,
        "catalogue/agent/history.html",
        {"nav": "catalogue", "object": obj, "entries": history_of(obj), "back_url": back_url},
    )


@dataclass(frozen=True)
class ReviewRow:
    obj: Procedure | Article
    kind: str
    url: str
    reviewed_url: str


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    access.require_editor(request.user)
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    rows = [
        ReviewRow(
            procedure,
            _("Démarche"),
            reverse("catalogue:agent_procedure", args=[procedure.slug]),
            reverse("catalogue:procedure_reviewed", args=[procedure.slug]),
        )
        for procedure in Procedure.objects.filter(review_before__lte=horizon).select_related(
            "department"
        )
    ] + [
        ReviewRow(
            article,
            _("Fiche réflexe"),
            reverse("catalogue:article", args=[article.slug]),
            reverse("catalogue:article_reviewed", args=[article.slug]),
        )
        for article in Article.objects.filter(review_before__lte=horizon).select_related(
            "department"
        )
    ]
    rows.sort(key=lambda row: (row.obj.review_before or today, row.obj.title))
    return render(
        request,
        "catalogue/agent/review_list.html",
        {"nav": "catalogue", "rows": rows, "today": today, "horizon": horizon},
    )


def _after_review(request: HttpRequest, obj: Procedure | Article) -> HttpResponseRedirect:
    assert obj.review_before is not None
    messages.success(
        request,
        _("« %(title)s » est marqué comme relu ; prochaine relecture avant le %(date)s.")
        % {"title": obj.title, "date": date_format(obj.review_before, "SHORT_DATE_FORMAT")},
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect("catalogue:review_list")


@require_POST
@login_required
def procedure_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_editor(request.user)
    procedure = access.get_agent_procedure(request.user, slug)
    mark_reviewed(procedure, actor=_user(request), review_before=default_review_date())
    return _after_review(request, procedure)


@require_POST
@login_required
def article_reviewed(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_editor(request.user)
    obj = access.get_article_for(request.user, slug)
    mark_reviewed(obj, actor=_user(request), review_before=default_review_date())
    return _after_review(request, obj)
