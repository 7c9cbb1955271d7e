import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from guichet.notifications.models import Notification
from guichet.organisation.models import Agent
from guichet.residents.models import Resident
from tests.portal.helpers import html_part, link_in, page_text

pytestmark = pytest.mark.django_db

URL = "/compte/mot-de-passe/oublie/"
DONE = "/compte/mot-de-passe/oublie/envoye/"
NEW_PASSWORD = "Tout-nouveau-secret-2024"


def test_url_names() -> None:
    """Password reset lives under /compte/mot-de-passe/."""
    assert reverse("portal:account:password_reset") == URL
    assert reverse("portal:account:password_reset_done") == DONE


def test_reset_by_email_then_log_in(client: Client, resident: Resident, on_commit) -> None:
    """The emailed link lets the resident choose a new password, which then logs in."""
    with on_commit():
        response = client.post(URL, {"email": "helene@example.org"})
    assert response.status_code == 302
    assert response.url == DONE
    [message] = mail.outbox
    assert message.to == ["helene@example.org"]
    assert "Choisissez un nouveau mot de passe" in message.subject
    assert "valable 3 jours" in message.body
    link = link_in(message, "/compte/mot-de-passe/nouveau/")
    assert link in html_part(message)

    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in page_text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    assert "set-password" in set_password_url  # the token left the address bar
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.url == reverse("portal:account:password_reset_complete")
    assert "Mot de passe enregistré" in page_text(client.get(done.url))

    client.post("/connexion/", {"username": "helene", "password": NEW_PASSWORD})
    assert int(client.session[SESSION_KEY]) == resident.user_id
    client.logout()
    assert "Ce lien ne fonctionne pas" in page_text(client.get(link, follow=True))


def test_weak_new_password_is_explained(client: Client, resident: Resident, on_commit) -> None:
    """Django's password rules apply, in French."""
    with on_commit():
        client.post(URL, {"email": "helene@example.org"})
    page = client.get(link_in(mail.outbox[0], "/compte/mot-de-passe/nouveau/"), follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )
    content = page_text(response)
    assert "Le formulaire contient" in content
    assert "trop court" in content


def test_unknown_address_looks_the_same(client: Client, db: None, on_commit) -> None:
    """An address without an account gets the same answer and no email."""
    with on_commit():
        response = client.post(URL, {"email": "personne@example.org"})
    assert response.url == DONE
    assert not mail.outbox
    assert not Notification.objects.exists()
    assert "Si un compte existe avec cette adresse" in page_text(client.get(DONE))


def test_agents_may_reset_their_password_too(
    client: Client, reception_agent: Agent, on_commit
) -> None:
    """The shared login stays usable for agents: they get a reset link as well."""
    with on_commit():
        client.post(URL, {"email": reception_agent.user.email})
    [message] = mail.outbox
    assert message.to == [reception_agent.user.email]
    assert "/compte/mot-de-passe/nouveau/" in message.body


def test_requests_are_limited(client: Client, resident: Resident, on_commit) -> None:
    """Each of five requests in the hour sends a link; the sixth is refused with a delay."""
    for _attempt in range(5):
        with on_commit():
            client.post(URL, {"email": "helene@example.org"})
    with on_commit():
        response = client.post(URL, {"email": "helene@example.org"})
    assert "Trop de tentatives, réessayez dans" in page_text(response)
    assert len(mail.outbox) == 5


def test_invalid_link(client: Client, resident: Resident) -> None:
    """A forged link says it does not work and offers a new one."""
    response = client.get("/compte/mot-de-passe/nouveau/MQ/pas-un-jeton/")
    content = page_text(response)
    assert response.status_code == 200
    assert "Ce lien ne fonctionne pas" in content
    assert f'href="{URL}"' in content
