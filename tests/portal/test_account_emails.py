"""Account emails go through the notifications outbox: delivered, retried, masked, editable."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse

from guichet.notifications import delivery
from guichet.notifications.actions import update_template
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.loader import load_templates
from guichet.notifications.models import MessageTemplate, Notification
from guichet.notifications.tasks import retry_due_notifications
from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.portal.helpers import link_in, page_text, path_in
from tests.portal.test_views_sign_up import form_data
from tests.smtp import SmtpServer

pytestmark = pytest.mark.django_db

SIGN_UP = "/compte/inscription/"
MAGIC_LINK = "/compte/lien-de-connexion/"


def test_verification_email_reaches_a_real_smtp_server(
    client: Client, on_commit, smtp_server: SmtpServer
) -> None:
    """The confirmation email crosses a real SMTP server, and its link activates the account."""
    with on_commit():
        client.post(SIGN_UP, form_data())
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.SENT

    [message] = smtp_server.messages
    assert message["To"] == "helene.dupont@example.org"
    assert message["Subject"].strip() == "Confirmez votre adresse électronique"
    assert message["Message-ID"] == notification.provider_id
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Bonjour Hélène Marie Dupont," in text
    assert "Ce lien est valable 3 jours." in text
    path = path_in(text, "/compte/verification/")
    assert path in html
    assert "Adresse confirmée" in page_text(client.get(path))
    assert Resident.objects.get().user.is_active


def test_each_account_email_is_a_row_of_the_outbox(client: Client, on_commit) -> None:
    """The email is recorded with its event, recipient, language and the account's holder."""
    with on_commit():
        client.post(SIGN_UP, form_data())
    notification = Notification.objects.get()
    assert notification.event == "account_verify_email"
    assert notification.recipient == "helene.dupont@example.org"
    assert notification.language == "fr"
    assert notification.related_label == "Hélène Marie Dupont"
    assert notification.status == NotificationStatus.SENT
    assert notification.dedupe_key.startswith("account:account_verify_email:")


def test_asking_again_sends_again_but_a_duplicate_delivery_does_not(
    client: Client, resident: Resident, on_commit
) -> None:
    """Each request for a link is a new email; delivering one row twice sends it once."""
    for _attempt in range(2):
        with on_commit():
            client.post(MAGIC_LINK, {"email": "helene@example.org"})
    first, second = Notification.objects.order_by("pk")
    assert first.dedupe_key != second.dedupe_key
    assert len(mail.outbox) == 2
    assert delivery.deliver(first.pk) == delivery.SKIPPED
    assert len(mail.outbox) == 2


def test_mail_server_down_then_the_retry_delivers_a_working_link(client: Client, on_commit) -> None:
    """A failed attempt leaves the email queued; the retry job sends it and the link works."""
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("down"),
        ),
        on_commit(),
    ):
        response = client.post(SIGN_UP, form_data())
    assert response.url == "/compte/inscription/envoye/"
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert not mail.outbox

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=F("created_at"))
    assert retry_due_notifications() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    [message] = mail.outbox
    assert "Adresse confirmée" in page_text(client.get(link_in(message, "/compte/verification/")))


def test_supervisors_see_account_emails_without_their_links(
    client: Client, resident: Resident, supervisor: Agent, on_commit
) -> None:
    """The outbox shows that a sign-in link was sent, never the link itself."""
    with on_commit():
        client.post(MAGIC_LINK, {"email": "helene@example.org"})
    [message] = mail.outbox
    path = link_in(message, MAGIC_LINK)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    notification = Notification.objects.get()

    client.force_login(supervisor.user)
    outbox = page_text(client.get(reverse("notifications:outbox")))
    assert "helene@example.org" in outbox
    detail = page_text(client.get(notification.get_absolute_url()))
    assert "Votre lien de connexion au guichet en ligne" in detail
    assert "[lien masqué]" in detail
    assert token not in detail
    assert path not in detail


def test_the_resident_language_wins_over_the_page(
    client: Client, resident: Resident, on_commit
) -> None:
    """A resident who prefers English gets the email in English, even from the French site."""
    Resident.objects.filter(pk=resident.pk).update(preferred_language="en")
    with on_commit():
        client.post(MAGIC_LINK, {"email": "helene@example.org"})
    [message] = mail.outbox
    assert message.subject == "Your sign-in link to the online desk"
    assert "This link is valid for 15 minutes." in message.body
    assert Notification.objects.get().language == "en"


def test_without_a_resident_file_the_page_language_is_used(
    client: Client, reception_agent: Agent, on_commit
) -> None:
    """An agent resetting their password on the English site is written to in English."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with on_commit():
        client.post("/compte/mot-de-passe/oublie/", {"email": reception_agent.user.email})
    [message] = mail.outbox
    assert message.subject == "Choose a new password"
    assert "This link is valid for 3 days." in message.body


def test_a_template_edited_by_a_supervisor_is_used(
    client: Client, resident: Resident, supervisor: Agent, on_commit
) -> None:
    """Account emails use the texts supervisors edit, like every other message."""
    assert load_templates().ok
    template = MessageTemplate.objects.get(
        event="account_magic_link", channel="email", language="fr"
    )
    update_template(
        template,
        actor=supervisor.user,
        subject="Connexion à votre espace",
        body="Bonjour {{ resident_name }}, ouvrez ce lien : {{ link }} ({{ valid_for }}).",
        is_active=True,
    )
    with on_commit():
        client.post(MAGIC_LINK, {"email": "helene@example.org"})
    [message] = mail.outbox
    assert message.subject == "Connexion à votre espace"
    assert "(15 minutes)" in message.body
    client.get(link_in(message, MAGIC_LINK))
    assert "Me connecter" in page_text(client.get("/compte/lien-de-connexion/connexion/"))
