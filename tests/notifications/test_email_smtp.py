"""Emails through a real SMTP server on 127.0.0.1: the message as received, refusals, retries."""

import pytest
from django.db.models import F
from pytest_django.fixtures import Settings

from guichet.notifications import delivery
from guichet.notifications.actions import notify_resident
from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification
from tests.factories import ResidentFactory
from tests.smtp import SmtpServer, free_port

pytestmark = pytest.mark.django_db


def queue_acknowledgement(reference: str = "DEM-2025-00042") -> Notification:
    resident = ResidentFactory(
        first_names="Hélène", usage_name="Dupont <b>", email="helene@example.org"
    )
    (notification,) = notify_resident(
        resident=resident,
        event="case_received",
        context={
            "reference": reference,
            "procedure": "Inscription scolaire",
            "tracking_url": "https://guichet.example.fr/suivi/K7M2P9QX?a=1&b=2",
        },
        dedupe_key=f"case:{reference}:received",
        related_label=reference,
    )
    return notification


def make_due(notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=F("created_at"))


def test_email_is_received_with_text_html_and_headers(
    smtp_server: SmtpServer, settings: Settings, django_capture_on_commit_callbacks: object
) -> None:
    """The SMTP server receives one multipart email: subject, text and HTML parts, headers."""
    settings.DEFAULT_FROM_EMAIL = "Ville de Créteil <guichet@ville.example>"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        notification = queue_acknowledgement()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT

    (message,) = smtp_server.messages
    # Python's mail library folds an encoded subject onto a second line; unfolding leaves the
    # leading space, which mail clients ignore.
    assert message["Subject"].strip() == "Votre demande DEM-2025-00042 a bien été reçue"
    assert message["To"] == "helene@example.org"
    assert "guichet@ville.example" in message["From"]
    assert message["Message-ID"] == f"<notification-{notification.uuid}@ville.example>"
    assert notification.provider_id == message["Message-ID"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "fr"
    assert smtp_server.envelopes == [("guichet@ville.example", ["helene@example.org"])]

    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    text_content = text.get_content()
    html_content = html.get_content()
    assert text_content.startswith("Bonjour Hélène Dupont <b>,")
    assert "https://guichet.example.fr/suivi/K7M2P9QX?a=1&b=2" in text_content
    assert '<html lang="fr">' in html_content
    assert "<p>Bonjour Hélène Dupont &lt;b&gt;,</p>" in html_content
    assert '<a href="https://guichet.example.fr/suivi/K7M2P9QX?a=1&amp;b=2">' in html_content


def test_refused_email_is_retried_later_then_sent(
    smtp_server: SmtpServer, retry_settings: Settings
) -> None:
    """The server answers 451: the email waits for its next attempt, then goes out once."""
    smtp_server.refuse("451 4.3.0 Mail server busy, try again later")
    notification = queue_acknowledgement()
    assert delivery.deliver(notification.pk) == delivery.RETRY
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "451" in notification.last_error
    assert notification.next_attempt_at is not None
    assert notification.next_attempt_at > notification.last_attempt_at  # type: ignore[operator]
    assert smtp_server.refused == 1
    assert smtp_server.messages == []

    smtp_server.accept()
    make_due(notification)
    assert delivery.deliver(notification.pk) == delivery.SENT
    assert len(smtp_server.messages) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2


def test_unreachable_server_is_retried(settings: Settings, retry_settings: Settings) -> None:
    """Nobody listens on the SMTP port: the attempt fails and is scheduled again."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    notification = queue_acknowledgement()
    assert delivery.deliver(notification.pk) == delivery.RETRY
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert "ConnectionRefusedError" in notification.last_error
