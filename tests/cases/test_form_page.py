"""One page of a form as a Django form: widgets, prefill, posting, uploads and its template."""

import datetime
import json
import re
from html import unescape as html_unescape
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone

from guichet.cases.form_engine import (
    PendingUpload,
    build_page_form,
    page_answers,
    partial_page_answers,
    store_pending_uploads,
)
from guichet.cases.form_fields import PageForm
from guichet.cases.form_schema import FormDefinition
from guichet.residents.models import Document, Resident, ResidentChange
from tests.cases.form_helpers import (
    OPTIONS,
    definition,
    document,
    expired,
    fake_pdf_upload,
    field,
    make_family,
    one_field,
    page,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

MANY_OPTIONS = [{"value": f"v{n}", "label": f"Option {n}"} for n in range(6)]


def form_for(
    form: FormDefinition,
    resident: Resident,
    data: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
    page_index: int = 0,
    **extra: Any,
) -> PageForm:
    return build_page_form(
        form,
        form.pages[page_index],
        resident=resident,
        answers=answers or {},
        data=data,
        files=files,
        **extra,
    )


def html_of(page_form: PageForm) -> str:
    return render_to_string("cases/form/page.html", {"form": page_form})


def tag(html: str, element_id: str) -> str:
    match = re.search(rf'<[^>]*id="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


# Widgets ------------------------------------------------------------------------------------


def test_each_type_gets_an_accessible_widget(resident: Resident) -> None:
    """Radios up to 5 options, a list beyond, boxes, a date picker, input modes."""
    form = definition(
        page(
            "p",
            field("court", "choice", options=OPTIONS),
            field("long", "choice", options=MANY_OPTIONS),
            field("motifs", "multichoice", options=OPTIONS),
            field("jour", "date"),
            field("tel", "phone"),
            field("nombre", "number"),
            field("montant", "number", validation={"decimals": 2}),
            field("texte", "textarea"),
            field("ok", "checkbox"),
        )
    )
    html = html_of(form_for(form, resident))
    assert 'type="radio" name="court"' in html
    assert '<select name="long"' in html
    assert 'type="checkbox" name="motifs"' in html
    assert 'type="date"' in tag(html, "id_jour")
    assert 'type="tel"' in tag(html, "id_tel") and 'inputmode="tel"' in tag(html, "id_tel")
    assert 'inputmode="numeric"' in tag(html, "id_nombre")
    assert 'inputmode="decimal"' in tag(html, "id_montant")
    assert "<textarea" in tag(html, "id_texte")
    assert "<legend>Libellé court" in html and "<legend>Libellé motifs" in html
    assert '<label for="id_long">Libellé long</label>' in html


def test_prefilled_identity_fields_get_autocomplete(resident: Resident) -> None:
    """The browser may fill the resident's own details, except when an agent types them."""
    form = definition(
        page(
            "p",
            field("prenoms", prefill="resident.first_names"),
            field("mel", "email", prefill="resident.email"),
            field("adresse", "address", prefill="resident.address"),
        )
    )
    html = html_of(form_for(form, resident))
    assert 'autocomplete="given-name"' in tag(html, "id_prenoms")
    assert 'autocomplete="email"' in tag(html, "id_mel")
    assert 'autocomplete="postal-code"' in tag(html, "id_adresse__postal_code")
    agent_html = html_of(form_for(form, resident, autocomplete=False))
    assert 'autocomplete="off"' in tag(agent_html, "id_prenoms")


def test_initial_values_come_from_answers_then_prefill(resident: Resident) -> None:
    """What the resident typed wins over their file; the file fills the rest."""
    resident.phone = "+33612345678"
    resident.save()
    form = definition(
        page(
            "p",
            field("prenoms", prefill="resident.first_names"),
            field("tel", "phone", prefill="resident.phone"),
        )
    )
    page_form = form_for(form, resident, answers={"prenoms": "Marie"})
    assert page_form["prenoms"].value() == "Marie"
    assert page_form["tel"].value() == "06 12 34 56 78"


def test_address_and_location_have_labelled_parts(resident: Resident) -> None:
    """Street, postal code and city (or place and point) are separate labelled inputs."""
    form = definition(page("p", field("adresse", "address"), field("lieu", "location")))
    html = html_of(
        form_for(
            form,
            resident,
            answers={"lieu": {"address": "Parc", "latitude": 48.5, "longitude": 2.25}},
        )
    )
    for part, label in (
        ("street", "Numéro et voie"),
        ("postal_code", "Code postal"),
        ("city", "Commune"),
    ):
        assert f'<label for="id_adresse__{part}">{label}</label>' in html
    assert 'value="48,5"' in tag(html, "id_lieu__latitude")


def test_file_field_offers_valid_documents_of_its_kind(
    resident: Resident, other_resident: Resident
) -> None:
    """Only the resident's still-valid documents of the kind are offered, with their validity."""
    valid = document(
        resident, original_name="acte-2025.pdf", valid_until=datetime.date(2030, 3, 12)
    )
    expired(resident)
    document(resident, "passport", original_name="passeport.pdf")
    document(other_resident, original_name="autrui.pdf")
    form = one_field("acte", "file", document_kind="birth_certificate")
    page_form = form_for(form, resident)
    html = html_of(page_form)
    assert (
        "Utiliser la pièce déjà fournie : Acte de naissance — acte-2025.pdf "
        "(valable jusqu&#x27;au 12 mars 2030)" in html
    )
    assert "ancien.pdf" not in html and "passeport.pdf" not in html and "autrui.pdf" not in html
    assert 'type="file" name="acte__upload"' in html
    assert page_form["acte"].value() == str(valid.uuid)


def test_household_member_field_lists_the_households_people(
    resident: Resident, other_resident: Resident
) -> None:
    """The resident and their household are listed, filtered by relation; others never."""
    family = make_family(resident, other_resident)
    everyone = one_field("personne", "household_member")
    html = html_of(form_for(everyone, resident))
    for person in (resident, family.spouse, family.child):
        assert f'value="{person.uuid}"' in html
    assert str(family.other_child.uuid) not in html
    assert "Léa DUPONT (Enfant, naissance le 3 mai 2015)" in html
    children = one_field("enfant", "household_member", relations=["child"])
    html = html_of(form_for(children, resident))
    assert str(family.spouse.uuid) not in html and str(family.child.uuid) in html


def test_household_member_field_without_household_says_where_to_go(resident: Resident) -> None:
    """With nobody to choose, the page says how to complete the household."""
    html = html_of(form_for(one_field("enfant", "household_member"), resident))
    assert "votre foyer n&#x27;est pas encore enregistré" in html


# Posting ------------------------------------------------------------------------------------


def test_a_valid_page_gives_every_key_in_stored_shapes(resident: Resident) -> None:
    """Answers come in their JSON shapes, with None for the fields left empty."""
    form = definition(
        page(
            "p",
            field("nom"),
            field("jour", "date"),
            field("tel", "phone"),
            field("motifs", "multichoice", options=OPTIONS),
            field("ok", "checkbox"),
            field("adresse", "address"),
            field("vide"),
        )
    )
    data = {
        "nom": "Dupont",
        "jour": "14/07/1985",
        "tel": "06 12 34 56 78",
        "motifs": ["autre", "parent"],
        "ok": "on",
        "adresse__street": "1 rue Pasteur",
        "adresse__postal_code": "94000",
        "adresse__city": "Créteil",
    }
    page_form = form_for(form, resident, data=data)
    assert page_form.is_valid(), page_form.errors
    answers, uploads = page_answers(page_form)
    assert answers == {
        "nom": "Dupont",
        "jour": "1985-07-14",
        "tel": "+33612345678",
        "motifs": ["parent", "autre"],
        "ok": True,
        "adresse": {"street": "1 rue Pasteur", "postal_code": "94000", "city": "Créteil"},
        "vide": None,
    }
    assert uploads == []


@pytest.mark.parametrize(
    ("type_", "value", "message"),
    [
        ("date", "31/02/2026", "Cette date n&#x27;existe pas"),
        ("number", "1e309", "Saisissez un nombre"),
        ("text", "x" * 10_000, "10000 caractères"),
        ("email", "<script>@", "prenom.nom@exemple.fr"),
    ],
)
def test_bad_input_comes_back_with_an_accessible_error(
    resident: Resident, type_: str, value: str, message: str
) -> None:
    """The summary links to the input, which is marked invalid and described by the error."""
    form = definition(page("p", field("champ", type_, help="Aide.", required=True)))
    page_form = form_for(form, resident, data={"champ": value})
    assert not page_form.is_valid()
    html = html_of(page_form)
    assert 'role="alert"' in html and 'href="#id_champ"' in html
    assert message in html
    input_tag = tag(html, "id_champ")
    assert 'aria-invalid="true"' in input_tag
    assert 'aria-describedby="id_champ-help id_champ-error"' in input_tag
    assert 'id="id_champ-error"' in html and 'id="id_champ-help"' in html
    assert "<script>" not in html
    assert html.count("Les champs marqués d'un * sont obligatoires.") == 1


def test_errors_of_a_group_are_tied_to_its_fieldset(resident: Resident) -> None:
    """A radio group's error describes the fieldset; the summary links to the first radio."""
    form = one_field("q", "choice", options=OPTIONS, required=True)
    html = html_of(form_for(form, resident, data={}))
    assert '<fieldset aria-describedby="id_q-error">' in html
    assert 'href="#id_q_0"' in html


def test_address_errors_point_at_the_wrong_part(resident: Resident) -> None:
    """A bad postal code is shown on the postal code input, and linked from the summary."""
    form = one_field("adresse", "address")
    data = {
        "adresse__street": "1 rue Pasteur",
        "adresse__postal_code": "940",
        "adresse__city": "Créteil",
    }
    page_form = form_for(form, resident, data=data)
    assert not page_form.is_valid()
    html = html_of(page_form)
    assert 'href="#id_adresse__postal_code"' in html
    assert 'aria-invalid="true"' in tag(html, "id_adresse__postal_code")
    assert "aria-invalid" not in tag(html, "id_adresse__street")


def test_a_forged_choice_is_refused(resident: Resident) -> None:
    """A value outside the options sent by hand gets a French message."""
    page_form = form_for(one_field("q", "choice", options=OPTIONS), resident, data={"q": "x"})
    assert not page_form.is_valid()
    assert "choix proposés" in page_form.errors["q"][0]


# Conditions in the page ---------------------------------------------------------------------

QUALITE = field("qualite", "choice", options=OPTIONS)
PRECISION = field(
    "precision", "number", required=True, condition={"field": "qualite", "equals": "autre"}
)


def test_conditional_fields_carry_their_condition_and_a_note(resident: Resident) -> None:
    """The script gets the condition as JSON; readers without it get a French note."""
    html = html_of(form_for(definition(page("p", QUALITE, PRECISION)), resident))
    container = tag(html, "field-precision")
    found = re.search(r'data-condition="([^"]*)"', container)
    assert found
    condition = json.loads(html_unescape(found.group(1)))
    assert condition == {"field": "qualite", "equals": "autre"}
    assert (
        "À remplir seulement si vous avez répondu « Une autre personne » à « Libellé qualite »."
        in html_unescape(html)
    )


def test_hidden_answers_posted_anyway_are_dropped(resident: Resident) -> None:
    """A hidden field's input is neither validated nor kept, even if sent."""
    form = definition(page("p", QUALITE, PRECISION))
    page_form = form_for(form, resident, data={"qualite": "parent", "precision": "<script>"})
    assert page_form.is_valid(), page_form.errors
    assert page_answers(page_form)[0] == {"qualite": "parent", "precision": None}
    shown = form_for(form, resident, data={"qualite": "autre", "precision": ""})
    assert not shown.is_valid()
    assert "precision" in shown.errors


def test_conditions_on_earlier_pages_are_decided_by_the_server(resident: Resident) -> None:
    """A field whose condition reads an earlier page is drawn, or not, without a script."""
    form = definition(
        page("un", QUALITE),
        page(
            "deux",
            field("lien", condition={"field": "qualite", "equals": "parent"}),
            field("autre"),
        ),
    )
    hidden = html_of(form_for(form, resident, answers={"qualite": "autre"}, page_index=1))
    assert "field-lien" not in hidden and "field-autre" in hidden
    shown = html_of(form_for(form, resident, answers={"qualite": "parent"}, page_index=1))
    assert "field-lien" in shown and "data-condition" not in shown


def test_mixed_conditions_keep_only_the_part_read_on_the_page(resident: Resident) -> None:
    """Tests on earlier pages are replaced by their result in the browser's condition."""
    form = definition(
        page("un", QUALITE),
        page(
            "deux",
            field("ok", "checkbox"),
            field(
                "detail",
                condition={
                    "all": [
                        {"field": "qualite", "equals": "parent"},
                        {"field": "ok", "is_true": True},
                    ]
                },
            ),
        ),
    )
    page_form = form_for(form, resident, answers={"qualite": "parent"}, page_index=1)
    view = page_form.sections()[0].fields[1]
    assert json.loads(view.condition_json) == {"all": [{"field": "ok", "is_true": True}]}
    refused = form_for(form, resident, answers={"qualite": "autre"}, page_index=1)
    assert [v.field.key for v in refused.sections()[0].fields] == ["ok"]


def test_partial_answers_keep_what_is_valid(resident: Resident) -> None:
    """Going back with errors keeps valid answers, clears emptied ones, skips wrong ones."""
    form = definition(page("p", field("nom", required=True), field("jour", "date"), field("note")))
    page_form = form_for(form, resident, data={"nom": "", "jour": "31/02/2026", "note": "ok"})
    assert not page_form.is_valid()
    assert partial_page_answers(page_form) == {"nom": None, "note": "ok"}


# Uploads ------------------------------------------------------------------------------------

ACTE = field("acte", "file", document_kind="birth_certificate", required=True)


def test_a_new_upload_is_pending_until_stored(resident: Resident) -> None:
    """A checked upload comes back as a PendingUpload, then lands in the resident's file."""
    form = definition(page("p", ACTE))
    page_form = form_for(form, resident, data={}, files={"acte__upload": pdf_upload()})
    assert page_form.is_valid(), page_form.errors
    answers, uploads = page_answers(page_form)
    assert "acte" not in answers or answers["acte"] is None
    assert len(uploads) == 1 and isinstance(uploads[0], PendingUpload)
    stored = store_pending_uploads(resident, uploads, actor=resident.user, channel="web")
    new = Document.objects.get(resident=resident)
    assert stored == {"acte": {"document": str(new.uuid)}}
    assert new.kind == "birth_certificate" and new.original_name == "acte.pdf"
    assert ResidentChange.objects.filter(
        resident=resident, kind=ResidentChange.Kind.DOCUMENT_ADDED, channel="web"
    ).exists()


def test_a_proof_of_address_sent_with_a_form_is_offered_for_three_months(
    resident: Resident,
) -> None:
    """Pieces asked for as recent get an end of validity, so later forms stop offering them."""
    upload = PendingUpload("justif", pdf_upload(), "proof_of_address")
    store_pending_uploads(resident, [upload], actor=None, channel="web")
    new = Document.objects.get(resident=resident)
    assert new.valid_until == timezone.localdate() + datetime.timedelta(days=90)


def test_a_fake_pdf_is_refused_in_the_form(resident: Resident) -> None:
    """The content is checked like the resident's documents, before anything is stored."""
    page_form = form_for(
        definition(page("p", ACTE)), resident, data={}, files={"acte__upload": fake_pdf_upload()}
    )
    assert not page_form.is_valid()
    assert "n'est pas un PDF" in page_form.errors["acte__upload"][0]
    assert not Document.objects.exists()


@override_settings(GUICHET_MAX_UPLOAD_BYTES=20)
def test_a_too_big_file_is_refused_in_the_form(resident: Resident) -> None:
    """A file over the city's limit gets a message saying the limit."""
    page_form = form_for(
        definition(page("p", ACTE)), resident, data={}, files={"acte__upload": pdf_upload()}
    )
    assert not page_form.is_valid()
    assert "la limite est de 20" in page_form.errors["acte__upload"][0]


def test_an_upload_on_a_page_with_other_errors_must_be_chosen_again(resident: Resident) -> None:
    """The browser will not resend the file: the page says so and keeps nothing pending."""
    form = definition(page("p", ACTE, field("nom", required=True)))
    page_form = form_for(form, resident, data={"nom": ""}, files={"acte__upload": pdf_upload()})
    assert not page_form.is_valid()
    assert "Choisissez à nouveau ce fichier" in page_form.errors["acte__upload"][0]
    assert page_form.uploads == []
    assert "acte" not in partial_page_answers(page_form)


def test_choosing_a_document_on_file_answers_with_its_uuid(resident: Resident) -> None:
    """The document already provided is reused; choosing a new one requires a file."""
    on_file = document(resident)
    form = definition(page("p", ACTE))
    page_form = form_for(form, resident, data={"acte": str(on_file.uuid)})
    assert page_form.is_valid(), page_form.errors
    assert page_answers(page_form)[0] == {"acte": {"document": str(on_file.uuid)}}
    new = form_for(form, resident, data={"acte": "new"})
    assert not new.is_valid()
    assert "acte__upload" in new.errors


def test_a_foreign_document_cannot_be_posted(resident: Resident, other_resident: Resident) -> None:
    """Another resident's document uuid sent by hand is refused."""
    document(resident)
    foreign = document(other_resident)
    page_form = form_for(definition(page("p", ACTE)), resident, data={"acte": str(foreign.uuid)})
    assert not page_form.is_valid()
