"""The form builder's working copy as a whole: preview, publish, throw away, import and export,
and the history of published versions (read one, start again from it)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.cases.builder_copy import (
    WorkingCopy,
    discard_copy,
    for_form,
    publishable,
    publisher_name,
    save_copy,
    structure,
)
from guichet.cases.builder_forms import ImportForm, PublishForm, dump_definition
from guichet.cases.builder_views import NAV, Editing, editing, editor_url, get_form_for_editor
from guichet.cases.form_conditions import describe_condition
from guichet.cases.form_definition import DefinitionError, parse_definition
from guichet.cases.form_engine import PageForm
from guichet.cases.form_prefill import ResidentFile
from guichet.cases.form_schema import FormDefinition, Page
from guichet.cases.form_settings_actions import WorkingCopyOutdated, publish_from_back_office
from guichet.cases.models import CaseForm, FormVersion
from guichet.organisation.models import User
from guichet.residents.models import Resident

EXPORT_FORMATS = {"yaml": "application/yaml", "json": "application/json"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _context(state: Editing, **extra: object) -> dict[str, object]:
    return {
        "nav": NAV,
        "case_form": state.form,
        "procedure": state.form.procedure,
        "current": state.current,
        "working": state.copy,
        "outdated": state.outdated,
        **extra,
    }


def build_preview_form(definition: FormDefinition, page: Page) -> PageForm:
    """Return the page's form as a resident with an empty file would see it first."""
    # No resident is involved in a preview: an unsaved, empty one has no documents, no
    # household and nothing to prefill, so every field shows as a new resident sees it.
    empty_file = ResidentFile(resident=Resident(), documents={}, members={})
    return PageForm(definition, page, resident_file=empty_file, answers={}, autocomplete=False)


@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one page of the working copy as residents will see it (nothing is saved)."""
    state = editing(request, slug)
    try:
        definition = parse_definition(for_form(state.copy.definition, state.form))
    except DefinitionError as exc:
        return render(
            request,
            "cases/builder/preview.html",
            _context(state, problems=exc.messages),
            status=400,
        )
    keys = [page.key for page in definition.pages]
    key = request.GET.get("page") or keys[0]
    if key not in keys:
        raise Http404
    page = definition.page(key)
    return render(
        request,
        "cases/builder/preview.html",
        _context(
            state,
            definition=definition,
            page=page,
            page_number=keys.index(key) + 1,
            page_condition=(
                describe_condition(page.condition, definition) if page.condition else ""
            ),
            form=build_preview_form(definition, page),
        ),
    )


def _publish_page(
    request: HttpRequest, state: Editing, form: PublishForm, *, status: int = 200, **extra: object
) -> HttpResponse:
    problems = state.copy.problems()
    unchanged = False
    if not problems and state.current is not None:
        unchanged = publishable(state.copy.definition, state.form) == state.current.definition
    return render(
        request,
        "cases/builder/publish.html",
        _context(
            state,
            form=form,
            problems=problems,
            unchanged=unchanged,
            next_number=state.current_number + 1,
            publisher=publisher_name(state.current),
            **extra,
        ),
        status=status,
    )


@login_required
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    state = editing(request, slug)
    if request.method != "POST":
        return _publish_page(request, state, PublishForm())
    form = PublishForm(request.POST)
    if not form.is_valid() or state.copy.problems():
        return _publish_page(request, state, form, status=400)
    definition = publishable(state.copy.definition, state.form)
    if state.current is not None and definition == state.current.definition:
        messages.info(request, _("Aucune modification à publier."))
        return redirect("cases:builder_form", slug=slug)
    try:
        version = publish_from_back_office(
            state.form,
            definition=definition,
            actor=_user(request),
            comment=form.cleaned_data["comment"],
            based_on=state.copy.based_on,
        )
    except WorkingCopyOutdated as outdated:
        state.current = outdated.current
        state.copy.stored = True
        return _publish_page(request, state, form, status=409)
    discard_copy(request.session, state.form)
    messages.success(
        request,
        _(
            "Version %(number)s publiée : les nouvelles demandes l'utiliseront ; les demandes "
            "déjà déposées gardent leur version."
        )
        % {"number": version.number},
    )
    if not state.form.is_online:
        messages.info(
            request,
            _("La demande en ligne est fermée : ouvrez-la dans les réglages quand vous le voulez."),
        )
    return redirect("cases:builder_form", slug=slug)


@require_POST
@login_required
def discard(request: HttpRequest, slug: str) -> HttpResponse:
    """Throw the working copy away and start again from the published version."""
    form = get_form_for_editor(request, slug)
    discard_copy(request.session, form)
    messages.success(
        request, _("Copie de travail abandonnée : vous repartez de la version publiée.")
    )
    return redirect("cases:builder_form", slug=slug)


@login_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the working copy, or a published version, as a YAML or JSON file."""
    file_format = request.GET.get("format", "yaml")
    if file_format not in EXPORT_FORMATS:
        raise Http404
    number = request.GET.get("version")
    if number:
        version = _version(get_form_for_editor(request, slug), number)
        definition, name = version.definition, f"{slug}-version-{version.number}"
    else:
        state = editing(request, slug)
        definition, name = for_form(state.copy.definition, state.form), slug
    response = HttpResponse(
        dump_definition(definition, file_format),
        content_type=f"{EXPORT_FORMATS[file_format]}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@login_required
def import_definition(request: HttpRequest, slug: str) -> HttpResponse:
    """Load a YAML or JSON definition into the working copy (checked first)."""
    state = editing(request, slug)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        procedure_slug=state.form.procedure.slug,
    )
    if request.method == "POST" and form.is_valid():
        state.copy = WorkingCopy(
            definition=form.cleaned_data["file"], based_on=state.current_number
        )
        save_copy(request.session, state.form, state.copy)
        messages.success(
            request,
            _(
                "Définition importée dans votre copie de travail : vérifiez-la avec l'aperçu, "
                "puis publiez-la. Les réglages (service, délai, accusé de réception) restent "
                "ceux de ce formulaire."
            ),
        )
        return redirect("cases:builder_form", slug=slug)
    return render(
        request,
        "cases/builder/import.html",
        _context(state, form=form),
        status=400 if form.errors else 200,
    )


def _version(form: CaseForm, number: object) -> FormVersion:
    try:
        return form.versions.select_related("published_by").get(number=int(str(number)))
    except (FormVersion.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    state = editing(request, slug)
    rows = (
        state.form.versions.select_related("published_by")
        .annotate(case_count=Count("cases"))
        .order_by("-number")
    )
    return render(
        request,
        "cases/builder/versions.html",
        _context(state, versions=[(row, publisher_name(row)) for row in rows]),
    )


@login_required
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    state = editing(request, slug)
    version = _version(state.form, number)
    return render(
        request,
        "cases/builder/version.html",
        _context(
            state,
            version=version,
            publisher=publisher_name(version),
            pages=structure(version.definition),
            editable=False,
        ),
    )


@require_POST
@login_required
def version_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Load a published version into the working copy, to publish it again as the next one."""
    state = editing(request, slug)
    version = _version(state.form, number)
    state.copy = WorkingCopy(
        definition=copy.deepcopy(version.definition), based_on=state.current_number
    )
    save_copy(request.session, state.form, state.copy)
    messages.success(
        request,
        _(
            "La version %(number)s du %(date)s est chargée dans votre copie de travail : "
            "publiez-la pour qu'elle devienne la version %(next)s."
        )
        % {
            "number": version.number,
            "date": date_format(localtime(version.published_at), "SHORT_DATE_FORMAT"),
            "next": state.current_number + 1,
        },
    )
    return redirect(editor_url(state.form, "structure"))
