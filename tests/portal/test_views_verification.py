import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.notifications.models import Notification
from guichet.organisation.models import User
from guichet.portal.accounts import tokens
from guichet.portal.models import PendingAccount
from tests.portal.helpers import link_in, page_text
from tests.portal.test_views_sign_up import form_data

pytestmark = pytest.mark.django_db

RESEND = "/compte/verification/nouveau-lien/"
PASSWORD = "Un-mot-de-passe-solide-42"


@pytest.fixture
def signed_up(client: Client, on_commit) -> User:
    """Hélène signed up; her confirmation email is the first of the outbox."""
    with on_commit():
        client.post("/compte/inscription/", form_data())
    return User.objects.get()


def test_link_activates_the_account(client: Client, signed_up: User) -> None:
    """Opening the emailed link activates the account and invites to log in."""
    response = client.get(link_in(mail.outbox[0], "/compte/verification/"))
    content = page_text(response)
    assert response.status_code == 200
    assert "Adresse confirmée" in content
    assert f'href="{reverse("login")}"' in content
    signed_up.refresh_from_db()
    assert signed_up.is_active
    assert not PendingAccount.objects.exists()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_link_used_twice_says_already_confirmed(client: Client, signed_up: User) -> None:
    """The second opening says the address was already confirmed."""
    link = link_in(mail.outbox[0], "/compte/verification/")
    client.get(link)
    assert "était déjà confirmée" in page_text(client.get(link))


def test_account_cannot_log_in_before_confirmation(client: Client, signed_up: User) -> None:
    """Before confirmation the right password is refused with a way to get a new link."""
    response = client.post(
        "/connexion/", {"username": "helene.dupont@example.org", "password": PASSWORD}
    )
    content = page_text(response)
    assert "n'est pas encore confirmée" in content
    assert f'href="{RESEND}"' in content
    assert SESSION_KEY not in client.session


def test_unconfirmed_account_with_a_wrong_password_says_nothing_more(
    client: Client, signed_up: User
) -> None:
    """A wrong password on an unconfirmed account gets the usual message only."""
    response = client.post(
        "/connexion/", {"username": "helene.dupont@example.org", "password": "pas-le-bon"}
    )
    content = page_text(response)
    assert "Identifiant ou mot de passe incorrect" in content
    assert "pas encore confirmée" not in content


def test_account_logs_in_with_its_email_after_confirmation(client: Client, signed_up: User) -> None:
    """Once confirmed, the resident logs in with the email (any case) and the password."""
    client.get(link_in(mail.outbox[0], "/compte/verification/"))
    response = client.post(
        "/connexion/", {"username": "Helene.Dupont@EXAMPLE.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == signed_up.pk


def test_expired_link_offers_a_new_one(client: Client, signed_up: User) -> None:
    """A link older than 3 days says so and offers a new one, the address already filled in."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 4 * 86400):
        token = tokens.VERIFY_EMAIL.make(signed_up)
    response = client.get(f"/compte/verification/{token}/")
    content = page_text(response)
    assert response.status_code == 200
    assert "a expiré" in content
    assert f'action="{RESEND}"' in content
    assert 'value="helene.dupont@example.org"' in content
    signed_up.refresh_from_db()
    assert not signed_up.is_active


@pytest.mark.parametrize(
    "token",
    ["nimportequoi", "eyJyIjoiMSJ9:1abcde:forged", "%3Cscript%3Ealert(1)%3C"],
)
def test_invalid_link_is_explained(client: Client, signed_up: User, token: str) -> None:
    """A forged or truncated link gives a clear page (not a 404) and a new-link form."""
    response = client.get(f"/compte/verification/{token}/")
    content = page_text(response)
    assert response.status_code == 200
    assert "n'est pas valide" in content
    assert f'action="{RESEND}"' in content
    assert "<script>alert" not in response.content.decode()


def test_link_of_another_purpose_is_refused(client: Client, signed_up: User) -> None:
    """A sign-in link's token does not confirm an address."""
    token = tokens.MAGIC_LINK.make(signed_up)
    assert "n'est pas valide" in page_text(client.get(f"/compte/verification/{token}/"))


def test_new_link_is_sent(client: Client, signed_up: User, on_commit) -> None:
    """Asking for a new link sends one that confirms the address."""
    with on_commit():
        response = client.post(RESEND, {"email": "helene.dupont@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert "un nouveau lien vient d'y être envoyé" in page_text(client.get(response.url))
    assert "Adresse confirmée" in page_text(
        client.get(link_in(mail.outbox[1], "/compte/verification/"))
    )


def test_new_link_for_an_unknown_address_looks_the_same(
    client: Client, db: None, on_commit
) -> None:
    """An address without a pending account gets the same answer and no email."""
    with on_commit():
        response = client.post(RESEND, {"email": "personne@example.org"})
    assert response.status_code == 302
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_new_link_is_not_sent_to_active_accounts(client: Client, resident, on_commit) -> None:
    """An account already confirmed is not sent a confirmation link."""
    with on_commit():
        client.post(RESEND, {"email": "helene@example.org"})
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_new_links_are_limited_to_three_an_hour(client: Client, signed_up: User, on_commit) -> None:
    """A fourth request within the hour for one address is refused with a delay."""
    for _attempt in range(3):
        with on_commit():
            client.post(RESEND, {"email": "helene.dupont@example.org"})
    with on_commit():
        response = client.post(RESEND, {"email": "HELENE.DUPONT@example.org"})
    assert "Trop de tentatives, réessayez dans" in page_text(response)
    assert len(mail.outbox) == 4  # the sign-up's and three new ones


def test_new_link_with_a_malformed_address(client: Client, db: None) -> None:
    """A malformed address is explained and kept in the field."""
    response = client.post(RESEND, {"email": "helene@@example"})
    content = page_text(response)
    assert "n'est pas valide" in content
    assert 'value="helene@@example"' in content
