"""The form engine's server side: answers judged by type (web and API alike), conditions."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from guichet.cases.form_engine import validate_answers, visible_fields, visible_pages
from guichet.cases.form_schema import FormDefinition
from guichet.residents.models import Resident
from tests.cases.form_helpers import (
    OPTIONS,
    definition,
    document,
    expired,
    field,
    make_family,
    one_field,
    page,
)

pytestmark = pytest.mark.django_db


def check(form: FormDefinition, resident: Resident, **answers: Any) -> tuple[dict, dict]:
    return validate_answers(form, answers, resident=resident)


def accepted(form: FormDefinition, resident: Resident, value: Any) -> Any:
    key = form.fields[0].key
    cleaned, errors = check(form, resident, **{key: value})
    assert errors == {}, errors
    return cleaned.get(key)


def refused(form: FormDefinition, resident: Resident, value: Any) -> str:
    key = form.fields[0].key
    cleaned, errors = check(form, resident, **{key: value})
    assert key in errors, cleaned
    assert key not in cleaned
    return " ".join(errors[key])


# Types --------------------------------------------------------------------------------------


def test_text_is_kept_as_typed_even_with_markup(resident: Resident) -> None:
    """Hostile strings are stored verbatim (escaped at display), spaces tidied."""
    form = one_field("nom")
    assert accepted(form, resident, "  <script>alert(1)</script>  ") == "<script>alert(1)</script>"
    assert accepted(form, resident, "Jean\nDupont") == "Jean Dupont"


def test_text_length_limits(resident: Resident) -> None:
    """10,000 characters exceed the default limit; min_length is enforced."""
    assert "10000 caractères" in refused(one_field("nom"), resident, "x" * 10_000)
    form = one_field("nom", validation={"min_length": 3})
    assert "au moins 3 caractères" in refused(form, resident, "ab")


def test_text_pattern_uses_the_forms_message(resident: Resident) -> None:
    """A pattern mismatch shows the message written for residents, not the expression."""
    form = one_field(
        "code", validation={"pattern": "[A-Z]{2}[0-9]{4}", "pattern_message": "Ex. : AB1234."}
    )
    assert accepted(form, resident, "AB1234") == "AB1234"
    assert refused(form, resident, "AB1234<script>") == "Ex. : AB1234."


def test_text_refuses_null_characters_and_non_text(resident: Resident) -> None:
    """A NUL byte or a JSON number is not a text."""
    assert refused(one_field("nom"), resident, "a\x00b")
    assert refused(one_field("nom"), resident, 12)


def test_textarea_keeps_line_breaks_and_limits_length(resident: Resident) -> None:
    """Several lines are kept; beyond 5,000 characters by default, refused."""
    assert accepted(one_field("t", "textarea"), resident, "un\r\ndeux") == "un\ndeux"
    assert refused(one_field("t", "textarea"), resident, "x" * 10_000)


def test_email_is_normalised_and_checked(resident: Resident) -> None:
    """Addresses are stored lower-case; malformed ones are refused."""
    form = one_field("mel", "email")
    assert accepted(form, resident, " Jean@Exemple.FR ") == "jean@exemple.fr"
    assert "prenom.nom@exemple.fr" in refused(form, resident, "jean@")


def test_phone_is_stored_in_e164(resident: Resident) -> None:
    """A French number in any format becomes E.164; nonsense is refused."""
    form = one_field("tel", "phone")
    assert accepted(form, resident, "06 12 34 56 78") == "+33612345678"
    assert "06 12 34 56 78" in refused(form, resident, "12")


@pytest.mark.parametrize("value", ["31/02/2026", "2026-02-30", "demain", "0214-01-01", 20260101])
def test_impossible_dates_are_refused(resident: Resident, value: object) -> None:
    """Dates that do not exist, are not dates, or have a wrong year are refused."""
    assert refused(one_field("d", "date"), resident, value)


def test_dates_are_stored_in_iso_whether_typed_or_sent(resident: Resident) -> None:
    """14/07/1985 (typed) and 1985-07-14 (API) both store 1985-07-14."""
    assert accepted(one_field("d", "date"), resident, "14/07/1985") == "1985-07-14"
    assert accepted(one_field("d", "date"), resident, "1985-07-14") == "1985-07-14"


def test_date_bounds_relative_to_today(resident: Resident) -> None:
    """min/max accept today and offsets; the message gives the day in French words."""
    today = timezone.localdate()
    form = one_field("d", "date", validation={"min": "today", "max": "+30d"})
    assert accepted(form, resident, today.isoformat()) == today.isoformat()
    message = refused(form, resident, (today - datetime.timedelta(days=1)).isoformat())
    assert "ou après" in message
    assert refused(form, resident, (today + datetime.timedelta(days=31)).isoformat())
    adult = one_field("naissance", "date", validation={"max": "-18y"})
    assert refused(adult, resident, today.replace(year=today.year - 10).isoformat())


@pytest.mark.parametrize("value", ["1e309", "NaN", "inf", "12 kg", "9" * 10_000, True, [1]])
def test_numbers_refuse_what_is_not_a_plain_number(resident: Resident, value: object) -> None:
    """Exponents, infinities, units, absurdly long numbers and booleans are refused."""
    assert "Saisissez un nombre" in refused(one_field("n", "number"), resident, value)


def test_number_bounds_and_decimals(resident: Resident) -> None:
    """min 0 refuses negatives; decimals fix how many digits follow the comma."""
    whole = one_field("n", "number", validation={"min": 0, "max": 10})
    assert accepted(whole, resident, "7") == 7
    assert accepted(whole, resident, 7) == 7
    assert "supérieur ou égal à 0" in refused(whole, resident, "-1")
    assert refused(whole, resident, "11")
    assert "entier" in refused(whole, resident, "2,5")
    money = one_field("n", "number", validation={"decimals": 2, "min": 0.5})
    assert accepted(money, resident, "12,5") == "12.50"
    assert accepted(money, resident, 1200) == "1200.00"
    assert "2 chiffres" in refused(money, resident, "1,234")
    assert "0,5" in refused(money, resident, "0,25")


def test_choice_accepts_only_its_options(resident: Resident) -> None:
    """A value outside the options is refused."""
    form = one_field("q", "choice", options=OPTIONS)
    assert accepted(form, resident, "parent") == "parent"
    assert "choix proposés" in refused(form, resident, "<script>")


def test_multichoice_counts_and_order(resident: Resident) -> None:
    """Values are stored once in the options' order; min and max counts apply."""
    form = one_field("m", "multichoice", options=OPTIONS, validation={"max_choices": 2})
    assert accepted(form, resident, ["autre", "titulaire", "autre"]) == ["titulaire", "autre"]
    assert "au plus 2" in refused(form, resident, ["autre", "titulaire", "parent"])
    assert refused(form, resident, ["tuteur"])
    at_least = one_field("m", "multichoice", options=OPTIONS, validation={"min_choices": 2})
    assert "au moins 2" in refused(at_least, resident, ["parent"])


def test_checkbox_required_means_ticked(resident: Resident) -> None:
    """A required box must be true; a string is not a box."""
    form = one_field("ok", "checkbox", required=True)
    assert accepted(form, resident, True) is True
    assert "Cochez" in refused(form, resident, False)
    assert refused(one_field("ok", "checkbox"), resident, "true")
    assert accepted(one_field("ok", "checkbox"), resident, False) is False


def test_required_fields_say_what_is_missing(resident: Resident) -> None:
    """An empty required answer gets a message suited to the field type."""
    assert "Choisissez" in refused(
        one_field("q", "choice", options=OPTIONS, required=True), resident, ""
    )
    assert "obligatoire" in refused(one_field("t", required=True), resident, "   ")


def test_address_parts_are_checked(resident: Resident) -> None:
    """An address needs its three parts and a 5-digit postal code; extra keys are dropped."""
    form = one_field("adr", "address")
    value = {
        "street": "1  place Salvador Allende",
        "postal_code": "94 000",
        "city": "Créteil",
        "x": "y",
    }
    assert accepted(form, resident, value) == {
        "street": "1 place Salvador Allende",
        "postal_code": "94000",
        "city": "Créteil",
    }
    assert "5 chiffres" in refused(form, resident, {**value, "postal_code": "9400"})
    assert "la commune" in refused(form, resident, {**value, "city": ""})
    assert refused(form, resident, "1 place Salvador Allende")


def test_location_point_must_be_complete_and_in_range(resident: Resident) -> None:
    """Latitude and longitude are optional together, and within range."""
    form = one_field("lieu", "location")
    assert accepted(form, resident, {"address": "Parc"}) == {"address": "Parc"}
    assert accepted(
        form, resident, {"address": "Parc", "latitude": "48,79", "longitude": 2.46}
    ) == {"address": "Parc", "latitude": 48.79, "longitude": 2.46}
    assert "-90 et 90" in refused(form, resident, {"address": "P", "latitude": 91, "longitude": 2})
    assert "longitude" in refused(form, resident, {"address": "P", "latitude": 48})
    assert refused(form, resident, {"latitude": 48, "longitude": 2})


# Documents and household members through the API path -------------------------------------


def test_file_answer_must_be_the_residents_own_valid_document(
    resident: Resident, other_resident: Resident
) -> None:
    """Own valid document accepted; another's, an expired one or another kind refused."""
    form = one_field("acte", "file", document_kind="birth_certificate")
    own = document(resident)
    assert accepted(form, resident, {"document": str(own.uuid)}) == {"document": str(own.uuid)}
    for foreign in (document(other_resident), expired(resident), document(resident, "passport")):
        message = refused(form, resident, {"document": str(foreign.uuid)})
        assert "n'est pas dans votre dossier" in message
    assert refused(form, resident, {"document": "not-a-uuid"})
    assert refused(form, resident, str(own.uuid))


def test_household_member_must_belong_to_the_residents_households(
    resident: Resident, other_resident: Resident
) -> None:
    """A member of the resident's household is accepted; another family's child is refused."""
    family = make_family(resident, other_resident)
    form = one_field("enfant", "household_member", relations=["child"])
    assert accepted(form, resident, str(family.child.uuid)) == str(family.child.uuid)
    assert "foyer" in refused(form, resident, str(family.other_child.uuid))
    assert refused(form, resident, str(family.spouse.uuid))


def test_a_member_of_two_households_counts_with_each_relation(
    resident: Resident, other_resident: Resident
) -> None:
    """Someone listed in two of the resident's households (a child in one, "other" in the
    other one) is offered by a field for children: one of the relations fits."""
    from tests.factories import HouseholdFactory, HouseholdMemberFactory

    family = make_family(resident, other_resident)
    second = HouseholdFactory(name="Aaa, foyer listé en premier")
    HouseholdMemberFactory(household=second, resident=resident, relation="head")
    HouseholdMemberFactory(household=second, resident=family.child, relation="other")
    form = one_field("enfant", "household_member", relations=["child"])
    assert accepted(form, resident, str(family.child.uuid)) == str(family.child.uuid)
    form = one_field("proche", "household_member", relations=["other"])
    assert accepted(form, resident, str(family.child.uuid)) == str(family.child.uuid)
    assert refused(form, resident, str(family.spouse.uuid))


def test_unknown_keys_are_dropped(resident: Resident) -> None:
    """Keys that are no field of the form never reach the case."""
    cleaned, errors = check(one_field("nom"), resident, nom="Dupont", is_admin=True)
    assert cleaned == {"nom": "Dupont"}
    assert errors == {}


def test_answers_must_be_an_object(resident: Resident) -> None:
    """A JSON list instead of an object is refused as a whole."""
    cleaned, errors = validate_answers(one_field("nom"), ["Dupont"], resident=resident)  # type: ignore[arg-type]
    assert cleaned == {}
    assert errors


# Conditions ---------------------------------------------------------------------------------


def conditional(condition: dict[str, Any], *before: dict[str, Any]) -> FormDefinition:
    return definition(page("p", *before, field("suite", required=True, condition=condition)))


QUALITE = field("qualite", "choice", options=OPTIONS)
ACCORD = field("accord", "checkbox")
NOMBRE = field("nombre", "number", validation={"decimals": 1})
MOTIFS = field("motifs", "multichoice", options=OPTIONS)


@pytest.mark.parametrize(
    ("condition", "before", "answers", "shown"),
    [
        ({"field": "qualite", "equals": "parent"}, QUALITE, {"qualite": "parent"}, True),
        ({"field": "qualite", "equals": "parent"}, QUALITE, {"qualite": "autre"}, False),
        ({"field": "qualite", "equals": "parent"}, QUALITE, {}, False),
        ({"field": "qualite", "not_equals": "parent"}, QUALITE, {"qualite": "autre"}, True),
        ({"field": "qualite", "not_equals": "parent"}, QUALITE, {}, False),
        ({"field": "qualite", "in": ["parent", "autre"]}, QUALITE, {"qualite": "autre"}, True),
        ({"field": "qualite", "in": ["parent", "autre"]}, QUALITE, {"qualite": "titulaire"}, False),
        ({"field": "accord", "is_true": True}, ACCORD, {"accord": True}, True),
        ({"field": "accord", "is_true": True}, ACCORD, {"accord": False}, False),
        ({"field": "accord", "is_true": False}, ACCORD, {"accord": False}, True),
        ({"field": "qualite", "answered": True}, QUALITE, {"qualite": "autre"}, True),
        ({"field": "qualite", "answered": False}, QUALITE, {}, True),
        ({"field": "nombre", "equals": 2.5}, NOMBRE, {"nombre": "2,5"}, True),
        (
            {"field": "motifs", "equals": "parent"},
            MOTIFS,
            {"motifs": ["titulaire", "parent"]},
            True,
        ),
        ({"field": "motifs", "in": ["autre"]}, MOTIFS, {"motifs": ["parent"]}, False),
    ],
)
def test_conditions_on_fields(
    resident: Resident,
    condition: dict[str, Any],
    before: dict[str, Any],
    answers: dict[str, Any],
    shown: bool,
) -> None:
    """Each operator shows the field exactly when documented; hidden, it is not required."""
    form = conditional(condition, before)
    cleaned, errors = check(form, resident, **answers, suite="réponse")
    assert ("suite" in cleaned) is shown
    assert errors == {}
    assert [f.key for f in visible_fields(form, form.pages[0], cleaned)][-1:] == (
        ["suite"] if shown else [before["key"]]
    )


def test_all_and_any_combine_conditions(resident: Resident) -> None:
    """all needs every test, any one of them."""
    both = {"all": [{"field": "qualite", "equals": "parent"}, {"field": "accord", "is_true": True}]}
    either = {
        "any": [{"field": "qualite", "equals": "parent"}, {"field": "accord", "is_true": True}]
    }
    answers = {"qualite": "parent", "accord": False, "suite": "x"}
    assert "suite" not in check(conditional(both, QUALITE, ACCORD), resident, **answers)[0]
    assert "suite" in check(conditional(either, QUALITE, ACCORD), resident, **answers)[0]


def test_hidden_answers_are_dropped_and_not_validated(resident: Resident) -> None:
    """An invalid answer to a hidden field is neither an error nor kept."""
    form = definition(
        page(
            "p", QUALITE, field("age", "number", condition={"field": "qualite", "equals": "parent"})
        )
    )
    cleaned, errors = check(form, resident, qualite="autre", age="<script>")
    assert cleaned == {"qualite": "autre"}
    assert errors == {}


def test_a_hidden_field_counts_as_unanswered_for_later_conditions(resident: Resident) -> None:
    """A field depending on a hidden field is hidden too, even if its own test would pass."""
    form = definition(
        page(
            "p",
            QUALITE,
            field("precision", condition={"field": "qualite", "equals": "autre"}),
            field("detail", condition={"field": "precision", "answered": True}),
        )
    )
    cleaned, _errors = check(form, resident, qualite="parent", precision="x", detail="y")
    assert cleaned == {"qualite": "parent"}


def test_conditional_pages_are_skipped_and_their_answers_dropped(resident: Resident) -> None:
    """A page whose condition fails is not visible and its required fields are not asked."""
    form = definition(
        page("demande", QUALITE),
        page(
            "parent",
            field("lien", required=True),
            condition={"field": "qualite", "equals": "parent"},
        ),
        page("fin", field("commentaire")),
    )
    assert [p.key for p in visible_pages(form, {"qualite": "autre"})] == ["demande", "fin"]
    assert [p.key for p in visible_pages(form, {"qualite": "parent"})] == [
        "demande",
        "parent",
        "fin",
    ]
    cleaned, errors = check(form, resident, qualite="autre", lien="posted anyway")
    assert cleaned == {"qualite": "autre"}
    assert errors == {}
    _cleaned, errors = check(form, resident, qualite="parent")
    assert list(errors) == ["lien"]
