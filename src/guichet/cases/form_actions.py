"""Changes to online forms: a procedure's case form, its settings and its published versions.

The shipped-forms loader (``forms_loader``), the back-office form builder and the demo all go
through these functions. A published ``FormVersion`` is never changed: publishing always adds
the next version, and the cases filed with an earlier one keep it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guichet.cases.models import CaseForm, FormVersion
from guichet.catalogue.models import Procedure
from guichet.organisation.models import User

# What the settings actions may change; ``edited_in_back_office`` is set by the builder when a
# supervisor publishes, and cleared by a forced load of the shipped file.
CASE_FORM_SETTINGS = frozenset(
    {
        "is_online",
        "routing_department",
        "commitment_days",
        "acknowledge_automatically",
        "edited_in_back_office",
    }
)


def _check_settings(settings: dict[str, Any]) -> None:
    unknown = set(settings) - CASE_FORM_SETTINGS
    if unknown:
        raise TypeError(f"Unknown case form settings: {', '.join(sorted(unknown))}")


def get_or_create_case_form(procedure: Procedure, **settings: Any) -> tuple[CaseForm, bool]:
    """Return the procedure's case form and whether it was created (with ``settings``).

    The row is locked until the caller's transaction ends (call it inside one), so that the
    caller can compare and publish without another writer slipping in between.
    """
    _check_settings(settings)
    with transaction.atomic():
        # get_or_create retries the lookup if a concurrent transaction created the form first.
        form, created = CaseForm.objects.select_for_update().get_or_create(
            procedure=procedure, defaults=settings
        )
    return form, created


def update_case_form(form: CaseForm, **settings: Any) -> bool:
    """Set the given settings of ``form``, save those that changed, and return whether any did."""
    _check_settings(settings)
    changed = [name for name, value in settings.items() if getattr(form, name) != value]
    if changed:
        for name in changed:
            setattr(form, name, settings[name])
        with transaction.atomic():
            form.save(update_fields=changed)
    return bool(changed)


def publish_form_version(
    *, form: CaseForm, definition: dict[str, Any], actor: User | None, comment: str
) -> FormVersion:
    """Publish ``definition`` (canonical, checked by the caller) as the form's next version.

    ``actor`` is the supervisor who published it, or None for a load of the shipped files.
    """
    with transaction.atomic():
        # Two publishers of the same form (a supervisor in the builder and a `load-forms` run,
        # or two supervisors) would both read the same last number and both insert the next
        # one: the second would hit the unique (form, number) constraint and lose its work.
        # Locking the form row makes the second wait and number after the first.
        CaseForm.objects.select_for_update().only("pk").get(pk=form.pk)
        last = form.versions.order_by("-number").values_list("number", flat=True).first()
        return FormVersion.objects.create(
            form=form,
            number=(last or 0) + 1,
            definition=definition,
            published_by=actor,
            comment=comment,
        )
