"""The supervisors' form builder through HTTP: build, preview, publish, conflicts, history."""

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.cases.form_settings_actions import publish_from_back_office
from guichet.cases.models import CaseForm, FormVersion
from guichet.catalogue.models import Procedure
from guichet.organisation.models import Agent
from tests.conftest import City
from tests.factories import CaseFactory, CaseFormFactory, ProcedureFactory

SLUG = "cantine"


def url(name: str, *args: Any) -> str:
    return reverse(f"cases:{name}", args=[SLUG, *args])


@pytest.fixture
def procedure(city: City) -> Procedure:
    """Inscription à la cantine, an education procedure without a form yet."""
    return ProcedureFactory(
        slug=SLUG,
        title="Inscription à la cantine",
        department=city.education,
        commitment_days=10,
    )


@pytest.fixture
def editor(client: Client, supervisor: Agent) -> Client:
    client.force_login(supervisor.user)
    return client


@pytest.fixture
def case_form(procedure: Procedure) -> CaseForm:
    """The cantine form with its first version: one page, one required text field."""
    form: CaseForm = CaseFormFactory(
        procedure=procedure,
        version={
            "procedure": SLUG,
            "title": "Inscription à la cantine",
            "pages": [
                {
                    "key": "demande",
                    "title": "Votre demande",
                    "sections": [
                        {
                            "fields": [
                                {"key": "nom", "type": "text", "label": "Nom", "required": True}
                            ]
                        }
                    ],
                }
            ],
        },
    )
    return form


def text(response: Any) -> str:
    """Return the page's HTML with entities decoded, to search for French sentences."""
    return html.unescape(response.content.decode())


def post(client: Client, path: str, data: dict[str, Any]) -> str:
    """POST, check the redirection and return the text of the page it leads to."""
    response = client.post(path, data)
    assert response.status_code == 302, text(response)[-3000:]
    return text(client.get(response["Location"]))


def field_data(label: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "help": "", "condition_field": "", **extra}


def test_build_preview_and_publish_a_new_form(
    editor: Client, procedure: Procedure, supervisor: Agent
) -> None:
    """Create a form, add a page and fields of several types with a condition, then publish."""
    listing = editor.get(reverse("cases:builder_list"))
    assert "Créer le formulaire" in text(listing)

    page = post(editor, url("builder_create"), {})
    assert "Formulaire créé" in page
    form = CaseForm.objects.get(procedure=procedure)
    assert form.is_online is False and not form.versions.exists()
    assert "doit être une liste non vide" in page  # the empty first section

    post(
        editor,
        url("builder_field_add", "demande", 1),
        field_data(
            "Repas à la cantine",
            type="choice",
            required="on",
            options="Tous les jours\nCertains jours",
        ),
    )
    post(
        editor,
        url("builder_field_add", "demande", 1),
        field_data(
            "Jours",
            type="multichoice",
            options="lundi | Lundi\nmardi | Mardi\njeudi | Jeudi",
            min_choices="1",
            condition_field="repas_a_la_cantine",
            condition_operator="equals",
            condition_value="Certains jours",
        ),
    )
    page = post(editor, url("builder_page_add"), {"title": "Votre enfant", "key": "", "intro": ""})
    assert "Page « Votre enfant » ajoutée." in page
    post(
        editor,
        url("builder_field_add", "votre_enfant", 1),
        field_data("Nom de l'enfant", type="text", required="on", max_length="100"),
    )
    post(
        editor,
        url("builder_field_add", "votre_enfant", 1),
        field_data("Date de naissance", type="date", min="-18y", max="today"),
    )
    post(
        editor,
        url("builder_field_add", "votre_enfant", 1),
        field_data("Justificatif de domicile", type="file", document_kind="proof_of_address"),
    )
    page = post(
        editor,
        url("builder_field_add", "votre_enfant", 1),
        field_data("J'accepte le règlement", type="checkbox", required="on"),
    )
    assert "À corriger avant de publier" not in page
    assert "si « Repas à la cantine » est « Certains jours »" in page

    preview = editor.get(url("builder_preview"))
    assert preview.status_code == 200
    assert "Repas à la cantine" in text(preview)
    preview = editor.get(url("builder_preview") + "?page=votre_enfant")
    assert "Justificatif de domicile" in text(preview)

    assert "Publier la version 1" in text(editor.get(url("builder_publish")))
    page = post(editor, url("builder_publish"), {"comment": "Première version"})
    assert (
        "Version 1 publiée : les nouvelles demandes l'utiliseront ; les demandes déjà déposées "
        "gardent leur version."
    ) in page
    version = FormVersion.objects.get(form=form)
    assert (version.number, version.comment, version.published_by) == (
        1,
        "Première version",
        supervisor.user,
    )
    form.refresh_from_db()
    assert form.edited_in_back_office is True
    assert version.definition == {
        "procedure": SLUG,
        "title": "Inscription à la cantine",
        "pages": [
            {
                "key": "demande",
                "title": "Votre demande",
                "sections": [
                    {
                        "fields": [
                            {
                                "key": "repas_a_la_cantine",
                                "type": "choice",
                                "label": "Repas à la cantine",
                                "required": True,
                                "options": [
                                    {"value": "tous_les_jours", "label": "Tous les jours"},
                                    {"value": "certains_jours", "label": "Certains jours"},
                                ],
                            },
                            {
                                "key": "jours",
                                "type": "multichoice",
                                "label": "Jours",
                                "options": [
                                    {"value": "lundi", "label": "Lundi"},
                                    {"value": "mardi", "label": "Mardi"},
                                    {"value": "jeudi", "label": "Jeudi"},
                                ],
                                "condition": {
                                    "field": "repas_a_la_cantine",
                                    "equals": "certains_jours",
                                },
                                "validation": {"min_choices": 1},
                            },
                        ]
                    }
                ],
            },
            {
                "key": "votre_enfant",
                "title": "Votre enfant",
                "sections": [
                    {
                        "fields": [
                            {
                                "key": "nom_de_lenfant",
                                "type": "text",
                                "label": "Nom de l'enfant",
                                "required": True,
                                "validation": {"max_length": 100},
                            },
                            {
                                "key": "date_de_naissance",
                                "type": "date",
                                "label": "Date de naissance",
                                "validation": {"min": "-18y", "max": "today"},
                            },
                            {
                                "key": "justificatif_de_domicile",
                                "type": "file",
                                "label": "Justificatif de domicile",
                                "document_kind": "proof_of_address",
                            },
                            {
                                "key": "jaccepte_le_reglement",
                                "type": "checkbox",
                                "label": "J'accepte le règlement",
                                "required": True,
                            },
                        ]
                    }
                ],
            },
        ],
    }


def test_edit_and_publish_version_two(editor: Client, case_form: CaseForm) -> None:
    """Changing a published form publishes version 2; cases keep version 1."""
    case = CaseFactory(procedure=case_form.procedure, form_version=case_form.current_version())
    post(
        editor,
        url("builder_field_edit", "nom"),
        field_data("Nom de famille", type="text", required="on", prefill="resident.usage_name"),
    )
    post(
        editor,
        url("builder_field_add", "demande", 1),
        field_data(
            "Précisions",
            type="textarea",
            condition_field="nom",
            condition_operator="answered",
        ),
    )
    page = post(editor, url("builder_publish"), {"comment": "Nom d'usage pré-rempli"})
    assert "Version 2 publiée" in page
    version = case_form.current_version()
    assert version is not None and version.number == 2
    assert version.definition["pages"][0]["sections"][0]["fields"] == [
        {
            "key": "nom",
            "type": "text",
            "label": "Nom de famille",
            "required": True,
            "prefill": "resident.usage_name",
        },
        {
            "key": "precisions",
            "type": "textarea",
            "label": "Précisions",
            "condition": {"field": "nom", "answered": True},
        },
    ]
    assert "settings" not in version.definition
    case.refresh_from_db()
    assert case.form_version is not None and case.form_version.number == 1


def test_publishing_an_unchanged_copy_does_nothing(editor: Client, case_form: CaseForm) -> None:
    """Without changes there is nothing to publish, and no new version."""
    page = text(editor.get(url("builder_publish")))
    assert "il n'y a rien à publier" in page
    page = post(editor, url("builder_publish"), {"comment": ""})
    assert "Aucune modification à publier." in page
    assert case_form.versions.count() == 1


def test_publish_is_refused_while_the_copy_has_problems(
    editor: Client, procedure: Procedure
) -> None:
    """A copy that does not parse cannot be published; its problems are listed."""
    post(editor, url("builder_create"), {})
    response = editor.post(url("builder_publish"), {"comment": ""})
    assert response.status_code == 400
    assert "Le formulaire ne peut pas encore être publié" in text(response)
    assert not FormVersion.objects.exists()


def test_concurrent_publish_is_refused_and_the_copy_kept(
    editor: Client, case_form: CaseForm, admin_agent: Agent
) -> None:
    """Another supervisor published meanwhile: refuse, keep the copy downloadable, offer reload."""
    post(
        editor,
        url("builder_field_add", "demande", 1),
        field_data("Classe", type="text"),
    )
    publish_from_back_office(
        case_form,
        definition={**case_form.current_version().definition, "title": "Cantine scolaire"},
        actor=admin_agent.user,
        comment="Titre",
        based_on=1,
    )
    editor_page = text(editor.get(url("builder_form")))
    assert "Une autre version a été publiée pendant vos modifications" in editor_page

    response = editor.post(url("builder_publish"), {"comment": "Ajout de la classe"})
    assert response.status_code == 409
    content = text(response)
    assert "La version 2 a été publiée" in content and admin_agent.user.display_name() in content
    assert "Télécharger ma copie (JSON)" in content
    assert case_form.versions.count() == 2

    download = editor.get(url("builder_export") + "?format=json")
    assert download["Content-Disposition"] == f'attachment; filename="{SLUG}.json"'
    fields = download.json()["pages"][0]["sections"][0]["fields"]
    assert [item["key"] for item in fields] == ["nom", "classe"]

    page = post(editor, url("builder_discard"), {})
    assert "vous repartez de la version publiée" in page
    assert "Classe" not in page and "Une autre version a été publiée" not in page
    assert "il n'y a rien à publier" in text(editor.get(url("builder_publish")))


def test_bad_field_input_is_kept_with_french_messages(editor: Client, case_form: CaseForm) -> None:
    """A wrong pattern and an unknown option come back with messages and what was typed."""
    response = editor.post(
        url("builder_field_add", "demande", 1),
        field_data("Code postal", type="text", pattern="[0-9", pattern_message=""),
    )
    assert response.status_code == 400
    content = text(response)
    assert "Cette expression régulière n'est pas valide" in content
    assert 'value="Code postal"' in content

    response = editor.post(
        url("builder_field_add", "demande", 1),
        field_data(
            "Précisions",
            type="text",
            condition_field="nom",
            condition_operator="is_true",
        ),
    )
    assert response.status_code == 400
    assert "ne s'applique qu'à un champ de type case à cocher" in text(response)
    page = text(editor.get(url("builder_form")))
    assert "Modifications non publiées" not in page


def test_field_editor_refuses_what_the_definition_refuses(
    editor: Client, case_form: CaseForm
) -> None:
    """Problems found by parse_definition for the edited field block the edit, copy unchanged."""
    response = editor.post(
        url("builder_field_edit", "nom"),
        field_data("Nom", type="text", min_length="50", max_length="10"),
    )
    assert response.status_code == 400
    assert "« min_length » est plus grand que « max_length »" in text(response)
    assert 'value="50"' in text(response)


def test_moving_a_field_above_its_condition_is_refused_with_a_message(
    editor: Client, case_form: CaseForm
) -> None:
    """The refusal comes back as a message on the editor, the copy is unchanged."""
    post(
        editor,
        url("builder_field_add", "demande", 1),
        field_data("Précisions", type="text", condition_field="nom", condition_operator="answered"),
    )
    page = post(editor, url("builder_step"), {"step": "up", "field": "precisions"})
    assert "Déplacement impossible" in page
    page = post(editor, url("builder_step"), {"step": "delete", "field": "nom"})
    assert "Impossible de supprimer « Nom »" in page
    page = post(editor, url("builder_step"), {"step": "delete", "field": "precisions"})
    assert "Champ « Précisions » supprimé." in page


def test_sections_and_pages_are_added_edited_moved_and_removed(
    editor: Client, case_form: CaseForm
) -> None:
    """Each structure step works through its plain POST form."""
    post(editor, url("builder_section_add", "demande"), {"title": "Contact", "intro": ""})
    page = post(
        editor, url("builder_section_edit", "demande", 2), {"title": "Vos coordonnées", "intro": ""}
    )
    assert "Section 2 : Vos coordonnées" in page
    post(editor, url("builder_step"), {"step": "up", "page": "demande", "section": "2"})
    post(editor, url("builder_page_add"), {"title": "Fin", "key": "fin", "intro": ""})
    page = post(
        editor,
        url("builder_page_edit", "fin"),
        {
            "title": "Pour finir",
            "intro": "Merci",
            "condition_field": "nom",
            "condition_operator": "not_equals",
            "condition_value": "X",
        },
    )
    content = page
    assert "Page 2 : Pour finir" in content
    assert "« Nom » n'est pas « X »" in content
    post(editor, url("builder_step"), {"step": "delete", "page": "fin"})
    post(editor, url("builder_step"), {"step": "delete", "page": "demande", "section": "1"})
    copy = editor.session[f"guichet.form_builder.{case_form.pk}"]["definition"]
    assert [page["key"] for page in copy["pages"]] == ["demande"]
    assert copy["pages"][0]["sections"] == [
        {"fields": [{"key": "nom", "type": "text", "label": "Nom", "required": True}]}
    ]


def test_settings_are_saved_and_described(editor: Client, case_form: CaseForm, city: City) -> None:
    """Settings apply at once; the message says who changed what."""
    page = post(
        editor,
        url("builder_settings"),
        {
            "routing_department": city.population.pk,
            "commitment_days": "5",
            "acknowledge_automatically": "on",
        },
    )
    content = page
    assert "Réglages enregistrés par" in content
    assert "demande en ligne ouverte : oui → non" in content
    assert "délai d'engagement : celui de la démarche → 5 jours ouvrés" in content
    case_form.refresh_from_db()
    assert (case_form.is_online, case_form.routing_department, case_form.commitment_days) == (
        False,
        city.population,
        5,
    )
    response = editor.post(url("builder_settings"), {"commitment_days": "-3"})
    assert response.status_code == 400
    assert 'value="-3"' in text(response)


def test_published_definition_records_the_form_settings(
    editor: Client, case_form: CaseForm, city: City
) -> None:
    """A published version (and an export) carries the form's settings as they are."""
    post(
        editor,
        url("builder_settings"),
        {"is_online": "on", "routing_department": city.population.pk, "commitment_days": "5"},
    )
    export = editor.get(url("builder_export") + "?format=yaml")
    assert "department: population" in text(export)
    post(editor, url("builder_publish"), {"comment": ""})
    version = case_form.current_version()
    assert version is not None and version.number == 2
    assert version.definition["settings"] == {
        "acknowledge": False,
        "department": "population",
        "commitment_days": 5,
    }


def test_history_lists_versions_and_restores_one(editor: Client, case_form: CaseForm) -> None:
    """Versions are listed with who and why; an old one reloads into the copy and publishes."""
    first = case_form.current_version()
    assert first is not None
    post(editor, url("builder_field_edit", "nom"), field_data("Nom complet", type="text"))
    post(editor, url("builder_publish"), {"comment": "Libellé"})
    listing = text(editor.get(url("builder_versions")))
    assert "Version 2" in listing and "Libellé" in listing and "Version 1" in listing
    detail = text(editor.get(url("builder_version", 1)))
    assert "Version 1 du formulaire" in detail and "Nom" in detail
    download = editor.get(url("builder_export") + "?format=json&version=1")
    assert download.json() == first.definition
    page = post(editor, url("builder_version_restore", 1), {})
    assert "publiez-la pour qu'elle devienne la version 3" in page
    post(editor, url("builder_publish"), {"comment": "Retour à la version 1"})
    third = case_form.current_version()
    assert third is not None and third.number == 3
    assert third.definition["pages"] == first.definition["pages"]


def test_import_checks_the_file(editor: Client, case_form: CaseForm) -> None:
    """Bad YAML, a wrong definition or another procedure are refused in French; good files load."""

    def upload(content: str, name: str = "cantine.yaml") -> Any:
        return editor.post(
            url("builder_import"), {"file": SimpleUploadedFile(name, content.encode())}
        )

    response = upload("procedure: cantine\npages: [\n")
    assert response.status_code == 400
    assert "n'est pas un YAML ou un JSON valide : ligne" in text(response)
    response = upload("procedure: cantine\ntitle: X\npages: []\n")
    assert "« pages » doit être une liste non vide" in text(response)
    response = upload(
        "procedure: autre\ntitle: X\npages: [{key: a, title: A, sections: "
        "[{fields: [{key: b, type: text, label: B}]}]}]\n"
    )
    assert "décrit le formulaire de la démarche « autre »" in text(response)
    response = upload("{}", name="cantine.txt")
    assert "Choisissez un fichier .yaml, .yml ou .json." in text(response)
    page = post(
        editor,
        url("builder_import"),
        {
            "file": SimpleUploadedFile(
                "cantine.json",
                b'{"procedure": "cantine", "title": "Cantine", "pages": [{"key": "a", '
                b'"title": "A", "sections": [{"fields": [{"key": "b", "type": "email", '
                b'"label": "Courriel"}]}]}]}',
            )
        },
    )
    assert "Définition importée dans votre copie de travail" in page
    assert "Courriel" in page


def test_unknown_elements_answer_404_or_a_message(editor: Client, case_form: CaseForm) -> None:
    """An unknown form is 404; a page or field gone from the copy gives a message."""
    assert editor.get(reverse("cases:builder_form", args=["inconnue"])).status_code == 404
    assert editor.get(url("builder_field_add", "demande", 1) + "?type=zzz").status_code == 404
    page = text(editor.get(url("builder_field_edit", "absent"), follow=True))
    assert "Ce champ n'existe plus dans la copie de travail." in page
    page = text(editor.get(url("builder_page_edit", "absente"), follow=True))
    assert "Cette page n'existe plus" in page
    assert editor.post(url("builder_step"), {"step": "jump", "page": "demande"}).status_code == 404
