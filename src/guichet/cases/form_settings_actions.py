"""Changes supervisors make to a form in the back office: its case settings, and publishing the
builder's working copy (which marks the form as edited there, so that a later load of the shipped
file leaves it alone).

There is no history table for settings: each change is written to the ``guichet.cases`` log
with who made it, and the publishing of a version is its own record (``FormVersion``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.cases.form_actions import publish_form_version, update_case_form
from guichet.cases.models import CaseForm, FormVersion
from guichet.organisation.models import User

logger = logging.getLogger("guichet.cases")

SETTING_LABELS = {
    "is_online": gettext_lazy("demande en ligne ouverte"),
    "routing_department": gettext_lazy("service destinataire"),
    "commitment_days": gettext_lazy("délai d'engagement"),
    "acknowledge_automatically": gettext_lazy("accusé de réception automatique"),
}


@dataclass(frozen=True)
class SettingChange:
    """One setting that changed, in words a supervisor reads."""

    name: str
    label: str
    before: str
    after: str


class WorkingCopyOutdated(Exception):
    """Another version was published since the working copy was started from ``expected``."""

    def __init__(self, current: FormVersion | None) -> None:
        super().__init__(f"current version is {current.number if current else 0}")
        self.current = current


def _display(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if value is None:
        return _("celui de la démarche")
    if name == "commitment_days":
        return ngettext("%(days)d jour ouvré", "%(days)d jours ouvrés", value) % {"days": value}
    return str(value)


def change_form_settings(
    form: CaseForm, *, actor: User, settings: dict[str, Any]
) -> list[SettingChange]:
    """Set the form's case settings, log who changed what, and return what changed."""
    unknown = set(settings) - set(SETTING_LABELS)
    if unknown:
        raise TypeError(f"Not a setting supervisors change: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Two supervisors saving at once: the second reads the first one's values before
        # comparing, so each logs only what it really changed.
        locked = (
            CaseForm.objects.select_for_update(of=("self",))
            .select_related("routing_department")
            .get(pk=form.pk)
        )
        changes = [
            SettingChange(
                name=name,
                label=str(SETTING_LABELS[name]),
                before=_display(name, getattr(locked, name)),
                after=_display(name, value),
            )
            for name, value in settings.items()
            if getattr(locked, name) != value
        ]
        update_case_form(locked, **settings)
    for name in settings:
        setattr(form, name, getattr(locked, name))
    for change in changes:
        logger.info(
            "Form settings of %s changed by %s: %s %r -> %r",
            form.procedure.slug,
            actor.username,
            change.name,
            change.before,
            change.after,
        )
    return changes


def publish_from_back_office(
    form: CaseForm,
    *,
    definition: dict[str, Any],
    actor: User,
    comment: str,
    based_on: int,
) -> FormVersion:
    """Publish the builder's working copy, started from version ``based_on`` (0: none).

    Raise WorkingCopyOutdated when another version was published meanwhile: publishing would
    silently undo the other supervisor's changes.
    """
    with transaction.atomic():
        # Held until commit: a concurrent publisher waits, then sees this version and refuses.
        locked = CaseForm.objects.select_for_update().get(pk=form.pk)
        current = locked.current_version()
        if (current.number if current else 0) != based_on:
            raise WorkingCopyOutdated(current)
        version = publish_form_version(
            form=locked, definition=definition, actor=actor, comment=comment
        )
        update_case_form(locked, edited_in_back_office=True)
    form.edited_in_back_office = True
    logger.info(
        "Form of %s: version %d published by %s",
        form.procedure.slug,
        version.number,
        actor.username,
    )
    return version
