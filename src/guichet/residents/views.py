"""Agents' pages for resident files: create (with duplicate check), edit, households, documents,
merge. The resident page itself belongs to the back office, which includes this app's partials.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.organisation.models import User
from guichet.residents import merging
from guichet.residents.access import (
    abilities,
    get_document_for,
    get_resident_for,
    get_resident_for_ability,
    require_editing_agent,
)
from guichet.residents.actions import (
    MergeNotAllowed,
    add_document,
    add_household_member,
    create_household,
    create_resident,
    merge_residents,
    remove_household_member,
    update_resident,
    verify_document,
)
from guichet.residents.duplicates import find_possible_duplicates
from guichet.residents.forms import (
    CreateResidentForm,
    DocumentForm,
    HouseholdForm,
    HouseholdMemberForm,
    MergeForm,
    ResidentForm,
)
from guichet.residents.models import HouseholdMember, Resident
from guichet.residents.search import find_residents

SEARCH_RESULTS = 10
SEARCH_MAX_LENGTH = 200


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Create a file, after showing the files that may already be this person's."""
    require_editing_agent(request.user)
    candidates: list[Any] = []
    if request.method == "POST":
        form = CreateResidentForm(request.POST)
        if form.is_valid():
            fields = form.action_fields()
            candidates = find_possible_duplicates(
                first_names=fields["first_names"],
                usage_name=fields["usage_name"],
                birth_name=fields["birth_name"],
                birth_date=fields["birth_date"],
                email=fields["email"],
                phone=fields["phone"],
            )
            if candidates and not form.cleaned_data["confirm_not_duplicate"]:
                form.add_error(
                    "confirm_not_duplicate",
                    _(
                        "Des fiches existantes ressemblent à cette personne. Ouvrez la bonne "
                        "fiche, ou cochez cette case si c'est bien une autre personne."
                    ),
                )
            else:
                resident = create_resident(
                    actor=_user(request), channel=form.cleaned_data["channel"], **fields
                )
                messages.success(request, _("La fiche a été créée."))
                return redirect(resident.get_absolute_url())
    else:
        initial = {
            name: request.GET[name][:200]
            for name in ("first_names", "usage_name", "birth_date", "phone", "email")
            if name in request.GET
        }
        form = CreateResidentForm(initial=initial)
    return render(
        request,
        "residents/create.html",
        {"form": form, "candidates": candidates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, resident_uuid: uuid.UUID) -> HttpResponse:
    """Change a file's identity, contact details, needs and consents."""
    resident = get_resident_for_ability(request.user, resident_uuid, "edit")
    form = ResidentForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        update_resident(
            resident,
            actor=_user(request),
            channel=form.cleaned_data["channel"],
            **form.action_fields(),
        )
        messages.success(request, _("La fiche a été mise à jour."))
        return redirect(resident.get_absolute_url())
    return render(request, "residents/edit.html", {"form": form, "resident": resident})


def _households_page(
    request: HttpRequest, resident: Resident, household_form: HouseholdForm | None = None
) -> HttpResponse:
    memberships = (
        resident.memberships.select_related("household")
        .prefetch_related("household__members__resident")
        .order_by("household__name")
    )
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    searched_household = request.GET.get("foyer", "")
    results = []
    if query:
        results = [
            match.resident
            for match in find_residents(query, limit=SEARCH_RESULTS)
            if match.resident.pk != resident.pk
        ]
    return render(
        request,
        "residents/households.html",
        {
            "resident": resident,
            "memberships": memberships,
            "household_form": household_form
            or HouseholdForm(initial={"name": _("Foyer %(name)s") % {"name": resident.usage_name}}),
            "member_form": HouseholdMemberForm(),
            "query": query,
            "searched_household": searched_household,
            "results": results,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def households(request: HttpRequest, resident_uuid: uuid.UUID) -> HttpResponse:
    """List the resident's households; create one; search people to add to one."""
    resident = get_resident_for_ability(request.user, resident_uuid, "manage_household")
    if request.method == "POST":
        form = HouseholdForm(request.POST)
        if form.is_valid():
            create_household(
                name=form.cleaned_data["name"],
                address=resident.address,
                postal_code=resident.postal_code,
                city=resident.city,
                members=[(resident, form.cleaned_data["relation"])],
                actor=_user(request),
                channel=form.cleaned_data["channel"],
            )
            messages.success(request, _("Le foyer a été créé."))
            return redirect("residents:households", resident_uuid=resident.uuid)
        return _households_page(request, resident, form)
    return _households_page(request, resident)


def _membership_of(resident: Resident, household_uuid: uuid.UUID) -> HouseholdMember:
    try:
        return resident.memberships.select_related("household").get(household__uuid=household_uuid)
    except HouseholdMember.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def household_member_add(
    request: HttpRequest, resident_uuid: uuid.UUID, household_uuid: uuid.UUID
) -> HttpResponse:
    """Add someone to one of the resident's households."""
    resident = get_resident_for_ability(request.user, resident_uuid, "manage_household")
    household = _membership_of(resident, household_uuid).household
    form = HouseholdMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la personne à ajouter et son lien avec le foyer."))
        return redirect("residents:households", resident_uuid=resident.uuid)
    member = get_resident_for(request.user, form.cleaned_data["resident"])
    add_household_member(
        household=household,
        resident=member,
        relation=form.cleaned_data["relation"],
        actor=_user(request),
        channel="",
    )
    messages.success(
        request,
        _("%(name)s fait maintenant partie du foyer %(household)s.")
        % {"name": member.display_name, "household": household.name},
    )
    return redirect("residents:households", resident_uuid=resident.uuid)


@login_required
@require_POST
def household_member_remove(
    request: HttpRequest,
    resident_uuid: uuid.UUID,
    household_uuid: uuid.UUID,
    member_uuid: uuid.UUID,
) -> HttpResponse:
    """Take someone (possibly the resident themself) out of one of the resident's households."""
    resident = get_resident_for_ability(request.user, resident_uuid, "manage_household")
    household = _membership_of(resident, household_uuid).household
    try:
        membership = household.members.select_related("resident").get(resident__uuid=member_uuid)
    except HouseholdMember.DoesNotExist as exc:
        raise Http404 from exc
    remove_household_member(
        household=household, resident=membership.resident, actor=_user(request), channel=""
    )
    messages.success(
        request,
        _("%(name)s ne fait plus partie du foyer %(household)s.")
        % {"name": membership.resident.display_name, "household": household.name},
    )
    return redirect("residents:households", resident_uuid=resident.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, resident_uuid: uuid.UUID) -> HttpResponse:
    """Upload a pièce justificative (PDF, JPEG or PNG, checked by content and size)."""
    resident = get_resident_for_ability(request.user, resident_uuid, "add_document")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        add_document(
            resident=resident,
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            valid_until=form.cleaned_data["valid_until"],
            actor=_user(request),
            channel=form.cleaned_data["channel"],
        )
        messages.success(request, _("La pièce a été ajoutée à la fiche."))
        return redirect(resident.get_absolute_url())
    return render(request, "residents/document_add.html", {"form": form, "resident": resident})


@login_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, document_uuid: uuid.UUID) -> FileResponse:
    """Send a document's file to an agent who may open the resident's file."""
    document = get_document_for(request.user, document_uuid)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name or f"{document.kind}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_verify(request: HttpRequest, document_uuid: uuid.UUID) -> HttpResponse:
    """Record that the agent saw the original of the document."""
    document = get_document_for(request.user, document_uuid, ability="verify_document")
    verify_document(document=document, actor=_user(request))
    messages.success(request, _("La pièce est marquée comme vérifiée."))
    return redirect(document.resident.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, resident_uuid: uuid.UUID) -> HttpResponse:
    """Fold a duplicate into this file: choose it, see what moves, confirm."""
    target = get_resident_for_ability(request.user, resident_uuid, "merge")
    duplicate_uuid = request.POST.get("duplicate") or request.GET.get("doublon")
    if not duplicate_uuid:
        return _merge_choose(request, target)
    source = get_resident_for(request.user, duplicate_uuid)
    if source.pk == target.pk:
        raise Http404
    form = MergeForm(request.POST or None, initial={"duplicate": source.uuid})
    if request.method == "POST" and form.is_valid():
        try:
            merge_residents(source=source, target=target, actor=_user(request))
        except MergeNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Le doublon %(name)s a été fusionné dans cette fiche.")
                % {"name": source.display_name},
            )
            return redirect(target.get_absolute_url())
    return render(
        request,
        "residents/merge_confirm.html",
        {
            "resident": target,
            "source": source,
            "form": form,
            "preview": merging.preview(source=source, target=target),
            "swap_url": reverse("residents:merge", kwargs={"resident_uuid": source.uuid})
            + f"?doublon={target.uuid}",
            "can_merge_from_source": abilities(request.user, source)["merge"],
        },
    )


def _merge_choose(request: HttpRequest, target: Resident) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    candidates = find_possible_duplicates(
        first_names=target.first_names,
        usage_name=target.usage_name,
        birth_name=target.birth_name,
        birth_date=target.birth_date,
        email=target.email,
        phone=target.phone,
        exclude=target,
    )
    results = []
    if query:
        results = [
            match.resident
            for match in find_residents(query, limit=SEARCH_RESULTS)
            if match.resident.pk != target.pk
        ]
    return render(
        request,
        "residents/merge_choose.html",
        {"resident": target, "candidates": candidates, "query": query, "results": results},
    )
