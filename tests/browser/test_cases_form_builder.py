import pytest
from playwright.sync_api import Page, expect

from guichet.cases.models import CaseForm
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import CaseFormFactory, ProcedureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_adds_a_field_and_publishes(page: Page, live_server, supervisor, city) -> None:
    """A supervisor adds a choice field, previews the form and publishes it from the keyboard."""
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(
            slug="cantine", title="Inscription à la cantine", department=city.education
        )
    )
    ProcedureFactory(slug="encombrants", title="Enlèvement des encombrants")
    log_in(page, live_server.url, "elise", "motdepasse-test")

    page.goto(live_server.url + "/agents/")
    page.get_by_role("link", name="Formulaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaires de demande")
    expect(page.get_by_role("button", name="Créer le formulaire")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="Inscription à la cantine").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inscription à la cantine")
    assert_accessible(page)

    page.get_by_label("Type du nouveau champ").select_option(label="Choix unique")
    page.get_by_role("button", name="Ajouter un champ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un champ « Choix unique »")
    page.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.get_by_role("alert")).to_contain_text("Libellé : Ce champ est obligatoire.")
    assert_accessible(page)

    page.get_by_label("Libellé").fill("Régime alimentaire")
    page.get_by_label("Réponse obligatoire").check()
    page.get_by_label("Options").fill("Sans porc\nVégétarien\nAucun")
    page.get_by_label("Afficher seulement si le champ").select_option(label="Objet (objet)")
    page.get_by_label("Comparaison").select_option(label="a une réponse")
    page.get_by_role("button", name="Enregistrer le champ").click()
    expect(page.get_by_text("Champ « Régime alimentaire » ajouté.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Régime alimentaire")
    expect(row).to_contain_text("Choix unique")
    expect(row).to_contain_text("si « Objet » a une réponse")
    expect(page.get_by_text("Modifications non publiées")).to_be_visible()

    page.get_by_role("link", name="Aperçu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aperçu du formulaire")
    assert_accessible(page)
    # The condition works in the preview: the choice shows once "Objet" is answered.
    choice = page.get_by_role("group", name="Régime alimentaire")
    expect(choice).to_be_hidden()
    page.get_by_label("Objet").fill("Inscription")
    page.get_by_label("Objet").blur()
    expect(choice).to_be_visible()

    page.get_by_role("link", name="Publier").last.click()
    expect(page.get_by_role("button", name="Publier la version 2")).to_be_visible()
    assert_accessible(page)
    # From here on, the keyboard only.
    page.get_by_label("Ce qui change (facultatif)").focus()
    page.keyboard.type("Régime alimentaire")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Publier la version 2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Version 2 publiée")).to_be_visible()

    version = form.current_version()
    assert version is not None and version.number == 2
    assert version.comment == "Régime alimentaire"
    keys = [f["key"] for f in version.definition["pages"][0]["sections"][0]["fields"]]
    assert keys == ["objet", "details", "regime_alimentaire"]
