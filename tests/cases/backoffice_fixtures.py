"""Forms and cases for the back-office tests, filed through the actions (real history)."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.cases import actions
from guichet.cases.models import Case, CaseForm
from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.residents.models import Resident
from tests.factories import CaseFactory, CaseFormFactory, ProcedureFactory


@pytest.fixture
def school_form(city: Any) -> CaseForm:
    """Inscription scolaire, processed by the education department in 10 working days."""
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(
            slug="inscription-scolaire",
            title="Inscription scolaire",
            department=city.education,
            commitment_days=10,
        )
    )
    return form


@pytest.fixture
def birth_form(city: Any) -> CaseForm:
    """Acte de naissance, processed by the population department in 5 working days."""
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(
            slug="acte-naissance",
            title="Acte de naissance",
            department=city.population,
            commitment_days=5,
        )
    )
    return form


@pytest.fixture
def social_form(city: Any) -> CaseForm:
    """Aide sociale facultative, processed by the (confidential) CCAS."""
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(
            slug="aide-sociale",
            title="Aide sociale facultative",
            department=city.ccas,
            commitment_days=15,
        )
    )
    return form


def file(
    case_form: CaseForm,
    resident: Resident,
    *,
    actor: User | None = None,
    channel: str = Channel.WEB,
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Case:
    """File a case as the resident (or ``actor`` on their behalf) through the action."""
    filer = actor or resident.user
    assert filer is not None
    return actions.file_case(
        case_form=case_form,
        resident=resident,
        data=data or {"objet": "Rentrée de septembre", "details": ""},
        actor=filer,
        channel=channel,
        **kwargs,
    ).case


def case_for(case_form: CaseForm, **fields: Any) -> Case:
    """Make a case row of the form's procedure directly (no history), for list tests."""
    case: Case = CaseFactory(procedure=case_form.procedure, **fields)
    return case


@pytest.fixture
def school_case(school_form: CaseForm, resident: Resident) -> Case:
    """Hélène's school registration, filed online."""
    return file(school_form, resident)


@pytest.fixture
def social_case(social_form: CaseForm, resident: Resident) -> Case:
    """Hélène's confidential request to the CCAS, filed online."""
    return file(social_form, resident, data={"objet": "Aide au loyer", "details": "Retard"})
