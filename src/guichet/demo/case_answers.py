"""Answers to the demo's requests, generated from each form's definition.

A form is walked in its own order: a page or a field hidden by its condition gets no answer, as in
the browser. What the resident's file gives (contact details, address, identity, documents) is
taken from it, as the form would prefill it (tell us once); every other field gets a value of its
type that satisfies its validation rules, in believable French where the field's key says what it
is about. The caller still checks the result with ``validate_answers``: this module only aims to
be right, the form engine decides.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from faker.providers.person.fr_FR import Provider as FrenchNames

from guichet.cases.form_conditions import condition_holds
from guichet.cases.form_prefill import ResidentFile, prefill_from_file
from guichet.cases.form_schema import Field, FormDefinition
from guichet.cases.form_values import resolve_date_bound
from guichet.demo.case_texts import BULKY_ITEMS, FIELD_TEXTS, QUESTIONS, REPORTS
from guichet.residents.models import HouseholdMember

# The demo city's neighbourhood of reference: reported problems get a point around it.
CITY_CENTRE = (48.79, 2.455)
POINT_SPREAD = 0.02
NEIGHBOURING_TOWNS = (
    "Maisons-Alfort", "Vitry-sur-Seine", "Saint-Maur-des-Fossés", "Champigny-sur-Marne",
    "Bonneuil-sur-Marne", "Choisy-le-Roi", "Ivry-sur-Seine", "Paris", "Alfortville", "Sucy-en-Brie",
)  # fmt: skip
SCHOOL_NAMES = (
    "Jean-Jaurès", "Victor-Hugo", "Léon-Blum", "Paul-Bert", "des Sablières", "du Mont-Mesly",
    "Casalis", "Savignat", "Camus", "Allezard", "Charles-Péguy", "Jules-Ferry",
)  # fmt: skip
LEVELS = ("ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2")
# How often an optional field is answered, by key (default: OPTIONAL_SHARE).
OPTIONAL_SHARE = 0.6
OPTIONAL_SHARES = {
    "allergie": 0.12, "danger": 0.15, "urgence": 0.2, "deja_suivi": 0.3, "besoin_aide": 0.15,
    "changement_situation": 0.3, "parents_separes": 0.1, "dossier_en_cours": 0.15,
    "sans_viande": 0.2, "rentre_seul": 0.25, "ouvert_public": 0.3, "buvette": 0.4,
    "besoin_particulier": 0.1, "message_repondeur": 0.5, "inscription_electorale": 0.6,
    "photo": 0.45, "piece_jointe": 0.2, "vaccinations": 0.3, "plan": 0.4, "licence": 0.5,
    "justificatif_derogation": 0.5, "livret_famille": 0.4, "justificatif_lien": 0.5,
}  # fmt: skip
# Choices people make more often than others, by field key.
CHOICE_WEIGHTS: dict[str, dict[str, float]] = {
    "type_acte": {"copie_integrale": 40, "extrait_avec_filiation": 35,
                  "extrait_sans_filiation": 15, "extrait_plurilingue": 10},
    "qualite": {"personne_concernee": 65, "parent": 20, "epoux": 70, "ascendant": 10,
                "descendant": 10, "grand_parent": 3, "conjoint": 5, "representant_legal": 2},
    "nature": {"question": 60, "reclamation": 30, "suggestion": 10},
    "lieu_deces": {"commune": 70, "autre_commune": 30},
    "derogation": {"non": 85, "oui": 15},
    "allocataire": {"oui": 60, "non": 40},
    "formule": {"tous_les_jours": 60, "jours_fixes": 30, "occasionnel": 10},
    "type_demandeur": {"particulier": 70, "association": 20, "organisme": 10,
                       "entreprise": 20, "commerce": 10},
    "motif": {"demenagement": 45, "benne": 15, "echafaudage": 10, "monte_meubles": 15,
              "terrasse": 10, "autre": 5, "titre_identite": 40, "mariage_pacs": 20,
              "notaire": 15, "etranger": 10},
    "emprise": {"stationnement": 60, "trottoir": 30, "chaussee": 10},
    "scolarite_actuelle": {"premiere": 45, "ecole_ville": 30, "autre_commune": 22,
                           "instruction_famille": 3},
    "situation": {"arrivee": 40, "changement": 60},
    "qui": {"foyer": 70, "moi_seul": 20, "une_partie": 10},
    "mercredi": {"aucun": 40, "journee": 35, "matin_repas": 15, "apres_midi": 10},
    "quotient_familial": {"calcule": 55, "a_faire": 35, "refus": 10},
}  # fmt: skip
CHECKBOX_SHARE = 0.25


@dataclass
class AnswerContext:
    """What the generator knows: the resident's file, the story's dates, the city's streets."""

    rng: random.Random
    procedure: str
    file: ResidentFile
    # The day the case is filed in the story, and the day the demo is built (validation's today).
    filed_on: datetime.date
    today: datetime.date
    streets: list[str]
    postal_code: str
    city_name: str
    # The child a form is about, once a household member field chose one.
    child: HouseholdMember | None = None
    # The question-generale pair chosen with the subject, so the message matches the title.
    question: tuple[str, str] = ("", "")
    # Documents already given in this form: a piece is not given twice for two fields.
    used_documents: set[str] = field(default_factory=set)


@dataclass
class GeneratedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    # File fields the resident's file cannot fill yet: field key → document kind to add.
    missing_documents: dict[str, str] = field(default_factory=dict)


class CannotAnswer(Exception):
    """This resident cannot file this form (no child of the right age, for instance)."""


def generate_answers(definition: FormDefinition, ctx: AnswerContext) -> GeneratedAnswers:
    """Return answers to every shown field of ``definition`` for ``ctx``'s resident.

    Raise ``CannotAnswer`` when the file lacks what a required field needs from it: a household
    member (a child of school age), an email address or a phone number.
    """
    prefilled = prefill_from_file(definition, ctx.file)
    result = GeneratedAnswers()
    answers = result.answers
    for page in definition.pages:
        if page.condition is not None and not condition_holds(page.condition, answers, definition):
            continue
        for item in page.fields:
            if item.condition is not None and not condition_holds(
                item.condition, answers, definition
            ):
                continue
            if item.type == "file":
                _answer_file(item, ctx, result)
                continue
            if item.type == "household_member":
                answers[item.key] = _household_member(item, ctx)
                continue
            if item.key in prefilled:
                answers[item.key] = prefilled[item.key]
                continue
            if item.required and item.type in ("email", "phone"):
                # Contact details come from the resident's file only: none there, no request.
                raise CannotAnswer(item.key)
            if not item.required and item.type != "checkbox" and not _answers_optional(item, ctx):
                continue
            value = _value(item, ctx, answers)
            if value is not None:
                answers[item.key] = value
    return result


def _answers_optional(item: Field, ctx: AnswerContext) -> bool:
    return ctx.rng.random() < OPTIONAL_SHARES.get(item.key, OPTIONAL_SHARE)


def _answer_file(item: Field, ctx: AnswerContext, result: GeneratedAnswers) -> None:
    if not item.required and not _answers_optional(item, ctx):
        return
    # An "other" piece is whatever the field asks for (a health form, an insurance): the one
    # on file is something else, so a new one is given.
    on_file = [
        document
        for document in ctx.file.documents_of_kind(item.document_kind)
        if item.document_kind != "other" and str(document.uuid) not in ctx.used_documents
    ]
    if on_file:
        ctx.used_documents.add(str(on_file[0].uuid))
        result.answers[item.key] = {"document": str(on_file[0].uuid)}
    else:
        result.missing_documents[item.key] = item.document_kind


def _age_on(member: HouseholdMember, day: datetime.date) -> int | None:
    born = member.resident.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def school_level(member: HouseholdMember, today: datetime.date) -> str | None:
    """Return the class a child is in this school year (PS at 3 … CM2 at 10), or None."""
    born = member.resident.birth_date
    if born is None:
        return None
    school_year = today.year if today.month >= 9 else today.year - 1
    index = school_year - born.year - 3
    return LEVELS[index] if 0 <= index < len(LEVELS) else None


def _household_member(item: Field, ctx: AnswerContext) -> str:
    members = [m for m in ctx.file.members_for(item) if m.resident_id != ctx.file.resident.pk]
    if item.key == "enfant" and ctx.procedure == "place-creche":
        members = [m for m in members if (_age_on(m, ctx.today) or 99) < 3]
    elif item.key == "enfant":
        members = [m for m in members if school_level(m, ctx.today) is not None]
    if not members:
        if item.required:
            raise CannotAnswer(item.key)
        return ""
    ctx.child = ctx.rng.choice(members)
    return str(ctx.child.resident.uuid)


def _spouse(ctx: AnswerContext) -> HouseholdMember | None:
    """Return the resident's partner in their household (head and spouse), if any."""
    resident = ctx.file.resident
    own = ctx.file.members.get(str(resident.uuid))
    if own is None or own.relation not in ("head", "spouse"):
        return None
    wanted = "spouse" if own.relation == "head" else "head"
    for member in ctx.file.members.values():
        if member.household_id == own.household_id and member.relation == wanted:
            return member
    return None


def _children(ctx: AnswerContext) -> list[HouseholdMember]:
    return [m for m in ctx.file.members.values() if m.relation == "child"]


def _value(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> Any:
    makers = {
        "text": _text,
        "textarea": _text,
        "date": _date,
        "number": _number,
        "choice": _choice,
        "multichoice": _multichoice,
        "checkbox": _checkbox,
        "address": _address,
        "location": _location,
    }
    maker = makers.get(item.type)
    # Email and phone come from the resident's file only (prefilled above).
    return maker(item, ctx, answers) if maker else None


# Texts -----------------------------------------------------------------------------------


def _person_name(ctx: AnswerContext, female: bool | None = None) -> tuple[str, str]:
    rng = ctx.rng
    female = rng.random() < 0.5 if female is None else female
    first = rng.choice(FrenchNames.first_names_female if female else FrenchNames.first_names_male)
    return first, rng.choice(FrenchNames.last_names)


def _school(ctx: AnswerContext, answers: dict[str, Any]) -> str:
    level = answers.get("niveau") or (school_level(ctx.child, ctx.today) if ctx.child else None)
    kind = "École maternelle" if level in ("ps", "ms", "gs") else "École élémentaire"
    return f"{kind} {ctx.rng.choice(SCHOOL_NAMES)}"


def _phone_text(rng: random.Random) -> str:
    pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return f"0{rng.choice('67')} {pairs}"


def _the_person(ctx: AnswerContext, answers: dict[str, Any]) -> tuple[str, str, datetime.date]:
    """Return (birth name, first names, birth date) of the person a birth certificate is for."""
    resident = ctx.file.resident
    children = _children(ctx)
    if answers.get("qualite") == "parent" and children:
        child = children[0].resident
        return child.usage_name, child.first_names, child.birth_date or ctx.filed_on
    birth_date = resident.birth_date or datetime.date(1980, 1, 1)
    return resident.birth_name or resident.usage_name, resident.first_names, birth_date


def _keyed_text(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> str | None:
    rng, resident = ctx.rng, ctx.file.resident
    key = item.key
    if key in ("ecole", "ecole_souhaitee") or (
        key == "ecole_actuelle" and answers.get("scolarite_actuelle") == "ecole_ville"
    ):
        return _school(ctx, answers)
    if key == "ecole_actuelle":
        return f"École élémentaire de {rng.choice(NEIGHBOURING_TOWNS)}"
    if key in ("commune_deces", "ancienne_commune"):
        return rng.choice(NEIGHBOURING_TOWNS)
    if ctx.procedure == "acte-naissance" and key in ("nom_naissance", "prenoms"):
        name, first, _born = _the_person(ctx, answers)
        return name if key == "nom_naissance" else first
    if ctx.procedure == "acte-naissance" and key in ("parent1_nom", "parent2_nom"):
        return _the_person(ctx, answers)[0] if key == "parent1_nom" else _person_name(ctx)[1]
    if key in ("parent1_prenoms", "parent2_prenoms"):
        return _person_name(ctx, female=key == "parent2_prenoms")[0]
    if ctx.procedure == "acte-deces" and key in ("nom_naissance", "nom_usage", "prenoms"):
        first, last = _person_name(ctx)
        return {"nom_naissance": last, "nom_usage": resident.usage_name, "prenoms": first}[key]
    if key.startswith("epoux"):
        return _spouses_text(key, ctx)
    if key == "objet":
        ctx.question = rng.choice(QUESTIONS[answers.get("sujet", "autre")])
        return ctx.question[0]
    if key == "message" and ctx.question[1]:
        return ctx.question[1]
    if key == "liste":
        items = [rng.choice(BULKY_ITEMS[kind]) for kind in answers.get("types_objets", ["autres"])]
        return ", ".join(items).capitalize() + "."
    if key == "description" and ctx.procedure == "signalement-espace-public":
        return rng.choice(REPORTS[answers.get("categorie", "autre")])
    if key == "numero_lampadaire":
        return f"{rng.choice('ABCDEF')}{rng.randint(100, 999)}"
    if key == "numero_allocataire":
        return f"{rng.randrange(10**7):07d}"
    if key == "numero_rna":
        return f"W94{rng.randrange(10**7):07d}"
    if key == "siret":
        return f"{rng.randrange(10**14):014d}"
    if key in ("heure_debut", "heure_fin"):
        start = int(answers.get("heure_debut", "14:00")[:2]) if key == "heure_fin" else None
        hour = min(start + rng.randint(2, 5), 23) if start is not None else rng.randint(9, 19)
        return f"{hour:02d}:{rng.choice(['00', '30'])}"
    if key == "personnes_autorisees":
        people = [_person_name(ctx) for _ in range(rng.randint(1, 2))]
        lines = [
            f"{first} {last} ({rng.choice(['grand-mère', 'grand-père', 'tante', 'voisine'])}), "
            f"{_phone_text(rng)}"
            for first, last in people
        ]
        return "\n".join(lines)
    if key == "membres":
        return ", ".join(m.resident.first_names for m in list(ctx.file.members.values())[:3])
    if key == "reference":
        code = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
        return f"{ctx.filed_on.year}-{code}"
    return None


def _spouses_text(key: str, ctx: AnswerContext) -> str:
    resident, spouse = ctx.file.resident, _spouse(ctx)
    first_side = key.startswith("epoux1")
    if key.endswith("_parents"):
        (f1, l1), (f2, l2) = _person_name(ctx, False), _person_name(ctx, True)
        return f"{f1} {l1} et {f2} {l2}"
    person = resident if first_side else (spouse.resident if spouse else None)
    if person is None:
        first, last = _person_name(ctx)
        return last if key.endswith("_nom") else first
    if key.endswith("_nom"):
        return person.birth_name or person.usage_name
    return person.first_names


def _text(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> str | None:
    text = _keyed_text(item, ctx, answers)
    if text is None:
        choices = FIELD_TEXTS.get(f"{ctx.procedure}:{item.key}") or FIELD_TEXTS.get(item.key)
        if not choices:
            return None
        text = ctx.rng.choice(choices)
    limit = item.max_length
    return text[:limit] if limit else text


# Dates and numbers -------------------------------------------------------------------------


def _bounds(item: Field, ctx: AnswerContext) -> tuple[datetime.date, datetime.date]:
    rules = item.validation
    lowest = resolve_date_bound(rules.min, ctx.today) if isinstance(rules.min, str) else None
    highest = resolve_date_bound(rules.max, ctx.today) if isinstance(rules.max, str) else None
    lowest = lowest or (highest or ctx.today) - datetime.timedelta(days=3650)
    highest = highest or lowest + datetime.timedelta(days=3650)
    return lowest, highest


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _date(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> str | None:
    rng, key, filed = ctx.rng, item.key, ctx.filed_on
    lowest, highest = _bounds(item, ctx)
    days = datetime.timedelta
    wished: tuple[datetime.date, datetime.date]
    if key == "date_naissance" and ctx.procedure == "acte-naissance":
        born = _the_person(ctx, answers)[2]
        wished = (born, born)
    elif key == "date_naissance":
        wished = (datetime.date(1925, 1, 1), datetime.date(1965, 12, 31))
    elif key == "date_deces":
        wished = (filed - days(400), filed - days(3))
    elif key == "date_mariage":
        wished = (filed - days(365 * 30), filed - days(60))
    elif key == "date_fin" and "date_debut" in answers:
        start = datetime.date.fromisoformat(answers["date_debut"])
        wished = (start, start + days(rng.choice([0, 0, 1, 2, 6])))
    elif key == "date_entree" and rng.random() < 0.7:
        # Most children start at the rentrée, the first days of September.
        year = filed.year if filed.month < 9 else filed.year + 1
        wished = (datetime.date(year, 9, 1), datetime.date(year, 9, 1))
    elif key in ("date_accueil", "date_evenement"):
        wished = (filed + days(30), filed + days(300))
    else:
        # Most dates in a request are soon after it: a start, a move, an entry at school.
        wished = (filed + days(5), filed + days(90))
    first, last = max(wished[0], lowest), min(wished[1], highest)
    if first > last:
        first, last = lowest, min(highest, lowest + days(120))
    return _day_between(rng, first, last).isoformat()


NUMBERS: dict[str, tuple[int | float, ...]] = {
    "nombre_exemplaires": (1, 1, 1, 1, 2, 2, 3),
    "volume": (0.5, 1, 1.5, 2, 2, 3, 4),
    "montant": (80, 100, 150, 150, 200, 250, 300, 450, 600),
    "ressources_mensuelles": (0, 540, 620, 890, 1050, 1200, 1380, 1500),
    "loyer": (0, 350, 420, 510, 640, 720, 880),
    "prestations_mensuelles": (0, 140, 280, 420),
    "jours_par_semaine": (2, 3, 4, 4, 5, 5),
    "nombre_places": (1, 1, 2, 3),
    "longueur": (2, 4.5, 6, 10, 12.5),
    "largeur": (1, 1.5, 2, 2.5),
}


def _number(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> Any:
    rng, key = ctx.rng, item.key
    members = len(ctx.file.members) or 1
    if key in ("personnes_foyer", "nombre_personnes") and ctx.procedure != "location-salle":
        value: float = members
    elif key == "nombre_personnes":
        value = rng.choice([15, 25, 30, 40, 60, 80, 120])
    elif key == "enfants_a_charge":
        value = max(1, len(_children(ctx)))
    elif key == "revenus_annuels":
        value = rng.randrange(9000, 60000, 100)
    elif key in NUMBERS:
        value = rng.choice(NUMBERS[key])
    else:
        value = item.validation.min if isinstance(item.validation.min, int | float) else 1
    rules = item.validation
    if isinstance(rules.min, int | float):
        value = max(value, rules.min)
    if isinstance(rules.max, int | float):
        value = min(value, rules.max)
    if rules.decimals:
        return str(Decimal(str(value)).quantize(Decimal(1).scaleb(-rules.decimals)))
    return int(value)


# Choices -----------------------------------------------------------------------------------


def _choice(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> str:
    rng, key, resident = ctx.rng, item.key, ctx.file.resident
    values = [option.value for option in item.options]
    contextual = {
        "niveau": school_level(ctx.child, ctx.today) if ctx.child else None,
        "situation_familiale": "couple" if _spouse(ctx) else "seul",
        "naissance": "ne" if any((_age_on(m, ctx.today) or 99) < 3 for m in _children(ctx))
        else "a_naitre",
        "mode_reponse": "courriel" if resident.email
        else ("telephone" if resident.phone else "courrier"),
        "composition": ("couple_enfants" if _children(ctx) else "couple") if _spouse(ctx)
        else ("seul_enfants" if _children(ctx) else "seul"),
    }  # fmt: skip
    chosen = contextual.get(key)
    if chosen in values:
        return str(chosen)
    if key == "qualite" and ctx.procedure == "acte-naissance" and not _children(ctx):
        values = [value for value in values if value != "parent"]
    weights = CHOICE_WEIGHTS.get(key, {})
    return rng.choices(values, [weights.get(value, 1) for value in values])[0]


def _multichoice(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> list[str]:
    values = [option.value for option in item.options]
    rules = item.validation
    lowest = max(rules.min_choices or 1, 1)
    highest = min(rules.max_choices or 3, len(values), 3)
    count = ctx.rng.randint(lowest, max(lowest, highest))
    return sorted(ctx.rng.sample(values, min(count, len(values))), key=values.index)


def _checkbox(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> bool:
    if item.required:
        return True
    return ctx.rng.random() < OPTIONAL_SHARES.get(item.key, CHECKBOX_SHARE)


# Places ------------------------------------------------------------------------------------


def _address(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> dict[str, str]:
    resident = ctx.file.resident
    street = resident.address or f"{ctx.rng.randint(1, 90)} {ctx.rng.choice(ctx.streets)}"
    return {
        "street": street,
        "postal_code": resident.postal_code or ctx.postal_code,
        "city": resident.city or ctx.city_name,
    }


def _location(item: Field, ctx: AnswerContext, answers: dict[str, Any]) -> dict[str, Any]:
    rng = ctx.rng
    place = rng.choice(
        ["{n} {street}", "devant le {n} {street}", "angle {street} et {other}", "{street}"]
    ).format(n=rng.randint(1, 120), street=rng.choice(ctx.streets), other=rng.choice(ctx.streets))
    value: dict[str, Any] = {"address": f"{place}, {ctx.postal_code} {ctx.city_name}"}
    if rng.random() < 0.75:
        value["latitude"] = round(CITY_CENTRE[0] + rng.uniform(-POINT_SPREAD, POINT_SPREAD), 5)
        value["longitude"] = round(CITY_CENTRE[1] + rng.uniform(-POINT_SPREAD, POINT_SPREAD), 5)
    return value
