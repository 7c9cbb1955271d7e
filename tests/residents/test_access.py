import pytest
from django.http import Http404

from guichet.residents.access import (
    abilities,
    get_merged_target_for,
    get_resident_for,
)
from guichet.residents.actions import merge_residents
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

EXPECTED = {
    "reception_agent": {"edit", "manage_household", "add_document", "verify_document"},
    "ccas_agent": {"edit", "manage_household", "add_document", "verify_document"},
    "education_agent": {"edit", "manage_household", "add_document", "verify_document"},
    "helper_agent": {"edit", "manage_household", "add_document"},
    "supervisor": {"edit", "manage_household", "add_document", "verify_document", "merge"},
    "admin_agent": {"edit", "manage_household", "add_document", "verify_document", "merge"},
    "dpo": set(),
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_abilities_per_persona(request, helene, persona: str) -> None:
    """Every agent views and downloads; what else depends on the role; residents nothing."""
    user = request.getfixturevalue(persona).user
    granted = {name for name, allowed in abilities(user, helene).items() if allowed}
    if persona in EXPECTED:
        assert granted == EXPECTED[persona] | {"view", "download_document"}
        assert get_resident_for(user, helene.uuid) == helene
    else:
        assert granted == set()
        with pytest.raises(Http404):
            get_resident_for(user, helene.uuid)


def test_bad_uuids_are_404(reception_agent) -> None:
    """A malformed or unknown identifier is the same 404."""
    for value in ("nope", "00000000-0000-0000-0000-000000000000", None):
        with pytest.raises(Http404):
            get_resident_for(reception_agent.user, value)


def test_merged_files_lead_to_the_kept_file(helene, make_resident, supervisor) -> None:
    """An old link to a merged file finds the file it was merged into."""
    first = make_resident()
    second = make_resident()
    merge_residents(source=first, target=second, actor=supervisor.user)
    merge_residents(source=second, target=helene, actor=supervisor.user)
    assert get_merged_target_for(supervisor.user, first.uuid) == helene
    with pytest.raises(Http404):
        get_resident_for(supervisor.user, first.uuid)
