"""Settings for the test suite: the real settings, with test-only relaxations made explicit."""

import os
import tempfile

os.environ.setdefault("GUICHET_TESTING", "true")
os.environ.setdefault("GUICHET_MEDIA_ROOT", tempfile.mkdtemp(prefix="guichet-test-media-"))

from guichet.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = tempfile.mkdtemp(prefix="guichet-test-static-")
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
