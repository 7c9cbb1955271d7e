import datetime

import pytest

from guichet.organisation.choices import Channel
from guichet.residents.actions import create_resident, update_resident
from guichet.residents.models import Resident, ResidentChange
from guichet.residents.names import phonetic
from guichet.residents.phones import InvalidPhoneNumber

pytestmark = pytest.mark.django_db


def test_create_resident_stores_search_keys_e164_phone_and_lowercase_email(reception_agent) -> None:
    """create_resident normalises contact details and fills the search columns."""
    resident = create_resident(
        actor=reception_agent.user,
        channel=Channel.COUNTER,
        first_names="  Jean-Pierre ",
        usage_name="Lefèvre",
        birth_date=datetime.date(1975, 5, 2),
        phone="06 12 34 56 78",
        email="JP.Lefevre@Example.ORG",
    )
    resident.refresh_from_db()
    assert resident.first_names == "Jean-Pierre"
    assert resident.phone == "+33612345678"
    assert resident.email == "jp.lefevre@example.org"
    assert resident.search_last == "lefevre"
    assert resident.phonetic_last == phonetic("Lefebvre")
    assert resident.is_active


def test_create_resident_writes_a_history_row(reception_agent) -> None:
    """Creation leaves a ResidentChange with the actor, the channel and the values given."""
    resident = create_resident(
        actor=reception_agent.user, channel=Channel.PHONE, first_names="Ivan", usage_name="Martin"
    )
    change = ResidentChange.objects.get(resident=resident)
    assert change.kind == ResidentChange.Kind.CREATED
    assert change.actor == reception_agent.user
    assert change.channel == Channel.PHONE
    assert change.changes["usage_name"] == [None, "Martin"]


def test_create_resident_refuses_unknown_fields() -> None:
    """A typo in a field name is a programming error, not silently ignored."""
    with pytest.raises(TypeError):
        create_resident(actor=None, channel="", first_names="A", usage_name="B", nmae="C")


def test_create_resident_refuses_an_invalid_phone() -> None:
    """Actions assume validated input: an invalid phone raises rather than being stored."""
    with pytest.raises(InvalidPhoneNumber):
        create_resident(actor=None, channel="", first_names="A", usage_name="B", phone="123")
    assert not Resident.objects.exists()


def test_update_resident_records_old_and_new_values(helene, supervisor) -> None:
    """update_resident writes only what changed, with old and new values."""
    update_resident(
        helene,
        actor=supervisor.user,
        channel=Channel.COUNTER,
        usage_name="Martin",
        city="Créteil",
        phone="+33 6 12 34 56 78",
    )
    helene.refresh_from_db()
    assert helene.usage_name == "Martin"
    assert helene.search_last == "martin"
    change = ResidentChange.objects.filter(kind=ResidentChange.Kind.UPDATED).get()
    assert change.changes == {"usage_name": ["Dupont", "Martin"]}
    assert change.actor == supervisor.user


def test_update_resident_without_change_writes_no_history(helene) -> None:
    """Saving the same values leaves no history row."""
    update_resident(helene, actor=None, channel="", first_names="Hélène", city="Créteil")
    assert not ResidentChange.objects.filter(kind=ResidentChange.Kind.UPDATED).exists()


def test_update_resident_serialises_dates_in_history(helene) -> None:
    """Dates in the history are ISO strings (JSON), old and new."""
    update_resident(helene, actor=None, channel="", birth_date=datetime.date(1980, 3, 13))
    change = ResidentChange.objects.get(kind=ResidentChange.Kind.UPDATED)
    assert change.changes == {"birth_date": ["1980-03-12", "1980-03-13"]}


def test_update_resident_keeps_concurrent_changes_to_other_fields(helene) -> None:
    """Only the changed columns are written: another agent's edit of another field survives."""
    stale = Resident.objects.get(pk=helene.pk)
    update_resident(helene, actor=None, channel="", city="Paris")
    update_resident(stale, actor=None, channel="", address="8 avenue Foch")
    helene.refresh_from_db()
    assert (helene.city, helene.address) == ("Paris", "8 avenue Foch")
