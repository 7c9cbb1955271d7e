"""Loading the default templates: idempotent, keeps supervisors' edits, reports bad entries."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.notifications.actions import restore_default_template, update_template
from guichet.notifications.choices import TemplateChangeSource
from guichet.notifications.loader import load_templates
from guichet.notifications.message_templates import shipped_templates
from guichet.notifications.models import MessageTemplate, MessageTemplateRevision
from guichet.organisation.models import Agent

pytestmark = pytest.mark.django_db


def french_acknowledgement() -> MessageTemplate:
    return MessageTemplate.objects.get(event="case_received", channel="email", language="fr")


def test_first_load_creates_every_template_with_a_revision() -> None:
    """Every shipped template is created, with a first revision from the load."""
    report = load_templates()
    assert report.ok
    assert report.counts["created"] == len(shipped_templates()) == MessageTemplate.objects.count()
    assert MessageTemplateRevision.objects.filter(source=TemplateChangeSource.LOAD).count() == len(
        shipped_templates()
    )


def test_second_load_changes_nothing() -> None:
    """Loading again writes nothing."""
    load_templates()
    report = load_templates()
    assert report.counts["unchanged"] == len(shipped_templates())
    assert MessageTemplateRevision.objects.count() == len(shipped_templates())


def test_supervisor_edit_is_kept_unless_overwrite_is_asked(supervisor: Agent) -> None:
    """An edited template survives a load; --overwrite-edits puts the file's text back."""
    load_templates()
    template = french_acknowledgement()
    update_template(
        template,
        actor=supervisor.user,
        subject="Reçu {{ reference }}",
        body="Merci.",
        is_active=True,
    )
    assert load_templates().counts["kept"] == 1
    template.refresh_from_db()
    assert template.subject == "Reçu {{ reference }}"
    assert template.is_edited

    assert load_templates(overwrite_edits=True).counts["updated"] == 1
    template.refresh_from_db()
    assert template.subject == "Votre demande {{ reference }} a bien été reçue"
    assert not template.is_edited


def test_changed_file_updates_unedited_templates(tmp_path: Path) -> None:
    """A new version of the file updates the templates nobody edited."""
    load_templates()
    path = tmp_path / "templates.yaml"
    path.write_text(
        "case_received:\n  email:\n    fr:\n      subject: Nouveau {{ reference }}\n"
        "      body: Texte\n",
        encoding="utf-8",
    )
    report = load_templates(path)
    assert report.counts["updated"] == 1
    assert french_acknowledgement().subject == "Nouveau {{ reference }}"


def test_invalid_entries_are_reported_and_valid_ones_loaded(tmp_path: Path) -> None:
    """Bad entries are named with the reason; the good ones are still loaded."""
    path = tmp_path / "templates.yaml"
    path.write_text(
        """
case_received:
  email:
    fr:
      subject: Bon {{ reference }}
      body: Texte
    en:
      body: No subject
    de:
      subject: S
      body: B
  sms:
    fr:
      body: "{% if reference %}jamais fermé"
  fax:
    fr:
      body: x
case_overdue:
  sms:
    fr:
      body: x
case_exploded:
  email: {}
""",
        encoding="utf-8",
    )
    report = load_templates(path)
    assert report.counts["created"] == 1
    errors = "\n".join(report.errors)
    assert "case_received/email/en : un courriel doit avoir un objet" in errors
    assert "case_received/email/de : langue inconnue" in errors
    assert "case_received/sms/fr : Erreur à la ligne 1" in errors
    assert "case_received/fax : cet événement n'est pas envoyé sur ce canal" in errors
    assert "case_overdue/sms : cet événement n'est pas envoyé sur ce canal" in errors
    assert "case_exploded : événement inconnu" in errors


def test_command_reports_and_fails_on_invalid_entries(tmp_path: Path) -> None:
    """The command prints its summary and fails (for scripts) when entries were skipped."""
    out = StringIO()
    call_command("load_notification_templates", stdout=out)
    assert f"{len(shipped_templates())} créés" in out.getvalue()
    path = tmp_path / "bad.yaml"
    path.write_text("case_exploded: {}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 modèle invalide"):
        call_command("load_notification_templates", file=path, stdout=StringIO())


def test_restore_default_text(supervisor: Agent) -> None:
    """Restoring puts back the shipped text and clears the edited flag, with a revision."""
    load_templates()
    template = french_acknowledgement()
    update_template(template, actor=supervisor.user, subject="S", body="B", is_active=False)
    restore_default_template(template, actor=supervisor.user)
    template.refresh_from_db()
    assert template.subject == "Votre demande {{ reference }} a bien été reçue"
    assert template.is_active and not template.is_edited
    assert list(template.revisions.values_list("source", flat=True)) == [
        TemplateChangeSource.RESTORE,
        TemplateChangeSource.EDITOR,
        TemplateChangeSource.LOAD,
    ]
