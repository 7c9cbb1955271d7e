import re

import pytest
from playwright.sync_api import Page, expect

from guichet.organisation.models import Agent, Site
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_creates_a_site_with_hours_and_an_agent(
    page: Page, live_server, admin_agent: Agent
) -> None:
    """An administrator creates a site (fixing an hours mistake) then an agent working there."""
    log_in(page, live_server.url, "farid", PASSWORD)
    page.goto(live_server.url + "/agents/administration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    assert_accessible(page)

    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Sites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sites")
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un site").click()
    assert_accessible(page)

    page.get_by_label("Identifiant").fill("relais-sud")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Relais numérique Sud")
    page.get_by_label("Type de site").select_option(label="Relais numérique")
    page.get_by_label("Adresse").fill("2 rue des Écoles")
    page.get_by_label("Code postal").fill("94000")
    monday = page.get_by_role("group", name="Plage horaire 1")
    monday.get_by_label("Jour").select_option(label="Lundi")
    monday.get_by_label("Ouverture").fill("14:00")
    monday.get_by_label("Fermeture").fill("09:00")
    tuesday = page.get_by_role("group", name="Plage horaire 2")
    tuesday.get_by_label("Jour").select_option(label="Mardi")
    tuesday.get_by_label("Ouverture").fill("09:30")
    tuesday.get_by_label("Fermeture").fill("12:30")
    page.get_by_role("button", name="Créer le site").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("L'heure de fermeture doit être après l'heure d'ouverture")
    expect(page.get_by_label("Nom (obligatoire)", exact=True)).to_have_value("Relais numérique Sud")
    assert_accessible(page)
    alert.get_by_role("link", name=re.compile("Fermeture")).click()
    expect(monday.get_by_label("Fermeture")).to_be_focused()
    monday.get_by_label("Fermeture").fill("18:00")
    page.get_by_role("button", name="Créer le site").click()

    expect(page.get_by_role("status").first).to_contain_text(
        "Le site « Relais numérique Sud » a été créé."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Site : Relais numérique Sud")
    assert_accessible(page)
    site = Site.objects.get(slug="relais-sud")
    assert site.opening_hours.count() == 2

    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Agents").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un agent").click()
    page.get_by_label("Identifiant de connexion").fill("marie.durand")
    page.get_by_label("Prénom").fill("Marie")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Durand")
    page.get_by_label("Rôle").select_option(label="Médiateur numérique")
    page.get_by_label("Relais numérique Sud").check()
    assert_accessible(page)
    page.get_by_role("button", name="Créer l'agent").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mot de passe provisoire de Marie Durand"
    )
    password = page.locator("#secret").inner_text()
    assert len(password) == 14
    assert_accessible(page)
    agent = Agent.objects.get(user__username="marie.durand")
    assert list(agent.sites.all()) == [site]
    assert agent.user.check_password(password)


def test_administrator_adds_a_closure_and_a_department(
    page: Page, live_server, admin_agent: Agent
) -> None:
    """An administrator closes a site for works (after a date mistake) and adds a department."""
    site = Site.objects.get(slug="mairie-annexe-nord")
    log_in(page, live_server.url, "farid", PASSWORD)
    page.goto(f"{live_server.url}/agents/administration/sites/{site.slug}/")
    page.get_by_role("link", name="Fermetures exceptionnelles").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mairie annexe Nord")
    assert_accessible(page)
    page.get_by_label("Fermé du").fill("2026-12-26")
    page.get_by_label("au (inclus)").fill("2026-12-24")
    page.get_by_label("Motif").fill("Travaux")
    page.get_by_role("button", name="Ajouter la fermeture").click()
    expect(page.get_by_role("alert")).to_contain_text("La date de fin doit être")
    assert_accessible(page)
    page.get_by_label("au (inclus)").fill("2026-12-31")
    page.get_by_role("button", name="Ajouter la fermeture").click()
    expect(page.get_by_role("cell", name="Travaux")).to_be_visible()
    assert site.closures.count() == 1

    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Services"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter un service").click()
    page.get_by_label("Identifiant").fill("urbanisme")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Urbanisme")
    page.get_by_label("Courriel du service").fill("urbanisme@example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Créer le service").click()
    expect(page.get_by_role("link", name="Urbanisme")).to_be_visible()
    assert_accessible(page)
