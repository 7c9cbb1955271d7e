"""SMS backends, chosen by the ``SMS_BACKEND`` setting.

- ``console``: writes the SMS to the log (development; the default).
- ``file``: appends one JSON line per SMS to ``GUICHET_SMS_FILE_PATH`` (default
  ``$GUICHET_DATA_DIR/sms/sms.jsonl``) — for demos and tests.
- ``http``: POSTs ``{"to", "text", "id"}`` as JSON to ``SMS_HTTP_URL``, with ``Authorization:
  Bearer <SMS_HTTP_TOKEN>`` when a token is set; any answer other than 2xx is an error (the
  outbox retries later). A gateway with another API is reached through a small relay, or a
  backend class given by its dotted path in ``SMS_BACKEND``.

A backend's ``send`` returns the gateway's identifier of the message, or raises.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The SMS could not be handed to the gateway."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, message_id: str) -> str: ...


class ConsoleSmsBackend:
    def send(self, *, to: str, text: str, message_id: str) -> str:
        logger.info("SMS %s to %s: %s", message_id, to, text)
        return message_id


class FileSmsBackend:
    def __init__(self, path: Path | None = None) -> None:
        configured = settings.GUICHET_SMS_FILE_PATH
        self.path = path or (Path(configured) if configured else default_sms_file())

    def send(self, *, to: str, text: str, message_id: str) -> str:
        line = json.dumps(
            {"id": message_id, "to": to, "text": text, "at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write of one line in append mode: lines from several workers never mix.
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        except OSError as exc:
            raise SmsError(f"Cannot write {self.path}: {exc}") from exc
        return message_id


def default_sms_file() -> Path:
    return Path(settings.DATA_DIR) / "sms" / "sms.jsonl"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET elsewhere: treat it as the error it is.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpSmsBackend:
    def __init__(self, url: str | None = None, token: str | None = None) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = settings.SMS_HTTP_TIMEOUT
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL")

    def send(self, *, to: str, text: str, message_id: str) -> str:
        payload = json.dumps({"to": to, "text": text, "id": message_id}).encode("utf-8")
        request = urllib.request.Request(self.url, data=payload, method="POST")  # noqa: S310 - the administrator's gateway URL
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                status = response.status
                body = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"SMS gateway answered HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(f"SMS gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered HTTP {status}")
        return _gateway_id(body) or message_id


def _gateway_id(body: bytes) -> str:
    """Return the ``id`` of the gateway's JSON answer, if it gave one."""
    try:
        answer = json.loads(body or b"null")
    except ValueError:
        return ""
    if isinstance(answer, dict) and isinstance(answer.get("id"), str | int):
        return str(answer["id"])[:255]
    return ""


BACKENDS: dict[str, type[SmsBackend]] = {
    "console": ConsoleSmsBackend,
    "file": FileSmsBackend,
    "http": HttpSmsBackend,
}


def get_sms_backend() -> SmsBackend:
    """Return the backend named by ``SMS_BACKEND`` (a name above or a dotted class path)."""
    name = settings.SMS_BACKEND
    backend_class = BACKENDS.get(name)
    if backend_class is None:
        try:
            backend_class = import_string(name)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"SMS_BACKEND must be one of {sorted(BACKENDS)} or a class path, not {name!r}"
            ) from exc
    return backend_class()
