import pytest

from guichet.residents.actions import (
    add_household_member,
    create_household,
    remove_household_member,
)
from guichet.residents.choices import Relation
from guichet.residents.models import HouseholdMember, ResidentChange

pytestmark = pytest.mark.django_db


def test_create_household_with_members(make_resident, reception_agent) -> None:
    """A household is created with its first members and a history row for each."""
    mother = make_resident(first_names="Anne", usage_name="Roux")
    child = make_resident(first_names="Léo", usage_name="Roux")
    household = create_household(
        name="Foyer Roux",
        members=[(mother, Relation.HEAD), (child, Relation.CHILD)],
        actor=reception_agent.user,
        channel="counter",
    )
    assert set(household.members.values_list("resident__first_names", "relation")) == {
        ("Anne", Relation.HEAD),
        ("Léo", Relation.CHILD),
    }
    assert ResidentChange.objects.filter(kind=ResidentChange.Kind.HOUSEHOLD_JOINED).count() == 2


def test_a_child_may_belong_to_two_households(make_resident) -> None:
    """Separated parents: the child is a member of both homes."""
    child = make_resident(first_names="Léo", usage_name="Roux")
    first = create_household(name="Foyer Roux", actor=None, channel="")
    second = create_household(name="Foyer Bernard", actor=None, channel="")
    add_household_member(
        household=first, resident=child, relation=Relation.CHILD, actor=None, channel=""
    )
    add_household_member(
        household=second, resident=child, relation=Relation.CHILD, actor=None, channel=""
    )
    assert child.memberships.count() == 2


def test_adding_a_member_again_changes_their_relation(make_resident) -> None:
    """The same person is never twice in a household; adding again updates the relation."""
    person = make_resident()
    household = create_household(name="Foyer", actor=None, channel="")
    add_household_member(
        household=household, resident=person, relation=Relation.OTHER, actor=None, channel=""
    )
    add_household_member(
        household=household, resident=person, relation=Relation.SPOUSE, actor=None, channel=""
    )
    assert HouseholdMember.objects.get().relation == Relation.SPOUSE
    last = ResidentChange.objects.filter(kind=ResidentChange.Kind.HOUSEHOLD_JOINED).first()
    assert last is not None
    assert last.changes["relation"] == [Relation.OTHER, Relation.SPOUSE]


def test_adding_with_the_same_relation_does_nothing(make_resident) -> None:
    """No history row when nothing changes."""
    person = make_resident()
    household = create_household(
        name="Foyer", members=[(person, Relation.HEAD)], actor=None, channel=""
    )
    add_household_member(
        household=household, resident=person, relation=Relation.HEAD, actor=None, channel=""
    )
    assert ResidentChange.objects.filter(kind=ResidentChange.Kind.HOUSEHOLD_JOINED).count() == 1


def test_remove_household_member_keeps_other_households(make_resident) -> None:
    """Leaving one home does not remove the person from the other."""
    child = make_resident()
    first = create_household(name="A", members=[(child, Relation.CHILD)], actor=None, channel="")
    second = create_household(name="B", members=[(child, Relation.CHILD)], actor=None, channel="")
    remove_household_member(household=first, resident=child, actor=None, channel="")
    assert list(child.memberships.values_list("household", flat=True)) == [second.pk]
    left = ResidentChange.objects.get(kind=ResidentChange.Kind.HOUSEHOLD_LEFT)
    assert left.changes == {"household": ["A", None]}
