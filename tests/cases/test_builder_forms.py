"""The builder's editors: what a supervisor types becomes the right piece of definition."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.cases import builder_edit
from guichet.cases.builder_field_forms import FieldForm
from guichet.cases.builder_forms import ImportForm, PageForm, dump_definition, load_definition_text
from guichet.cases.form_definition import definition_to_dict, parse_definition
from guichet.cases.forms_loader import DEFAULT_FORMS_DIR

EARLIER = [
    {
        "key": "situation",
        "type": "choice",
        "label": "Votre situation",
        "options": [
            {"value": "seul", "label": "Seul"},
            {"value": "couple", "label": "En couple"},
        ],
    },
    {"key": "enfants", "type": "number", "label": "Nombre d'enfants"},
    {"key": "accord", "type": "checkbox", "label": "J'accepte"},
]


def field_form(data: dict[str, Any], field_type: str = "text", **kwargs: Any) -> FieldForm:
    values = {"label": "Libellé", "help": "", **data}
    return FieldForm(values, field_type=field_type, is_new=True, earlier=EARLIER, **kwargs)


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("equals", "En couple", {"field": "situation", "equals": "couple"}),
        ("equals", "en couple", {"field": "situation", "equals": "couple"}),
        ("not_equals", "seul", {"field": "situation", "not_equals": "seul"}),
        ("in", "Seul ; En couple", {"field": "situation", "in": ["seul", "couple"]}),
        ("answered", "", {"field": "situation", "answered": True}),
        ("not_answered", "", {"field": "situation", "answered": False}),
    ],
)
def test_condition_builder_on_a_choice(operator: str, value: str, expected: dict) -> None:
    """Options are compared by value or label (any case); "in" takes values split by ";"."""
    form = field_form(
        {"condition_field": "situation", "condition_operator": operator, "condition_value": value}
    )
    assert form.is_valid(), form.errors
    assert form.field()["condition"] == expected


def test_condition_builder_reads_numbers_and_checkboxes() -> None:
    """Numbers are compared as numbers (French comma accepted), checkboxes as ticked or not."""
    form = field_form(
        {"condition_field": "enfants", "condition_operator": "equals", "condition_value": "2,5"}
    )
    assert form.is_valid() and form.field()["condition"] == {"field": "enfants", "equals": 2.5}
    form = field_form({"condition_field": "accord", "condition_operator": "is_false"})
    assert form.is_valid() and form.field()["condition"] == {"field": "accord", "is_true": False}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "condition_field": "situation",
                "condition_operator": "equals",
                "condition_value": "x",
            },
            "condition_value",
            "« x » n'est pas une option de « Votre situation » (options : Seul, En couple).",
        ),
        (
            {"condition_field": "situation", "condition_operator": "equals"},
            "condition_value",
            "Indiquez la valeur à comparer.",
        ),
        (
            {"condition_field": "situation"},
            "condition_operator",
            "Choisissez comment comparer la réponse.",
        ),
        (
            {"condition_field": "situation", "condition_operator": "is_true"},
            "condition_operator",
            "« est cochée » ne s'applique qu'à un champ de type case à cocher.",
        ),
        (
            {"condition_field": "enfants", "condition_operator": "in", "condition_value": "deux"},
            "condition_value",
            "Indiquez un nombre, par exemple 3 ou 2,5.",
        ),
    ],
)
def test_condition_builder_explains_mistakes(data: dict, field: str, message: str) -> None:
    """Each wrong condition gets a message on the input to fix."""
    form = field_form(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_condition_may_only_pick_an_earlier_field() -> None:
    """A key that is not among the earlier fields is not a valid choice."""
    form = field_form({"condition_field": "plus_loin", "condition_operator": "answered"})
    assert not form.is_valid() and "condition_field" in form.errors


def test_compound_condition_is_kept_unless_replaced() -> None:
    """An all/any condition written in a file can be kept as is, or replaced by a simple one."""
    compound = {
        "any": [{"field": "situation", "equals": "seul"}, {"field": "accord", "is_true": True}]
    }
    current = {"key": "x", "type": "text", "label": "X", "condition": compound}
    form = FieldForm(field_type="text", is_new=False, earlier=EARLIER, current=current)
    assert form["condition_field"].value() == "__garder__"
    bound = FieldForm(
        {"label": "X", "condition_field": "__garder__"},
        field_type="text",
        is_new=False,
        earlier=EARLIER,
        current=current,
    )
    assert bound.is_valid() and bound.field()["condition"] == compound


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oui\nNon", [{"value": "oui", "label": "Oui"}, {"value": "non", "label": "Non"}]),
        (
            "a | Choix A\n\n  b|Choix B  ",
            [{"value": "a", "label": "Choix A"}, {"value": "b", "label": "Choix B"}],
        ),
        ("Même\nmeme", [{"value": "meme", "label": "Même"}, {"value": "meme_2", "label": "meme"}]),
    ],
)
def test_options_are_one_per_line(text: str, expected: list) -> None:
    """Options are "value | label" or only a label, whose value is derived and made unique."""
    form = field_form({"options": text}, field_type="choice")
    assert form.is_valid(), form.errors
    assert form.field()["options"] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a | A\na | B", "La valeur « a » apparaît deux fois."),
        (" | A", "La ligne « | A » doit avoir une valeur et un libellé."),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_bad_options_are_explained(text: str, message: str) -> None:
    """Duplicate values, a line without value, no option at all: each is said plainly."""
    form = field_form({"options": text}, field_type="multichoice")
    assert form.errors["options"] == [message]


def test_type_settings_depend_on_the_type() -> None:
    """A file asks for a document kind; prefill lists only sources that suit the type."""
    file_form = FieldForm(field_type="file", is_new=True, earlier=[])
    assert [bound.name for bound in file_form.type_bound_fields] == ["document_kind"]
    date_form = FieldForm(field_type="date", is_new=True, earlier=[])
    assert [value for value, _ in date_form.fields["prefill"].choices] == [
        "",
        "resident.birth_date",
    ]
    assert "prefill" not in FieldForm(field_type="checkbox", is_new=True, earlier=[]).fields


@pytest.mark.parametrize(
    ("field_type", "data", "expected"),
    [
        (
            "number",
            {"min": "0", "max": "10,5", "decimals": "1"},
            {"min": 0, "max": 10.5, "decimals": 1},
        ),
        ("date", {"min": "2020-01-01", "max": "+30d"}, {"min": "2020-01-01", "max": "+30d"}),
        (
            "text",
            {"pattern": "^[0-9]{5}$", "pattern_message": "5 chiffres"},
            {"pattern": "^[0-9]{5}$", "pattern_message": "5 chiffres"},
        ),
    ],
)
def test_validation_inputs_by_type(field_type: str, data: dict, expected: dict) -> None:
    """Each type's rules become its ``validation`` block, with numbers as numbers."""
    form = field_form(data, field_type=field_type)
    assert form.is_valid(), form.errors
    assert form.field()["validation"] == expected


def test_bad_validation_inputs_are_explained() -> None:
    """A date bound that is not a date and a pattern without its message are refused."""
    form = field_form({"min": "demain"}, field_type="date")
    assert form.errors["min"] == ["Indiquez une date AAAA-MM-JJ, today ou un décalage comme -18y."]
    form = field_form({"pattern": "^a$"}, field_type="text")
    assert "pattern_message" in form.errors


def test_page_form_builds_a_page_condition() -> None:
    """A page gets its title, intro and condition; the key is only asked when creating."""
    form = PageForm(
        {
            "title": " Vos enfants ",
            "intro": "",
            "key": "",
            "condition_field": "enfants",
            "condition_operator": "not_equals",
            "condition_value": "0",
        },
        is_new=True,
        earlier=EARLIER,
    )
    assert form.is_valid(), form.errors
    assert form.page() == {
        "key": "",
        "title": "Vos enfants",
        "intro": "",
        "condition": {"field": "enfants", "not_equals": 0},
    }
    assert "key" not in PageForm(is_new=False, earlier=[], current={"title": "A"}).fields


def _posted(form: FieldForm) -> dict[str, Any]:
    """Return what a browser sends for an unbound form left as it was shown."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False, []):
            continue
        data[name] = "on" if value is True else value
    return data


def _shipped_fields() -> list[tuple[str, str]]:
    return [
        (path.stem, item["key"])
        for path in sorted(Path(DEFAULT_FORMS_DIR).glob("*.yaml"))
        for item in builder_edit.all_fields(yaml.safe_load(path.read_text(encoding="utf-8")))
    ]


@pytest.mark.parametrize(("slug", "key"), _shipped_fields())
def test_editing_a_shipped_field_without_change_keeps_it(slug: str, key: str) -> None:
    """Opening any shipped field in the editor and saving it gives back the same definition."""
    path = Path(DEFAULT_FORMS_DIR) / f"{slug}.yaml"
    original = definition_to_dict(parse_definition(yaml.safe_load(path.read_text("utf-8"))))
    current = builder_edit.get_field(original, key)
    arguments = {
        "field_type": current["type"],
        "is_new": False,
        "earlier": builder_edit.fields_before_field(original, key),
        "current": current,
    }
    shown = FieldForm(**arguments)
    saved = FieldForm(_posted(shown), **arguments)
    assert saved.is_valid(), saved.errors
    edited = builder_edit.update_field(original, key, saved.field())
    assert definition_to_dict(parse_definition(edited)) == original


def test_import_form_reads_yaml_and_json() -> None:
    """A valid file gives the canonical definition; YAML dates become ISO text."""
    content = (
        "procedure: cantine\ntitle: Cantine\npages:\n  - key: a\n    title: A\n    sections:\n"
        "      - fields:\n"
        "          - {key: d, type: date, label: D, validation: {min: 2026-01-01}}\n"
    )
    form = ImportForm(
        {}, {"file": SimpleUploadedFile("cantine.yml", content.encode())}, procedure_slug="cantine"
    )
    assert form.is_valid(), form.errors
    field = form.cleaned_data["file"]["pages"][0]["sections"][0]["fields"][0]
    assert field["validation"] == {"min": "2026-01-01"}


def test_import_form_refuses_big_or_non_utf8_files() -> None:
    """Files that cannot be a definition are refused before being read as YAML."""
    big = SimpleUploadedFile("cantine.yaml", b"#" * (512 * 1024 + 1))
    form = ImportForm({}, {"file": big}, procedure_slug="cantine")
    assert form.errors["file"] == ["Ce fichier est trop gros pour une définition (512 Ko au plus)."]
    latin = SimpleUploadedFile("cantine.yaml", "titre: éé".encode("latin-1"))
    form = ImportForm({}, {"file": latin}, procedure_slug="cantine")
    assert form.errors["file"] == ["Le fichier doit être un texte encodé en UTF-8."]


def test_bad_yaml_is_explained_with_its_line() -> None:
    """A YAML mistake says the line and column, in French."""
    with pytest.raises(ValidationError) as raised:
        load_definition_text("procedure: a\ntitle: [b\n")
    assert "ligne 3, colonne 1" in raised.value.messages[0]


def test_dump_round_trips_yaml_and_json() -> None:
    """An exported definition reads back the same, in both formats, accents kept."""
    definition = {"procedure": "p", "title": "Éé", "pages": [{"key": "a", "title": "À"}]}
    for file_format in ("yaml", "json"):
        text = dump_definition(definition, file_format)
        assert "Éé" in text
        assert load_definition_text(text) == definition
