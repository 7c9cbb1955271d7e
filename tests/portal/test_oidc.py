import datetime
import time
import urllib.parse

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guichet.organisation.models import User
from guichet.portal.models import ExternalIdentity
from guichet.residents.models import Resident, ResidentChange
from tests.factories import AgentFactory, ResidentFactory, UserFactory
from tests.portal.helpers import page_text
from tests.portal.oidc_provider import REMOVE, OidcTestProvider

pytestmark = pytest.mark.django_db

START = "/compte/oidc/connexion/"
CALLBACK = "/compte/oidc/retour/"
SIGN_UP = "/compte/oidc/inscription/"
LINK = "/compte/oidc/lier/"


def back_from_provider(client: Client, provider: OidcTestProvider, **query_overrides: str):
    """Start the login, let the provider approve it, and return Guichet's answer to the return."""
    start = client.get(START)
    assert start.status_code == 302
    back = urllib.parse.urlsplit(provider.authorize(start["Location"]))
    assert back.path == CALLBACK
    query = dict(urllib.parse.parse_qsl(back.query))
    query.update(query_overrides)
    return client.get(back.path, query)


def logged_in_user(client: Client) -> User | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_url_names() -> None:
    """The redirect URI to register at the provider is /compte/oidc/retour/."""
    assert reverse("portal:account:oidc_callback") == CALLBACK
    assert reverse("portal:account:oidc_start") == START


def test_feature_hidden_when_not_configured(client: Client) -> None:
    """Without OIDC_* settings the login page offers no provider and its URLs do not exist."""
    content = page_text(client.get("/connexion/"))
    assert "Se connecter avec" not in content
    for url in (START, CALLBACK, SIGN_UP, LINK):
        assert client.get(url).status_code == 404


def test_login_page_offers_the_provider(client: Client, oidc_provider: OidcTestProvider) -> None:
    """Configured, the login page shows « Se connecter avec FranceConnect »."""
    content = page_text(client.get("/connexion/"))
    assert "Se connecter avec FranceConnect" in content
    assert f'href="{START}"' in content


def test_start_sends_state_nonce_and_pkce(client: Client, oidc_provider: OidcTestProvider) -> None:
    """The authorization request carries state, nonce and an S256 challenge kept in session."""
    response = client.get(START)
    url = urllib.parse.urlsplit(response["Location"])
    query = dict(urllib.parse.parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{oidc_provider.issuer}/authorize"
    assert query["redirect_uri"] == f"http://testserver{CALLBACK}"
    assert query["code_challenge_method"] == "S256"
    assert query["scope"] == "openid email given_name family_name birthdate"
    kept = client.session["portal.oidc.request"]
    assert (query["state"], query["nonce"]) == (kept["state"], kept["nonce"])
    assert kept["verifier"] not in response["Location"]


def test_acr_values_are_sent_when_configured(
    client: Client, oidc_provider: OidcTestProvider, settings
) -> None:
    """OIDC_ACR_VALUES (FranceConnect's eidas1) goes into the authorization request."""
    assert "acr_values" not in client.get(START)["Location"]
    settings.OIDC_ACR_VALUES = "eidas1"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(client.get(START)["Location"]).query))
    assert query["acr_values"] == "eidas1"


def test_first_login_creates_the_resident_after_consent(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """A new identity leads to a consent page, then to an account and a file from the claims."""
    response = back_from_provider(client, oidc_provider)
    assert response.status_code == 302
    assert response.url == SIGN_UP
    assert logged_in_user(client) is None
    page = page_text(client.get(SIGN_UP))
    assert "Hélène Marie" in page
    assert "12/03/1980" in page
    assert "helene.fc@example.org" in page

    refused = client.post(SIGN_UP, {})
    assert "Cochez la case pour accepter les conditions" in page_text(refused)
    assert not User.objects.exists()

    created = client.post(SIGN_UP, {"accept_terms": "on"})
    assert created.status_code == 302
    assert created.url == reverse("home")
    user = User.objects.get()
    assert logged_in_user(client) == user
    assert user.is_active
    assert not user.has_usable_password()
    resident = Resident.objects.get(user=user)
    assert (resident.first_names, resident.usage_name) == ("Hélène Marie", "Dupont")
    assert resident.birth_date == datetime.date(1980, 3, 12)
    assert resident.email == user.email == "helene.fc@example.org"
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (
        user,
        oidc_provider.issuer,
        "fc-0001",
    )
    assert ResidentChange.objects.filter(resident=resident, channel="web").exists()
    assert oidc_provider.token_auth_used == ["client_secret_basic"]


def test_second_login_reuses_the_account(client: Client, oidc_provider: OidcTestProvider) -> None:
    """The same identity logs straight into the account made the first time."""
    back_from_provider(client, oidc_provider)
    client.post(SIGN_UP, {"accept_terms": "on"})
    client.logout()

    response = back_from_provider(client, oidc_provider)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_user(client) == User.objects.get()
    assert Resident.objects.count() == 1
    assert ExternalIdentity.objects.get().last_used_at is not None


def test_claims_given_by_userinfo(client: Client, oidc_provider: OidcTestProvider) -> None:
    """When the ID token carries only the subject, the profile comes from userinfo."""
    oidc_provider.claims_in_userinfo_only = True
    back_from_provider(client, oidc_provider)
    assert "Hélène Marie" in page_text(client.get(SIGN_UP))


def test_client_secret_post_when_basic_is_not_offered(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """A provider offering only client_secret_post gets the secret in the form."""
    oidc_provider.auth_methods = ["client_secret_post"]
    response = back_from_provider(client, oidc_provider)
    assert response.url == SIGN_UP
    assert oidc_provider.token_auth_used == ["client_secret_post"]


def assert_refused(response, text: str, status: int = 400) -> None:
    content = page_text(response)
    assert response.status_code == status
    assert text in content
    assert "Réessayer" in content
    assert "Recevoir un lien de connexion par courriel" in content
    assert 'name="robots" content="noindex' in content


def test_wrong_state_is_refused(client: Client, oidc_provider: OidcTestProvider) -> None:
    """A return whose state is not the one in the session logs nobody in."""
    response = back_from_provider(client, oidc_provider, state="pas-le-bon")
    assert_refused(response, "a expiré ou a été ouverte dans un autre onglet")
    assert logged_in_user(client) is None
    assert not User.objects.exists()


def test_return_without_a_started_login_is_refused(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """A return replayed in another browser (no state in its session) is refused."""
    start = client.get(START)
    back = oidc_provider.authorize(start["Location"])
    other = Client()
    response = other.get(back.replace("http://testserver", ""))
    assert_refused(response, "a expiré")


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("nonce", "un-autre-nonce"),
        ("aud", "un-autre-client"),
        ("iss", "https://faux.example.org"),
        ("exp", "an-hour-ago"),
        ("sub", REMOVE),
    ],
    # Stable ids: xdist workers must collect the same test names.
    ids=["nonce", "aud", "iss", "exp", "sub"],
)
def test_id_token_that_does_not_verify_is_refused(
    client: Client, oidc_provider: OidcTestProvider, change: str, value: object
) -> None:
    """Wrong nonce, audience or issuer, an expired token or no subject: nobody logs in."""
    if change == "exp":
        value = int(time.time()) - 3600
        oidc_provider.id_token_overrides["iat"] = int(time.time()) - 4000
    oidc_provider.id_token_overrides[change] = value
    response = back_from_provider(client, oidc_provider)
    assert_refused(response, "n'a pas pu être vérifiée")
    assert logged_in_user(client) is None
    assert not User.objects.exists()


def test_tampered_token_is_refused(client: Client, oidc_provider: OidcTestProvider) -> None:
    """A token whose content was changed after signing is refused."""
    oidc_provider.tamper_signature = True
    assert_refused(back_from_provider(client, oidc_provider), "n'a pas pu être vérifiée")
    assert logged_in_user(client) is None


def test_token_signed_with_another_key_is_refused(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """A token signed by a key the provider does not publish is refused."""
    oidc_provider.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(back_from_provider(client, oidc_provider), "n'a pas pu être vérifiée")


def test_provider_unreachable_at_start(client: Client, settings) -> None:
    """A provider that does not answer gives a page with « Réessayer », not an error 500."""
    probe = OidcTestProvider()
    closed = probe.issuer
    probe.server.server_close()
    settings.OIDC_ISSUER = closed
    settings.OIDC_CLIENT_ID = "guichet"
    settings.OIDC_CLIENT_SECRET = "secret"
    response = client.get(START)
    assert_refused(response, "FranceConnect ne répond pas pour le moment", status=502)


def test_provider_down_when_exchanging_the_code(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """If the provider goes down between approval and token exchange, the page says so."""
    start = client.get(START)
    back = urllib.parse.urlsplit(oidc_provider.authorize(start["Location"]))
    oidc_provider.stop()
    response = client.get(f"{back.path}?{back.query}")
    assert_refused(response, "ne répond pas pour le moment", status=502)


def test_cancelled_at_the_provider(client: Client, oidc_provider: OidcTestProvider) -> None:
    """A person who cancels at the provider is told so, with the other ways in."""
    state = client.session.get("x")  # no login started: the page is the same
    response = client.get(CALLBACK, {"error": "access_denied", "state": state or ""})
    assert_refused(response, "Vous avez annulé la connexion avec FranceConnect", status=200)


def test_existing_account_is_linked_only_after_its_password(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """An address matching a resident account asks for its password once; never links silently."""
    user = UserFactory(username="helene.fc@example.org", email="helene.fc@example.org")
    ResidentFactory(user=user, email="helene.fc@example.org")

    response = back_from_provider(client, oidc_provider)
    assert response.url == LINK
    assert logged_in_user(client) is None
    assert not ExternalIdentity.objects.exists()
    assert "helene.fc@example.org" in page_text(client.get(LINK))

    wrong = client.post(LINK, {"password": "pas-le-bon"})
    assert "Ce mot de passe n'est pas le bon" in page_text(wrong)
    assert not ExternalIdentity.objects.exists()
    assert logged_in_user(client) is None

    linked = client.post(LINK, {"password": "motdepasse-test"})
    assert linked.status_code == 302
    assert logged_in_user(client) == user
    assert ExternalIdentity.objects.get().user == user
    assert Resident.objects.count() == 1

    client.logout()
    again = back_from_provider(client, oidc_provider)
    assert again.url == reverse("home")
    assert logged_in_user(client) == user


def test_linking_is_rate_limited(client: Client, oidc_provider: OidcTestProvider) -> None:
    """Guessing the password of the account to link stops after ten tries."""
    user = UserFactory(username="helene.fc@example.org", email="helene.fc@example.org")
    ResidentFactory(user=user)
    back_from_provider(client, oidc_provider)
    for _attempt in range(10):
        client.post(LINK, {"password": "pas-le-bon"})
    blocked = client.post(LINK, {"password": "motdepasse-test"})
    assert "Trop de tentatives, réessayez dans" in page_text(blocked)
    assert not ExternalIdentity.objects.exists()


def test_agent_address_is_not_offered_for_linking(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """An agent's login is never linked to a provider: the person creates a resident account."""
    AgentFactory(user=UserFactory(username="agent-fc", email="helene.fc@example.org"))
    response = back_from_provider(client, oidc_provider)
    assert response.url == SIGN_UP
    client.post(SIGN_UP, {"accept_terms": "on"})
    created = logged_in_user(client)
    assert created is not None
    assert created.agent_or_none is None
    assert created.username == "helene.fc@example.org"


def test_unverified_address_is_not_used(client: Client, oidc_provider: OidcTestProvider) -> None:
    """An address the provider says it did not verify is neither matched nor stored."""
    user = UserFactory(username="helene.fc@example.org", email="helene.fc@example.org")
    ResidentFactory(user=user)
    oidc_provider.claims["email_verified"] = False
    response = back_from_provider(client, oidc_provider)
    assert response.url == SIGN_UP
    client.post(SIGN_UP, {"accept_terms": "on"})
    created = logged_in_user(client)
    assert created is not None
    assert created != user
    assert created.email == ""
    assert created.username.startswith("oidc-")


def test_hostile_claims_are_cleaned_and_escaped(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """Markup and control characters in the claims are shown escaped and stored as text."""
    oidc_provider.claims.update(
        given_name="<script>alert(1)</script>\u0000\u200b",
        family_name="Dupont\nDurand",
        birthdate="1980-00-00",
        email="pas une adresse",
    )
    back_from_provider(client, oidc_provider)
    page = client.get(SIGN_UP).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.post(SIGN_UP, {"accept_terms": "on"})
    resident = Resident.objects.get()
    assert resident.first_names == "<script>alert(1)</script>"
    assert resident.usage_name == "Dupont Durand"
    assert resident.birth_date is None
    assert resident.email == ""


def test_identity_of_a_deactivated_account(client: Client, oidc_provider: OidcTestProvider) -> None:
    """An identity linked to a deactivated account does not log in."""
    back_from_provider(client, oidc_provider)
    client.post(SIGN_UP, {"accept_terms": "on"})
    client.logout()
    User.objects.update(is_active=False)
    response = back_from_provider(client, oidc_provider)
    assert_refused(response, "ne peut plus être utilisé", status=403)
    assert logged_in_user(client) is None


def test_logged_in_resident_links_from_the_profile(
    client: Client, oidc_provider: OidcTestProvider, resident: Resident
) -> None:
    """A resident logged in with a password links the provider from their profile."""
    client.force_login(resident.user)
    assert "Lier mon compte à FranceConnect" in page_text(client.get("/compte/profil/"))
    response = back_from_provider(client, oidc_provider)
    assert response.url == "/compte/profil/"
    assert ExternalIdentity.objects.get().user == resident.user
    assert "Votre compte est lié à FranceConnect" in page_text(client.get("/compte/profil/"))


def test_pages_after_the_provider_need_a_fresh_identity(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """Opening the consent or link page without coming back from the provider explains it."""
    assert_refused(client.get(SIGN_UP), "a expiré")
    assert_refused(client.get(LINK), "a expiré")


# Logging out: of Guichet, and of the provider after a login through it.

LOGOUT = "/deconnexion/"


def _logged_in_through_provider(client: Client, provider: OidcTestProvider) -> User:
    back_from_provider(client, provider)
    client.post(SIGN_UP, {"accept_terms": "on"})
    user = logged_in_user(client)
    assert user is not None
    return user


def test_logout_ends_the_session_at_the_provider_too(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    """Guichet's session ends, then the provider is asked to end its own with the ID token."""
    _logged_in_through_provider(client, oidc_provider)
    assert client.session["portal.oidc.id_token"] == oidc_provider.issued_id_tokens[-1]
    response = client.post(LOGOUT)
    assert logged_in_user(client) is None
    assert "portal.oidc.id_token" not in client.session
    url = urllib.parse.urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{oidc_provider.issuer}/logout"
    query = dict(urllib.parse.parse_qsl(url.query))
    assert query["id_token_hint"] == oidc_provider.issued_id_tokens[-1]
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert len(query["state"]) >= 16
    # The provider sends the person back to the portal's home page.
    back = urllib.parse.urlsplit(oidc_provider.authorize(response["Location"]))
    assert back.path == "/"
    assert oidc_provider.logouts[-1]["id_token_hint"] == query["id_token_hint"]


def test_a_second_login_keeps_the_new_token(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    _logged_in_through_provider(client, oidc_provider)
    client.post(LOGOUT)
    back_from_provider(client, oidc_provider)
    assert client.session["portal.oidc.id_token"] == oidc_provider.issued_id_tokens[-1]


def test_a_password_login_logs_out_locally_only(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    user = UserFactory()
    ResidentFactory(user=user)
    client.force_login(user)
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in_user(client) is None
    assert oidc_provider.logouts == []


def test_a_provider_without_end_session_logs_out_locally(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    oidc_provider.offers_logout = False
    _logged_in_through_provider(client, oidc_provider)
    cache.clear()  # the discovery document is read again, now without end_session_endpoint
    response = client.post(LOGOUT)
    assert response["Location"] == "/"
    assert logged_in_user(client) is None


def test_a_provider_down_at_logout_still_logs_out_and_says_what_to_do(
    client: Client, oidc_provider: OidcTestProvider
) -> None:
    _logged_in_through_provider(client, oidc_provider)
    cache.clear()
    oidc_provider.stop()
    response = client.post(LOGOUT, follow=True)
    assert logged_in_user(client) is None
    assert response.redirect_chain[-1][0] == "/"
    assert "FranceConnect n'a pas pu être joint" in page_text(response)


def test_logout_is_a_post(client: Client, oidc_provider: OidcTestProvider) -> None:
    """A link or an image cannot log someone out."""
    _logged_in_through_provider(client, oidc_provider)
    assert client.get(LOGOUT).status_code == 405
    assert logged_in_user(client) is not None
