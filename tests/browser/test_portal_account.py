import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from guichet.notifications.choices import NotificationStatus
from guichet.notifications.models import Notification
from guichet.residents.models import Resident
from tests.browser.conftest import assert_accessible
from tests.portal.oidc_provider import OidcTestProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Un-mot-de-passe-solide-42"


@pytest.fixture(autouse=True)
def no_attempts_counted() -> None:
    """Attempt limits live in the cache, shared with the live server: start from none."""
    cache.clear()


def emailed_path(prefix: str) -> str:
    """Return the link of the last email, delivered by the outbox once the page's work committed."""
    latest = Notification.objects.order_by("-pk").first()
    assert latest is not None and latest.status == NotificationStatus.SENT
    assert mail.outbox[-1].extra_headers["Message-ID"] == latest.provider_id
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match[1]


def test_sign_up_confirm_log_in_and_edit_the_profile(page: Page, live_server) -> None:
    """A resident signs up, opens the emailed link, logs in and edits the profile."""
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    assert_accessible(page)

    page.get_by_label("Madame").check()
    page.get_by_label("Prénoms").fill("Hélène")
    page.get_by_label("Nom d'usage").fill("Dupont")
    page.get_by_label("Date de naissance").fill("1980-03-12")
    page.get_by_label("Adresse électronique").fill("helene.dupont@example.org")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill("autre chose")
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient")
    expect(page.get_by_label("Nom d'usage")).to_have_value("Dupont")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation").check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirmez votre adresse électronique"
    )
    assert_accessible(page)
    page.goto(live_server.url + emailed_path("/compte/verification/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse confirmée")
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("helene.dupont@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()

    page.get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("07 00 00 00 00 0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient une erreur")
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("radio", name="Par SMS").check()
    page.get_by_label("J'accepte de recevoir des messages de la ville par SMS").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Vos informations ont été enregistrées")
    assert_accessible(page)
    resident = Resident.objects.get(email="helene.dupont@example.org")
    assert (resident.phone, resident.preferred_channel) == ("+33612345678", "sms")


def test_sign_in_by_emailed_link(page: Page, live_server, resident: Resident) -> None:
    """A resident without a password at hand asks for a link and signs in with a click."""
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_role("link", name="Recevoir un lien de connexion par courriel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recevoir un lien de connexion")
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill("helene@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    assert_accessible(page)

    page.goto(live_server.url + emailed_path("/compte/lien-de-connexion/"))
    expect(page).to_have_url(f"{live_server.url}/compte/lien-de-connexion/connexion/")
    assert_accessible(page)
    page.get_by_role("button", name="Me connecter").click()
    expect(page.get_by_role("link", name="Mon profil")).to_be_visible()


def test_forgotten_password_pages(page: Page, live_server, resident: Resident) -> None:
    """The forgotten-password pages and an invalid link page are accessible."""
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill("helene@example.org")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre messagerie")
    page.goto(live_server.url + emailed_path("/compte/mot-de-passe/nouveau/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    assert_accessible(page)
    page.goto(f"{live_server.url}/compte/verification/lien-abime/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien ne fonctionne pas")
    assert_accessible(page)


def test_sign_up_with_the_provider_then_log_out_of_both(
    page: Page, live_server, oidc_provider: OidcTestProvider
) -> None:
    """FranceConnect-style: consent, an account from the claims, and a logout that ends the
    session at the provider as well, back on the portal's home page."""
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_role("link", name="Se connecter avec FranceConnect").click()
    expect(page.get_by_text("helene.fc@example.org")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("J'ai lu et j'accepte les conditions d'utilisation du service").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter", exact=True)).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/")
    (logout,) = oidc_provider.logouts
    assert logout["id_token_hint"] == oidc_provider.issued_id_tokens[-1]
    assert_accessible(page)
