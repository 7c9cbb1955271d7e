import json
import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from guichet.cases.choices import CaseEventKind, CaseStatus
from guichet.cases.models import Case
from tests.cases.api_fixtures import ANSWERS, LIST
from tests.conftest import PERSONAS
from tests.factories import CaseFormFactory, ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db


def payload(owner, **overrides):
    body = {
        "procedure": "acte-naissance",
        "resident": str(owner.uuid),
        "channel": "counter",
        "site": "mairie-annexe-nord",
        "data": dict(ANSWERS),
    }
    body.update(overrides)
    return body


FILERS = {
    "reception_agent",
    "ccas_agent",
    "education_agent",
    "helper_agent",
    "supervisor",
    "admin_agent",
    "resident",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_file_for_a_resident(api, persona, resident, population_form):
    """Every agent but the DPO files for Hélène, and Hélène herself; Ivan may not name her."""
    response = api(persona).post(LIST, payload(resident), format="json")
    if persona == "anonymous":
        assert response.status_code == 401
    elif persona == "dpo":
        assert response.status_code == 404
    elif persona == "other_resident":
        assert response.status_code == 400
        assert response.json() == {"resident": ["Usager introuvable."]}
    else:
        assert persona in FILERS
        assert response.status_code == 201, response.json()
    expected = 1 if persona in FILERS else 0
    assert Case.objects.filter(resident=resident).count() == expected


def test_agent_files_on_behalf_with_channel_site_and_actor(
    api, resident, reception_agent, city, population_form
):
    """The case records the agent, the channel and the site; the answer is the case as filed
    (its history is read with GET, at the Location given)."""
    response = api("reception_agent").post(LIST, payload(resident, channel="phone"), format="json")
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == str(case.uuid)
    assert response["Location"].endswith(f"/api/v1/cases/{case.uuid}/")
    assert body["reference"] == case.reference
    assert body["tracking_code"] == case.tracking_code
    assert body["status"] == CaseStatus.SUBMITTED
    assert body["procedure"] == {"slug": "acte-naissance", "title": "Acte naissance"}
    assert body["department"] == {"slug": "population", "name": "Population"}
    assert body["due_date"] == case.due_date.isoformat()
    assert body["channel"] == "phone"
    assert body["site"] == "mairie-annexe-nord"
    assert body["filed_on_behalf"] is True
    assert body["already_filed"] is False
    assert body["data"] == ANSWERS
    assert "events" not in body
    detail = api("reception_agent").get(response["Location"]).json()
    assert detail["events"][0]["kind"] == CaseEventKind.SUBMITTED
    assert detail["events"][0]["actor"]["username"] == "alice"
    # Built from the case just written, the answer says what reading it back says.
    assert {key: detail[key] for key in body if key != "already_filed"} == {
        key: value for key, value in body.items() if key != "already_filed"
    }
    assert case.filed_by == reception_agent.user
    assert case.channel == "phone"
    assert case.site == city.annex
    assert case.events.get(kind=CaseEventKind.SUBMITTED).channel == "phone"


def test_resident_files_for_themselves_online_only(api, resident, population_form):
    """A resident's session files on the web channel, without a site, even if asked otherwise."""
    body = payload(resident, channel="counter", site="hotel-de-ville")
    del body["resident"]
    response = api("resident").post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert (case.resident, case.channel, case.site, case.filed_by) == (
        resident,
        "web",
        None,
        resident.user,
    )
    assert response.json()["filed_on_behalf"] is False


def test_resident_may_name_themselves(api, resident, population_form):
    """Giving one's own UUID is the same as leaving it out."""
    response = api("resident").post(LIST, payload(resident), format="json")
    assert response.status_code == 201


def test_confidential_case_filed_by_reception_is_shown_to_its_filer(api, resident, ccas_form):
    """The agent who files a CCAS case reads it back (the filer may read it)."""
    response = api("reception_agent").post(
        LIST, payload(resident, procedure="aide-sociale"), format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["confidential"] is True
    assert body["data"] == ANSWERS


# Idempotency ---------------------------------------------------------------------------------


def test_same_submission_key_files_once(api, resident, population_form):
    """The same key twice: 201 then 200 with the same case, marked as already filed."""
    client = api("reception_agent")
    key = str(uuid.uuid4())
    first = client.post(LIST, payload(resident, submission_key=key), format="json")
    second = client.post(LIST, payload(resident, submission_key=key), format="json")
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["already_filed"] is True
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_idempotency_key_header_works_like_the_body_key(api, resident, population_form):
    """The Idempotency-Key header is the submission key."""
    client = api("supervisor")
    key = str(uuid.uuid4())
    first = client.post(LIST, payload(resident), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post(LIST, payload(resident, submission_key=key), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Case.objects.get().submission_key == uuid.UUID(key)


def test_without_a_key_each_post_files_a_case(api, resident, population_form):
    """No key, no deduplication: two posts are two requests."""
    client = api("reception_agent")
    client.post(LIST, payload(resident), format="json")
    client.post(LIST, payload(resident), format="json")
    assert Case.objects.count() == 2


@pytest.mark.parametrize("header", ["abc", "12345", "'; DROP TABLE cases_case; --", ""])
def test_malformed_idempotency_key_is_a_400(api, resident, population_form, header):
    """A header that is not a UUID is refused in French, and nothing is filed."""
    response = api("reception_agent").post(
        LIST, payload(resident), format="json", HTTP_IDEMPOTENCY_KEY=header
    )
    assert response.status_code == 400
    assert "Idempotency-Key doit être un UUID" in response.json()["detail"]
    assert not Case.objects.exists()


def test_header_and_body_keys_must_agree(api, resident, population_form):
    """Two different keys are refused rather than guessed between."""
    response = api("reception_agent").post(
        LIST,
        payload(resident, submission_key=str(uuid.uuid4())),
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert "submission_key" in response.json()


def test_a_key_used_by_someone_else_is_a_conflict(api, resident, population_form):
    """Another caller reusing a key gets 409, never the other caller's case."""
    key = str(uuid.uuid4())
    first = api("reception_agent").post(LIST, payload(resident, submission_key=key), format="json")
    assert first.status_code == 201
    response = api("helper_agent").post(LIST, payload(resident, submission_key=key), format="json")
    assert response.status_code == 409
    assert "reference" not in response.json()
    assert Case.objects.count() == 1


def test_a_key_reused_for_another_procedure_is_a_conflict(
    api, resident, population_form, education_form
):
    """The same caller reusing a key for another request gets 409 too."""
    client = api("reception_agent")
    key = str(uuid.uuid4())
    client.post(LIST, payload(resident, submission_key=key), format="json")
    other = payload(resident, procedure="inscription-scolaire", submission_key=key)
    assert client.post(LIST, other, format="json").status_code == 409


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_file_one_case(request, city, resident, reception_agent):
    """Eight simultaneous posts with one key file one case (PostgreSQL: real concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    request.getfixturevalue("population_form")
    client_factory = request.getfixturevalue("api")
    key = str(uuid.uuid4())
    body = payload(resident, submission_key=key)
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    ids: set[str] = set()

    def post() -> None:
        try:
            client = client_factory("reception_agent")
            barrier.wait()
            response = client.post(LIST, body, format="json")
            statuses.append(response.status_code)
            ids.add(response.json()["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 7 + [201]
    assert len(ids) == 1
    assert Case.objects.filter(submission_key=key).count() == 1


# Bad input -----------------------------------------------------------------------------------


def test_unknown_procedure_is_a_400(api, resident, population_form):
    """A slug that names no published procedure is refused on its field."""
    response = api("reception_agent").post(
        LIST, payload(resident, procedure="inconnue"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"procedure": ["Aucune démarche publiée ne porte cet identifiant."]}


def test_procedure_without_online_form_is_a_400(api, resident, city):
    """A published procedure with no open online form cannot be filed through the API."""
    ProcedureFactory(slug="recensement", department=city.population)
    closed = ProcedureFactory(slug="permis", department=city.population)
    CaseFormFactory(procedure=closed, is_online=False)
    client = api("reception_agent")
    for slug in ("recensement", "permis"):
        response = client.post(LIST, payload(resident, procedure=slug), format="json")
        assert response.status_code == 400
        assert response.json() == {"procedure": ["Cette démarche ne se demande pas en ligne."]}


def test_unpublished_procedure_is_unknown(api, resident, city):
    """An unpublished procedure answers like an unknown one."""
    hidden = ProcedureFactory(slug="brouillon", department=city.population, is_published=False)
    CaseFormFactory(procedure=hidden)
    response = api("supervisor").post(LIST, payload(resident, procedure="brouillon"), format="json")
    assert response.status_code == 400
    assert "Aucune démarche" in response.json()["procedure"][0]


@pytest.mark.parametrize(
    "value", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", None, 12, ["x"]]
)
def test_unknown_resident_is_a_400_that_leaks_nothing(api, resident, population_form, value):
    """A resident who does not exist (or a malformed id) is refused on its field."""
    response = api("reception_agent").post(LIST, payload(resident, resident=value), format="json")
    assert response.status_code == 400
    assert "resident" in response.json()
    assert not Case.objects.exists()


def test_merged_resident_is_not_found(api, resident, population_form):
    """An inactive (merged) file cannot receive new cases."""
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    response = api("reception_agent").post(LIST, payload(resident), format="json")
    assert response.json() == {"resident": ["Usager introuvable."]}


def test_every_problem_is_said_at_once(api, resident, population_form):
    """Unknown procedure and resident in one request: both fields answer."""
    body = payload(resident, procedure="inconnue", resident="00000000-0000-0000-0000-000000000000")
    response = api("reception_agent").post(LIST, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"procedure", "resident"}


def test_agent_must_give_resident_and_channel(api, resident, population_form):
    """Both are required for an agent, with French messages saying what to give."""
    body = payload(resident)
    del body["resident"], body["channel"]
    response = api("reception_agent").post(LIST, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"resident", "channel"}
    assert "canal" in response.json()["channel"][0]


@pytest.mark.parametrize(
    "field, value",
    [
        ("channel", "pigeon"),
        ("channel", ["web"]),
        ("site", "nulle-part"),
        ("submission_key", "abc"),
        ("data", ["objet"]),
        ("data", "objet"),
        ("data", None),
        ("procedure", {"slug": "acte-naissance"}),
        ("procedure", "acte naissance!"),
    ],
)
def test_wrong_types_are_400_on_their_field(api, resident, population_form, field, value):
    """Values of the wrong type or out of range are refused on their field, never a 500."""
    response = api("reception_agent").post(LIST, payload(resident, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_form_errors_come_back_under_data_keyed_by_field(api, resident, population_form):
    """The form's own checks apply: a missing required answer is an error on its key."""
    response = api("reception_agent").post(
        LIST, payload(resident, data={"details": "Sans objet"}), format="json"
    )
    assert response.status_code == 400
    errors = response.json()["data"]
    assert list(errors) == ["objet"]
    assert isinstance(errors["objet"], list) and errors["objet"][0]
    assert not Case.objects.exists()


def test_answers_are_stored_as_the_form_cleans_them(api, resident, population_form):
    """Unknown keys are dropped and texts trimmed, as the pages would store them."""
    data = {"objet": "  Copie  ", "details": "", "pirate": "<script>alert(1)</script>"}
    response = api("reception_agent").post(LIST, payload(resident, data=data), format="json")
    assert response.status_code == 201, response.json()
    stored = Case.objects.get().data
    assert "pirate" not in stored
    assert stored["objet"] == "Copie"


@pytest.mark.parametrize(
    "raw",
    [
        '{"procedure": "acte-naissance", "data": {',
        "not json at all",
        "",
        "[]",
        "null",
        '"text"',
    ],
)
def test_malformed_json_is_a_400(api, resident, population_form, raw):
    """Broken or non-object JSON bodies are refused with a 400."""
    response = api("reception_agent").post(LIST, raw, content_type="application/json")
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "raw, where",
    [
        (b'{"procedure": "acte-naissance",\n "data": {', "ligne 2, colonne 11"),
        (b'{"procedure": "acte-naissance", "data": NaN}', ""),
        (b'{"procedure": "\xff\xfe"}', ""),
    ],
)
def test_json_syntax_errors_are_explained_in_french(api, resident, population_form, raw, where):
    """Broken JSON, NaN or bytes that are not UTF-8: a French message, with where if known."""
    response = api("reception_agent").post(LIST, raw, content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Le corps de la requête n'est pas du JSON valide")
    assert where in detail


@pytest.mark.parametrize(
    "hostile",
    [
        r"\u0000",
        r"Copie\u0000",
        r"\ud800",
        r"\udfff fin",
    ],
)
def test_unstorable_characters_are_a_400(api, resident, population_form, hostile):
    """NUL characters and lone surrogates in the answers are refused, never a database 500."""
    body = json.dumps(payload(resident, data={"objet": "PLACEHOLDER"})).replace(
        "PLACEHOLDER", hostile
    )
    response = api("reception_agent").post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "data" in response.json()
    assert not Case.objects.exists()


def test_hostile_but_valid_text_is_stored_verbatim(api, resident, population_form):
    """Markup, SQL and right-to-left marks are plain text: stored as typed, escaped on output."""
    text = "<img src=x onerror=alert(1)> '; DROP TABLE cases_case; -- \u202eédoc"
    response = api("reception_agent").post(
        LIST, payload(resident, data={"objet": text[:200]}), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["objet"] == text[:200]


def test_too_long_answer_is_refused_by_the_form(api, resident, population_form):
    """A 100,000-character answer is refused on its key (the text field's limit)."""
    response = api("reception_agent").post(
        LIST, payload(resident, data={"objet": "x" * 100_000}), format="json"
    )
    assert response.status_code == 400
    assert "objet" in response.json()["data"]


def test_huge_answers_are_refused(api, resident, population_form):
    """Megabytes of answers are refused before the form is even read."""
    data = {f"cle_{n}": "y" * 1000 for n in range(1500)}
    response = api("reception_agent").post(LIST, payload(resident, data=data), format="json")
    assert response.status_code == 400
    assert "data" in response.json()


def test_body_over_the_upload_limit_is_refused(api, resident, population_form, settings):
    """A body larger than the server accepts is refused, never a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(payload(resident, data={"objet": "z" * 20_000}))
    response = api("reception_agent").post(LIST, body, content_type="application/json")
    assert response.status_code in (400, 413)
    assert not Case.objects.exists()


def test_token_of_a_deactivated_agent_is_refused(api, resident, population_form, reception_agent):
    """A deactivated agent's token no longer files anything."""
    client = api("reception_agent")
    reception_agent.user.is_active = False
    reception_agent.user.save(update_fields=["is_active"])
    response = client.post(LIST, payload(resident), format="json")
    assert response.status_code in (401, 403)
    assert not Case.objects.exists()


def test_session_without_resident_file_or_agent_profile_gets_404(resident, population_form):
    """A logged-in account that is neither an agent nor a resident finds nothing here."""
    client = APIClient()
    client.force_login(UserFactory(username="nobody"))
    assert client.post(LIST, payload(resident), format="json").status_code == 404
    assert client.get(LIST).status_code == 404


@pytest.mark.parametrize("for_resident", [False, True])
@pytest.mark.parametrize("already_filed", [False, True])
def test_filed_body_says_what_the_documented_serializer_says(
    for_resident, already_filed, city, education_agent
):
    """The hot path's answer is built without the serializer, and must match it field by field:
    with and without a site, an assignee, a due date, a closing date, for agents and residents."""
    from django.utils import timezone

    from guichet.cases.api_serializers import CaseFiledSerializer, filed_body
    from tests.factories import CaseFactory

    plain = CaseFactory(site=None, due_date=None)
    full = CaseFactory(
        site=city.annex,
        assignee=education_agent.user,
        closed_at=timezone.now(),
        data={"objet": "Fenêtre <cassée> & \u00e9t\u00e9"},
    )
    for case in (plain, full):
        context = {
            "for_resident": for_resident,
            "deadline_states": {case.pk: "on_time"},
            "already_filed": already_filed,
        }
        expected = json.loads(json.dumps(CaseFiledSerializer(case, context=context).data))
        built = filed_body(
            case, for_resident=for_resident, deadline_state="on_time", already_filed=already_filed
        )
        assert json.loads(json.dumps(built)) == expected
