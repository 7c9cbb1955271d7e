import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.organisation.models import User
from guichet.portal.models import PendingAccount
from guichet.residents.models import Resident, ResidentChange
from tests.factories import AgentFactory, UserFactory
from tests.portal.helpers import html_part, link_in, page_text

pytestmark = pytest.mark.django_db

URL = "/compte/inscription/"
DONE = "/compte/inscription/envoye/"


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "civility": "mme",
        "first_names": "Hélène Marie",
        "usage_name": "Dupont",
        "birth_date": "1980-03-12",
        "email": "Helene.Dupont@Example.org",
        "password1": "Un-mot-de-passe-solide-42",
        "password2": "Un-mot-de-passe-solide-42",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_url_names() -> None:
    """Sign-up lives at /compte/inscription/ under the portal:account namespace."""
    assert reverse("portal:account:sign_up") == URL
    assert reverse("portal:account:sign_up_done") == DONE


def test_page_is_accessible_form_and_not_indexed(client: Client) -> None:
    """The form has every field with a label, and asks search engines not to index it."""
    response = client.get(URL)
    content = page_text(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in content
    for field, label in (
        ("first_names", "Prénoms"),
        ("usage_name", "Nom d'usage"),
        ("birth_date", "Date de naissance"),
        ("email", "Adresse électronique"),
        ("password1", "Mot de passe"),
    ):
        assert f'<label for="id_{field}">{label}' in content
    assert "conditions d'utilisation" in content
    assert 'autocomplete="new-password"' in content


def test_sign_up_creates_an_inactive_account_and_a_file(
    client: Client, on_commit, settings
) -> None:
    """A valid form makes an inactive login, a resident file linked to it, and sends the link."""
    with on_commit():
        response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response.url == DONE
    user = User.objects.get()
    assert user.username == user.email == "helene.dupont@example.org"
    assert not user.is_active
    assert user.check_password("Un-mot-de-passe-solide-42")
    assert PendingAccount.objects.filter(user=user).exists()
    resident = Resident.objects.get(user=user)
    assert (resident.first_names, resident.usage_name) == ("Hélène Marie", "Dupont")
    assert resident.birth_date == datetime.date(1980, 3, 12)
    assert resident.civility == "mme"
    assert resident.preferred_language == "fr"
    changes = ResidentChange.objects.filter(resident=resident)
    assert {(change.channel, change.actor_id) for change in changes} == {("web", None)}
    assert any("user" in change.changes for change in changes)

    [message] = mail.outbox
    assert message.to == ["helene.dupont@example.org"]
    assert "Confirmez votre adresse" in message.subject
    path = link_in(message, "/compte/verification/")
    assert path in html_part(message)
    assert "valable 3 jours" in message.body
    done = page_text(client.get(response.url))
    assert "helene.dupont@example.org" in done


def test_sign_up_in_english_writes_in_english(client: Client, on_commit) -> None:
    """Signing up on the English site records English and writes the email in English."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with on_commit():
        client.post(URL, form_data())
    assert Resident.objects.get().preferred_language == "en"
    assert '<html lang="en">' in html_part(mail.outbox[0])


def test_existing_account_is_not_revealed(client: Client, on_commit, resident: Resident) -> None:
    """An address with an account gets the same page; its owner is told by email."""
    with on_commit():
        response = client.post(URL, form_data(email="HELENE@example.org"))
    assert response.url == DONE
    assert User.objects.count() == 1
    assert Resident.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["helene@example.org"]
    assert "Vous avez déjà un compte" in message.subject
    assert "nouveau mot de passe" in message.body
    assert "/compte/verification/" not in message.body
    login_page = page_text(client.get(link_in(message, "/connexion/")))
    assert "Mot de passe oublié" in login_page
    assert "Recevoir un lien de connexion par courriel" in login_page


def test_agent_address_is_not_revealed_either(client: Client, on_commit, city) -> None:
    """An agent's address gets the same page and an email, never a second account."""
    AgentFactory(user=UserFactory(username="alice", email="alice@ville.fr"))
    with on_commit():
        response = client.post(URL, form_data(email="alice@ville.fr"))
    assert response.url == DONE
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["alice@ville.fr"]


def test_second_sign_up_before_confirmation_replaces_the_first(client: Client, on_commit) -> None:
    """A new sign-up for an unconfirmed address updates it, sends a new link, kills the old."""
    with on_commit():
        client.post(URL, form_data())
    first_link = link_in(mail.outbox[0], "/compte/verification/")
    with on_commit():
        client.post(
            URL,
            form_data(
                first_names="Hélène", password1="Autre-secret-9876", password2="Autre-secret-9876"
            ),
        )
    user = User.objects.get()
    assert user.check_password("Autre-secret-9876")
    assert Resident.objects.get().first_names == "Hélène"
    assert "remplacé" in page_text(client.get(first_link)) or "plus récent" in page_text(
        client.get(first_link)
    )
    second_link = link_in(mail.outbox[1], "/compte/verification/")
    assert "Adresse confirmée" in page_text(client.get(second_link))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "n'est pas valide"),
        ({"email": "helene@"}, "email", "n'est pas valide"),
        ({"email": ""}, "email", "Saisissez votre adresse électronique."),
        ({"password1": "court", "password2": "court"}, "password1", "trop court"),
        (
            {"password1": "motdepasse", "password2": "motdepasse"},
            "password1",
            "trop courant",
        ),
        (
            {"password1": "12345678901234", "password2": "12345678901234"},
            "password1",
            "entièrement numérique",
        ),
        (
            {"password1": "dupont1980", "password2": "dupont1980"},
            "password1",
            "trop semblable",
        ),
        ({"password2": "Un-autre-mot-de-passe-42"}, "password2", "pas identiques"),
        ({"accept_terms": ""}, "accept_terms", "accepter les conditions"),
        ({"first_names": "<script>alert(1)</script>"}, "first_names", "que des lettres"),
        ({"usage_name": "Dupont 3"}, "usage_name", "que des lettres"),
        ({"usage_name": ""}, "usage_name", "Saisissez votre nom d'usage."),
        ({"birth_date": "2999-01-01"}, "birth_date", "dans le futur"),
        ({"birth_date": "31/02/1980"}, "birth_date", "n'existe pas"),
        ({"civility": "roi"}, "civility", "Sélectionnez un choix valide"),
        ({"email": "a" * 250 + "@example.org"}, "email", "caractères"),
    ],
)
def test_bad_input_is_explained_and_kept(
    client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    """Each bad value gets a French message next to its field; what was typed stays."""
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    content = page_text(response)
    assert "Le formulaire contient" in content
    assert message in content
    assert f'aria-describedby="id_{field}' in content or f'id="id_{field}_error"' in content
    assert not User.objects.exists()
    assert not mail.outbox
    if field != "usage_name":
        assert 'value="Dupont"' in content


def test_hostile_strings_are_escaped(client: Client) -> None:
    """Markup typed in a field comes back escaped, never as markup."""
    response = client.post(URL, form_data(first_names='"><img src=x onerror=alert(1)>'))
    content = response.content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_sign_up_is_rate_limited(client: Client, on_commit) -> None:
    """The sixth sign-up in an hour from one address for one email is refused with a delay."""
    for _attempt in range(5):
        with on_commit():
            client.post(URL, form_data())
    with on_commit():
        response = client.post(URL, form_data())
    assert response.status_code == 200
    assert "Trop de tentatives, réessayez dans" in page_text(response)
    assert "minutes" in page_text(response)
    assert len(mail.outbox) == 5


def test_logged_in_person_is_sent_on(client: Client, resident: Resident) -> None:
    """Someone already logged in does not see the sign-up form."""
    client.force_login(resident.user)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_csrf_is_required(resident: Resident) -> None:
    """A sign-up posted from another site (no CSRF token) is refused."""
    response = Client(enforce_csrf_checks=True).post(URL, form_data())
    assert response.status_code == 403
    assert not User.objects.filter(email="helene.dupont@example.org").exists()


def test_email_server_down_still_answers(client: Client, on_commit) -> None:
    """If the email cannot leave, the page is the same (the person may ask for a new link)."""
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected("down"),
        ),
        on_commit(),
    ):
        response = client.post(URL, form_data())
    assert response.status_code == 302
    assert User.objects.filter(is_active=False).count() == 1


def test_terms_page(client: Client) -> None:
    """The terms of use can be read before accepting them."""
    response = client.get(reverse("portal:account:terms"))
    assert response.status_code == 200
    assert "Conditions d'utilisation" in page_text(response)
