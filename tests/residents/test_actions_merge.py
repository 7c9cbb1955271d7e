import datetime

import pytest

from guichet.audit.actions import record_access
from guichet.audit.models import AccessLog
from guichet.contacts.models import Contact
from guichet.residents.actions import (
    MergeNotAllowed,
    add_document,
    add_household_member,
    create_household,
    merge_residents,
)
from guichet.residents.choices import DocumentKind, Relation
from guichet.residents.merging import preview
from guichet.residents.models import Resident, ResidentChange, ResidentMerge
from tests.factories import ContactFactory, UserFactory
from tests.residents.conftest import pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(make_resident) -> Resident:
    """A second file for Hélène, created by someone who did not find the first."""
    return make_resident(
        first_names="Helene",
        usage_name="Dupond",
        birth_name="Martin",
        birth_date=datetime.date(1980, 3, 12),
        email="",
        phone="07 55 12 34 56",
        external_id="SI-42",
        needs_hearing=True,
    )


def test_merge_moves_contacts_of_apps_above_residents(helene, duplicate, supervisor) -> None:
    """Contacts (another app) move to the target without residents importing contacts."""
    contacts = ContactFactory.create_batch(3, resident=duplicate)
    ContactFactory(resident=helene)
    merge = merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    assert Contact.objects.filter(resident=helene).count() == 4
    assert not Contact.objects.filter(resident=duplicate).exists()
    assert merge.moved["contacts.contact.resident"] == 3
    assert sorted(merge.moved_ids["contacts.contact.resident"]) == sorted(c.pk for c in contacts)


def test_merge_moves_documents_and_deduplicates_households(
    helene, duplicate, make_resident, supervisor
) -> None:
    """Documents move; a household both files were in keeps a single membership."""
    add_document(
        resident=duplicate,
        kind=DocumentKind.PASSPORT,
        uploaded_file=pdf_file(),
        valid_until=None,
        actor=None,
    )
    shared = create_household(
        name="Foyer Dupont", members=[(helene, Relation.HEAD)], actor=None, channel=""
    )
    add_household_member(
        household=shared, resident=duplicate, relation=Relation.HEAD, actor=None, channel=""
    )
    other = create_household(
        name="Foyer Martin", members=[(duplicate, Relation.CHILD)], actor=None, channel=""
    )
    merge = merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    assert helene.documents.count() == 1
    assert set(helene.memberships.values_list("household", flat=True)) == {shared.pk, other.pk}
    assert shared.members.count() == 1
    assert merge.removed == {"residents.householdmember.resident": 1}
    assert merge.moved["residents.householdmember.resident"] == 1
    assert merge.source_snapshot["household_memberships"]


def test_merge_keeps_the_access_log_and_history_on_the_source(
    helene, duplicate, supervisor, reception_agent
) -> None:
    """Who opened the duplicate stays recorded against the duplicate."""
    record_access(user=reception_agent.user, resident=duplicate, page="resident", path="/x/")
    merge = merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    assert AccessLog.objects.get().resident_id == duplicate.pk
    assert merge.kept["audit.accesslog.resident"] == 1
    assert ResidentChange.objects.filter(
        resident=duplicate, kind=ResidentChange.Kind.CREATED
    ).exists()


def test_merge_fills_the_targets_empty_fields(helene, duplicate, supervisor) -> None:
    """Empty fields of the kept file are filled from the duplicate; filled ones are kept."""
    account = UserFactory(username="helene-en-ligne")
    Resident.objects.filter(pk=duplicate.pk).update(user=account)
    duplicate.refresh_from_db()
    merge = merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    helene.refresh_from_db()
    assert helene.birth_name == "Martin"
    assert helene.search_birth == "martin"
    assert helene.external_id == "SI-42"
    assert helene.user == account
    assert helene.needs_hearing
    assert helene.phone == "+33612345678"  # not replaced
    assert set(merge.filled_fields) >= {"birth_name", "external_id", "user", "needs_hearing"}
    change = ResidentChange.objects.get(resident=helene, kind=ResidentChange.Kind.MERGED)
    assert change.changes["birth_name"] == ["", "Martin"]


def test_merge_deactivates_the_source_and_leaves_a_trace(helene, duplicate, supervisor) -> None:
    """The source becomes inactive, points at the target, and a ResidentMerge is written."""
    merge = merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    duplicate.refresh_from_db()
    assert not duplicate.is_active
    assert duplicate.merged_into == helene
    assert duplicate.external_id is None
    assert merge.actor == supervisor.user
    assert merge.source_snapshot["usage_name"] == "Dupond"
    assert merge.source_snapshot["external_id"] == "SI-42"
    assert ResidentMerge.objects.get() == merge


def test_files_merged_earlier_follow_their_new_target(
    helene, duplicate, make_resident, supervisor
) -> None:
    """A file merged into the duplicate before now points at the kept file."""
    older = make_resident(first_names="H.", usage_name="Dupont")
    merge_residents(source=older, target=duplicate, actor=supervisor.user)
    merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    older.refresh_from_db()
    assert older.merged_into == helene


def test_merge_refuses_the_same_file_and_inactive_files(helene, duplicate, supervisor) -> None:
    """Merging a file with itself, or a file already merged, is refused."""
    with pytest.raises(MergeNotAllowed):
        merge_residents(source=helene, target=helene, actor=supervisor.user)
    merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    with pytest.raises(MergeNotAllowed):
        merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    with pytest.raises(MergeNotAllowed):
        merge_residents(source=helene, target=duplicate, actor=supervisor.user)
    assert ResidentMerge.objects.count() == 1


def test_merge_rereads_both_files_under_lock(helene, duplicate, supervisor) -> None:
    """A stale copy of a file merged meanwhile by someone else is refused, not merged twice."""
    stale_duplicate = Resident.objects.get(pk=duplicate.pk)
    merge_residents(source=duplicate, target=helene, actor=supervisor.user)
    with pytest.raises(MergeNotAllowed):
        merge_residents(source=helene, target=stale_duplicate, actor=supervisor.user)


def test_preview_counts_without_moving_anything(helene, duplicate) -> None:
    """The preview says what would move and stay, and changes nothing."""
    ContactFactory.create_batch(2, resident=duplicate)
    shown = preview(source=duplicate, target=helene)
    assert ("contacts", 2) in shown.moving
    assert Contact.objects.filter(resident=duplicate).count() == 2
    assert "nom de naissance" in shown.filled_fields
