"""A real SMTP server on 127.0.0.1 for tests, and the settings that send Django's mail to it.

Use it from any test package: ``from tests.smtp import smtp_server`` in that package's
conftest.py (the fixture is then available to its tests), then::

    def test_sends(smtp_server):
        ...  # deliver something
        message = smtp_server.messages[0]           # an email.message.EmailMessage
        assert message["Subject"] == "…"

``smtp_server.refuse("451 4.3.0 Try again later")`` makes the server refuse the next messages
with that reply; ``smtp_server.accept()`` makes it accept them again.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings


class RecordingHandler:
    """Keep every accepted message; answer ``refusal`` instead while one is set."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusal: str | None = None
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refusal is not None:
                self.refused += 1
                return self.refusal
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, host: str, port: int, handler: RecordingHandler) -> None:
        self.host = host
        self.port = port
        self.handler = handler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self.handler.envelopes

    @property
    def refused(self) -> int:
        return self.handler.refused

    def refuse(self, reply: str = "451 4.3.0 Temporary failure, try again later") -> None:
        self.handler.refusal = reply

    def accept(self) -> None:
        self.handler.refusal = None


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpServer]:
    """Start an SMTP server on 127.0.0.1 and point Django's SMTP email backend at it."""
    host = "127.0.0.1"
    handler = RecordingHandler()
    controller = Controller(handler, hostname=host, port=free_port(host), ready_timeout=10)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield SmtpServer(host, controller.port, handler)
    finally:
        controller.stop()
