"""Load the default message templates (content/templates.yaml, or another file) into the database.

Idempotent: a template is created when missing, updated when the file changed, left alone when
it did not — and kept when a supervisor edited it, unless ``overwrite_edits`` is set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.notifications.actions import load_default_template
from guichet.notifications.message_templates import read_templates_file


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        created, updated = self.counts["created"], self.counts["updated"]
        unchanged, kept = self.counts["unchanged"], self.counts["kept"]
        parts = [
            ngettext("%(count)d créé", "%(count)d créés", created) % {"count": created},
            ngettext("%(count)d mis à jour", "%(count)d mis à jour", updated) % {"count": updated},
            ngettext("%(count)d inchangé", "%(count)d inchangés", unchanged) % {"count": unchanged},
            ngettext(
                "%(count)d modifié par un superviseur et conservé",
                "%(count)d modifiés par un superviseur et conservés",
                kept,
            )
            % {"count": kept},
        ]
        lines = [_("Modèles de messages : %(parts)s.") % {"parts": ", ".join(parts)}]
        lines.extend(self.errors)
        return "\n".join(lines)


def load_templates(path: Path | None = None, *, overwrite_edits: bool = False) -> LoadReport:
    """Load the templates of ``path`` (default: the shipped file); report what was done."""
    parsed = read_templates_file(path)
    report = LoadReport(errors=parsed.errors)
    for text in parsed.templates.values():
        report.counts[load_default_template(text, overwrite_edits=overwrite_edits)] += 1
    return report
