"""Pure editing steps of the form builder: each returns a new definition or refuses clearly."""

import copy

import pytest

from guichet.cases import builder_edit as edit
from guichet.cases.builder_edit import DOWN, UP, EditError
from guichet.cases.form_definition import parse_definition


def sample() -> dict:
    """Two pages; ``precision`` depends on ``qualite``, page ``personne`` on ``demandeur``."""
    return {
        "procedure": "acte-naissance",
        "title": "Demande d'acte",
        "pages": [
            {
                "key": "demande",
                "title": "Votre demande",
                "sections": [
                    {
                        "fields": [
                            {
                                "key": "demandeur",
                                "type": "choice",
                                "label": "L'acte concerne",
                                "options": [
                                    {"value": "moi", "label": "Moi"},
                                    {"value": "tiers", "label": "Un tiers"},
                                ],
                            },
                            {"key": "motif", "type": "text", "label": "Motif"},
                        ]
                    }
                ],
            },
            {
                "key": "personne",
                "title": "La personne",
                "condition": {"field": "demandeur", "equals": "tiers"},
                "sections": [
                    {
                        "title": "Lien",
                        "fields": [
                            {
                                "key": "qualite",
                                "type": "choice",
                                "label": "Vous êtes",
                                "options": [
                                    {"value": "parent", "label": "Parent"},
                                    {"value": "autre", "label": "Autre"},
                                ],
                            },
                            {
                                "key": "precision",
                                "type": "text",
                                "label": "Précisez",
                                "condition": {"field": "qualite", "equals": "autre"},
                            },
                        ],
                    },
                    {
                        "title": "Identité",
                        "fields": [{"key": "nom", "type": "text", "label": "Nom"}],
                    },
                ],
            },
        ],
    }


def keys(definition: dict) -> list[str]:
    return edit.field_keys(definition)


def test_sample_is_a_valid_definition() -> None:
    """The fixture used below is itself a publishable definition."""
    parse_definition(sample())


@pytest.mark.parametrize(
    ("label", "taken", "expected"),
    [
        ("Nom de l'enfant", [], "nom_de_lenfant"),
        ("Élève né à l'étranger ?", [], "eleve_ne_a_letranger"),
        ("Nom", ["nom"], "nom_2"),
        ("Nom", ["nom", "nom_2"], "nom_3"),
        ("2e prénom", [], "champ_2e_prenom"),
        ("€ !", [], "champ"),
        ("a" * 80, [], "a" * 56),
    ],
)
def test_derive_key_makes_valid_unique_keys(label: str, taken: list[str], expected: str) -> None:
    """A key derived from a label is ASCII, starts with a letter, fits and is not taken."""
    assert edit.derive_key(label, taken, fallback="champ") == expected


def test_blank_definition_has_one_page_with_an_empty_section() -> None:
    """A new form starts with a page ready for its first field (not yet publishable)."""
    definition = edit.blank_definition("cantine", "Inscription à la cantine")
    assert definition["procedure"] == "cantine"
    assert definition["pages"][0]["sections"] == [{"fields": []}]


def test_add_page_derives_a_unique_key_and_leaves_the_argument_alone() -> None:
    """A new page goes last with a key from its title; the original dict is unchanged."""
    original = sample()
    before = copy.deepcopy(original)
    result = edit.add_page(original, {"title": "Votre demande", "intro": ""})
    assert original == before
    assert result["pages"][-1] == {
        "key": "votre_demande",
        "title": "Votre demande",
        "sections": [{"fields": []}],
    }
    again = edit.add_page(result, {"title": "Votre demande"})
    assert again["pages"][-1]["key"] == "votre_demande_2"


def test_add_page_refuses_a_key_already_used() -> None:
    """A page key chosen by hand must be free."""
    with pytest.raises(EditError, match="déjà la clé « demande »"):
        edit.add_page(sample(), {"key": "demande", "title": "Encore"})


def test_update_page_changes_texts_and_removes_a_condition() -> None:
    """Title and intro change; a condition set to None disappears; the key never changes."""
    result = edit.update_page(
        sample(), "personne", {"title": "Qui", "intro": "Texte", "condition": None, "key": "x"}
    )
    page = result["pages"][1]
    assert (page["key"], page["title"], page["intro"]) == ("personne", "Qui", "Texte")
    assert "condition" not in page


def test_remove_page_refuses_when_a_later_condition_reads_its_fields() -> None:
    """Removing the first page would leave the second page's condition pointing nowhere."""
    with pytest.raises(EditError, match="la condition de « La personne » porte sur « L'acte"):
        edit.remove_page(sample(), "demande")


def test_remove_page_removes_it() -> None:
    """A page nobody depends on goes, with its fields."""
    result = edit.remove_page(sample(), "personne")
    assert [page["key"] for page in result["pages"]] == ["demande"]


def test_move_page_swaps_and_refuses_at_the_edges() -> None:
    """Pages move one place; the first cannot go up, the last cannot go down."""
    definition = edit.update_page(sample(), "personne", {"condition": None})
    moved = edit.move_page(definition, "personne", UP)
    assert [page["key"] for page in moved["pages"]] == ["personne", "demande"]
    with pytest.raises(EditError, match="déjà la première"):
        edit.move_page(moved, "personne", UP)
    with pytest.raises(EditError, match="déjà la dernière"):
        edit.move_page(moved, "demande", DOWN)


def test_move_page_above_the_page_its_condition_reads_is_refused() -> None:
    """A page condition may only read earlier pages: the move is refused with the reason."""
    with pytest.raises(EditError, match=r"Déplacement impossible.*« La personne »"):
        edit.move_page(sample(), "personne", UP)


def test_add_update_move_and_remove_a_section() -> None:
    """Sections are added last, retitled, moved within their page and removed."""
    result = edit.add_section(sample(), "demande", {"title": "Pièces", "intro": ""})
    assert result["pages"][0]["sections"][1] == {"title": "Pièces", "fields": []}
    result = edit.update_section(result, "demande", 1, {"title": "", "intro": "Joindre"})
    assert result["pages"][0]["sections"][1] == {"intro": "Joindre", "fields": []}
    result = edit.move_section(result, "demande", 1, UP)
    assert result["pages"][0]["sections"][0] == {"intro": "Joindre", "fields": []}
    with pytest.raises(EditError, match="déjà la première de sa page"):
        edit.move_section(result, "demande", 0, UP)
    result = edit.remove_section(result, "demande", 0)
    assert len(result["pages"][0]["sections"]) == 1


def test_unknown_section_is_refused() -> None:
    """A section number that no longer exists (another tab removed it) says so."""
    with pytest.raises(EditError, match="Cette section n'existe plus"):
        edit.update_section(sample(), "demande", 5, {"title": "X"})


def test_remove_section_refuses_when_a_condition_reads_its_fields() -> None:
    """The "Lien" section holds ``qualite``, read by the condition of ``precision``... in it.

    Removing the section removes both, so it is allowed; removing the first page's section
    would orphan the page condition and is refused.
    """
    assert len(edit.remove_section(sample(), "personne", 0)["pages"][1]["sections"]) == 1
    with pytest.raises(EditError, match="Impossible de supprimer la section n° 1"):
        edit.remove_section(sample(), "demande", 0)


def test_add_field_derives_a_unique_key_from_its_label() -> None:
    """A field without a key gets one from its label, unique in the whole form."""
    result = edit.add_field(sample(), "demande", 0, {"type": "text", "label": "Nom", "help": ""})
    assert result["pages"][0]["sections"][0]["fields"][-1] == {
        "key": "nom_2",
        "type": "text",
        "label": "Nom",
    }


def test_add_field_refuses_a_key_already_used() -> None:
    """A field key chosen by hand must be free in the whole form."""
    with pytest.raises(EditError, match="déjà la clé « nom »"):
        edit.add_field(sample(), "demande", 0, {"key": "nom", "type": "text", "label": "Nom"})


def test_update_field_keeps_its_key_and_place() -> None:
    """The replacement keeps the field's key, even if another one is given."""
    result = edit.update_field(
        sample(), "motif", {"key": "autre", "type": "textarea", "label": "Motif", "required": True}
    )
    assert result["pages"][0]["sections"][0]["fields"][1] == {
        "key": "motif",
        "type": "textarea",
        "label": "Motif",
        "required": True,
    }


def test_remove_field_refuses_when_a_condition_reads_it() -> None:
    """A field read by a condition stays until the condition is changed."""
    with pytest.raises(EditError, match="la condition de « Précisez » porte sur « Vous êtes »"):
        edit.remove_field(sample(), "qualite")
    assert "motif" not in keys(edit.remove_field(sample(), "motif"))


def test_move_field_within_its_section() -> None:
    """A field swaps with its neighbour in the same section."""
    result = edit.move_field(sample(), "motif", UP)
    assert keys(result)[:2] == ["motif", "demandeur"]


def test_move_field_crosses_into_the_neighbouring_section_and_page() -> None:
    """At a section's edge, a field goes to the end of the previous one or the start of the next."""
    result = edit.move_field(sample(), "nom", UP)
    sections = result["pages"][1]["sections"]
    assert [f["key"] for f in sections[0]["fields"]] == ["qualite", "precision", "nom"]
    assert sections[1]["fields"] == []
    result = edit.move_field(sample(), "motif", DOWN)
    assert result["pages"][0]["sections"][0]["fields"][-1]["key"] == "demandeur"
    assert result["pages"][1]["sections"][0]["fields"][0]["key"] == "motif"


def test_move_field_refuses_at_the_ends_of_the_form() -> None:
    """The first field cannot go up, the last cannot go down."""
    with pytest.raises(EditError, match="déjà le premier"):
        edit.move_field(sample(), "demandeur", UP)
    with pytest.raises(EditError, match="déjà le dernier"):
        edit.move_field(sample(), "nom", DOWN)


def test_moving_a_field_above_the_field_its_condition_reads_is_refused() -> None:
    """``precision`` reads ``qualite``: it may not go above it, nor ``qualite`` below it."""
    with pytest.raises(
        EditError,
        match="Déplacement impossible : la condition de « Précisez » porte sur « Vous êtes »",
    ):
        edit.move_field(sample(), "precision", UP)
    with pytest.raises(EditError, match="Déplacement impossible"):
        edit.move_field(sample(), "qualite", DOWN)


def test_moving_a_field_onto_the_page_whose_condition_reads_it_is_refused() -> None:
    """``demandeur`` decides whether page ``personne`` shows: it cannot move onto that page."""
    definition = edit.move_field(sample(), "demandeur", DOWN)
    with pytest.raises(EditError, match="la condition de la page « La personne »"):
        edit.move_field(definition, "demandeur", DOWN)


def test_earlier_fields_for_the_condition_builder() -> None:
    """Conditions may read fields before the field, or before the page for a page condition."""
    definition = sample()
    assert [f["key"] for f in edit.fields_before_field(definition, "precision")] == [
        "demandeur",
        "motif",
        "qualite",
    ]
    assert [f["key"] for f in edit.fields_before_page(definition, "personne")] == [
        "demandeur",
        "motif",
    ]
    assert len(edit.fields_before_page(definition, None)) == 5
    assert [f["key"] for f in edit.fields_before_section_end(definition, "personne", 0)] == [
        "demandeur",
        "motif",
        "qualite",
        "precision",
    ]


def test_condition_fields_reads_groups() -> None:
    """Keys read by ``all``/``any`` conditions are found at every depth."""
    condition = {"all": [{"field": "a", "equals": 1}, {"any": [{"field": "b", "answered": True}]}]}
    assert list(edit.condition_fields(condition)) == ["a", "b"]


def test_order_problems_of_a_valid_definition_are_none() -> None:
    """A definition whose conditions all read earlier fields has no order problem."""
    assert edit.order_problems(sample()) == []
