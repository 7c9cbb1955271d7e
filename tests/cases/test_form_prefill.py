"""Tell us once and read back: prefill from the resident's file, profile changes, summary."""

import datetime

import pytest
from django.utils import timezone

from guichet.cases.form_engine import answer_summary, prefill_answers, profile_changes
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
from tests.factories import DocumentFactory, HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

QUALITE = field("qualite", "choice", options=OPTIONS)
ACCORD = field("accord", "checkbox")
MOTIFS = field("motifs", "multichoice", options=OPTIONS)

# Prefill (tell us once) ---------------------------------------------------------------------

PROFILE_FORM = definition(
    page(
        "identite",
        field(
            "civilite",
            "choice",
            prefill="resident.civility",
            options=[{"value": "mme", "label": "Madame"}, {"value": "m", "label": "Monsieur"}],
        ),
        field("prenoms", prefill="resident.first_names"),
        field("naissance", "date", prefill="resident.birth_date"),
        field("mel", "email", prefill="resident.email"),
        field("tel", "phone", prefill="resident.phone"),
        field("adresse", "address", prefill="resident.address"),
        field("rue", prefill="resident.address"),
        field("lieu", "location", prefill="resident.address"),
    )
)


def test_prefill_reads_identity_and_contact_details(resident: Resident) -> None:
    """Each documented source fills its field in the stored shape."""
    resident.civility = "mme"
    resident.birth_date = datetime.date(1980, 3, 12)
    resident.phone = "+33612345678"
    resident.address, resident.postal_code, resident.city = "1 rue Pasteur", "94000", "Créteil"
    resident.save()
    assert prefill_answers(PROFILE_FORM, resident) == {
        "civilite": "mme",
        "prenoms": "Hélène",
        "naissance": "1980-03-12",
        "mel": "helene@example.org",
        "tel": "+33612345678",
        "adresse": {"street": "1 rue Pasteur", "postal_code": "94000", "city": "Créteil"},
        "rue": "1 rue Pasteur",
        "lieu": {"address": "1 rue Pasteur, 94000 Créteil"},
    }


def test_prefill_takes_the_household_address_when_the_file_has_none(
    resident: Resident, other_resident: Resident
) -> None:
    """A resident known through their household gets its address."""
    make_family(resident, other_resident)
    prefill = prefill_answers(PROFILE_FORM, resident)
    assert prefill["adresse"] == {
        "street": "3 allée des Lilas",
        "postal_code": "94000",
        "city": "Créteil",
    }


def test_prefill_skips_values_that_are_no_option(resident: Resident) -> None:
    """A civility that the form does not offer is not prefilled."""
    assert "civilite" not in prefill_answers(PROFILE_FORM, resident)


def test_prefill_offers_the_newest_valid_document_never_an_expired_one(
    resident: Resident,
) -> None:
    """The newest still-valid document of the kind is chosen; expired ones are ignored."""
    form = one_field("acte", "file", document_kind="birth_certificate")
    assert prefill_answers(form, resident) == {}
    expired(resident)
    assert prefill_answers(form, resident) == {}
    older = document(resident, created_at=timezone.now() - datetime.timedelta(days=3))
    newer = document(resident, valid_until=timezone.localdate())
    assert prefill_answers(form, resident) == {"acte": {"document": str(newer.uuid)}}
    assert older.uuid != newer.uuid


def test_prefill_chooses_the_only_household_member_that_fits(
    resident: Resident, other_resident: Resident
) -> None:
    """With one child, the child field is preselected; with several people, nobody is."""
    family = make_family(resident, other_resident)
    child_form = one_field("enfant", "household_member", relations=["child"])
    assert prefill_answers(child_form, resident) == {"enfant": str(family.child.uuid)}
    anyone = one_field("personne", "household_member")
    assert prefill_answers(anyone, resident) == {}


def test_a_member_of_two_households_is_listed_once(resident: Resident) -> None:
    """A child of separated parents, in two of the resident's households, counts once."""
    child_form = one_field("enfant", "household_member", relations=["child"])
    for name in ("Foyer A", "Foyer B"):
        household = HouseholdFactory(name=name)
        HouseholdMemberFactory(household=household, resident=resident, relation="parent")
        if name == "Foyer A":
            child = HouseholdMemberFactory(household=household, relation="child").resident
        else:
            HouseholdMemberFactory(household=household, resident=child, relation="child")
    assert prefill_answers(child_form, resident) == {"enfant": str(child.uuid)}


# Profile changes ----------------------------------------------------------------------------


def test_profile_changes_lists_changed_contact_details(resident: Resident) -> None:
    """Changed email, phone and address parts are listed with old and new values."""
    resident.phone = "+33612345678"
    resident.address, resident.postal_code, resident.city = "1 rue Pasteur", "94000", "Créteil"
    resident.save()
    answers = {
        "mel": "helene.dupont@example.org",
        "tel": "+33612345678",
        "adresse": {"street": "8 rue Victor Hugo", "postal_code": "94000", "city": "Créteil"},
        "prenoms": "Hélène Marie",
    }
    assert profile_changes(PROFILE_FORM, answers, resident) == {
        "email": ("helene@example.org", "helene.dupont@example.org"),
        "address": ("1 rue Pasteur", "8 rue Victor Hugo"),
    }


def test_profile_changes_ignores_same_values_and_empty_answers(resident: Resident) -> None:
    """The same phone in another format, or an emptied field, is no change to offer."""
    resident.phone = "+33612345678"
    resident.save()
    answers = {"mel": "", "tel": "06 12 34 56 78", "rue": ""}
    assert profile_changes(PROFILE_FORM, answers, resident) == {}


def test_profile_changes_ignores_hidden_fields(resident: Resident) -> None:
    """An email typed in a field that ended up hidden is not offered."""
    form = definition(
        page(
            "p",
            ACCORD,
            field(
                "mel",
                "email",
                prefill="resident.email",
                condition={"field": "accord", "is_true": True},
            ),
        )
    )
    answers = {"accord": False, "mel": "autre@example.org"}
    assert profile_changes(form, answers, resident) == {}
    assert profile_changes(form, {**answers, "accord": True}, resident) == {
        "email": ("helene@example.org", "autre@example.org")
    }


# Summary ------------------------------------------------------------------------------------


def test_answer_summary_reads_like_french(resident: Resident, other_resident: Resident) -> None:
    """Dates, choices, booleans, documents, addresses and members are shown as people read."""
    family = make_family(resident, other_resident)
    piece = DocumentFactory(resident=resident, kind="birth_certificate", original_name="acte.pdf")
    form = definition(
        page(
            "demande",
            QUALITE,
            MOTIFS,
            ACCORD,
            field("date", "date"),
            field("montant", "number", validation={"decimals": 2}),
            field("tel", "phone"),
            field("vide"),
        ),
        page(
            "pieces",
            field("acte", "file", document_kind="birth_certificate"),
            field("adresse", "address"),
            field("lieu", "location"),
            field("enfant", "household_member"),
        ),
        page("cachee", field("secret"), condition={"field": "accord", "is_true": True}),
    )
    answers = {
        "qualite": "parent",
        "motifs": ["titulaire", "autre"],
        "accord": False,
        "date": "2026-03-12",
        "montant": "1234.50",
        "tel": "+33612345678",
        "acte": {"document": str(piece.uuid)},
        "adresse": {"street": "1 rue Pasteur", "postal_code": "94000", "city": "Créteil"},
        "lieu": {"address": "Parc Dupeyroux", "latitude": 48.79, "longitude": 2.46},
        "enfant": str(family.child.uuid),
        "secret": "caché",
    }
    summary = answer_summary(form, answers)
    assert summary == [
        (
            "Page demande",
            [
                ("Libellé qualite", "Son père ou sa mère"),
                ("Libellé motifs", "La personne concernée, Une autre personne"),
                ("Libellé accord", "Non"),
                ("Libellé date", "12 mars 2026"),
                ("Libellé montant", "1234,50"),
                ("Libellé tel", "06 12 34 56 78"),
            ],
        ),
        (
            "Page pieces",
            [
                ("Libellé acte", "Acte de naissance — acte.pdf"),
                ("Libellé adresse", "1 rue Pasteur, 94000 Créteil"),
                ("Libellé lieu", "Parc Dupeyroux (48,79 ; 2,46)"),
                ("Libellé enfant", "Léa DUPONT"),
            ],
        ),
    ]


def test_answer_summary_uses_the_objects_given(resident: Resident) -> None:
    """Documents and members passed in are used without querying; unknown ones degrade."""
    form = definition(
        page(
            "p",
            field("acte", "file", document_kind="passport"),
            field("enfant", "household_member"),
        )
    )
    answers = {
        "acte": {"document": "9d1e8a56-0000-4000-8000-000000000000"},
        "enfant": str(resident.uuid),
    }
    summary = answer_summary(form, answers, documents={}, members={str(resident.uuid): resident})
    assert summary == [
        ("Page p", [("Libellé acte", "Passeport"), ("Libellé enfant", "Hélène DUPONT")])
    ]
