"""The life of a demo request: when it was filed, and each step up to where it stands today.

``StoryClock`` answers "when": the days a case of a given fate may have been filed on (a case
near its due date today was filed about its commitment ago), office hours on working days, the
day of a decision. ``CaseStory`` runs the steps through the cases' actions — assignment,
processing, a request for what is missing and the resident's answer, notes, the decision —
each inside ``Chronicle.at`` so that it is dated afterwards.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.cases.actions import (
    add_note,
    assign_case,
    cancel_by_resident,
    mark_messages_read,
    send_message,
    transition_case,
)
from guichet.cases.choices import CLOSED_STATUSES, CaseStatus
from guichet.cases.deadlines import near_due_days
from guichet.cases.models import Case
from guichet.demo import case_texts as texts
from guichet.demo.case_history import Chronicle
from guichet.demo.files import pdf_document
from guichet.organisation.choices import Channel
from guichet.organisation.models import User
from guichet.organisation.working_days import WorkingCalendar

HORIZON_DAYS = 90
OFFICE_HOURS = (datetime.time(8, 45), datetime.time(17, 30))
WEB_HOURS = list(range(7, 24))
WEB_HOUR_WEIGHTS = [1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 5, 3]


@dataclass(frozen=True)
class Fate:
    """Where a case stands today: its status and, for a running case, its deadline state."""

    status: str
    deadline: str = ""  # "on_time", "near" or "overdue" for a running (not paused) case


class StoryClock:
    """When things happen in the demo's stories: filing days, office hours, decisions."""

    def __init__(self, rng: random.Random, now: datetime.datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        first_day = self.today - datetime.timedelta(days=HORIZON_DAYS + 10)
        # One calendar (one query for the closures) answers every working-day question.
        self.calendar = WorkingCalendar(first_day, self.today + datetime.timedelta(days=60))
        self._filing_days: dict[tuple[Fate, int, bool], list[datetime.date]] = {}

    def filing_days(self, fate: Fate, commitment: int, online: bool) -> list[datetime.date]:
        """Return the days a case of this fate may have been filed on."""
        key = (fate, commitment, online)
        if key not in self._filing_days:
            self._filing_days[key] = self._days_for(fate, commitment, online)
        return self._filing_days[key]

    def _days_for(self, fate: Fate, commitment: int, online: bool) -> list[datetime.date]:
        calendar, today = self.calendar, self.today
        days = [today - datetime.timedelta(days=k) for k in range(HORIZON_DAYS)]
        if not online:
            days = [day for day in days if calendar.is_working_day(day)]
        if fate.status in CLOSED_STATUSES:
            return [day for day in days if day < today]
        if fate.status == CaseStatus.WAITING:
            return [day for day in days if today - datetime.timedelta(days=40) <= day < today]

        def state(day: datetime.date) -> str:
            # As deadlines.deadline_state will see the case, filed that day and never paused.
            due = calendar.add_working_days(day, commitment)
            if due < today:
                return "overdue" if day >= today - datetime.timedelta(days=45) else "too_old"
            near = calendar.working_days_between(today, due) <= near_due_days()
            return "near" if near else "on_time"

        return [day for day in days if state(day) == fate.deadline]

    def at(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def filing_moment(self, fate: Fate, commitment: int, channel: str) -> datetime.datetime | None:
        days = self.filing_days(fate, commitment, channel == Channel.WEB)
        if not days:
            return None
        day = self.rng.choice(days)
        moment: datetime.datetime | None
        if channel == Channel.WEB:
            hour = self.rng.choices(WEB_HOURS, WEB_HOUR_WEIGHTS)[0]
            moment = self.at(day, datetime.time(hour, self.rng.randrange(60)))
        else:
            moment = self.office_moment(day, self.at(day, OFFICE_HOURS[0]), self.now)
        if moment is None or moment >= self.now:
            return None
        return moment

    def office_moment(
        self, day: datetime.date, after: datetime.datetime, before: datetime.datetime
    ) -> datetime.datetime | None:
        """Return a moment of ``day``'s office hours strictly between ``after`` and ``before``."""
        start = max(after + datetime.timedelta(minutes=2), self.at(day, OFFICE_HOURS[0]))
        end = min(before - datetime.timedelta(minutes=2), self.at(day, OFFICE_HOURS[1]))
        if start >= end:
            return None
        return start + (end - start) * self.rng.random()

    def moment_between(
        self, after: datetime.datetime, before: datetime.datetime
    ) -> datetime.datetime:
        """Return a moment between the two, in office hours on a working day when there is one."""
        first, last = timezone.localdate(after), timezone.localdate(before)
        days = [
            first + datetime.timedelta(days=k)
            for k in range((last - first).days + 1)
            if self.calendar.is_working_day(first + datetime.timedelta(days=k))
        ]
        if days:
            moment = self.office_moment(self.rng.choice(days), after, before)
            if moment is not None:
                return moment
        return after + (before - after) * self.rng.uniform(0.1, 0.9)

    def decision_moment(self, filed: datetime.datetime, commitment: int) -> datetime.datetime:
        """Return when a decided case was decided: mostly within its commitment, a few late."""
        delay = self.rng.choices(range(0, commitment + 4), [2] * (commitment + 1) + [1, 1, 1])[0]
        day = self.calendar.add_working_days(timezone.localdate(filed), delay)
        before = self.now - datetime.timedelta(minutes=5)
        if day > self.today:
            day = self.today
        moment = self.office_moment(day, filed, before)
        return moment or filed + (before - filed) * self.rng.uniform(0.3, 0.9)


Step = Callable[[], object]
# What a step may read of a case changed by the steps before (its relations do not change).
REFRESHED_FIELDS = ["status", "assignee", "due_date", "paused_at", "closed_at", "updated_at"]


class CaseStory:
    """The life of one filed case, step by step, through the cases' actions."""

    def __init__(
        self,
        case: Case,
        fate: Fate,
        *,
        filed_at: datetime.datetime,
        commitment: int,
        processor: User,
        assigner: User,
        processor_of: Callable[[str], User],
        rng: random.Random,
        clock: StoryClock,
        chronicle: Chronicle,
    ) -> None:
        self.case = case
        self.fate = fate
        self.filed_at = filed_at
        self.commitment = commitment
        self.processor = processor
        self.assigner = assigner
        self.processor_of = processor_of
        self.rng = rng
        self.clock = clock
        self.chronicle = chronicle
        self.procedure = case.procedure.slug
        self.department = case.department.slug
        self.resident_user = case.resident.user
        self.request = rng.choice(
            texts.INFORMATION_REQUESTS.get(self.procedure) or texts.INFORMATION_REQUESTS[""]
        )
        # Whether the department and the resident wrote to each other (read by the decision).
        self.conversation = False

    def tell(self) -> None:
        """Run the case's steps, each at its moment, up to its fate."""
        steps = self._steps()
        closing = self.fate.status in CLOSED_STATUSES
        end = (
            self.clock.decision_moment(self.filed_at, self.commitment)
            if closing
            else self.clock.now - datetime.timedelta(minutes=5)
        )
        count = len(steps) - 1 if closing else len(steps)
        moments = sorted(self.clock.moment_between(self.filed_at, end) for _ in range(count))
        if closing:
            moments.append(end)
        for step, moment in zip(steps, moments, strict=True):
            with self.chronicle.at(moment):
                step()
        if not self.fate.deadline:
            self._close_follow_ups(end)

    def _close_follow_ups(self, end: datetime.datetime) -> None:
        """Let the departments informed by the request record it (moving house, for instance).

        A running case's follow-ups wait with it; the others were dealt with in the meantime.
        """
        for follow_up in self.case.follow_ups.select_related("department"):
            with self.chronicle.at(self.clock.moment_between(self.filed_at, end)):
                transition_case(
                    case=follow_up,
                    to_status=CaseStatus.ACCEPTED,
                    actor=self.processor_of(follow_up.department.slug),
                    channel="",
                    reason=self.rng.choice(texts.FOLLOW_UP_RECORDED),
                )

    def _fresh(self) -> Case:
        """Return the case as it is now, as a view would read it (``send_message`` reads its
        status; the actions that lock the case read it themselves)."""
        self.case.refresh_from_db(fields=REFRESHED_FIELDS)
        return self.case

    def _steps(self) -> list[Step]:
        """Return the actions that lead the case to its fate, in order (a decision comes last)."""
        rng, status = self.rng, self.fate.status
        steps: list[Step] = []
        if status != CaseStatus.SUBMITTED or rng.random() < 0.4:
            steps.append(self._assign)
        if status == CaseStatus.IN_PROGRESS or (
            status != CaseStatus.SUBMITTED and rng.random() < 0.85
        ):
            steps.append(self._start)
        if status != CaseStatus.SUBMITTED and rng.random() < 0.25:
            steps.append(self._note)
        if status == CaseStatus.WAITING:
            steps.append(self._ask)
        elif status == CaseStatus.IN_PROGRESS:
            if self.resident_user is not None and rng.random() < 0.15:
                steps.append(self._resident_question)
        elif status == CaseStatus.CANCELLED:
            steps += self._cancellation()
        elif status in CLOSED_STATUSES:
            if rng.random() < 0.25:
                steps += [self._ask, self._answer]
            steps.append(self._decide)
        return steps

    def _cancellation(self) -> list[Step]:
        variants = ["agent", "no_answer"] + (["resident"] if self.resident_user else [])
        variant = self.rng.choice(variants)
        if variant == "no_answer":
            reason = self.rng.choice(texts.CANCELLED_WITHOUT_ANSWER)
            return [self._ask, lambda: self._decide(reason)]
        if variant == "resident":
            return [self._withdraw]
        return [lambda: self._decide(self.rng.choice(texts.CANCELLED_BY_AGENT))]

    def _assign(self) -> None:
        assign_case(case=self.case, assignee=self.processor, actor=self.assigner)

    def _start(self) -> None:
        transition_case(
            case=self.case, to_status=CaseStatus.IN_PROGRESS, actor=self.processor, channel=""
        )

    def _note(self) -> None:
        notes = texts.NOTES.get(self.department, []) + texts.NOTES[""]
        add_note(case=self.case, author=self.processor, body=self.rng.choice(notes))

    def _ask(self) -> None:
        transition_case(
            case=self.case,
            to_status=CaseStatus.WAITING,
            actor=self.processor,
            channel="",
            reason=self.request.reason,
        )
        self.conversation = True
        send_message(
            case=self._fresh(),
            author=self.processor,
            body=self.request.message,
            from_resident=False,
            channel="",
        )

    def _answer(self) -> None:
        """The resident answers online (with the piece, if one was asked), else at the desk."""
        if self.resident_user is None:
            transition_case(
                case=self.case,
                to_status=CaseStatus.IN_PROGRESS,
                actor=self.processor,
                channel="",
                reason=self.rng.choice(texts.RESUMED_AT_COUNTER),
            )
            return
        attachments = []
        if self.request.with_piece:
            resident = self.case.resident
            content = pdf_document(self.request.reason, [resident.display_name])
            attachments.append(ContentFile(content, name="piece-demandee.pdf"))
        self.conversation = True
        send_message(
            case=self._fresh(),
            author=self.resident_user,
            body=self.request.reply,
            from_resident=True,
            channel=Channel.WEB,
            attachments=attachments,
        )

    def _resident_question(self) -> None:
        assert self.resident_user is not None
        self.conversation = True
        send_message(
            case=self._fresh(),
            author=self.resident_user,
            body=self.rng.choice(texts.RESIDENT_QUESTIONS),
            from_resident=True,
            channel=Channel.WEB,
        )

    def _decide(self, reason: str = "") -> None:
        status = self.fate.status
        if not reason:
            choices = texts.ACCEPTED if status == CaseStatus.ACCEPTED else texts.REJECTED
            reason = self.rng.choice(choices.get(self.procedure) or choices[""])
        transition_case(
            case=self.case, to_status=status, actor=self.processor, channel="", reason=reason
        )
        if self.conversation:
            mark_messages_read(case=self.case, by_resident=False)
            mark_messages_read(case=self.case, by_resident=True)

    def _withdraw(self) -> None:
        assert self.resident_user is not None
        cancel_by_resident(
            case=self.case,
            actor=self.resident_user,
            reason=self.rng.choice(texts.CANCELLED_BY_RESIDENT),
        )
