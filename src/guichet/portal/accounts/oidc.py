"""OpenID Connect client (FranceConnect or any provider): authorization code flow with PKCE.

The provider is found by discovery (``<issuer>/.well-known/openid-configuration``). The login
request carries ``state`` (checked on return against the session), ``nonce`` (checked in the ID
token) and a PKCE S256 challenge. The code is exchanged with client_secret_basic or
client_secret_post, whichever the provider supports; the ID token is verified with the
provider's published keys (RS256 or ES256): signature, issuer, audience, expiry and nonce.
Missing claims are read from the userinfo endpoint. HTTP uses only the standard library.

Every failure raises OidcError, whose reason goes to the log; tokens and codes never do.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import json
import secrets
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from enum import Enum
from typing import Any

import jwt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from guichet.portal.accounts.actions import ProviderIdentity

# Algorithms accepted for the provider's signatures: never "none", never a shared secret.
SIGNING_ALGORITHMS = ("RS256", "ES256")
# How long the discovery document and the keys are kept in the cache.
METADATA_CACHE_SECONDS = 3600
# Clock difference tolerated between the provider and us.
LEEWAY_SECONDS = 60
MAX_RESPONSE_BYTES = 1_000_000
# The claims a new account is prefilled with.
PROFILE_CLAIMS = ("email", "given_name", "family_name", "birthdate")


class Failure(Enum):
    # The provider could not be reached or answered nonsense.
    UNAVAILABLE = "unavailable"
    # The provider answered, but what it said cannot be trusted or was refused.
    INVALID = "invalid"


class OidcError(Exception):
    """A login with the provider failed; ``reason`` says why, for the log only."""

    def __init__(self, failure: Failure, reason: str) -> None:
        super().__init__(reason)
        self.failure = failure
        self.reason = reason


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    client_id: str
    client_secret: str
    name: str
    scopes: tuple[str, ...]
    timeout: int
    acr_values: str = ""


def provider_config() -> ProviderConfig | None:
    """Return the configured provider, or None when login with a provider is off."""
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET):
        return None
    return ProviderConfig(
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        name=settings.OIDC_PROVIDER_NAME,
        scopes=tuple(settings.OIDC_SCOPES),
        timeout=settings.OIDC_TIMEOUT,
        acr_values=settings.OIDC_ACR_VALUES,
    )


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the person, and the secrets to keep in their session until they return."""

    url: str
    state: str
    nonce: str
    code_verifier: str


def start_authorization(config: ProviderConfig, *, redirect_uri: str) -> AuthorizationRequest:
    """Return the provider's authorization URL with fresh state, nonce and PKCE verifier."""
    metadata = discover(config)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)
    challenge = _b64url(hashlib.sha256(code_verifier.encode("ascii")).digest())
    parameters = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(config.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if config.acr_values:
        parameters["acr_values"] = config.acr_values
    query = urllib.parse.urlencode(parameters)
    endpoint = metadata["authorization_endpoint"]
    separator = "&" if "?" in endpoint else "?"
    return AuthorizationRequest(
        url=f"{endpoint}{separator}{query}",
        state=state,
        nonce=nonce,
        code_verifier=code_verifier,
    )


def finish_authorization(
    config: ProviderConfig, *, code: str, code_verifier: str, nonce: str, redirect_uri: str
) -> ProviderIdentity:
    """Exchange the code, verify the ID token and return who the provider says this is."""
    metadata = discover(config)
    tokens = _exchange_code(config, metadata, code, code_verifier, redirect_uri)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError(Failure.INVALID, "the token response has no id_token")
    claims = verify_id_token(config, metadata, id_token, nonce=nonce)
    access_token = tokens.get("access_token")
    if (
        any(name not in claims for name in PROFILE_CLAIMS)
        and isinstance(access_token, str)
        and metadata.get("userinfo_endpoint")
    ):
        userinfo = _userinfo(config, metadata, access_token)
        if userinfo.get("sub") != claims["sub"]:
            raise OidcError(Failure.INVALID, "userinfo is about another subject")
        claims = {**userinfo, **claims}
    return dataclasses.replace(identity_from_claims(config.issuer, claims), id_token=id_token)


def logout_url(
    config: ProviderConfig, *, id_token: str, post_logout_redirect_uri: str
) -> str | None:
    """Return the provider's address that ends the person's session there and sends them back
    to ``post_logout_redirect_uri`` (RP-initiated logout), or None if it offers none."""
    endpoint = discover(config).get("end_session_endpoint")
    if not _is_http_url(endpoint):
        return None
    query = urllib.parse.urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "state": secrets.token_urlsafe(16),
        }
    )
    separator = "&" if "?" in str(endpoint) else "?"
    return f"{endpoint}{separator}{query}"


def discover(config: ProviderConfig) -> dict[str, Any]:
    """Return the provider's metadata (cached), checked against the configured issuer."""
    cache_key = f"oidc:discovery:{_digest(config.issuer)}"
    metadata = cache.get(cache_key)
    if metadata is not None:
        return dict(metadata)
    url = f"{config.issuer}/.well-known/openid-configuration"
    metadata = _json(_http(url, timeout=config.timeout)[0])
    if str(metadata.get("issuer", "")).rstrip("/") != config.issuer:
        raise OidcError(Failure.UNAVAILABLE, "the discovery document names another issuer")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not _is_http_url(metadata.get(name)):
            raise OidcError(Failure.UNAVAILABLE, f"the discovery document has no {name}")
    cache.set(cache_key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def verify_id_token(
    config: ProviderConfig, metadata: dict[str, Any], id_token: str, *, nonce: str
) -> dict[str, Any]:
    """Return the ID token's claims once its signature, issuer, audience, dates, nonce hold."""
    claims = _decode_signed(config, metadata, id_token, require=("exp", "iat", "sub", "aud"))
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise OidcError(Failure.INVALID, "the ID token's authorized party is another client")
    if not constant_time_compare(str(claims.get("nonce", "")), nonce):
        raise OidcError(Failure.INVALID, "the ID token's nonce is not ours")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcError(Failure.INVALID, "the ID token has no subject")
    return claims


def identity_from_claims(issuer: str, claims: dict[str, Any]) -> ProviderIdentity:
    """Return the person the claims describe; claims that are malformed are left out."""
    email = _text(claims.get("email"), 254).lower()
    try:
        validate_email(email)
    except ValidationError:
        email = ""
    # An address the provider itself did not check is not one we can write to.
    if claims.get("email_verified") is False:
        email = ""
    return ProviderIdentity(
        issuer=issuer,
        subject=str(claims["sub"]),
        first_names=_text(claims.get("given_name"), 200),
        usage_name=_text(claims.get("family_name"), 200),
        birth_date=_birth_date(claims.get("birthdate")),
        email=email,
    )


def _exchange_code(
    config: ProviderConfig,
    metadata: dict[str, Any],
    code: str,
    code_verifier: str,
    redirect_uri: str,
) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    # Without the field, the specification's default is client_secret_basic.
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods:
        credentials = ":".join(
            urllib.parse.quote(value, safe="") for value in (config.client_id, config.client_secret)
        )
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    elif "client_secret_post" in methods:
        form.update(client_id=config.client_id, client_secret=config.client_secret)
    else:
        raise OidcError(Failure.UNAVAILABLE, "the provider offers no client secret method")
    body = urllib.parse.urlencode(form).encode()
    return _json(
        _http(metadata["token_endpoint"], timeout=config.timeout, data=body, headers=headers)[0]
    )


def _userinfo(
    config: ProviderConfig, metadata: dict[str, Any], access_token: str
) -> dict[str, Any]:
    body, content_type = _http(
        metadata["userinfo_endpoint"],
        timeout=config.timeout,
        headers={"Authorization": f"Bearer {access_token}"},
    )
    if content_type == "application/jwt":
        # Some providers (FranceConnect) sign the userinfo answer as a JWT.
        token = body.decode("ascii", "replace").strip()
        return _decode_signed(config, metadata, token, require=("sub",))
    return _json(body)


def _decode_signed(
    config: ProviderConfig, metadata: dict[str, Any], token: str, *, require: tuple[str, ...]
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise OidcError(Failure.INVALID, f"malformed token: {type(exc).__name__}") from None
    algorithm = header.get("alg")
    allowed = set(SIGNING_ALGORITHMS)
    offered = metadata.get("id_token_signing_alg_values_supported")
    if isinstance(offered, list):
        allowed &= set(offered)
    if algorithm not in allowed:
        raise OidcError(Failure.INVALID, f"token signed with {algorithm!r}, not an allowed one")
    key = _signing_key(config, metadata, header.get("kid"), algorithm)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=config.client_id,
            issuer=metadata["issuer"],
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", *require], "verify_aud": "aud" in require},
        )
    except jwt.InvalidTokenError as exc:
        raise OidcError(Failure.INVALID, f"token refused: {type(exc).__name__}") from None
    return claims


def _signing_key(
    config: ProviderConfig, metadata: dict[str, Any], kid: object, algorithm: str
) -> Any:
    """Return the provider's public key for ``kid``, fetching the keys again once if unknown."""
    for refresh in (False, True):
        keys = [
            key
            for key in _key_set(config, metadata["jwks_uri"], refresh=refresh)
            if (kid is None or key.key_id == kid) and key.algorithm_name == algorithm
        ]
        if len(keys) == 1 or (keys and kid is not None):
            return keys[0].key
    raise OidcError(Failure.INVALID, "no published key matches the token")


def _key_set(config: ProviderConfig, jwks_uri: str, *, refresh: bool) -> list[jwt.PyJWK]:
    cache_key = f"oidc:jwks:{_digest(jwks_uri)}"
    document = None if refresh else cache.get(cache_key)
    if document is None:
        document = _json(_http(jwks_uri, timeout=config.timeout)[0])
        cache.set(cache_key, document, METADATA_CACHE_SECONDS)
    try:
        return list(jwt.PyJWKSet.from_dict(document).keys)
    except (jwt.PyJWKSetError, jwt.PyJWKError) as exc:
        raise OidcError(Failure.UNAVAILABLE, f"unusable key set: {exc}") from None


def _http(
    url: str,
    *,
    timeout: int,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[bytes, str]:
    """GET (or POST ``data`` to) ``url``; return the answer's body and content type.

    Raise OidcError when the provider cannot be reached or answers with an error status.
    """
    if not _is_http_url(url):
        raise OidcError(Failure.UNAVAILABLE, "a provider URL is not http(s)")
    # The scheme was checked just above: no file: or custom scheme can be opened.
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read(MAX_RESPONSE_BYTES), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        failure = Failure.INVALID if 400 <= exc.code < 500 else Failure.UNAVAILABLE
        raise OidcError(failure, f"the provider answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise OidcError(Failure.UNAVAILABLE, f"the provider is unreachable: {exc}") from None


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        raise OidcError(Failure.UNAVAILABLE, "the provider's answer is not JSON") from None
    if not isinstance(value, dict):
        raise OidcError(Failure.UNAVAILABLE, "the provider's answer is not a JSON object")
    return value


def _is_http_url(value: object) -> bool:
    return isinstance(value, str) and urllib.parse.urlsplit(value).scheme in {"http", "https"}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _text(value: object, max_length: int) -> str:
    """Return a claim as one line of printable text (control characters dropped)."""
    if not isinstance(value, str):
        return ""
    printable = "".join(
        " " if char.isspace() else char
        for char in value
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    return " ".join(unicodedata.normalize("NFC", printable).split())[:max_length]


def _birth_date(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        birth_date = datetime.date.fromisoformat(value)
    except ValueError:  # "1980-00-00": providers may give a partial date
        return None
    if not datetime.date(1890, 1, 1) <= birth_date <= timezone.localdate():
        return None
    return birth_date
