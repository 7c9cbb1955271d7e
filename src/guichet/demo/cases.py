"""Requests (demandes) in the demo city: about 500 cases of the last 90 days, told by the actions.

Each case gets a fate first (decided, waiting for the resident, in progress on time, near its due
date, overdue), then a filing day that gives it that fate, a resident who may file that form,
answers generated from the form (``case_answers``) and always checked by ``validate_answers``,
and a story: filed online or by a reception agent at a counter or on the phone, assigned,
processed, a missing piece asked for and given, internal notes, the decision. Every step is an
action of ``guichet.cases``; those actions stamp "now", so each step is recorded in a
``Chronicle`` with the past moment it stands for, and ``move_into_the_past`` dates the rows once
every story is told. The notifications those actions queued stand for messages of the past:
``mark_past_notifications_sent`` records them as sent so that nothing goes out.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.cases.actions import file_case
from guichet.cases.choices import CaseStatus, DeadlineState
from guichet.cases.deadlines import deadline_state
from guichet.cases.draft_actions import save_draft, start_draft
from guichet.cases.form_definition import parse_definition
from guichet.cases.form_engine import prefill_answers, validate_answers
from guichet.cases.form_prefill import load_resident_file
from guichet.cases.form_schema import FormDefinition
from guichet.cases.models import Case, CaseForm, FormVersion
from guichet.demo.case_answers import AnswerContext, CannotAnswer, generate_answers
from guichet.demo.case_history import Chronicle, mark_past_notifications_sent, move_into_the_past
from guichet.demo.case_stories import CaseStory, Fate, StoryClock
from guichet.demo.city import AGENT_SPECS, ANNEXES, HDV, KENNEDY, DemoCity
from guichet.demo.files import pdf_document, png_card
from guichet.demo.people import DOCUMENT_FILE_NAMES, DOCUMENT_KINDS, Population
from guichet.notifications.models import Notification
from guichet.organisation.choices import Channel, Role
from guichet.organisation.models import Agent, Site, User
from guichet.residents.actions import add_document, link_portal_account
from guichet.residents.choices import DigitalAutonomy, DocumentKind
from guichet.residents.models import Document, Resident

# How often each form is filed (the same scale as the contacts' motives).
FORM_WEIGHTS = {
    "question-generale": 14, "signalement-espace-public": 14, "encombrants": 12,
    "acte-naissance": 12, "inscription-scolaire": 10, "restauration-scolaire": 10,
    "aide-sociale-facultative": 5, "accueil-periscolaire": 5, "acte-mariage": 4,
    "quotient-familial": 4, "demenagement": 4, "place-creche": 3, "acte-deces": 3,
    "occupation-domaine-public": 2, "location-salle": 1,
}  # fmt: skip
SCHOOL_FORMS = {"inscription-scolaire", "restauration-scolaire", "accueil-periscolaire"}
WEB_SHARE = 0.65
COUNTER_SHARE_OFFLINE = 0.7  # the rest by phone
# Cases still open, and among them: waiting for the resident, overdue, near their due date.
OPEN_SHARE = 0.22
WAITING_SHARE = 0.25
LATE_SHARE = 0.05
DECISIONS = {CaseStatus.ACCEPTED: 80, CaseStatus.REJECTED: 10, CaseStatus.CANCELLED: 10}
# The five portal accounts: an open and a decided case each, in different states.
PORTAL_FATES = [
    ((CaseStatus.WAITING, ""), (CaseStatus.ACCEPTED, "")),
    ((CaseStatus.IN_PROGRESS, "on_time"), (CaseStatus.REJECTED, "")),
    ((CaseStatus.SUBMITTED, "on_time"), (CaseStatus.ACCEPTED, "")),
    ((CaseStatus.WAITING, ""), (CaseStatus.CANCELLED, "")),
    ((CaseStatus.IN_PROGRESS, "near"), (CaseStatus.ACCEPTED, "")),
]
DRAFT_FORMS = ("encombrants", "question-generale", "acte-naissance", "signalement-espace-public")
ATTEMPTS = 15
ATTEMPTS_PER_FORM = 5
PHONE_AGENT = "accueil.tel"


@dataclass
class CaseReport:
    """What the demo's requests made: cases (follow-ups included) and their deadline states."""

    cases: int = 0
    open: int = 0
    overdue: int = 0
    near_due: int = 0
    drafts: int = 0
    # Residents who filed online and got a portal account for it.
    online_accounts: int = 0
    # Pieces residents gave with their requests.
    documents: int = 0


@dataclass
class _Form:
    case_form: CaseForm
    version: FormVersion
    definition: FormDefinition

    @property
    def slug(self) -> str:
        return self.case_form.procedure.slug


def _forms() -> dict[str, _Form]:
    forms = {}
    case_forms = CaseForm.objects.select_related(
        "procedure__department", "routing_department"
    ).filter(procedure__slug__in=FORM_WEIGHTS)
    for case_form in case_forms:
        version = case_form.current_version()
        if version is not None:
            forms[case_form.procedure.slug] = _Form(
                case_form, version, parse_definition(version.definition)
            )
    return forms


def build_cases(
    rng: random.Random,
    demo: DemoCity,
    population: Population,
    *,
    count: int,
    city_name: str,
    postal_code: str,
) -> CaseReport:
    """Tell about ``count`` requests of the last 90 days; return what was made."""
    builder = CaseBuilder(rng, demo, population, city_name=city_name, postal_code=postal_code)
    return builder.build(count)


class CaseBuilder:
    """Plan and tell the demo's requests, from one seeded random generator."""

    def __init__(
        self,
        rng: random.Random,
        demo: DemoCity,
        population: Population,
        *,
        city_name: str,
        postal_code: str,
    ) -> None:
        self.rng = rng
        self.demo = demo
        self.city_name = city_name
        self.postal_code = postal_code
        self.clock = StoryClock(rng, timezone.now())
        self.today = self.clock.today
        self.forms = _forms()
        self.report = CaseReport()
        self.chronicle = Chronicle()
        self.last_notification = (
            Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        adults = list(dict.fromkeys(population.adults))
        self.portal_residents = [resident for resident in adults if resident.user_id]
        self.pools = {
            "adults": adults,
            "parents": list(dict.fromkeys(population.parents)) or adults,
            "young": list(dict.fromkeys(population.parents_of_young))
            + [r for r in adults if 22 <= self._age(r) <= 40][:300],
        }
        self.streets = sorted({r.address.split(" ", 1)[-1] for r in adults if r.address})
        emails = User.objects.exclude(email="").values_list("email", flat=True)
        self.taken_emails = {email.lower() for email in emails}
        self.processors = {slug: self._processors(slug) for slug in demo.departments}
        self.forms = {
            slug: form
            for slug, form in self.forms.items()
            if self.processors.get(form.case_form.department.slug)
        }
        self.supervisors = {
            department: agent
            for username, agent in demo.agents.items()
            if agent.role == Role.SUPERVISOR
            for department in AGENT_SPECS[username].departments
        }

    # Planning ------------------------------------------------------------------------------

    def _age(self, resident: Resident) -> int:
        born = resident.birth_date
        return (self.today - born).days // 365 if born else 40

    def _processors(self, department: str) -> list[Agent]:
        """Return who processes the department's cases: its agents, else its supervisors."""
        agents = self.demo.agents_of(department) or [
            agent
            for username, agent in self.demo.agents.items()
            if department in AGENT_SPECS[username].departments and agent.role == Role.SUPERVISOR
        ]
        # In the order of the demo's list, whatever order the database returned them in.
        return sorted(agents, key=lambda agent: agent.user.username)

    def fates(self, count: int) -> list[Fate]:
        """Return ``count`` fates: mostly decided, the rest open with a few late or near due."""
        open_count = round(count * OPEN_SHARE)
        late = min(max(1, round(open_count * LATE_SHARE)), open_count // 3)
        waiting = round(open_count * WAITING_SHARE)
        fates = [Fate(CaseStatus.WAITING)] * waiting
        for deadline, number in (
            ("overdue", late),
            ("near", late),
            ("on_time", max(open_count - waiting - 2 * late, 0)),
        ):
            fates += [Fate(self._running_status(), deadline) for _ in range(number)]
        statuses, weights = list(DECISIONS), list(DECISIONS.values())
        fates += [Fate(self.rng.choices(statuses, weights)[0]) for _ in range(count - len(fates))]
        self.rng.shuffle(fates)
        return fates

    def _running_status(self) -> str:
        return CaseStatus.IN_PROGRESS if self.rng.random() < 0.6 else CaseStatus.SUBMITTED

    def build(self, count: int) -> CaseReport:
        if not self.forms or not self.pools["adults"]:
            return self.report
        portal = self.portal_residents[: len(PORTAL_FATES)]
        for resident, pair in zip(portal, PORTAL_FATES, strict=False):
            for status, deadline in pair:
                self.tell(Fate(status, deadline), resident=resident)
        for fate in self.fates(max(count - 2 * len(portal), 0)):
            self.tell(fate)
        case_ids = move_into_the_past(self.chronicle)
        mark_past_notifications_sent(self.last_notification)
        for resident in portal:
            self.report.drafts += self.start_draft(resident)
        self._count(case_ids)
        return self.report

    def _count(self, case_ids: set[int]) -> None:
        cases = list(Case.objects.filter(pk__in=case_ids))
        states = [deadline_state(case, self.today) for case in cases]
        self.report.cases = len(cases)
        self.report.open = sum(not case.is_closed for case in cases)
        self.report.overdue = sum(state == DeadlineState.OVERDUE for state in states)
        self.report.near_due = sum(state == DeadlineState.NEAR for state in states)

    # Choosing who, what, when --------------------------------------------------------------

    def _pool(self, slug: str) -> list[Resident]:
        if slug in SCHOOL_FORMS or slug == "quotient-familial":
            return self.pools["parents"]
        if slug == "place-creche":
            return self.pools["young"]
        return self.pools["adults"]

    def _files_online(self, resident: Resident) -> bool:
        """Return whether the resident could file online (an account, or an email to make one)."""
        if resident.user_id:
            return True
        return (
            bool(resident.email)
            and resident.email.lower() not in self.taken_emails
            and self._age(resident) < 80
            and resident.digital_autonomy != DigitalAutonomy.NOT_AUTONOMOUS
        )

    # Telling one case -----------------------------------------------------------------------

    def tell(self, fate: Fate, resident: Resident | None = None) -> Case | None:
        """File one case with ``fate`` (for ``resident`` if given, online) and tell its story."""
        slugs = [slug for slug in FORM_WEIGHTS if slug in self.forms]
        weights = [FORM_WEIGHTS[slug] for slug in slugs]
        for attempt in range(ATTEMPTS):
            # Other residents are tried for the same form before another form is drawn, so that
            # forms many residents cannot file (no child of that age, no phone) keep their share.
            if resident is not None or attempt % ATTEMPTS_PER_FORM == 0:
                form = self.forms[self.rng.choices(slugs, weights)[0]]
            online = resident is not None or self.rng.random() < WEB_SHARE
            channel = Channel.WEB if online else self._offline_channel()
            commitment = form.case_form.deadline_days or 10
            filed_at = self.clock.filing_moment(fate, commitment, channel)
            if filed_at is None:
                continue
            who = resident or self._resident(form.slug, online, filed_at)
            if who is None:
                continue
            case = self._file(form, who, fate, channel, filed_at, commitment)
            if case is not None:
                return case
        return None

    def _offline_channel(self) -> str:
        return Channel.COUNTER if self.rng.random() < COUNTER_SHARE_OFFLINE else Channel.PHONE

    def _resident(self, slug: str, online: bool, filed_at: datetime.datetime) -> Resident | None:
        pool = self._pool(slug)
        for _attempt in range(10):
            resident = self.rng.choice(pool)
            if resident.created_at < filed_at and (not online or self._files_online(resident)):
                return resident
        return None

    def _filer(
        self, form: _Form, resident: Resident, channel: str, filed_at: datetime.datetime
    ) -> tuple[User, Site | None]:
        """Return (who files, at which site): the resident online, else a reception agent."""
        if channel == Channel.WEB:
            return self._account(resident, filed_at), None
        if channel == Channel.PHONE:
            return self.demo.agents[PHONE_AGENT].user, self.demo.sites[HDV]
        if form.case_form.department.slug == "ccas":
            slug = self.rng.choices([KENNEDY, HDV, *ANNEXES], [6, 2, 1, 1, 1, 1])[0]
        else:
            slug = self.rng.choices([HDV, *ANNEXES, KENNEDY], [9, 2, 2, 2, 2, 1])[0]
        agents = sorted(
            (
                a
                for a in self.demo.agents_at(slug, Role.RECEPTION)
                if a.user.username != PHONE_AGENT
            ),
            key=lambda agent: agent.user.username,
        )
        return self.rng.choice(agents).user, self.demo.sites[slug]

    def _account(self, resident: Resident, filed_at: datetime.datetime) -> User:
        """Return the resident's portal login, opened before this first online request if new.

        Apart from the five demo logins, these accounts have no password: their owners are
        invented and log in, in the story, with an emailed link.
        """
        if resident.user is not None:
            return resident.user
        joined = max(
            filed_at - datetime.timedelta(days=self.rng.randint(0, 400), hours=1),
            resident.created_at + (filed_at - resident.created_at) / 2,
        )
        email = resident.email.lower()
        with self.chronicle.at(joined):
            user = User.objects.create(
                username=email,
                email=email,
                first_name=resident.first_names.split()[0][:150],
                last_name=resident.usage_name[:150],
                password=make_password(None),
                date_joined=joined,
            )
            link_portal_account(resident, user=user, actor=None, channel=Channel.WEB)
        self.taken_emails.add(email)
        self.report.online_accounts += 1
        return user

    def _file(
        self,
        form: _Form,
        resident: Resident,
        fate: Fate,
        channel: str,
        filed_at: datetime.datetime,
        commitment: int,
    ) -> Case | None:
        ctx = self._answer_context(form, resident, timezone.localdate(filed_at))
        try:
            generated = generate_answers(form.definition, ctx)
        except CannotAnswer:
            return None
        filer, site = self._filer(form, resident, channel, filed_at)
        with self.chronicle.at(filed_at):
            for key, kind in generated.missing_documents.items():
                label = form.definition.field(key).label
                piece = self._give_piece(resident, kind, label, filer, channel, ctx.filed_on)
                generated.answers[key] = {"document": str(piece.uuid)}
            # Never store answers the form would refuse (a piece given for nothing stays in the
            # resident's file, as it would after an abandoned request).
            cleaned, errors = validate_answers(
                form.definition, generated.answers, resident=resident
            )
            if errors:
                return None
            case = file_case(
                case_form=form.case_form,
                resident=resident,
                data=cleaned,
                actor=filer,
                channel=channel,
                form_version=form.version,
                site=site,
            ).case
        processor = self.processor_of(case.department.slug)
        supervisor = self.supervisors.get(case.department.slug)
        CaseStory(
            case,
            fate,
            filed_at=filed_at,
            commitment=commitment,
            processor=processor,
            assigner=supervisor.user if supervisor and self.rng.random() < 0.3 else processor,
            processor_of=self.processor_of,
            rng=self.rng,
            clock=self.clock,
            chronicle=self.chronicle,
        ).tell()
        return case

    def processor_of(self, department: str) -> User:
        """Return an agent who processes the department's cases."""
        return self.rng.choice(self.processors[department]).user

    def _answer_context(
        self, form: _Form, resident: Resident, filed_on: datetime.date
    ) -> AnswerContext:
        return AnswerContext(
            rng=self.rng,
            procedure=form.slug,
            file=load_resident_file(resident),
            filed_on=filed_on,
            today=self.today,
            streets=self.streets,
            postal_code=self.postal_code,
            city_name=self.city_name,
        )

    def _give_piece(
        self,
        resident: Resident,
        kind: str,
        label: str,
        actor: User,
        channel: str,
        given_on: datetime.date,
    ) -> Document:
        """Add the piece a form asks for to the resident's file, as given with the request."""
        months = DOCUMENT_KINDS.get(kind, (0, None, False))[1]
        valid_until = None
        if months:
            # The case's answers must validate today: its piece is still valid, if only just.
            valid_until = max(
                given_on + datetime.timedelta(days=months * 30),
                self.today + datetime.timedelta(days=14),
            )
        name = DOCUMENT_FILE_NAMES.get(kind) or label[:60].replace("/", "-")
        if kind == DocumentKind.OTHER and "photo" in label.lower():
            colour = (self.rng.randrange(60, 200), self.rng.randrange(60, 200), 90)
            content, extension = png_card(colour), "png"
        else:
            lines = [resident.display_name, f"{resident.address}, {resident.postal_code}"]
            content, extension = pdf_document(label, lines), "pdf"
        self.report.documents += 1
        return add_document(
            resident=resident,
            kind=kind,
            uploaded_file=ContentFile(content, name=f"{name}.{extension}"),
            valid_until=valid_until,
            actor=actor,
            channel=channel,
        )

    def start_draft(self, resident: Resident) -> int:
        """Start a request the resident is still filling in online; return 1 if one was started."""
        assert resident.user is not None
        for slug in self.rng.sample(DRAFT_FORMS, len(DRAFT_FORMS)):
            form = self.forms.get(slug)
            if form is None:
                continue
            ctx = self._answer_context(form, resident, self.today)
            try:
                answers = generate_answers(form.definition, ctx).answers
            except CannotAnswer:
                continue
            draft = start_draft(
                form_version=form.version,
                resident=resident,
                owner=resident.user,
                channel=Channel.WEB,
                data=prefill_answers(form.definition, resident),
            )
            # The resident went through the first page and stopped on the second.
            first, *others = form.definition.pages
            save_draft(
                draft=draft,
                answers={f.key: answers[f.key] for f in first.fields if f.key in answers},
                page_key=others[0].key if others else first.key,
            )
            return 1
        return 0
