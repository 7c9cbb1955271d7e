import pytest
from playwright.sync_api import Page, expect

from guichet.notifications.choices import NotificationStatus
from guichet.notifications.loader import load_templates
from guichet.notifications.models import MessageTemplate
from tests.browser.conftest import assert_accessible, log_in
from tests.notifications.factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNCLOSED = "Bonjour {{ resident_name }},\n\n{% if tracking_url %}Suivi : {{ tracking_url }}"


def test_supervisor_edits_a_template_with_preview(page: Page, live_server, supervisor) -> None:
    """The supervisor opens a template, fixes a syntax error, previews and saves the text."""
    load_templates()
    NotificationFactory(status=NotificationStatus.FAILED, last_error="SMTPDataError: 451")
    NotificationFactory(status=NotificationStatus.SENT)
    log_in(page, live_server.url, "elise", "motdepasse-test")
    page.goto(f"{live_server.url}/agents/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications envoyées")
    expect(page.get_by_role("link", name="1 envoi en échec")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1 envoi en échec").click()
    page.get_by_role("link", name="Détail").click()
    expect(page.get_by_text("SMTPDataError: 451").first).to_be_visible()
    expect(page.get_by_role("button", name="Renvoyer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Retour aux notifications").click()

    page.get_by_role("link", name="Modifier les modèles de messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de messages")
    assert_accessible(page)
    table = page.get_by_role(
        "table", name="Modèles du message « Accusé de réception d'une demande »"
    )
    table.get_by_role("link", name="Courriel — Français — modifier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accusé de réception")
    expect(page.get_by_role("region", name="Aperçu avec des valeurs d'exemple")).to_contain_text(
        "Votre demande DEM-2025-00042 a bien été reçue"
    )
    assert_accessible(page)

    page.get_by_label("Texte du message").fill(UNCLOSED)
    page.get_by_role("button", name="Aperçu").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le formulaire contient des erreurs")
    expect(alert).to_contain_text("la balise {% if %} n'est pas fermée : ajoutez {% endif %}")
    expect(page.get_by_label("Texte du message")).to_have_value(UNCLOSED)
    assert_accessible(page)

    page.get_by_label("Texte du message").fill(UNCLOSED + "{% endif %}")
    page.get_by_role("button", name="Aperçu").click()
    preview = page.get_by_role("region", name="Aperçu avec des valeurs d'exemple")
    expect(preview).to_contain_text("Bonjour Hélène Dupont,")
    expect(
        preview.get_by_role("link", name="https://guichet.ville.example/suivi/K7M2P9QX")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Motif de la modification").fill("Texte plus court")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").filter(has_text="Modèle enregistré.")).to_be_visible()
    assert_accessible(page)
    template = MessageTemplate.objects.get(event="case_received", channel="email", language="fr")
    assert template.body.endswith("{{ tracking_url }}{% endif %}")
    assert template.is_edited

    page.get_by_role("link", name="Historique des versions").click()
    expect(page.get_by_text("Texte plus court")).to_be_visible()
    assert_accessible(page)
