"""Reads of one person's training: their record (assignments, attempts, certificates, module
versions) and one attempt's decisions with feedback. Scoped by portal.access.scope_users:
themselves, a supervisor's team, an admin's authority; anyone else is missing (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.models import User
from training import presenters, progress
from training import report_math as math
from training.models import Answer, Assignment, Attempt, Certificate, ModuleVersion
from training.progress import Status


def person_get_for_user(*, user: User, pk: int) -> User:
    """Someone whose training the viewer may see: themselves, their team (supervisors), their
    authority (admins). Anyone else is missing."""
    people = User.objects.for_user(user).select_related("team", "authority")
    return get_object_or_404(people, pk=pk)


@dataclass(frozen=True)
class AssignmentLine:
    assignment: Assignment
    status: Status

    @property
    def tag_class(self) -> str:
        return math.STATUS_TAGS.get(self.status, "")


@dataclass(frozen=True)
class AttemptLine:
    """An attempt in the words the record page and its CSV both use."""

    attempt: Attempt

    @property
    def certificate(self) -> Certificate | None:
        return getattr(self.attempt, "certificate", None)  # fetched with the attempt

    @property
    def status_label(self) -> str:
        return "Completed" if self.attempt.is_complete else "In progress"

    @property
    def score_text(self) -> str:
        return "" if self.attempt.percent is None else f"{self.attempt.percent}%"

    @property
    def passed_text(self) -> str:
        if not self.attempt.is_complete:
            return ""
        return "Passed" if self.attempt.passed else "Not passed"


@dataclass
class PersonRecord:
    person: User
    today: date
    assignments: list[AssignmentLine]
    attempts: list[AttemptLine]

    @property
    def certificates(self) -> list[Certificate]:
        found = [line.certificate for line in self.attempts if line.certificate is not None]
        return sorted(found, key=lambda c: c.issued_at, reverse=True)

    @property
    def versions(self) -> list[ModuleVersion]:
        """Each module version they trained on, once, by module title then number."""
        seen = {line.attempt.version.pk: line.attempt.version for line in self.attempts}
        return sorted(seen.values(), key=lambda v: (v.module.title, v.number))


def person_record_for_user(*, user: User, pk: int) -> PersonRecord:
    """Every assignment, attempt, certificate and version of one person, in three queries."""
    person = person_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    attempts = list(
        Attempt.objects.filter(user=person)
        .select_related("version__module", "certificate")
        .defer("version__snapshot")
    )
    in_progress = {a.version.module_id for a in attempts if not a.is_complete}
    assignments = Assignment.objects.filter(user=person).select_related("module", "completed_by")
    lines = [
        AssignmentLine(
            assignment=a,
            status=progress.assignment_status(
                due_on=a.effective_due_on,
                today=today,
                completed=a.completed_at is not None,
                cancelled=a.cancelled_at is not None,
                in_progress=a.module_id in in_progress,
                certificate_expires_on=(
                    timezone.localdate(a.completed_by.expires_at) if a.completed_by else None
                ),
            ),
        )
        for a in assignments.order_by("-assigned_on", "-pk")
    ]
    return PersonRecord(
        person=person,
        today=today,
        assignments=lines,
        attempts=[AttemptLine(attempt) for attempt in attempts],
    )


@dataclass(frozen=True)
class DecisionLine:
    answer: Answer
    step_title: str
    choice_text: str
    chosen_label: str
    proportionate_label: str
    distance_sentence: str
    feedback: str
    explanation: str


@dataclass
class AttemptDetail:
    person: User
    attempt: Attempt
    decisions: list[DecisionLine]


def person_attempt_for_user(*, user: User, pk: int, attempt_pk: int) -> AttemptDetail:
    """One attempt's decisions with their feedback, read from the attempt's own version, so
    they stay as the person saw them after the module is revised."""
    person = person_get_for_user(user=user, pk=pk)
    attempt = get_object_or_404(
        Attempt.objects.filter(user=person).select_related("version__module"), pk=attempt_pk
    )
    document = attempt.version.document
    decisions = []
    for answer in attempt.answers.all():
        step = document.step(answer.step_key)
        choices = step.choices if step else ()
        choice = choices[answer.choice_index] if answer.choice_index < len(choices) else None
        decisions.append(
            DecisionLine(
                answer=answer,
                step_title=step.title if step else answer.step_key,
                choice_text=choice.text if choice else "",
                chosen_label=presenters.level_label(answer.chosen_level),
                proportionate_label=presenters.level_label(answer.proportionate_level),
                distance_sentence=math.distance_sentence(answer.distance),
                feedback=choice.feedback if choice else "",
                explanation=step.explanation if step else "",
            )
        )
    return AttemptDetail(person=person, attempt=attempt, decisions=decisions)
