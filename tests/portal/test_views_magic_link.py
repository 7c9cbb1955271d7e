import datetime
import time
from collections.abc import Callable
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.notifications.models import Notification
from guichet.organisation.models import Agent
from guichet.portal.accounts import tokens
from guichet.residents.models import Resident
from tests.factories import ResidentFactory, UserFactory
from tests.portal.helpers import html_part, link_in, page_text

pytestmark = pytest.mark.django_db

URL = "/compte/lien-de-connexion/"
SENT = "/compte/lien-de-connexion/envoye/"
CONFIRM = "/compte/lien-de-connexion/connexion/"


@pytest.fixture
def request_link(client: Client, on_commit) -> Callable[..., str]:
    """Return a function asking for a link; it answers the path of the last link delivered."""

    def request(email: str = "helene@example.org") -> str:
        with on_commit():
            response = client.post(URL, {"email": email})
        assert response.status_code == 302
        assert response.url == SENT
        return link_in(mail.outbox[-1], URL) if mail.outbox else ""

    return request


def test_url_names() -> None:
    """The emailed sign-in pages live under /compte/lien-de-connexion/."""
    assert reverse("portal:account:magic_link") == URL
    assert reverse("portal:account:magic_link_confirm") == CONFIRM


def test_link_signs_the_resident_in_after_a_click(
    client: Client, resident: Resident, request_link
) -> None:
    """The link leads to a page with a button; the click logs in and opens the resident's space."""
    link = request_link()
    [message] = mail.outbox
    assert message.to == ["helene@example.org"]
    assert "15 minutes" in message.body
    assert link in html_part(message)

    opened = client.get(link)
    assert opened.status_code == 302
    assert opened.url == CONFIRM
    page = client.get(CONFIRM)
    assert "Me connecter" in page_text(page)
    assert SESSION_KEY not in client.session  # opening alone logs nobody in

    response = client.post(CONFIRM)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session[SESSION_KEY]) == resident.user_id


def test_link_works_only_once(client: Client, resident: Resident, request_link) -> None:
    """After logging in, the same link says it was already used."""
    link = request_link()
    client.get(link)
    client.post(CONFIRM)
    client.logout()
    client.get(link)
    response = client.post(CONFIRM)
    assert "a déjà servi" in page_text(response)
    assert SESSION_KEY not in client.session


def test_link_expires_after_fifteen_minutes(client: Client, resident: Resident) -> None:
    """A link older than 15 minutes says so and offers a new one."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 16 * 60):
        token = tokens.MAGIC_LINK.make(resident.user)
    client.get(f"{URL}{token}/")
    content = page_text(client.post(CONFIRM))
    assert "a expiré" in content
    assert f'action="{URL}"' in content
    assert SESSION_KEY not in client.session


def test_forged_link(client: Client, resident: Resident) -> None:
    """A forged link is explained, without an error page."""
    client.get(f"{URL}pas-un-jeton/")
    response = client.get(CONFIRM)
    assert response.status_code == 200
    assert "n'est pas valide" in page_text(response)
    assert "n'est pas valide" in page_text(client.get(CONFIRM, follow=True))


def test_confirm_page_without_a_link(client: Client, db: None) -> None:
    """Opening the confirmation page directly explains that a link is needed."""
    assert "n'est pas valide" in page_text(client.get(CONFIRM))


def test_password_change_kills_the_link(client: Client, resident: Resident, request_link) -> None:
    """A link sent before a password change no longer works."""
    link = request_link()
    resident.user.set_password("Nouveau-secret-2024")
    resident.user.save()
    client.get(link)
    assert "a déjà servi" in page_text(client.post(CONFIRM))


def test_unknown_address_looks_the_same(client: Client, db: None, request_link) -> None:
    """An address without an account gets the same answer, and no email leaves."""
    request_link("personne@example.org")
    assert not mail.outbox
    assert not Notification.objects.exists()
    assert "Si un compte existe avec cette adresse" in page_text(client.get(SENT))


def test_agents_and_unconfirmed_accounts_get_no_link(reception_agent: Agent, request_link) -> None:
    """Agents log in with their password; unconfirmed accounts must confirm first."""
    request_link(reception_agent.user.email)
    pending = UserFactory(username="p@example.org", email="p@example.org", is_active=False)
    ResidentFactory(user=pending)
    request_link("p@example.org")
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_agent_token_does_not_log_in(client: Client, reception_agent: Agent) -> None:
    """Even a valid token for an agent who has a resident file does not log them in here."""
    ResidentFactory(user=reception_agent.user)
    client.get(f"{URL}{tokens.MAGIC_LINK.make(reception_agent.user)}/")
    client.post(CONFIRM)
    assert SESSION_KEY not in client.session


def test_requests_are_limited(client: Client, resident: Resident, request_link, on_commit) -> None:
    """Each of five requests in the hour sends a new link; the sixth is refused with a delay."""
    for _attempt in range(5):
        request_link()
    with on_commit():
        response = client.post(URL, {"email": "helene@example.org"})
    assert "Trop de tentatives, réessayez dans" in page_text(response)
    assert len(mail.outbox) == 5
    assert Notification.objects.filter(event="account_magic_link", status="sent").count() == 5


@pytest.mark.parametrize("email", ["", "helene", "helene@", "<b>@x.fr"])
def test_malformed_address(client: Client, db: None, email: str) -> None:
    """A malformed address is explained next to the field."""
    response = client.post(URL, {"email": email})
    assert response.status_code == 200
    assert "Le formulaire contient une erreur" in page_text(response)
    assert "<b>@x.fr" not in response.content.decode()


def test_tokens_never_reach_the_logs(
    client: Client, resident: Resident, caplog, request_link
) -> None:
    """Nothing Guichet logs while sending and using a link contains its token."""
    caplog.set_level("DEBUG")
    link = request_link()
    client.get(link)
    client.post(CONFIRM)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in caplog.text


def test_token_fingerprint_ignores_microseconds(resident: Resident) -> None:
    """A last login stored without microseconds (some databases) keeps the token valid."""
    user = resident.user
    user.last_login = datetime.datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=datetime.UTC)
    user.save()
    token = tokens.MAGIC_LINK.make(user)
    user.last_login = user.last_login.replace(microsecond=0)
    user.save()
    assert tokens.MAGIC_LINK.check(token).is_valid
