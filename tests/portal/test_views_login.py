import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory
from tests.portal.helpers import page_text

pytestmark = pytest.mark.django_db

URL = "/connexion/"
PASSWORD = "motdepasse-test"


def test_agents_still_log_in_with_their_identifier(client: Client, reception_agent: Agent) -> None:
    """An agent logs in with the identifier and lands in the console."""
    response = client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == reception_agent.user.pk
    assert client.get(response.url).url == reverse("backoffice:home")


def test_resident_logs_in_with_the_email_of_the_account(client: Client, resident: Resident) -> None:
    """A resident whose identifier is not the email may type the email (any case)."""
    response = client.post(URL, {"username": "HELENE@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == resident.user_id


def test_an_email_shared_by_two_accounts_is_not_guessed(client: Client, db: None) -> None:
    """Two logins with one email: the email alone does not say which one, the login fails."""
    UserFactory(username="jean1", email="jean@example.org")
    UserFactory(username="jean2", email="jean@example.org")
    response = client.post(URL, {"username": "jean@example.org", "password": PASSWORD})
    assert "Identifiant ou mot de passe incorrect" in page_text(response)


def test_wrong_password_keeps_the_identifier(client: Client, resident: Resident) -> None:
    """A wrong password says so and keeps the identifier typed."""
    response = client.post(URL, {"username": "helene", "password": "pas-le-bon"})
    content = page_text(response)
    assert "Identifiant ou mot de passe incorrect" in content
    assert 'value="helene"' in content
    assert SESSION_KEY not in client.session


def test_failed_logins_are_limited(client: Client, resident: Resident) -> None:
    """After ten failures for one identifier, even the right password waits."""
    for _attempt in range(10):
        client.post(URL, {"username": "helene", "password": "pas-le-bon"})
    response = client.post(URL, {"username": "helene", "password": PASSWORD})
    content = page_text(response)
    assert "Trop de tentatives, réessayez dans" in content
    assert "minutes" in content
    assert SESSION_KEY not in client.session


def test_the_limit_is_per_identifier(client: Client, resident: Resident) -> None:
    """Failures for one identifier do not block another one."""
    ResidentFactory(user=UserFactory(username="ivan"))
    for _attempt in range(10):
        client.post(URL, {"username": "helene", "password": "pas-le-bon"})
    response = client.post(URL, {"username": "ivan", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_logins_are_not_counted(client: Client, resident: Resident) -> None:
    """Logging in and out many times is not an attack."""
    for _attempt in range(12):
        assert client.post(URL, {"username": "helene", "password": PASSWORD}).status_code == 302
        client.post(reverse("logout"))


def test_login_page_offers_the_other_ways_in(client: Client, db: None) -> None:
    """The page links to sign-up, emailed link and password reset, and is not indexed."""
    response = client.get(URL)
    content = page_text(response)
    assert f'href="{reverse("portal:account:sign_up")}"' in content
    assert f'href="{reverse("portal:account:magic_link")}"' in content
    assert f'href="{reverse("portal:account:password_reset")}"' in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_portal_navigation(client: Client, resident: Resident, reception_agent: Agent) -> None:
    """Anonymous visitors see « Créer un compte »; residents « Mon espace » and « Mon profil »."""
    anonymous = page_text(client.get("/"))
    assert "Créer un compte" in anonymous
    assert "Mon profil" not in anonymous
    client.force_login(resident.user)
    logged_in = page_text(client.get("/"))
    assert "Mon espace" in logged_in
    assert f'href="{reverse("portal:account:profile")}"' in logged_in
    assert "Créer un compte" not in logged_in
    client.force_login(reception_agent.user)
    agent = page_text(client.get("/"))
    assert "Mon profil" not in agent
