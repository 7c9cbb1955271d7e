"""The supervisors' form builder: the list of forms, a form's settings and the editing of its
structure (pages, sections, fields) on a working copy kept in the session.

Publishing, the preview, the version history and import/export are in ``builder_version_views``.
Only supervisors and administrators (those who edit the catalogue) see these pages: anybody
else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.cases import builder_edit
from guichet.cases.builder_copy import (
    WorkingCopy,
    load_copy,
    publisher_name,
    save_copy,
    structure,
)
from guichet.cases.builder_edit import DOWN, UP, EditError
from guichet.cases.builder_field_forms import FIELD_TYPE_LABELS, FieldForm
from guichet.cases.builder_forms import PageForm, SectionForm, SettingsForm
from guichet.cases.form_actions import get_or_create_case_form
from guichet.cases.form_settings_actions import change_form_settings
from guichet.cases.models import CaseForm, FormVersion
from guichet.catalogue.access import require_editor
from guichet.catalogue.models import Procedure
from guichet.organisation.models import User

NAV = "forms"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def get_form_for_editor(request: HttpRequest, slug: str) -> CaseForm:
    """Return the case form of the procedure for a supervisor, or raise 404."""
    require_editor(request.user)
    try:
        return CaseForm.objects.select_related("procedure__department", "routing_department").get(
            procedure__slug=slug
        )
    except CaseForm.DoesNotExist:
        raise Http404 from None


@dataclass
class Editing:
    """What every editing view works on: the form, its current version and the working copy."""

    form: CaseForm
    current: FormVersion | None
    copy: WorkingCopy

    @property
    def current_number(self) -> int:
        return self.current.number if self.current else 0

    @property
    def outdated(self) -> bool:
        """Return whether a version was published since the working copy was started."""
        return self.copy.stored and self.copy.based_on != self.current_number


def editing(request: HttpRequest, slug: str) -> Editing:
    form = get_form_for_editor(request, slug)
    current = form.versions.select_related("published_by").order_by("-number").first()
    return Editing(form=form, current=current, copy=load_copy(request.session, form, current))


def editor_url(form: CaseForm, anchor: str = "") -> str:
    url = reverse("cases:builder_form", args=[form.procedure.slug])
    return f"{url}#{anchor}" if anchor else url


def _saved(
    request: HttpRequest, state: Editing, definition: dict[str, Any], message: str, anchor: str
) -> HttpResponseRedirect:
    state.copy.definition = definition
    save_copy(request.session, state.form, state.copy)
    messages.success(request, message)
    return HttpResponseRedirect(editor_url(state.form, anchor))


def _refused(request: HttpRequest, state: Editing, error: EditError) -> HttpResponseRedirect:
    messages.error(request, error.message)
    return HttpResponseRedirect(editor_url(state.form, "structure"))


@dataclass
class FormRow:
    procedure: Procedure
    form: CaseForm | None
    version_number: int | None
    published_at: Any


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    require_editor(request.user)
    latest = FormVersion.objects.filter(form__procedure=OuterRef("pk")).order_by("-number")
    procedures = (
        Procedure.objects.select_related("department", "case_form")
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            published_at=Subquery(latest.values("published_at")[:1]),
        )
        .order_by("title")
    )
    with_form: list[FormRow] = []
    without_form: list[FormRow] = []
    for procedure in procedures:
        form = getattr(procedure, "case_form", None)
        row = FormRow(procedure, form, procedure.version_number, procedure.published_at)
        (with_form if form is not None else without_form).append(row)
    return render(
        request,
        "cases/builder/list.html",
        {"nav": NAV, "with_form": with_form, "without_form": without_form},
    )


@require_POST
@login_required
def form_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create the case form of a procedure (closed online until a version is published)."""
    require_editor(request.user)
    try:
        procedure = Procedure.objects.get(slug=slug)
    except Procedure.DoesNotExist:
        raise Http404 from None
    _form, created = get_or_create_case_form(procedure, is_online=False)
    if created:
        messages.success(
            request,
            _(
                "Formulaire créé. Ajoutez ses champs, publiez-le, puis ouvrez la demande en "
                "ligne dans les réglages."
            ),
        )
    return redirect("cases:builder_form", slug=procedure.slug)


@login_required
def form_editor(request: HttpRequest, slug: str) -> HttpResponse:
    state = editing(request, slug)
    return _render_editor(request, state, SettingsForm(case_form=state.form))


def _render_editor(
    request: HttpRequest, state: Editing, settings_form: SettingsForm
) -> HttpResponse:
    published = state.current.definition if state.current else None
    return render(
        request,
        "cases/builder/editor.html",
        {
            "nav": NAV,
            "case_form": state.form,
            "procedure": state.form.procedure,
            "current": state.current,
            "working": state.copy,
            "modified": state.copy.stored and state.copy.definition != published,
            "outdated": state.outdated,
            "publisher": publisher_name(state.current),
            "problems": state.copy.problems(),
            "pages": structure(state.copy.definition),
            "settings_form": settings_form,
            "field_types": list(FIELD_TYPE_LABELS.items()),
            "editable": True,
        },
        status=400 if settings_form.errors else 200,
    )


@require_POST
@login_required
def form_settings(request: HttpRequest, slug: str) -> HttpResponse:
    state = editing(request, slug)
    settings_form = SettingsForm(request.POST, case_form=state.form)
    if not settings_form.is_valid():
        return _render_editor(request, state, settings_form)
    changes = change_form_settings(
        state.form, actor=_user(request), settings=dict(settings_form.cleaned_data)
    )
    if not changes:
        messages.info(request, _("Aucun réglage modifié."))
    else:
        described = " ; ".join(
            _("%(label)s : %(before)s → %(after)s")
            % {"label": change.label, "before": change.before, "after": change.after}
            for change in changes
        )
        messages.success(
            request,
            _("Réglages enregistrés par %(who)s, en vigueur dès maintenant (%(changes)s).")
            % {"who": _user(request).display_name(), "changes": described},
        )
    return HttpResponseRedirect(editor_url(state.form, "reglages"))


# Pages ---------------------------------------------------------------------------------------


def _page_form(request: HttpRequest, state: Editing, page: dict[str, Any] | None) -> PageForm:
    key = str(page.get("key")) if page else None
    return PageForm(
        request.POST if request.method == "POST" else None,
        is_new=page is None,
        earlier=builder_edit.fields_before_page(state.copy.definition, key),
        current=page,
    )


@login_required
def page_add(request: HttpRequest, slug: str) -> HttpResponse:
    state = editing(request, slug)
    form = _page_form(request, state, None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = builder_edit.add_page(state.copy.definition, form.page())
        except EditError as error:
            form.add_error("key", error.message)
        else:
            key = builder_edit.pages(definition)[-1]["key"]
            message = _("Page « %(title)s » ajoutée.") % {"title": form.cleaned_data["title"]}
            return _saved(request, state, definition, message, f"page-{key}")
    return _render_part(request, state, "cases/builder/page_form.html", form, page=None)


@login_required
def page_edit(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    state = editing(request, slug)
    try:
        index = builder_edit.find_page(state.copy.definition, page)
    except EditError as error:
        return _refused(request, state, error)
    current = builder_edit.pages(state.copy.definition)[index]
    form = _page_form(request, state, current)
    if request.method == "POST" and form.is_valid():
        definition = builder_edit.update_page(state.copy.definition, page, form.page())
        message = _("Page « %(title)s » modifiée.") % {"title": form.cleaned_data["title"]}
        return _saved(request, state, definition, message, f"page-{page}")
    return _render_part(request, state, "cases/builder/page_form.html", form, page=current)


def _render_part(
    request: HttpRequest, state: Editing, template: str, form: Any, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "nav": NAV,
            "case_form": state.form,
            "procedure": state.form.procedure,
            "form": form,
            **context,
        },
        status=400 if form.errors else 200,
    )


# Sections ------------------------------------------------------------------------------------


@login_required
def section_add(request: HttpRequest, slug: str, page: str) -> HttpResponse:
    state = editing(request, slug)
    try:
        current_page = builder_edit.pages(state.copy.definition)[
            builder_edit.find_page(state.copy.definition, page)
        ]
    except EditError as error:
        return _refused(request, state, error)
    form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        definition = builder_edit.add_section(state.copy.definition, page, form.section())
        number = len(builder_edit.sections(current_page)) + 1
        message = _("Section ajoutée à la page « %(page)s ».") % {"page": current_page["title"]}
        return _saved(request, state, definition, message, f"section-{page}-{number}")
    return _render_part(
        request, state, "cases/builder/section_form.html", form, page=current_page, number=None
    )


@login_required
def section_edit(request: HttpRequest, slug: str, page: str, number: int) -> HttpResponse:
    state = editing(request, slug)
    try:
        page_index, index = builder_edit.find_section(state.copy.definition, page, number - 1)
    except EditError as error:
        return _refused(request, state, error)
    current_page = builder_edit.pages(state.copy.definition)[page_index]
    section = builder_edit.sections(current_page)[index]
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": section.get("title", ""), "intro": section.get("intro", "")},
    )
    if request.method == "POST" and form.is_valid():
        definition = builder_edit.update_section(state.copy.definition, page, index, form.section())
        message = _("Section n° %(number)s modifiée.") % {"number": number}
        return _saved(request, state, definition, message, f"section-{page}-{number}")
    return _render_part(
        request, state, "cases/builder/section_form.html", form, page=current_page, number=number
    )


# Fields --------------------------------------------------------------------------------------


def _field_type(request: HttpRequest, default: str) -> str:
    field_type = request.POST.get("type") or request.GET.get("type") or default
    if field_type not in FIELD_TYPE_LABELS:
        raise Http404
    return field_type


def _new_problems(before: WorkingCopy, definition: dict[str, Any]) -> list[str]:
    known = set(before.problems())
    return [
        problem
        for problem in WorkingCopy(definition=definition, based_on=0).problems()
        if problem not in known
    ]


@login_required
def field_add(request: HttpRequest, slug: str, page: str, number: int) -> HttpResponse:
    state = editing(request, slug)
    field_type = _field_type(request, "text")
    try:
        page_index, index = builder_edit.find_section(state.copy.definition, page, number - 1)
        earlier = builder_edit.fields_before_section_end(state.copy.definition, page, index)
    except EditError as error:
        return _refused(request, state, error)
    form = FieldForm(
        request.POST if request.method == "POST" else None,
        field_type=field_type,
        is_new=True,
        earlier=earlier,
    )
    if request.method == "POST" and form.is_valid():
        try:
            definition = builder_edit.add_field(state.copy.definition, page, index, form.field())
        except EditError as error:
            form.add_error("key", error.message)
        else:
            problems = _new_problems(state.copy, definition)
            if not problems:
                section = builder_edit.sections(builder_edit.pages(definition)[page_index])[index]
                key = builder_edit.fields(section)[-1]["key"]
                message = _("Champ « %(label)s » ajouté.") % {"label": form.cleaned_data["label"]}
                return _saved(request, state, definition, message, f"field-{key}")
            for problem in problems:
                form.add_error(None, problem)
    current_page = builder_edit.pages(state.copy.definition)[page_index]
    return _render_part(
        request,
        state,
        "cases/builder/field_form.html",
        form,
        page=current_page,
        number=number,
        field=None,
        field_type=field_type,
        type_label=FIELD_TYPE_LABELS[field_type],
        field_types=list(FIELD_TYPE_LABELS.items()),
    )


@login_required
def field_edit(request: HttpRequest, slug: str, field: str) -> HttpResponse:
    state = editing(request, slug)
    try:
        current = builder_edit.get_field(state.copy.definition, field)
        earlier = builder_edit.fields_before_field(state.copy.definition, field)
        page_index, section_index, _position = builder_edit.find_field(state.copy.definition, field)
    except EditError as error:
        return _refused(request, state, error)
    field_type = _field_type(request, str(current.get("type", "text")))
    form = FieldForm(
        request.POST if request.method == "POST" else None,
        field_type=field_type,
        is_new=False,
        earlier=earlier,
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        definition = builder_edit.update_field(state.copy.definition, field, form.field())
        problems = _new_problems(state.copy, definition)
        if not problems:
            message = _("Champ « %(label)s » modifié.") % {"label": form.cleaned_data["label"]}
            return _saved(request, state, definition, message, f"field-{field}")
        for problem in problems:
            form.add_error(None, problem)
    return _render_part(
        request,
        state,
        "cases/builder/field_form.html",
        form,
        page=builder_edit.pages(state.copy.definition)[page_index],
        number=section_index + 1,
        field=current,
        field_type=field_type,
        type_label=FIELD_TYPE_LABELS[field_type],
        field_types=list(FIELD_TYPE_LABELS.items()),
    )


# Moving and removing -------------------------------------------------------------------------


@require_POST
@login_required
def structure_step(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a page, section or field up or down, or remove it (one button of the structure)."""
    state = editing(request, slug)
    step = request.POST.get("step", "")
    page = request.POST.get("page", "")
    field = request.POST.get("field", "")
    try:
        number = int(request.POST.get("section") or 0)
    except ValueError:
        raise Http404 from None
    if step not in ("up", "down", "delete"):
        raise Http404
    direction = UP if step == "up" else DOWN
    definition = state.copy.definition
    try:
        if field:
            label = builder_edit.get_field(definition, field).get("label", field)
            if step == "delete":
                result = builder_edit.remove_field(definition, field)
                message = _("Champ « %(label)s » supprimé.") % {"label": label}
            else:
                result = builder_edit.move_field(definition, field, direction)
                message = _("Champ « %(label)s » déplacé.") % {"label": label}
            anchor = "structure" if step == "delete" else f"field-{field}"
        elif number:
            if step == "delete":
                result = builder_edit.remove_section(definition, page, number - 1)
                message = _("Section n° %(number)s supprimée.") % {"number": number}
                anchor = f"page-{page}"
            else:
                result = builder_edit.move_section(definition, page, number - 1, direction)
                message = _("Section déplacée.")
                anchor = f"section-{page}-{number + direction}"
        else:
            title = builder_edit.pages(definition)[builder_edit.find_page(definition, page)].get(
                "title", page
            )
            if step == "delete":
                result = builder_edit.remove_page(definition, page)
                message = _("Page « %(title)s » supprimée.") % {"title": title}
                anchor = "structure"
            else:
                result = builder_edit.move_page(definition, page, direction)
                message = _("Page « %(title)s » déplacée.") % {"title": title}
                anchor = f"page-{page}"
    except EditError as error:
        return _refused(request, state, error)
    return _saved(request, state, result, message, anchor)
