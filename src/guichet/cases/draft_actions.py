"""Drafts: a request being filled in, saved as the resident types, then submitted once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.cases.actions import Filing, file_case
from guichet.cases.models import CaseDraft, FormVersion
from guichet.organisation.models import Site, User
from guichet.residents.models import Resident


def submit_draft(*, draft: CaseDraft, data: dict[str, Any], actor: User) -> Filing:
    """File the case of a completed draft (idempotent: the draft's key files it once)."""
    with transaction.atomic():
        # Two submissions of the same draft (double click, two tabs) wait here for each other.
        locked = CaseDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.submitted_case_id is not None:
            assert locked.submitted_case is not None
            return Filing(locked.submitted_case, created=False)
        form_version = locked.form_version
        filing = file_case(
            case_form=form_version.form,
            resident=locked.resident,
            data=data,
            actor=actor,
            channel=locked.channel,
            form_version=form_version,
            site=locked.site,
            submission_key=locked.submission_key,
            profile_updates=locked.profile_updates,
        )
        locked.submitted_case = filing.case
        locked.data = data
        locked.updated_at = timezone.now()
        locked.save(update_fields=["submitted_case", "data", "updated_at"])
    return filing


def start_draft(
    *,
    form_version: FormVersion,
    resident: Resident,
    owner: User,
    channel: str,
    site: Site | None = None,
    data: dict[str, Any] | None = None,
) -> CaseDraft:
    """Start filling in a form for ``resident`` (by the resident, or an agent on their behalf)."""
    return CaseDraft.objects.create(
        form_version=form_version,
        resident=resident,
        owner=owner,
        channel=channel,
        site=site,
        data=data or {},
    )


def save_draft(
    *,
    draft: CaseDraft,
    answers: dict[str, Any],
    page_key: str = "",
    profile_updates: dict[str, Any] | None = None,
) -> CaseDraft:
    """Merge a page's answers into the draft (autosave and "next page" both call this)."""
    with transaction.atomic():
        # Autosave requests may overlap: each merges into the latest saved answers.
        locked = CaseDraft.objects.select_for_update().get(pk=draft.pk)
        locked.data = {**locked.data, **answers}
        if page_key:
            locked.page_key = page_key
        if profile_updates is not None:
            locked.profile_updates = profile_updates
        locked.updated_at = timezone.now()
        locked.save(update_fields=["data", "page_key", "profile_updates", "updated_at"])
    return locked


def delete_draft(*, draft: CaseDraft) -> None:
    draft.delete()
