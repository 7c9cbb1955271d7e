"""Template editing screens: permissions, preview, syntax errors, saving, history, restore."""

import pytest
from django.test import Client
from django.urls import reverse

from guichet.notifications.actions import update_template
from guichet.notifications.choices import TemplateChangeSource
from guichet.notifications.models import MessageTemplate
from guichet.organisation.models import Agent
from tests.conftest import PERSONAS, PersonaClient

pytestmark = pytest.mark.django_db

SUPERVISORS = {"supervisor", "admin_agent"}


def acknowledgement(channel: str = "email") -> MessageTemplate:
    return MessageTemplate.objects.get(event="case_received", channel=channel, language="fr")


def edit_url(template: MessageTemplate) -> str:
    return reverse("notifications:template_edit", args=[template.pk])


def form_data(template: MessageTemplate, **values: str) -> dict[str, str]:
    data = {
        "subject": template.subject,
        "body": template.body,
        "is_active": "on",
        "comment": "",
        "version": template.updated_at.isoformat(),
        "action": "save",
    }
    data.update(values)
    return data


@pytest.fixture
def supervisor_client(client: Client, supervisor: Agent, templates: None) -> Client:
    client.force_login(supervisor.user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_template_pages_are_for_supervisors(
    persona_client: PersonaClient, persona: str, templates: None
) -> None:
    """Supervisors and administrators edit templates; other agents and residents get 404."""
    template = acknowledgement()
    client = persona_client.as_(persona)
    for url in (
        reverse("notifications:templates"),
        edit_url(template),
        reverse("notifications:template_history", args=[template.pk]),
    ):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == (200 if persona in SUPERVISORS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_supervisors_save(
    persona_client: PersonaClient, persona: str, templates: None
) -> None:
    """A POST by anyone else changes nothing and answers 404 (anonymous: login)."""
    template = acknowledgement()
    response = persona_client.as_(persona).post(
        edit_url(template), form_data(template, body="Modifié")
    )
    assert response.status_code == (302 if persona in SUPERVISORS | {"anonymous"} else 404)
    template.refresh_from_db()
    assert (template.body == "Modifié") == (persona in SUPERVISORS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_supervisors_restore(
    persona_client: PersonaClient, persona: str, templates: None, supervisor: Agent
) -> None:
    """Restoring the default text is refused (404) to anyone but supervisors."""
    template = acknowledgement()
    update_template(template, actor=supervisor.user, subject="S", body="B", is_active=True)
    response = persona_client.as_(persona).post(
        reverse("notifications:template_restore", args=[template.pk])
    )
    assert response.status_code == (302 if persona in SUPERVISORS | {"anonymous"} else 404)
    template.refresh_from_db()
    assert template.is_edited == (persona not in SUPERVISORS)


def test_unknown_template_is_404(supervisor_client: Client) -> None:
    """A template id that matches nothing answers 404."""
    assert (
        supervisor_client.get(reverse("notifications:template_edit", args=[999999])).status_code
        == 404
    )


def test_list_groups_templates_by_event(supervisor_client: Client) -> None:
    """The list shows each event with its channels and languages."""
    html = supervisor_client.get(reverse("notifications:templates")).content.decode()
    assert "Accusé de réception d&#x27;une demande" in html
    assert edit_url(acknowledgement()) in html
    assert "pas encore chargé" not in html


def test_list_tells_when_defaults_are_not_loaded(client: Client, supervisor: Agent) -> None:
    """Without the load command, the list says which command to run."""
    client.force_login(supervisor.user)
    html = client.get(reverse("notifications:templates")).content.decode()
    assert "guichet load-notification-templates" in html


def test_edit_page_previews_the_saved_text(supervisor_client: Client) -> None:
    """The edit page shows the variables and a preview with example values."""
    html = supervisor_client.get(edit_url(acknowledgement())).content.decode()
    assert "{{ tracking_url }}" in html
    assert "Aperçu avec des valeurs d'exemple" in html
    assert "Votre demande DEM-2025-00042 a bien été reçue" in html
    assert '<a href="https://guichet.ville.example/suivi/K7M2P9QX">' in html


def test_preview_renders_the_typed_text_without_saving(supervisor_client: Client) -> None:
    """« Aperçu » renders what was typed and saves nothing."""
    template = acknowledgement()
    response = supervisor_client.post(
        edit_url(template),
        form_data(
            template,
            subject="Reçu : {{ reference }}",
            body="Merci {{ resident_name }} !",
            action="preview",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reçu : DEM-2025-00042" in html
    assert "Merci Hélène Dupont !" in html
    assert "Merci {{ resident_name }} !</textarea>" in html
    template.refresh_from_db()
    assert template.subject == "Votre demande {{ reference }} a bien été reçue"


def test_syntax_error_is_explained_in_french_and_the_text_kept(supervisor_client: Client) -> None:
    """A template error is shown in French, tied to the field, with the typed text kept."""
    template = acknowledgement()
    body = "Bonjour\n\n{% if tracking_url %}Suivi : {{ tracking_url }}"
    response = supervisor_client.post(edit_url(template), form_data(template, body=body))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in html
    assert "Erreur à la ligne 3 : la balise {% if %} n&#x27;est pas fermée" in html
    assert 'aria-describedby="id_body_error' in html or 'aria-invalid="true"' in html
    assert "{% if tracking_url %}Suivi : {{ tracking_url }}</textarea>" in html
    template.refresh_from_db()
    assert "{% if tracking_url %}" in template.body and "{% endif %}" in template.body


def test_unknown_variable_is_refused_with_the_list(supervisor_client: Client) -> None:
    """A variable the event does not know is refused, naming the available ones."""
    template = acknowledgement()
    response = supervisor_client.post(
        edit_url(template), form_data(template, subject="{{ motif }}")
    )
    html = response.content.decode()
    assert "Variable inconnue pour ce message : {{ motif }}" in html
    assert 'value="{{ motif }}"' in html


def test_save_records_a_revision_and_marks_the_template_edited(
    supervisor_client: Client, supervisor: Agent
) -> None:
    """Saving stores the text, the edited flag and a revision with the actor and comment."""
    template = acknowledgement()
    response = supervisor_client.post(
        edit_url(template),
        form_data(template, body="Merci {{ resident_name }}.", comment="Plus court"),
        follow=True,
    )
    assert "Modèle enregistré." in response.content.decode()
    template.refresh_from_db()
    assert template.body == "Merci {{ resident_name }}."
    assert template.is_edited and template.updated_by == supervisor.user
    revision = template.revisions.first()
    assert revision is not None
    assert (revision.source, revision.actor, revision.comment) == (
        TemplateChangeSource.EDITOR,
        supervisor.user,
        "Plus court",
    )
    history = supervisor_client.get(reverse("notifications:template_history", args=[template.pk]))
    assert "Plus court" in history.content.decode()


def test_saving_without_change_says_so(supervisor_client: Client) -> None:
    """Submitting the same text records nothing."""
    template = acknowledgement()
    response = supervisor_client.post(edit_url(template), form_data(template), follow=True)
    assert "Aucune modification à enregistrer." in response.content.decode()
    assert template.revisions.count() == 1


def test_deactivating_a_template(supervisor_client: Client) -> None:
    """Unticking « Envoyer ce message » switches the template off."""
    template = acknowledgement()
    data = form_data(template)
    del data["is_active"]
    supervisor_client.post(edit_url(template), data)
    template.refresh_from_db()
    assert not template.is_active


def test_concurrent_edit_is_detected_and_the_text_kept(
    supervisor_client: Client, admin_agent: Agent
) -> None:
    """Someone saved meanwhile: the error names them and the typed text is kept."""
    template = acknowledgement()
    stale = form_data(template, body="Ma version")
    update_template(
        template, actor=admin_agent.user, subject=template.subject, body="Autre", is_active=True
    )
    response = supervisor_client.post(edit_url(template), stale)
    html = response.content.decode()
    assert "a été modifié par" in html
    assert "Ma version</textarea>" in html
    template.refresh_from_db()
    assert template.body == "Autre"


def test_sms_template_has_no_subject_and_counts_characters(supervisor_client: Client) -> None:
    """The SMS form has no subject; its preview counts characters and warns when too long."""
    template = acknowledgement("sms")
    response = supervisor_client.get(edit_url(template))
    html = response.content.decode()
    assert 'name="subject"' not in html
    assert "soit 1 SMS" in html
    long_text = "Ville de {{ city }} : " + "être " * 40
    response = supervisor_client.post(
        edit_url(template),
        {
            "body": long_text,
            "is_active": "on",
            "version": template.updated_at.isoformat(),
            "action": "preview",
        },
    )
    html = response.content.decode()
    assert "soit 4 SMS" in html
    assert "Ces caractères ne font pas partie de l'alphabet des SMS : ê" in html
    assert "plusieurs SMS" in html


def test_restore_default_text(supervisor_client: Client, supervisor: Agent) -> None:
    """« Rétablir le texte par défaut » puts back the shipped text."""
    template = acknowledgement()
    supervisor_client.post(edit_url(template), form_data(template, body="Autre texte"))
    html = supervisor_client.get(edit_url(template)).content.decode()
    assert "Rétablir le texte par défaut" in html
    response = supervisor_client.post(
        reverse("notifications:template_restore", args=[template.pk]), follow=True
    )
    assert "Le texte par défaut est rétabli." in response.content.decode()
    template.refresh_from_db()
    assert not template.is_edited
    assert template.body.startswith("Bonjour{% if resident_name %}")
