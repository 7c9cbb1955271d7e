import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.organisation.models import User
from guichet.portal.accounts import tokens
from guichet.residents.models import Resident, ResidentChange
from tests.conftest import PERSONAS
from tests.factories import ResidentFactory, UserFactory
from tests.portal.helpers import link_in, page_text

pytestmark = pytest.mark.django_db

URL = "/compte/profil/"
PASSWORD_URL = "/compte/profil/mot-de-passe/"
RESIDENTS = {"resident", "other_resident"}


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "helene@example.org",
        "phone": "06 12 34 56 78",
        "address": "3 rue des Écoles",
        "postal_code": "94000",
        "city": "Créteil",
        "preferred_language": "fr",
        "preferred_channel": "email",
        "consent_email": "on",
        "needs_mobility": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_url_names() -> None:
    """The profile lives at /compte/profil/."""
    assert reverse("portal:account:profile") == URL
    assert reverse("portal:account:password_change") == PASSWORD_URL


@pytest.mark.parametrize("url", [URL, PASSWORD_URL])
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_the_profile(persona_client, persona: str, url: str) -> None:
    """Residents get their profile; agents get 404; anonymous visitors are sent to log in."""
    response = persona_client.as_(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/connexion/?next=")
    else:
        assert response.status_code == (200 if persona in RESIDENTS else 404)


def test_account_without_a_file_gets_404(client: Client, db: None) -> None:
    """A login that is neither an agent nor linked to a resident file has no profile."""
    client.force_login(UserFactory(username="orphan"))
    assert client.get(URL).status_code == 404


def test_profile_shows_identity_read_only(client: Client, resident: Resident) -> None:
    """Names and birth date are shown, not editable, with where to correct them."""
    client.force_login(resident.user)
    content = page_text(client.get(URL))
    assert "DUPONT Hélène" in content
    assert 'name="first_names"' not in content
    assert "adressez-vous à l'accueil" in content


def test_update_contact_details_and_preferences(client: Client, resident: Resident) -> None:
    """Saving writes the file through the action, with the resident as actor on the web."""
    client.force_login(resident.user)
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response.url == URL
    resident.refresh_from_db()
    assert resident.phone == "+33612345678"
    assert (resident.address, resident.postal_code) == ("3 rue des Écoles", "94000")
    assert resident.preferred_channel == "email"
    assert resident.consent_email and not resident.consent_sms
    assert resident.needs_mobility and not resident.needs_sight
    change = ResidentChange.objects.get(resident=resident)
    assert (change.actor, change.channel) == (resident.user, "web")
    assert "Vos informations ont été enregistrées" in page_text(client.get(URL))
    assert not mail.outbox


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12"}, "Ce numéro de téléphone n'est pas valide"),
        ({"phone": "<script>"}, "Ce numéro de téléphone n'est pas valide"),
        ({"email": "pas-une-adresse"}, "n'est pas valide"),
        ({"email": ""}, "Saisissez votre adresse électronique."),
        (
            {"preferred_channel": "sms", "phone": ""},
            "Saisissez un numéro de téléphone pour être prévenu(e) par SMS.",
        ),
        ({"preferred_channel": "sms"}, "Cochez cette case pour être prévenu(e) par SMS."),
        (
            {"preferred_channel": "email", "consent_email": None},
            "Cochez cette case pour être prévenu(e) par courriel.",
        ),
        ({"preferred_channel": "counter"}, "Sélectionnez un choix valide"),
        ({"preferred_language": "xx"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_explained_and_kept(
    client: Client, resident: Resident, overrides: dict[str, str | None], message: str
) -> None:
    """Each mistake gets a French message; the other values typed stay in the form."""
    client.force_login(resident.user)
    response = client.post(URL, form_data(**overrides))
    content = page_text(response)
    assert response.status_code == 200
    assert message in content
    assert "Le formulaire contient" in content
    assert 'value="3 rue des Écoles"' in content
    resident.refresh_from_db()
    assert resident.address == ""


def test_hostile_address_is_stored_as_text(client: Client, resident: Resident) -> None:
    """Markup typed in the address is stored as typed and shown escaped."""
    client.force_login(resident.user)
    client.post(URL, form_data(address="<img src=x onerror=alert(1)>"))
    resident.refresh_from_db()
    assert resident.address == "<img src=x onerror=alert(1)>"
    content = client.get(URL).content.decode()
    assert "<img src=x" not in content


def test_a_channel_noted_by_an_agent_is_kept(client: Client, resident: Resident) -> None:
    """A preference for the phone, noted at the counter, survives saving the profile."""
    Resident.objects.filter(pk=resident.pk).update(preferred_channel="phone")
    client.force_login(resident.user)
    page = page_text(client.get(URL))
    assert "Téléphone" in page
    client.post(URL, form_data(preferred_channel="phone"))
    resident.refresh_from_db()
    assert resident.preferred_channel == "phone"


def test_email_change_waits_for_the_new_address(
    client: Client, resident: Resident, on_commit
) -> None:
    """A new address gets a link; the account and the file change only when it is opened."""
    client.force_login(resident.user)
    with on_commit():
        client.post(URL, form_data(email="Helene.Nouvelle@Example.org"))
    resident.refresh_from_db()
    assert resident.email == "helene@example.org"
    [message] = mail.outbox
    assert message.to == ["helene.nouvelle@example.org"]
    assert "Confirmez votre nouvelle adresse" in message.subject
    assert "valable 3 jours" in message.body
    assert "ouvrez le lien que nous venons d'envoyer" in page_text(client.get(URL))

    with on_commit():
        response = client.get(link_in(message, "/compte/adresse/"))
    assert "Votre adresse électronique est maintenant" in page_text(response)
    resident.refresh_from_db()
    user = User.objects.get(pk=resident.user_id)
    assert resident.email == user.email == "helene.nouvelle@example.org"
    assert user.username == "helene"  # an identifier that was not the email stays
    change = ResidentChange.objects.filter(resident=resident).first()
    assert change is not None
    assert change.changes["email"] == ["helene@example.org", "helene.nouvelle@example.org"]
    notice = mail.outbox[1]
    assert notice.to == ["helene@example.org"]
    assert "a changé" in notice.subject
    # Whoever reads the former mailbox is warned without learning the new address.
    assert "helene.nouvelle" not in notice.body
    assert "accueil de la mairie" in notice.body
    assert "a déjà servi" in page_text(client.get(link_in(message, "/compte/adresse/")))


def test_email_used_as_identifier_follows_the_change(client: Client, db: None, on_commit) -> None:
    """An account that logs in with its email logs in with the new one afterwards."""
    user = UserFactory(username="jeanne@example.org", email="jeanne@example.org")
    ResidentFactory(user=user, email="jeanne@example.org")
    token = tokens.CHANGE_EMAIL.make(user, email="jeanne@ville.fr")
    with on_commit():
        client.get(f"/compte/adresse/{token}/")
    user.refresh_from_db()
    assert user.username == "jeanne@ville.fr"
    response = client.post(
        "/connexion/", {"username": "jeanne@ville.fr", "password": "motdepasse-test"}
    )
    assert response.status_code == 302


def test_email_taken_meanwhile(client: Client, resident: Resident, other_resident) -> None:
    """If another account has the address by the time the link is opened, nothing changes."""
    token = tokens.CHANGE_EMAIL.make(resident.user, email="ivan@example.org")
    response = client.get(f"/compte/adresse/{token}/")
    assert "est déjà celle d'un autre compte" in page_text(response)
    resident.refresh_from_db()
    assert resident.email == "helene@example.org"


def test_expired_or_forged_email_change_link(client: Client, resident: Resident) -> None:
    """Old and forged links are explained."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 4 * 86400):
        token = tokens.CHANGE_EMAIL.make(resident.user, email="h@example.org")
    assert "a expiré" in page_text(client.get(f"/compte/adresse/{token}/"))
    assert "n'est pas valide" in page_text(client.get("/compte/adresse/faux/"))


def test_change_password(client: Client, resident: Resident) -> None:
    """The current password is asked; the new one works and the session stays open."""
    client.force_login(resident.user)
    wrong = client.post(
        PASSWORD_URL,
        {
            "old_password": "faux",
            "new_password1": "Neuf-2024-abc",
            "new_password2": "Neuf-2024-abc",
        },
    )
    assert "ancien mot de passe est incorrect" in page_text(wrong)
    response = client.post(
        PASSWORD_URL,
        {
            "old_password": "motdepasse-test",
            "new_password1": "Neuf-2024-abc",
            "new_password2": "Neuf-2024-abc",
        },
    )
    assert response.status_code == 302
    assert response.url == URL
    assert SESSION_KEY in client.session
    assert User.objects.get(pk=resident.user_id).check_password("Neuf-2024-abc")


def test_account_without_password_chooses_one(client: Client, db: None) -> None:
    """An account made from a provider's identity sets a password without an old one."""
    user = UserFactory(username="fc-user")
    user.set_unusable_password()
    user.save()
    ResidentFactory(user=user)
    client.force_login(user)
    page = page_text(client.get(PASSWORD_URL))
    assert "Choisir un mot de passe" in page
    assert 'name="old_password"' not in page
    client.post(PASSWORD_URL, {"new_password1": "Neuf-2024-abc", "new_password2": "Neuf-2024-abc"})
    assert User.objects.get(pk=user.pk).check_password("Neuf-2024-abc")
