"""OpenID Connect settings: half a configuration stops the start, with the missing names."""

import os
import subprocess
import sys

import pytest

from tests.core.test_settings import GOOD_KEY, _load_settings

PRODUCTION = {"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "guichet.example.org"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ISSUER": "https://fc.example.org"}, "set OIDC_CLIENT_ID, OIDC_CLIENT_SECRET"),
        (
            {"OIDC_CLIENT_ID": "guichet", "OIDC_CLIENT_SECRET": "s"},
            "set OIDC_ISSUER too",
        ),
        (
            {
                "OIDC_ISSUER": "http://fc.example.org",
                "OIDC_CLIENT_ID": "guichet",
                "OIDC_CLIENT_SECRET": "s",
            },
            "must be an https:// URL",
        ),
        (
            {
                "OIDC_ISSUER": "https://fc.example.org",
                "OIDC_CLIENT_ID": "guichet",
                "OIDC_CLIENT_SECRET": "s",
                "OIDC_SCOPES": "email profile",
            },
            "must include openid",
        ),
    ],
)
def test_incomplete_oidc_configuration_fails_loudly(env: dict[str, str], message: str) -> None:
    """A provider half configured, over http or without the openid scope stops the start."""
    result = _load_settings({**PRODUCTION, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_read_from_a_file(tmp_path) -> None:
    """OIDC_CLIENT_SECRET_FILE is read like every other secret; the issuer loses its slash."""
    secret = tmp_path / "oidc"
    secret.write_text("le-secret\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "DEBUG"))}
    env.pop("DATABASE_URL", None)
    env.update(
        PRODUCTION,
        OIDC_ISSUER="https://fc.example.org/",
        OIDC_CLIENT_ID="guichet",
        OIDC_CLIENT_SECRET_FILE=str(secret),
    )
    code = "import guichet.settings as s; print(s.OIDC_ISSUER, s.OIDC_CLIENT_SECRET)"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://fc.example.org", "le-secret"]
