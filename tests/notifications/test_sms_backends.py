"""SMS backends: file, HTTP gateway (a local server), console, and the choice by setting."""

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from guichet.notifications import delivery
from guichet.notifications.choices import MessageChannel, NotificationStatus
from guichet.notifications.sms import (
    ConsoleSmsBackend,
    FileSmsBackend,
    HttpSmsBackend,
    SmsError,
    get_sms_backend,
)
from tests.notifications.conftest import SmsOutbox
from tests.notifications.factories import NotificationFactory

MOBILE = "+33612345678"


class Gateway:
    """What the fake gateway received, and the statuses it answers with, in turn."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        self.statuses: list[int] = []
        self.url = ""


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    """A tiny HTTP SMS gateway on 127.0.0.1, in a thread."""
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            status = state.statuses.pop(0) if state.statuses else 200
            body = json.dumps({"id": f"gw-{len(state.requests)}"} if status == 200 else {})
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_file_backend_appends_json_lines(sms_outbox: SmsOutbox) -> None:
    """The file backend writes one JSON line per SMS, creating the directory."""
    backend = get_sms_backend()
    assert isinstance(backend, FileSmsBackend)
    assert backend.send(to=MOBILE, text="Bonjour é", message_id="a") == "a"
    assert backend.send(to=MOBILE, text="Deuxième", message_id="b") == "b"
    sent = sms_outbox.sent
    assert [(s["id"], s["to"], s["text"]) for s in sent] == [
        ("a", MOBILE, "Bonjour é"),
        ("b", MOBILE, "Deuxième"),
    ]


@pytest.mark.django_db
def test_sms_notification_is_delivered_through_the_backend(sms_outbox: SmsOutbox) -> None:
    """An SMS notification is handed to the configured backend with its uuid as id."""
    notification = NotificationFactory(
        channel=MessageChannel.SMS, recipient=MOBILE, subject="", body_html="", body_text="Court"
    )
    assert delivery.deliver(notification.pk) == delivery.SENT
    notification.refresh_from_db()
    assert notification.provider_id == str(notification.uuid)
    assert sms_outbox.sent[0]["text"] == "Court"


def test_http_backend_posts_json_with_the_token(gateway: Gateway) -> None:
    """The HTTP backend POSTs {to, text, id} with the bearer token, keeps the gateway's id."""
    backend = HttpSmsBackend(url=gateway.url, token="secret-token")
    assert backend.send(to=MOBILE, text="Votre demande", message_id="n-1") == "gw-1"
    (request,) = gateway.requests
    assert request["json"] == {"to": MOBILE, "text": "Votre demande", "id": "n-1"}
    assert request["authorization"] == "Bearer secret-token"
    assert request["content_type"] == "application/json"


def test_http_backend_without_token_sends_no_authorization(gateway: Gateway) -> None:
    """No token configured: no Authorization header."""
    HttpSmsBackend(url=gateway.url, token="").send(to=MOBILE, text="x", message_id="n")
    assert gateway.requests[0]["authorization"] is None


def test_http_backend_error_status_is_an_error(gateway: Gateway) -> None:
    """Any answer other than 2xx raises SmsError."""
    gateway.statuses = [500]
    with pytest.raises(SmsError, match="HTTP 500"):
        HttpSmsBackend(url=gateway.url, token="").send(to=MOBILE, text="x", message_id="n")


@pytest.mark.django_db
def test_gateway_error_is_retried_then_sent(
    gateway: Gateway, settings: Settings, retry_settings: Settings
) -> None:
    """The gateway answers 500 then 200: the notification is retried, then sent once."""
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = gateway.url
    settings.SMS_HTTP_TOKEN = ""
    gateway.statuses = [500, 200]
    notification = NotificationFactory(
        channel=MessageChannel.SMS, recipient=MOBILE, subject="", body_html="", body_text="Court"
    )
    assert delivery.deliver(notification.pk) == delivery.RETRY
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert "HTTP 500" in notification.last_error
    notification.next_attempt_at = notification.created_at
    notification.save(update_fields=["next_attempt_at"])
    assert delivery.deliver(notification.pk) == delivery.SENT
    notification.refresh_from_db()
    assert notification.provider_id == "gw-2"
    assert len(gateway.requests) == 2


def test_http_backend_unreachable_is_an_error() -> None:
    """A closed port raises SmsError (retried by the outbox)."""
    from tests.smtp import free_port

    backend = HttpSmsBackend(url=f"http://127.0.0.1:{free_port()}/sms", token="")
    with pytest.raises(SmsError, match="unreachable"):
        backend.send(to=MOBILE, text="x", message_id="n")


def test_http_backend_needs_a_url(settings: Settings) -> None:
    """SMS_BACKEND=http without SMS_HTTP_URL is a configuration error."""
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = ""
    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()


def test_console_backend_logs(caplog: pytest.LogCaptureFixture, settings: Settings) -> None:
    """The console backend (the default) writes the SMS to the log."""
    settings.SMS_BACKEND = "console"
    backend = get_sms_backend()
    assert isinstance(backend, ConsoleSmsBackend)
    with caplog.at_level(logging.INFO, logger="guichet.notifications.sms"):
        assert backend.send(to=MOBILE, text="Bonjour", message_id="c-1") == "c-1"
    assert "Bonjour" in caplog.text


def test_backend_by_class_path(settings: Settings) -> None:
    """SMS_BACKEND may name a backend class by its dotted path."""
    settings.SMS_BACKEND = "guichet.notifications.sms.ConsoleSmsBackend"
    assert isinstance(get_sms_backend(), ConsoleSmsBackend)


def test_unknown_backend_is_a_configuration_error(settings: Settings) -> None:
    """An unknown backend name fails loudly."""
    settings.SMS_BACKEND = "pigeon"
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        get_sms_backend()
