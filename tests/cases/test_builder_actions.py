"""The back-office form actions: settings changes and publishing the builder's working copy."""

import logging

import pytest

from guichet.cases.form_settings_actions import (
    WorkingCopyOutdated,
    change_form_settings,
    publish_from_back_office,
)
from guichet.cases.models import CaseForm
from guichet.organisation.models import Agent
from tests.conftest import City
from tests.factories import SIMPLE_FORM_DEFINITION, CaseFormFactory, ProcedureFactory


@pytest.fixture
def case_form(city: City) -> CaseForm:
    form: CaseForm = CaseFormFactory(
        procedure=ProcedureFactory(slug="cantine", department=city.education, commitment_days=10)
    )
    return form


def test_change_settings_returns_and_logs_what_changed(
    case_form: CaseForm, supervisor: Agent, city: City, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the settings that change are reported, in words, and logged with who did it."""
    with caplog.at_level(logging.INFO, logger="guichet.cases"):
        changes = change_form_settings(
            case_form,
            actor=supervisor.user,
            settings={
                "is_online": True,
                "routing_department": city.population,
                "commitment_days": 1,
                "acknowledge_automatically": True,
            },
        )
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("service destinataire", "celui de la démarche", "Population"),
        ("délai d'engagement", "celui de la démarche", "1 jour ouvré"),
    ]
    case_form.refresh_from_db()
    assert (case_form.routing_department, case_form.commitment_days) == (city.population, 1)
    assert "changed by elise: routing_department" in caplog.text
    assert (
        change_form_settings(case_form, actor=supervisor.user, settings={"is_online": True}) == []
    )


def test_change_settings_refuses_what_is_not_a_setting(
    case_form: CaseForm, supervisor: Agent
) -> None:
    """The back-office flag is not for the settings form to change."""
    with pytest.raises(TypeError):
        change_form_settings(
            case_form, actor=supervisor.user, settings={"edited_in_back_office": False}
        )


def test_publish_marks_the_form_edited_in_the_back_office(
    case_form: CaseForm, supervisor: Agent
) -> None:
    """Publishing from the builder adds the next version and protects it from file loads."""
    definition = {**SIMPLE_FORM_DEFINITION, "title": "Nouveau titre"}
    version = publish_from_back_office(
        case_form, definition=definition, actor=supervisor.user, comment="Titre", based_on=1
    )
    assert (version.number, version.published_by, version.definition) == (
        2,
        supervisor.user,
        definition,
    )
    case_form.refresh_from_db()
    assert case_form.edited_in_back_office is True


def test_publish_from_an_outdated_copy_is_refused(case_form: CaseForm, supervisor: Agent) -> None:
    """A copy started from version 1 cannot be published once version 2 exists."""
    publish_from_back_office(
        case_form, definition=SIMPLE_FORM_DEFINITION, actor=supervisor.user, comment="", based_on=1
    )
    with pytest.raises(WorkingCopyOutdated) as raised:
        publish_from_back_office(
            case_form,
            definition=SIMPLE_FORM_DEFINITION,
            actor=supervisor.user,
            comment="",
            based_on=1,
        )
    assert raised.value.current is not None and raised.value.current.number == 2
    assert case_form.versions.count() == 2
