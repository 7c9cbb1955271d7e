"""A tiny OpenID Connect provider on 127.0.0.1, in a thread, for the login tests.

It serves discovery, /authorize (approves at once: redirects back with a code and the state),
/token (checks the client secret and the PKCE verifier, returns an RS256 ID token carrying the
nonce), /jwks and /userinfo. Its RSA key is generated when it starts. Tests change what it
answers through its attributes (claims, ID token overrides, a tampered signature…).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

# Marks an ID token claim to leave out, in ``id_token_overrides``.
REMOVE = object()


class OidcTestProvider:
    client_id = "guichet-test"
    client_secret = "secret-de-test"

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "cle-de-test"
        self.claims: dict[str, Any] = {
            "sub": "fc-0001",
            "given_name": "Hélène Marie",
            "family_name": "Dupont",
            "birthdate": "1980-03-12",
            "email": "helene.fc@example.org",
            "email_verified": True,
        }
        # Put only "sub" in the ID token, the rest in userinfo (as FranceConnect does).
        self.claims_in_userinfo_only = False
        self.id_token_overrides: dict[str, Any] = {}
        self.tamper_signature = False
        self.sign_with: rsa.RSAPrivateKey | None = None
        self.auth_methods = ["client_secret_basic", "client_secret_post"]
        self.codes: dict[str, dict[str, str]] = {}
        # How the client authenticated at /token, one entry per request.
        self.token_auth_used: list[str] = []
        # RP-initiated logout: offered in discovery; each logout request's query, in order.
        self.offers_logout = True
        self.logouts: list[dict[str, str]] = []
        self.issued_id_tokens: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, authorization_url: str) -> str:
        """Follow the login request as a browser would; return where the provider sends back."""
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(authorization_url, timeout=5)
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302, redirect.code
            return str(redirect.headers["Location"])
        raise AssertionError("the provider did not redirect")

    # What the endpoints answer -------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": self.auth_methods,
            "code_challenge_methods_supported": ["S256"],
            **({"end_session_endpoint": f"{self.issuer}/logout"} if self.offers_logout else {}),
        }

    def jwks(self) -> dict[str, Any]:
        key = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**key, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
        }
        if self.claims_in_userinfo_only:
            payload["sub"] = self.claims["sub"]
        else:
            payload.update(self.claims)
        for name, value in self.id_token_overrides.items():
            if value is REMOVE:
                payload.pop(name, None)
            else:
                payload[name] = value
        token = jwt.encode(
            payload,
            self.sign_with or self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        if self.tamper_signature:
            header, body, _signature = token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            claims["sub"] = "someone-else"
            forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
            token = f"{header}.{forged}.{_signature}"
        self.issued_id_tokens.append(token)
        return token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _handler_for(provider: OidcTestProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

        def _json(self, value: dict[str, Any], status: int = 200) -> None:
            body = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif url.path == "/jwks":
                self._json(provider.jwks())
            elif url.path == "/authorize":
                self._authorize(query)
            elif url.path == "/logout" and provider.offers_logout:
                # End the session here, and send the person back where the client asked.
                provider.logouts.append(query)
                back = query.get("post_logout_redirect_uri", "")
                state = urllib.parse.urlencode({"state": query.get("state", "")})
                self.send_response(302)
                self.send_header("Location", f"{back}?{state}")
                self.end_headers()
            elif url.path == "/userinfo":
                if self.headers.get("Authorization") != "Bearer jeton-d-acces":
                    self._json({"error": "invalid_token"}, 401)
                else:
                    self._json(provider.claims)
            else:
                self._json({"error": "not_found"}, 404)

        def _authorize(self, query: dict[str, str]) -> None:
            if (
                query.get("client_id") != provider.client_id
                or query.get("response_type") != "code"
                or query.get("code_challenge_method") != "S256"
                or "openid" not in query.get("scope", "").split()
            ):
                self._json({"error": "invalid_request"}, 400)
                return
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "nonce": query["nonce"],
                "challenge": query["code_challenge"],
                "redirect_uri": query["redirect_uri"],
            }
            back = (
                query["redirect_uri"]
                + "?"
                + urllib.parse.urlencode({"code": code, "state": query["state"]})
            )
            self.send_response(302)
            self.send_header("Location", back)
            self.end_headers()

        def do_POST(self) -> None:
            if self.path != "/token":
                self._json({"error": "not_found"}, 404)
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if not self._client_authenticated(form):
                self._json({"error": "invalid_client"}, 401)
                return
            grant = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                grant is None
                or form.get("grant_type") != "authorization_code"
                or form.get("redirect_uri") != grant["redirect_uri"]
                or challenge != grant["challenge"]
            ):
                self._json({"error": "invalid_grant"}, 400)
                return
            self._json(
                {
                    "access_token": "jeton-d-acces",
                    "token_type": "Bearer",
                    "expires_in": 60,
                    "id_token": provider.id_token(grant["nonce"]),
                }
            )

        def _client_authenticated(self, form: dict[str, str]) -> bool:
            header = self.headers.get("Authorization", "")
            if header.startswith("Basic "):
                provider.token_auth_used.append("client_secret_basic")
                decoded = base64.b64decode(header[6:]).decode()
                client_id, _, secret = decoded.partition(":")
                return (
                    urllib.parse.unquote(client_id) == provider.client_id
                    and urllib.parse.unquote(secret) == provider.client_secret
                )
            provider.token_auth_used.append("client_secret_post")
            return (
                form.get("client_id") == provider.client_id
                and form.get("client_secret") == provider.client_secret
            )

    return Handler
