"""The dictionary of known names behind typo-tolerant lookups, and who keeps it up to date."""

from pathlib import Path

import pytest

from guichet.residents.actions import merge_residents, update_resident
from guichet.residents.importing import import_residents
from guichet.residents.lookup_dictionary import SOUNDS_ALIKE, remember_names, similar_terms
from guichet.residents.models import NameKey
from guichet.residents.search import find_residents
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def known_terms() -> set[str]:
    return set(NameKey.objects.values_list("term", flat=True))


def test_creating_a_resident_adds_its_names(make_resident) -> None:
    """Each word of the names, and each compound name, becomes a known term."""
    make_resident(first_names="Jean-Pierre", usage_name="Martin-Dupont", birth_name="Lefèvre")
    assert known_terms() == {
        "jean",
        "pierre",
        "jean pierre",
        "martin",
        "dupont",
        "martin dupont",
        "lefevre",
    }


def test_renaming_a_resident_adds_the_new_name(make_resident) -> None:
    """After a change of name, the new name is found with a typo."""
    resident = make_resident(first_names="Inès", usage_name="Benali")
    update_resident(resident, actor=None, channel="", usage_name="Kowalski")
    assert "kowalski" in known_terms()
    assert find_residents("Kowalksi Inès")[0].resident == resident


def test_merging_adds_the_names_the_kept_file_receives(make_resident, supervisor) -> None:
    """A birth name filled from the duplicate becomes a known term."""
    kept = make_resident(first_names="Hélène", usage_name="Dupont")
    duplicate = ResidentFactory(first_names="Hélène", usage_name="Dupont", birth_name="Quesnel")
    assert "quesnel" not in known_terms()
    merge_residents(source=duplicate, target=kept, actor=supervisor.user)
    assert "quesnel" in known_terms()
    assert find_residents("Quesnell Hélène")[0].resident == kept


def test_importing_adds_the_names_in_bulk(tmp_path: Path) -> None:
    """Imported lines feed the dictionary; a re-import adds nothing."""
    path = tmp_path / "usagers.csv"
    path.write_text(
        "external_id,last_name,first_name,birth_name,birth_date,email,phone,address,"
        "postal_code,city\n"
        "SI-1,Ouattara,Aminata,,1980-03-12,,,,,\n"
        "SI-2,Kerbrat,Yann,Le Gall,,,,,,\n",
        encoding="utf-8",
    )
    import_residents(path)
    keys = NameKey.objects.count()
    assert {"ouattara", "aminata", "kerbrat", "yann", "le gall"} <= known_terms()
    import_residents(path)
    assert NameKey.objects.count() == keys
    assert find_residents("Outtara Aminata")[0].resident.external_id == "SI-1"


def test_remember_names_writes_only_new_terms() -> None:
    """Known terms are not written again; the number of new terms is returned."""
    assert remember_names([("Paul", "Durand", "")]) == 2
    before = NameKey.objects.filter(term__in=["paul", "durand"]).count()
    assert remember_names([("Paul", "Durand", ""), ("Paula", "Durand", "")]) == 1
    assert NameKey.objects.filter(term__in=["paul", "durand"]).count() == before
    assert NameKey.objects.filter(term="paula", key="paula").exists()


def test_similar_terms_within_the_typo_budget_or_sounding_alike() -> None:
    """Known names one or two typos away, or sounding the same, with the typo cost."""
    remember_names([("Philippe", "Rousseau", ""), ("Paul", "Dupont", "")])
    similar = similar_terms(["dupnot", "rousaeu", "roussot", "filipe", "pl", "dupont"])
    assert similar["dupnot"] == {"dupont": 0.9}  # two letters swapped: a common slip
    assert similar["rousaeu"] == {"rousseau": 1.6}  # a doubled letter missing, a swap
    assert similar["roussot"] == {"rousseau": SOUNDS_ALIKE}
    assert similar["filipe"] == {"philippe": SOUNDS_ALIKE}
    assert similar["pl"] == {}
    assert similar["dupont"] == {"dupont": 0.0}


def test_names_of_two_letters_allow_one_left_out_letter() -> None:
    """ "sw" and "so" may be Sow; "sa" is not "Su"."""
    remember_names([("Awa", "Sow", ""), ("Kim", "Su", "")])
    assert similar_terms(["sw"])["sw"] == {"sow": 1.0}
    assert similar_terms(["so"])["so"] == {"sow": 1.0}
    assert similar_terms(["sa"])["sa"] == {}
