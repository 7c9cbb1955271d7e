"""Settings come from the environment, and unsafe production settings stop the start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" * 50


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "DEBUG"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    code = (
        "import guichet.settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.SECRET_KEY[:3])"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECRET_KEY": GOOD_KEY, "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "cannot be read"),
        (
            {"SECRET_KEY": GOOD_KEY, "GUICHET_UNCONFIRMED_ACCOUNT_DAYS": "1"},
            "GUICHET_UNCONFIRMED_ACCOUNT_DAYS must be at least 3",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "GUICHET_NOTIFICATION_BATCH_MS": "-5"},
            "GUICHET_NOTIFICATION_BATCH_MS must be between 0 and 10000",
        ),
    ],
)
def test_unsafe_or_malformed_production_settings_fail_loudly(env, message):
    """A production start without a real secret, with '*' hosts or a malformed value fails."""
    result = _load_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_read_from_file_and_postgresql_from_database_url(tmp_path: Path):
    """SECRET_KEY_FILE is read, and DATABASE_URL selects PostgreSQL."""
    secret = tmp_path / "secret"
    secret.write_text("abc" + "x" * 47 + "\n", encoding="utf-8")
    result = _load_settings(
        {
            "SECRET_KEY_FILE": str(secret),
            "ALLOWED_HOSTS": "guichet.example.org",
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/guichet",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['guichet.example.org']",
        "django.db.backends.postgresql",
        "abc",
    ]


def test_development_defaults_need_nothing(tmp_path: Path):
    """With DEBUG on, SQLite is the default database and no secret is needed."""
    result = _load_settings({"DEBUG": "true", "GUICHET_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
