"""Fixtures of the notification tests: a real SMTP server, a file SMS backend, loaded templates."""

import json
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from guichet.notifications.loader import load_templates
from tests.smtp import smtp_server  # noqa: F401 - the fixture, for this package's tests


class SmsOutbox:
    """The SMS the file backend wrote, one dict per SMS."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def sent(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def sms_outbox(settings: Settings, tmp_path: Path) -> SmsOutbox:
    """Send SMS with the file backend into a temporary file."""
    path = tmp_path / "sms" / "sms.jsonl"
    settings.SMS_BACKEND = "file"
    settings.GUICHET_SMS_FILE_PATH = str(path)
    return SmsOutbox(path)


@pytest.fixture
def templates(db: None) -> None:
    """Load the shipped templates into the database."""
    report = load_templates()
    assert report.ok, report.errors


@pytest.fixture
def retry_settings(settings: Settings) -> Settings:
    settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS = 3
    settings.GUICHET_NOTIFICATION_RETRY_DELAY = 60
    settings.GUICHET_NOTIFICATION_STUCK_MINUTES = 15
    return settings
