"""Conditional fields of a request form page in a real browser (cases/conditions.js), with axe."""

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from guichet.cases.form_engine import build_page_form
from guichet.residents.models import Resident
from tests.browser.conftest import assert_accessible
from tests.cases.form_helpers import OPTIONS, definition, document, field, page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "guichet"
SCRIPT = (PACKAGE / "cases" / "static" / "cases" / "conditions.js").read_text()
STYLES = (PACKAGE / "static" / "guichet" / "guichet.css").read_text()

FORM = definition(
    page(
        "demande",
        field("qualite", "choice", options=OPTIONS, required=True, help="Votre lien."),
        field(
            "precision",
            required=True,
            condition={"field": "qualite", "equals": "autre"},
        ),
        field("detail", "textarea", condition={"field": "precision", "answered": True}),
        field("accord", "checkbox"),
        field(
            "motif",
            "choice",
            options=[{"value": f"m{n}", "label": f"Motif {n}"} for n in range(7)],
            condition={"all": [{"field": "accord", "is_true": True}]},
        ),
        field("acte", "file", document_kind="birth_certificate"),
    )
)


def show(browser_page: Page, resident: Resident, data: dict[str, str] | None = None) -> None:
    """Load the page's template, as a filing view draws it, into the browser."""
    form = build_page_form(FORM, FORM.pages[0], resident=resident, answers={}, data=data)
    if data is not None:
        form.is_valid()
    body = render_to_string("cases/form/page.html", {"form": form})
    browser_page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Demande — test'
        f"</title><style>{STYLES}</style></head><body><main><h1>Votre demande</h1>"
        f'<form method="post" enctype="multipart/form-data" novalidate>{body}'
        '<button type="submit" class="button">Étape suivante</button></form></main></body></html>'
    )
    browser_page.add_script_tag(content=SCRIPT)


def test_conditional_fields_follow_the_answers_live(page: Page, resident: Resident) -> None:
    """Fields appear and disappear as the resident answers, and hidden ones are disabled."""
    show(page, resident)
    precision = page.get_by_label("Libellé precision")
    expect(precision).to_be_hidden()
    expect(page.get_by_text("À remplir seulement si")).to_have_count(0)
    page.get_by_label("Une autre personne").check()
    expect(precision).to_be_visible()
    expect(page.get_by_label("Libellé detail")).to_be_hidden()
    precision.fill("Tuteur")
    expect(page.get_by_label("Libellé detail")).to_be_visible()
    page.get_by_label("Son père ou sa mère").check()
    expect(precision).to_be_hidden()
    expect(precision).to_be_disabled()
    # Hidden in turn: it reads a field that is now hidden, even though that one holds text.
    expect(page.get_by_label("Libellé detail")).to_be_hidden()
    expect(page.get_by_label("Libellé motif")).to_be_hidden()
    page.get_by_label("Libellé accord").check()
    expect(page.get_by_label("Libellé motif")).to_be_visible()
    assert_accessible(page)


def test_the_page_with_errors_is_accessible(page: Page, resident: Resident) -> None:
    """The error summary, groups and file choice pass axe, and the summary links work."""
    document(resident, original_name="acte.pdf")
    show(page, resident, data={"qualite": ""})
    expect(page.get_by_role("alert")).to_contain_text("La page contient une erreur")
    assert_accessible(page)
    page.get_by_role("link", name="Libellé qualite : Choisissez une réponse.").click()
    page.keyboard.press("Space")
    expect(page.get_by_label("La personne concernée")).to_be_checked()
    expect(
        page.get_by_label("Utiliser la pièce déjà fournie : Acte de naissance — acte.pdf")
    ).to_be_visible()
