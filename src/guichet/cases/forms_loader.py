"""Load the shipped online forms (``content/forms/<slug>.yaml``, docs/forms.md).

Each file is read, checked with ``parse_definition`` and matched to its procedure by slug. The
procedure's case form is created if needed, its settings are set from the file, and a new
version is published only when the file's canonical definition differs from the current one, so
loading twice changes nothing. A form a supervisor edited in the back office is left alone unless
``force`` is given. Each file is loaded in its own transaction; a bad file is reported with its
name and the reasons, and the others are loaded all the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.cases.form_actions import (
    get_or_create_case_form,
    publish_form_version,
    update_case_form,
)
from guichet.cases.form_definition import DefinitionError, definition_to_dict, parse_definition
from guichet.catalogue.models import Procedure
from guichet.organisation.models import Department

DEFAULT_FORMS_DIR = Path(__file__).resolve().parent / "content" / "forms"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CREATED = "created"
NEW_VERSION = "new_version"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
ERROR = "error"


class _Writer(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class FormFileError:
    """A file that was not loaded: its name and every reason, in French."""

    file: str
    messages: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.file} : " + " ; ".join(self.messages)


@dataclass
class LoadReport:
    """What a load did: file names by outcome, and the files that could not be loaded."""

    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Forms edited in the back office, left as the supervisors made them.
    skipped: list[str] = field(default_factory=list)
    errors: list[FormFileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """Return the load's outcome in French: the counts, then the skipped and failed files."""
        created, published = len(self.created), len(self.new_versions)
        unchanged, skipped = len(self.unchanged), len(self.skipped)
        counts = [
            ngettext("%(count)d formulaire créé", "%(count)d formulaires créés", created)
            % {"count": created},
            ngettext(
                "%(count)d nouvelle version publiée",
                "%(count)d nouvelles versions publiées",
                published,
            )
            % {"count": published},
            ngettext("%(count)d inchangé", "%(count)d inchangés", unchanged) % {"count": unchanged},
            ngettext("%(count)d ignoré", "%(count)d ignorés", skipped) % {"count": skipped},
        ]
        lines = [_("Formulaires : %(counts)s") % {"counts": ", ".join(counts)}]
        if self.skipped:
            lines.append(
                _(
                    "Modifiés dans le back-office, non remplacés (--force pour les remplacer) : "
                    "%(files)s"
                )
                % {"files": ", ".join(self.skipped)}
            )
        if self.errors:
            count = len(self.errors)
            lines.append(
                ngettext("%(count)d fichier en erreur :", "%(count)d fichiers en erreur :", count)
                % {"count": count}
            )
            for error in self.errors:
                lines.append(f"  {error.file} :")
                lines.extend(f"    - {message}" for message in error.messages)
        return "\n".join(lines)


class _InvalidFile(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def load_forms(
    directory: Path | None = None, *, force: bool = False, stdout: _Writer | None = None
) -> LoadReport:
    """Load every ``*.yaml`` form of ``directory`` (the shipped forms by default).

    With ``force``, forms edited in the back office are replaced by the file's definition too.
    Each file's outcome is written to ``stdout`` when one is given.
    """
    directory = DEFAULT_FORMS_DIR if directory is None else directory
    report = LoadReport()
    for path in sorted(directory.glob("*.yaml")):
        try:
            outcome = _load_file(path, force=force)
        except _InvalidFile as exc:
            report.errors.append(FormFileError(path.name, tuple(exc.messages)))
            outcome = ERROR
        else:
            files = {
                CREATED: report.created,
                NEW_VERSION: report.new_versions,
                UNCHANGED: report.unchanged,
                SKIPPED: report.skipped,
            }
            files[outcome].append(path.name)
        if stdout is not None:
            stdout.write(f"{path.name} : {_outcome_label(outcome)}\n")
    return report


def _outcome_label(outcome: str) -> str:
    labels = {
        CREATED: _("créé"),
        NEW_VERSION: _("nouvelle version publiée"),
        UNCHANGED: _("inchangé"),
        SKIPPED: _("modifié dans le back-office, ignoré"),
        ERROR: _("erreur"),
    }
    return labels[outcome]


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except UnicodeDecodeError as exc:
        raise _InvalidFile([_("le fichier n'est pas encodé en UTF-8")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if mark is not None:
            message = _("YAML invalide à la ligne %(line)d : %(problem)s") % {
                "line": mark.line + 1,
                "problem": problem,
            }
        else:
            message = _("YAML invalide : %(problem)s") % {"problem": problem}
        raise _InvalidFile([message]) from exc


def _load_file(path: Path, *, force: bool) -> str:
    try:
        definition = parse_definition(_read(path))
    except DefinitionError as exc:
        raise _InvalidFile(exc.messages) from exc
    slug = definition.procedure
    if path.stem != slug:
        raise _InvalidFile(
            [
                _("le fichier doit s'appeler « %(expected)s.yaml », du nom de sa démarche")
                % {"expected": slug}
            ]
        )
    procedure = Procedure.objects.filter(slug=slug).first()
    if procedure is None:
        raise _InvalidFile(
            [_("démarche inconnue « %(slug)s » : chargez d'abord le catalogue") % {"slug": slug}]
        )
    department = None
    if definition.settings.department:
        department = Department.objects.filter(slug=definition.settings.department).first()
        if department is None:
            raise _InvalidFile(
                [
                    _("service inconnu « %(slug)s » dans settings.department")
                    % {"slug": definition.settings.department}
                ]
            )
    informed = {slug for _value, slug in definition.settings.inform_departments}
    unknown = sorted(
        informed - set(Department.objects.filter(slug__in=informed).values_list("slug", flat=True))
    )
    if unknown:
        raise _InvalidFile(
            [_("service inconnu « %(slug)s » dans settings.inform") % {"slug": ", ".join(unknown)}]
        )
    settings = {
        "routing_department": department,
        "commitment_days": definition.settings.commitment_days,
        "acknowledge_automatically": definition.settings.acknowledge,
    }
    canonical = definition_to_dict(definition)
    with transaction.atomic():
        form, created = get_or_create_case_form(procedure, **settings)
        if form.edited_in_back_office and not force:
            return SKIPPED
        update_case_form(form, **settings, edited_in_back_office=False)
        current = form.current_version()
        if current is not None and current.definition == canonical:
            return UNCHANGED
        publish_form_version(
            form=form,
            definition=canonical,
            actor=None,
            comment=_("Chargé depuis le fichier %(file)s") % {"file": path.name},
        )
    return CREATED if created else NEW_VERSION
