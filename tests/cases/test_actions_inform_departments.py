"""Tell us once: one declaration informs every department the resident ticks (moving house)."""

from __future__ import annotations

import pytest

from guichet.cases import actions
from guichet.cases.form_definition import DefinitionError, parse_definition
from guichet.cases.models import Case
from tests.factories import CaseFormFactory, DepartmentFactory, ProcedureFactory

MOVING = {
    "procedure": "demenagement",
    "title": "Nouvelle adresse",
    "settings": {
        "inform": {
            "field": "services",
            "departments": {"ecoles": "education", "ccas": "ccas", "bacs": "espace-public"},
        }
    },
    "pages": [
        {
            "key": "p",
            "title": "Services",
            "sections": [
                {
                    "fields": [
                        {
                            "key": "services",
                            "type": "multichoice",
                            "label": "Services à prévenir",
                            "options": [
                                {"value": "ecoles", "label": "Écoles"},
                                {"value": "ccas", "label": "CCAS"},
                                {"value": "bacs", "label": "Bacs"},
                            ],
                        }
                    ]
                }
            ],
        }
    ],
}


@pytest.fixture
def moving_form(city):  # type: ignore[no-untyped-def]
    relation = DepartmentFactory(slug="relation-usager", name="Relation usager")
    DepartmentFactory(slug="espace-public", name="Espace public")
    procedure = ProcedureFactory(slug="demenagement", department=relation, commitment_days=5)
    return CaseFormFactory(procedure=procedure, version=MOVING)


def test_each_ticked_department_gets_a_follow_up(moving_form, resident) -> None:  # type: ignore[no-untyped-def]
    """The education and CCAS departments each receive the declaration in their inbox."""
    filing = actions.file_case(
        case_form=moving_form,
        resident=resident,
        data={"services": ["ecoles", "ccas"]},
        actor=resident.user,
        channel="web",
    )
    follow_ups = Case.objects.filter(parent=filing.case).select_related("department")
    assert sorted(case.department.slug for case in follow_ups) == ["ccas", "education"]
    ccas = next(case for case in follow_ups if case.department.slug == "ccas")
    assert ccas.confidential
    assert all(case.due_date == filing.case.due_date for case in follow_ups)
    assert all(case.events.count() == 1 for case in follow_ups)


def test_nothing_ticked_informs_nobody(moving_form, resident) -> None:  # type: ignore[no-untyped-def]
    """Without a ticked service, only the declaration itself is filed."""
    actions.file_case(
        case_form=moving_form, resident=resident, data={}, actor=resident.user, channel="web"
    )
    assert Case.objects.count() == 1


def test_inform_must_name_a_choice_field_and_its_options() -> None:
    """A definition whose "inform" names an unknown field or option is refused."""
    broken = {**MOVING, "settings": {"inform": {"field": "nope", "departments": {"x": "ccas"}}}}
    with pytest.raises(DefinitionError):
        parse_definition(broken)
    broken = {
        **MOVING,
        "settings": {"inform": {"field": "services", "departments": {"inconnu": "ccas"}}},
    }
    with pytest.raises(DefinitionError):
        parse_definition(broken)
    assert parse_definition(MOVING).settings.to_dict() == MOVING["settings"]
