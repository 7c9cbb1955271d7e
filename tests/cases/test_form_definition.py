"""Form definitions: parsing, every check with its located French message, canonical form."""

import copy
import datetime
from typing import Any

import pytest

from guichet.cases.form_definition import (
    DefinitionError,
    definition_to_dict,
    parse_definition,
)


def field(key: str, type_: str = "text", **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": type_, "label": f"Libellé {key}", **extra}


def form(*pages: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"procedure": "acte-naissance", "title": "Demande d'acte", "pages": list(pages), **extra}


def page(key: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": key, "title": f"Page {key}", "sections": [{"fields": list(fields)}], **extra}


QUALITE = field(
    "qualite",
    "choice",
    options=[
        {"value": "titulaire", "label": "La personne concernée"},
        {"value": "parent", "label": "Son père ou sa mère"},
        {"value": "autre", "label": "Autre"},
    ],
)


def errors_of(data: object) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.messages


def assert_error(data: object, *fragments: str) -> None:
    messages = errors_of(data)
    assert any(all(fragment in message for fragment in fragments) for message in messages), messages


FULL = form(
    page(
        "demande",
        QUALITE,
        field("precision", condition={"field": "qualite", "equals": "autre"}),
        field("accord", "checkbox", required=True),
    ),
    {
        "key": "personne",
        "title": "La personne",
        "intro": "Qui est concerné.",
        "condition": {"any": [{"field": "qualite", "in": ["parent", "autre"]}]},
        "sections": [
            {
                "title": "Identité",
                "intro": "Son état civil.",
                "fields": [
                    field("prenoms", prefill="resident.first_names", help="Tous les prénoms."),
                    field("naissance", "date", validation={"min": "-120y", "max": "today"}),
                    field("nombre", "number", validation={"min": 0, "max": 10.5, "decimals": 1}),
                    field(
                        "motifs",
                        "multichoice",
                        options=QUALITE["options"],
                        validation={"min_choices": 1, "max_choices": 2},
                    ),
                    field("piece", "file", document_kind="birth_certificate"),
                    field("enfant", "household_member", relations=["child"]),
                    field("adresse", "address", prefill="resident.address"),
                    field("lieu", "location"),
                    field("courriel", "email", prefill="resident.email"),
                    field("tel", "phone", prefill="resident.phone"),
                    field(
                        "notes",
                        "textarea",
                        validation={"max_length": 2000},
                        condition={
                            "all": [
                                {"field": "accord", "is_true": True},
                                {"field": "prenoms", "answered": True},
                            ]
                        },
                    ),
                    field(
                        "code",
                        validation={
                            "pattern": "[A-Z]{2}[0-9]{4}",
                            "pattern_message": "Deux lettres et 4 chiffres.",
                        },
                    ),
                ],
            }
        ],
    },
    intro="Vous recevrez l'acte par courrier.",
    settings={"acknowledge": False, "department": "population", "commitment_days": 5},
)


def test_a_full_definition_parses_into_typed_objects() -> None:
    """Every field type, section, condition and setting is read into the dataclasses."""
    definition = parse_definition(FULL)
    assert [page.key for page in definition.pages] == ["demande", "personne"]
    assert definition.settings.acknowledge is False
    assert definition.settings.commitment_days == 5
    assert definition.field("piece").document_kind == "birth_certificate"
    assert definition.field("enfant").relations == ("child",)
    assert definition.field("nombre").validation.decimals == 1
    assert definition.field("prenoms").prefill == "resident.first_names"
    assert definition.page("personne").condition is not None
    assert definition.field("precision").condition.field == "qualite"  # type: ignore[union-attr]
    assert definition.field("qualite").option_label("parent") == "Son père ou sa mère"


def test_canonical_dict_round_trips_and_leaves_defaults_out() -> None:
    """definition_to_dict gives JSON types; parsing it again gives the same canonical dict."""
    canonical = definition_to_dict(parse_definition(FULL))
    assert definition_to_dict(parse_definition(canonical)) == canonical
    assert "required" not in canonical["pages"][0]["sections"][0]["fields"][0]
    assert canonical["settings"] == {
        "acknowledge": False,
        "department": "population",
        "commitment_days": 5,
    }


def test_equivalent_definitions_have_equal_canonical_dicts() -> None:
    """Explicit defaults, spaces around texts and aliases do not make a different version."""
    plain = form(page("p", field("piece", "file", document_kind="passport")))
    verbose = form(
        page(
            "p",
            {
                "key": "piece",
                "type": "file",
                "label": "  Libellé piece ",
                "required": False,
                "help": "",
                "validation": {"document_kind": "passport"},
            },
        ),
        settings={"acknowledge": True},
    )
    assert definition_to_dict(parse_definition(plain)) == definition_to_dict(
        parse_definition(verbose)
    )


def test_unquoted_yaml_dates_are_read_as_iso_bounds() -> None:
    """YAML turns min: 2026-01-01 into a date: it is accepted and stored as a string."""
    data = form(page("p", field("d", "date", validation={"min": datetime.date(2026, 1, 1)})))
    assert parse_definition(data).field("d").validation.min == "2026-01-01"


def test_the_definition_must_be_a_dict() -> None:
    """A list or a string is refused with one clear message."""
    assert errors_of(["pages"]) == ["La définition doit être un dictionnaire (clé: valeur)."]


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"title": "T", "pages": [page("p", field("a"))]}, ("Formulaire", "« procedure »")),
        ({"procedure": "x", "pages": [page("p", field("a"))]}, ("Formulaire", "« title »")),
        ({"procedure": "x", "title": "T"}, ("Formulaire", "« pages »", "liste non vide")),
        (form({"title": "T", "sections": [{"fields": [field("a")]}]}), ("Page n° 1", "« key »")),
        (form({"key": "p", "sections": [{"fields": [field("a")]}]}), ("Page « p »", "« title »")),
        (form({"key": "p", "title": "P"}), ("Page « p »", "« sections »")),
        (form({"key": "p", "title": "P", "sections": [{}]}), ("section n° 1", "« fields »")),
        (form(page("p", {"type": "text", "label": "L"})), ("champ n° 1", "« key »")),
        (form(page("p", {"key": "a", "label": "L"})), ("champ « a »", "« type »")),
        (form(page("p", {"key": "a", "type": "text"})), ("champ « a »", "« label »")),
    ],
)
def test_required_keys_are_checked(data: dict[str, Any], fragments: tuple[str, ...]) -> None:
    """A missing key is reported with where it is missing."""
    assert_error(data, *fragments)


@pytest.mark.parametrize("key", ["1abc", "nom-enfant", "nom__enfant", "prénom", "a" * 61, "_a"])
def test_field_and_page_keys_must_follow_the_syntax(key: str) -> None:
    """Keys are ASCII letters, digits and single underscores, starting with a letter."""
    assert_error(form(page("p", field(key))), "n'est pas valide")
    assert_error(form(page(key, field("a"))), "n'est pas valide")


def test_field_keys_are_unique_across_the_whole_form() -> None:
    """Two fields with the same key, even on different pages, are refused."""
    data = form(page("p1", field("nom")), page("p2", field("nom")))
    assert_error(data, "Page « p2 », champ « nom »", "déjà cette clé")


def test_page_keys_are_unique() -> None:
    """Two pages with the same key are refused."""
    assert_error(form(page("p", field("a")), page("p", field("b"))), "Page « p »", "déjà")


def test_unknown_type_is_reported_with_its_location() -> None:
    """The message names the page, the field and the unknown type, in French."""
    messages = errors_of(form(page("personne", field("qualite", "txt"))))
    assert messages[0].startswith("Page « personne », champ « qualite » : type inconnu « txt »")


def test_unknown_keys_are_refused_so_typos_are_caught() -> None:
    """A misspelt key (requried) is reported rather than silently ignored."""
    assert_error(form(page("p", field("a", requried=True))), "clé inconnue « requried »")
    assert_error(form(page("p", field("a")), colour="blue"), "clé inconnue « colour »")


def test_every_problem_is_reported_at_once() -> None:
    """Errors are collected across the whole definition, not only the first one."""
    data = form(page("p", field("a", "txt"), field("b", "choice"), field("c", prefill="x")))
    assert len(errors_of(data)) == 3


def test_choices_need_options() -> None:
    """A choice or multichoice without options is refused."""
    assert_error(form(page("p", field("a", "choice"))), "« options » est obligatoire")
    assert_error(form(page("p", field("a", "multichoice", options=[]))), "« options »")


def test_option_values_are_unique() -> None:
    """Two options with the same value are refused."""
    options = [{"value": "a", "label": "A"}, {"value": "a", "label": "Autre A"}]
    assert_error(form(page("p", field("c", "choice", options=options))), "en double")


def test_option_values_must_be_text() -> None:
    """YAML's unquoted yes becomes True: the author is told to quote it."""
    options = [{"value": True, "label": "Oui"}]
    assert_error(form(page("p", field("c", "choice", options=options))), "entre guillemets")


def test_options_only_belong_to_choice_fields() -> None:
    """Options on a text field are refused."""
    options = [{"value": "a", "label": "A"}]
    assert_error(form(page("p", field("t", options=options))), "« options » ne s'applique")


def test_file_fields_need_a_known_document_kind() -> None:
    """document_kind is required for a file and must be a DocumentKind value."""
    assert_error(form(page("p", field("f", "file"))), "« document_kind » est obligatoire")
    assert_error(
        form(page("p", field("f", "file", document_kind="selfie"))),
        "type de pièce inconnu « selfie »",
    )
    assert_error(
        form(page("p", field("t", document_kind="passport"))), "ne s'applique qu'au type file"
    )


def test_household_relations_must_be_known() -> None:
    """relations lists Relation values, and only on household_member fields."""
    assert_error(
        form(page("p", field("m", "household_member", relations=["adult"]))),
        "lien inconnu « adult »",
    )
    assert_error(form(page("p", field("t", relations=["child"]))), "household_member")


def test_prefill_source_must_be_known() -> None:
    """Only the sources listed in docs/forms.md are accepted."""
    assert_error(form(page("p", field("a", prefill="resident.password"))), "pré-remplissage")


@pytest.mark.parametrize(
    ("type_", "source"),
    [
        ("text", "resident.birth_date"),
        ("date", "resident.first_names"),
        ("number", "resident.phone"),
        ("file", "resident.address"),
        ("email", "resident.phone"),
    ],
)
def test_prefill_source_must_suit_the_field_type(type_: str, source: str) -> None:
    """A birth date cannot prefill a text field, a phone an email field, and so on."""
    extra = {"document_kind": "passport"} if type_ == "file" else {}
    assert_error(form(page("p", field("a", type_, prefill=source, **extra))), "ne convient pas")


@pytest.mark.parametrize(
    ("type_", "validation", "fragment"),
    [
        ("text", {"min": 3}, "la règle « min » ne s'applique pas au type text"),
        ("date", {"max_length": 3}, "« max_length » ne s'applique pas"),
        ("email", {"pattern": "x"}, "« pattern » ne s'applique pas"),
        ("text", {"max_length": "long"}, "entier positif"),
        ("text", {"min_length": -1}, "entier positif"),
        ("text", {"max_length": True}, "entier positif"),
        ("text", {"max_length": 0}, "entre 1 et"),
        ("text", {"min_length": 5, "max_length": 2}, "plus grand que « max_length »"),
        ("text", {"pattern": "[a-"}, "expression régulière valide"),
        ("text", {"pattern": "[a-z]+"}, "« pattern_message » est obligatoire"),
        ("text", {"pattern_message": "Lettres"}, "n'a de sens qu'avec"),
        ("number", {"min": "zéro"}, "doit être un nombre"),
        ("number", {"min": 10, "max": 1}, "plus grand que « max »"),
        ("number", {"decimals": 9}, "ne peut dépasser"),
        ("date", {"min": "hier"}, "AAAA-MM-JJ"),
        ("date", {"max": "2026-02-31"}, "AAAA-MM-JJ"),
        ("date", {"min": "2026-05-01", "max": "2026-01-01"}, "plus grand"),
        ("textarea", {"max_length": 10**6}, "entre 1 et"),
    ],
)
def test_validation_rules_are_allowed_per_type_and_well_typed(
    type_: str, validation: dict[str, Any], fragment: str
) -> None:
    """A rule that does not apply, or with a value of the wrong type, is refused."""
    assert_error(form(page("p", field("a", type_, validation=validation))), fragment)


def test_choice_counts_cannot_exceed_the_options() -> None:
    """max_choices larger than the number of options is refused."""
    data = form(
        page(
            "p",
            field("m", "multichoice", options=QUALITE["options"], validation={"max_choices": 9}),
        )
    )
    assert_error(data, "dépasse le nombre d'options")


def test_relative_date_bounds_are_accepted() -> None:
    """today and offsets in days, months and years are valid bounds, in either order."""
    data = form(page("p", field("d", "date", validation={"min": "+30d", "max": "-6m"})))
    assert parse_definition(data).field("d").validation.max == "-6m"


def test_a_condition_may_not_refer_to_a_later_field() -> None:
    """Conditions read earlier fields only: a later one is refused."""
    data = form(page("p", field("a", condition={"field": "b", "answered": True}), field("b")))
    assert_error(data, "champ « a », condition", "« b » n'existe pas plus haut")


def test_a_condition_may_not_refer_to_its_own_field() -> None:
    """A field cannot depend on itself."""
    data = form(page("p", field("a", condition={"field": "a", "answered": True})))
    assert_error(data, "champ « a », condition", "« a »")


def test_a_page_condition_may_not_refer_to_its_own_fields() -> None:
    """A page's condition reads earlier pages only."""
    data = form(page("p", field("a", "checkbox"), condition={"field": "a", "is_true": True}))
    assert_error(data, "Page « p », condition", "« a » n'existe pas plus haut")


def test_a_condition_may_not_refer_to_an_unknown_field() -> None:
    """A typo in a condition's field is reported."""
    data = form(page("p", QUALITE, field("b", condition={"field": "qualiet", "equals": "x"})))
    assert_error(data, "« qualiet » n'existe pas")


def test_compared_values_must_be_options_of_a_choice() -> None:
    """equals, not_equals and in against a choice must use its option values."""
    for condition in (
        {"field": "qualite", "equals": "tuteur"},
        {"field": "qualite", "not_equals": "tuteur"},
        {"field": "qualite", "in": ["parent", "tuteur"]},
    ):
        data = form(page("p", QUALITE, field("b", condition=condition)))
        assert_error(data, "« tuteur » n'est pas une des options du champ « qualite »")


@pytest.mark.parametrize(
    "condition",
    [
        {"field": "qualite"},
        {"field": "qualite", "equals": "parent", "in": ["parent"]},
        {"field": "qualite", "contains": "parent"},
        {"equals": "parent"},
        {"all": []},
        {"any": "x"},
        {"all": [{"field": "qualite", "answered": True}], "field": "qualite"},
        {"field": "qualite", "in": []},
        {"field": "qualite", "answered": "yes"},
        {"field": "qualite", "is_true": True},
        {"field": "qualite", "equals": ["parent"]},
        "qualite == parent",
    ],
)
def test_malformed_conditions_are_refused(condition: object) -> None:
    """Conditions follow one of the documented shapes, with well-typed values."""
    assert errors_of(form(page("p", QUALITE, field("b", condition=condition))))


def test_nested_conditions_on_earlier_fields_are_accepted() -> None:
    """all/any combine tests on several earlier fields, across pages."""
    data = copy.deepcopy(FULL)
    definition = parse_definition(data)
    condition = definition.field("notes").condition
    assert condition is not None
    assert sorted(condition.field_keys()) == ["accord", "prenoms"]


def test_settings_are_checked() -> None:
    """Settings accept only known keys with well-typed values."""
    assert_error(form(page("p", field("a")), settings={"commitment_days": -2}), "commitment_days")
    assert_error(form(page("p", field("a")), settings={"acknowledge": "oui"}), "acknowledge")
    assert_error(form(page("p", field("a")), settings={"delay": 3}), "clé inconnue « delay »")
