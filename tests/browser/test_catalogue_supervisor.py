import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.catalogue.actions import update_procedure
from guichet.catalogue.loader import load_catalogue
from guichet.catalogue.models import Procedure
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_edits_a_procedure_and_sees_it_in_the_history(
    page: Page, live_server, supervisor
) -> None:
    """A supervisor finds a procedure, changes its cost and reads the change in the history."""
    assert load_catalogue().ok
    log_in(page, live_server.url, "elise", "motdepasse-test")
    page.goto(live_server.url + "/agents/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue et fiches réflexes")
    assert_accessible(page)

    page.get_by_label("Rechercher").fill("cantine")
    page.get_by_role("button", name="Rechercher").click()
    page.locator(".search-results").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Note pour les agents")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Modifier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier")
    assert_accessible(page)
    page.get_by_label("Titre").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Titre : Ce champ est obligatoire.")
    assert_accessible(page)

    page.get_by_label("Titre").fill("Inscrire son enfant à la cantine")
    page.get_by_label("Coût").fill("De 0,50 € à 4,80 € le repas selon le quotient familial")
    page.get_by_label("Motif de la modification").fill("Tarifs de la rentrée")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Modifications enregistrées.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire son enfant à la cantine")

    page.get_by_role("link", name="Historique des modifications").click()
    latest = page.locator(".timeline > li").first
    expect(latest).to_contain_text(supervisor.user.display_name())
    expect(latest).to_contain_text("Tarifs de la rentrée")
    expect(latest).to_contain_text("De 0,50 € à 4,80 € le repas selon le quotient familial")
    expect(latest).to_contain_text("Titre")
    expect(latest.locator(".changes > li")).to_have_count(2)  # title and cost, nothing else
    assert_accessible(page)


def test_supervisor_reviews_stale_content_and_writes_an_article(
    page: Page, live_server, supervisor
) -> None:
    """A supervisor clears the review list and creates a knowledge article agents can read."""
    assert load_catalogue().ok
    procedure = Procedure.objects.get(slug="encombrants")
    update_procedure(
        procedure,
        actor=None,
        changes={"review_before": timezone.localdate() - datetime.timedelta(days=3)},
    )
    log_in(page, live_server.url, "elise", "motdepasse-test")
    page.goto(live_server.url + "/agents/catalogue/a-revoir/")
    row = page.get_by_role("row").filter(has_text=procedure.title)
    expect(row).to_contain_text("À revoir")
    assert_accessible(page)
    row.get_by_role("button", name="Marquer comme relu").click()
    expect(page.get_by_text("est marqué comme relu")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=procedure.title)).to_have_count(0)

    page.goto(live_server.url + "/agents/fiches/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle fiche réflexe").click()
    assert_accessible(page)
    page.get_by_label("Titre").fill("Encombrants : que répondre au téléphone")
    page.get_by_label("Contenu").fill("## À dire\n\n- Le rendez-vous se prend en ligne.")
    page.get_by_role("group", name="Démarches liées").get_by_label(procedure.title).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Fiche réflexe créée.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="À dire")).to_be_visible()
    expect(page.get_by_role("link", name=procedure.title)).to_be_visible()
    assert_accessible(page)
