"""Fixtures of the portal tests: a clean cache (attempt limits), emails sent on commit, OIDC,
a real SMTP server."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache

from tests.portal.oidc_provider import OidcTestProvider
from tests.smtp import smtp_server  # noqa: F401 - the fixture, for this package's tests


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """Attempt limits live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """Return a block that runs what actions schedule after commit (the emails) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def oidc_provider(settings: Any) -> Iterator[OidcTestProvider]:
    """A local OpenID Connect provider, and Guichet configured to use it."""
    provider = OidcTestProvider()
    provider.start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = provider.client_id
    settings.OIDC_CLIENT_SECRET = provider.client_secret
    settings.OIDC_PROVIDER_NAME = "FranceConnect"
    yield provider
    provider.stop()
