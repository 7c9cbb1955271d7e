import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from guichet.organisation.choices import Role
from guichet.organisation.models import Agent, User
from tests.conftest import City


def agent_data(city: City, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "marie.durand",
        "first_name": "Marie",
        "last_name": "Durand",
        "email": "marie.durand@example.org",
        "job_title": "Agent d'accueil",
        "role": Role.RECEPTION,
        "sites": [city.annex.pk],
        "departments": [],
        "password": "",
    }
    data.update(overrides)
    return data


def test_create_agent_shows_the_temporary_password_once(admin_client: Client, city: City) -> None:
    """Creating an agent without a password shows a generated one that works."""
    response = admin_client.post(reverse("organisation:agent_create"), agent_data(city))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    password = response.context["secret"]
    assert password in response.content.decode()
    assert Client().login(username="marie.durand", password=password)
    agent = Agent.objects.get(user__username="marie.durand")
    assert list(agent.sites.all()) == [city.annex]


def test_create_agent_with_a_chosen_password(admin_client: Client, city: City) -> None:
    """A strong chosen password is used and the admin lands on the agent page."""
    response = admin_client.post(
        reverse("organisation:agent_create"), agent_data(city, password="cheval-agrafe-42-pile")
    )
    agent = Agent.objects.get(user__username="marie.durand")
    assert response["Location"] == reverse("organisation:agent_edit", args=[agent.pk])


def test_weak_password_is_refused_in_french(admin_client: Client, city: City) -> None:
    """Django's validators explain, in French, why a password is too weak."""
    html = admin_client.post(
        reverse("organisation:agent_create"), agent_data(city, password="123")
    ).content.decode()
    assert "Ce mot de passe est trop court" in html
    assert 'value="Marie"' in html
    assert not User.objects.filter(username="marie.durand").exists()


def test_duplicate_username_is_refused(
    admin_client: Client, city: City, reception_agent: Agent
) -> None:
    """An existing login, whatever its case, cannot be given twice."""
    html = admin_client.post(
        reverse("organisation:agent_create"), agent_data(city, username="alice")
    ).content.decode()
    assert "Cet identifiant est déjà pris" in html


@pytest.mark.parametrize("username", ["<script>", "Marie Durand", "é" * 3, "x" * 151])
def test_malformed_usernames_are_refused(admin_client: Client, city: City, username: str) -> None:
    """Usernames with spaces, accents, tags or over 150 characters are refused with a message."""
    response = admin_client.post(
        reverse("organisation:agent_create"), agent_data(city, username=username)
    )
    assert response.status_code == 400
    assert not User.objects.filter(username=username).exists()


def test_role_requirements(admin_client: Client, city: City) -> None:
    """A reception agent needs a site; a department agent needs a department."""
    url = reverse("organisation:agent_create")
    html = admin_client.post(url, agent_data(city, sites=[])).content.decode()
    assert "Choisissez au moins un site où cet agent reçoit le public." in html
    html = admin_client.post(url, agent_data(city, role=Role.DEPARTMENT)).content.decode()
    assert "Choisissez au moins un service pour un agent de service." in html


def test_edit_agent(admin_client: Client, city: City, reception_agent: Agent) -> None:
    """The administrator moves Alice to the relais as a digital helper."""
    url = reverse("organisation:agent_edit", args=[reception_agent.pk])
    data = agent_data(city, role=Role.HELPER, sites=[city.relais.pk])
    del data["username"], data["password"]
    assert admin_client.post(url, data).status_code == 302
    reception_agent.refresh_from_db()
    assert reception_agent.role == Role.HELPER
    assert list(reception_agent.sites.all()) == [city.relais]
    assert reception_agent.user.username == "alice"


def test_administrator_cannot_demote_or_deactivate_themselves(
    admin_client: Client, city: City, admin_agent: Agent
) -> None:
    """Changing one's own role or deactivating oneself is refused with an explanation."""
    url = reverse("organisation:agent_edit", args=[admin_agent.pk])
    data = agent_data(city, role=Role.SUPERVISOR)
    del data["username"], data["password"]
    html = admin_client.post(url, data).content.decode()
    assert "Vous ne pouvez pas retirer vos propres droits d&#x27;administrateur" in html
    response = admin_client.post(
        reverse("organisation:agent_toggle_active", args=[admin_agent.pk]), follow=True
    )
    assert "Vous ne pouvez pas désactiver votre propre compte" in response.content.decode()
    admin_agent.refresh_from_db()
    assert admin_agent.is_active and admin_agent.role == Role.ADMIN


def test_deactivate_then_reactivate(admin_client: Client, reception_agent: Agent) -> None:
    """The toggle deactivates, then reactivates, the account."""
    url = reverse("organisation:agent_toggle_active", args=[reception_agent.pk])
    admin_client.post(url)
    reception_agent.refresh_from_db()
    assert not reception_agent.is_active and not reception_agent.user.is_active
    admin_client.post(url)
    reception_agent.refresh_from_db()
    assert reception_agent.is_active and reception_agent.user.is_active


def test_reset_password_page(admin_client: Client, reception_agent: Agent) -> None:
    """Resetting shows a new password that works, and not the old one."""
    response = admin_client.post(
        reverse("organisation:agent_reset_password", args=[reception_agent.pk])
    )
    assert Client().login(username="alice", password=response.context["secret"])


def test_api_token_page(admin_client: Client, reception_agent: Agent) -> None:
    """The token shown is the agent's token."""
    response = admin_client.post(reverse("organisation:agent_api_token", args=[reception_agent.pk]))
    assert Token.objects.get(user=reception_agent.user).key == response.context["secret"]


def test_no_api_token_for_a_deactivated_agent(admin_client: Client, reception_agent: Agent) -> None:
    """A deactivated agent cannot receive a token."""
    reception_agent.is_active = False
    reception_agent.save()
    response = admin_client.post(
        reverse("organisation:agent_api_token", args=[reception_agent.pk]), follow=True
    )
    assert "Réactivez d&#x27;abord ce compte" in response.content.decode()
    assert not Token.objects.exists()


def test_agent_list_filters(
    admin_client: Client, reception_agent: Agent, ccas_agent: Agent, django_assert_max_num_queries
) -> None:
    """Filtering by role shows only matching agents, in a bounded number of queries."""
    url = reverse("organisation:agent_list")
    with django_assert_max_num_queries(12):
        html = admin_client.get(url, {"role": Role.DEPARTMENT}).content.decode()
    assert "alice" not in html and "bruno" in html
    html = admin_client.get(url, {"q": "ali"}).content.decode()
    assert "alice" in html and "bruno" not in html
