"""Reads of one person's training: their record (assignments, attempts, certificates, module
versions) and one attempt's decisions with feedback. Scoped by portal.access.scope_users:
themselves, a supervisor's team, an admin's authority; anyone else is missing (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal import selectors as portal_selectors
from portal.models import User
from training import access, engine, presenters, progress, snapshots, version_reader
from training import report_math as math
from training.models import (
    Answer,
    Assignment,
    Attempt,
    Certificate,
    CriticalMissDebrief,
    ModuleVersion,
)
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


@dataclass(frozen=True)
class CriticalMissLine:
    """A critical miss: which decision of which module, when, and its debrief if any."""

    answer: Answer
    module_title: str
    decision_title: str

    @property
    def debrief(self) -> CriticalMissDebrief | None:
        return getattr(self.answer, "debrief", None)  # fetched with the answer


def critical_misses_of(person: User) -> list[CriticalMissLine]:
    """The person's critical misses, newest first, in one query, with their decisions' titles
    from the cache (snapshots.step_titles: a learner may have a dozen misses in a few
    versions, and a snapshot is tens of kilobytes)."""
    answers = list(
        Answer.objects.filter(attempt__user=person, critical_miss=True)
        .select_related("attempt__version__module", "debrief__supervisor")
        .defer("attempt__version__snapshot")
        .order_by("-answered_at", "-pk")
    )
    titles = snapshots.step_titles(
        (answer.attempt.version_id, answer.attempt.version.published_at) for answer in answers
    )
    return [
        CriticalMissLine(
            answer=answer,
            module_title=answer.attempt.version.module.title,
            decision_title=titles.get((answer.attempt.version_id, answer.step_key))
            or answer.step_key,
        )
        for answer in answers
    ]


def critical_miss_get_for_user(*, user: User, pk: int, answer_pk: int) -> Answer:
    """A critical miss of someone the viewer may debrief (training.access.can_debrief); any
    other answer, person or viewer is missing."""
    person = person_get_for_user(user=user, pk=pk)
    if not access.can_debrief(user, person):
        raise Http404
    return get_object_or_404(
        Answer.objects.filter(attempt__user=person, critical_miss=True).select_related(
            "attempt__user", "attempt__version__module", "debrief"
        ),
        pk=answer_pk,
    )


@dataclass
class PersonRecord:
    person: User
    today: date
    assignments: list[AssignmentLine]
    attempts: list[AttemptLine]
    critical_misses: list[CriticalMissLine]
    viewer_can_debrief: bool

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
    """Every assignment, attempt, certificate, version and critical miss of one person, in
    a fixed number of queries."""
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
        critical_misses=critical_misses_of(person),
        viewer_can_debrief=access.can_debrief(user, person),
    )


@dataclass(frozen=True)
class DecisionLine:
    """One answer as recorded, in words: both routes chosen against the accepted bands of
    the attempt's own version (an answer on the old single scale read through the mapping,
    and labelled so), with its debrief if it was a critical miss."""

    answer: Answer
    step_title: str
    choice_text: str
    words: presenters.DecisionWords
    feedback: str
    explanation: str

    @property
    def chosen_label(self) -> str:
        return self.words.chosen_label

    @property
    def band_label(self) -> str:
        return self.words.band_label

    @property
    def distance_sentence(self) -> str:
        return self.words.distance_sentence

    @property
    def old_scale(self) -> bool:
        return self.answer.recorded_on_old_scale

    @property
    def debrief(self) -> CriticalMissDebrief | None:
        return getattr(self.answer, "debrief", None)  # fetched with the answer


@dataclass
class AttemptDetail:
    person: User
    attempt: Attempt
    decisions: list[DecisionLine]


def _recorded(answer: Answer, step: version_reader.Step) -> engine.Decision:
    """The answer as recorded, against the bands of the version it was given in."""
    return engine.Decision(
        step_key=answer.step_key,
        safeguarding=answer.safeguarding,
        prevent=answer.prevent,
        bands=step.bands,
        safety_critical=step.safety_critical,
        error=answer.error,
        actions=tuple(answer.actions),
        indicators=step.indicators,
    )


def person_attempt_for_user(*, user: User, pk: int, attempt_pk: int) -> AttemptDetail:
    """One attempt's decisions with their feedback, read from the attempt's own version, so
    they stay as the person saw them after the module is revised: with the contacts of the
    person's own authority in place of `{pathway.…}` placeholders, as their player showed."""
    person = person_get_for_user(user=user, pk=pk)
    attempt = get_object_or_404(
        Attempt.objects.filter(user=person).select_related("version__module"), pk=attempt_pk
    )
    document = attempt.version.document
    decisions = []
    words = None  # read once, and only if a decision names a contact
    answers = attempt.answers.select_related("debrief__supervisor")
    for answer in answers:
        step = document.decision(answer.step_key)
        if step is None or answer.choice_index >= len(step.choices):
            continue  # not a decision of its version: never recorded by answer_record
        if presenters.uses_placeholders(step):
            words = words or portal_selectors.pathway_words_for_user(user=person)
            step = presenters.step_in_words(step, words)
        choice = step.choices[answer.choice_index]
        decisions.append(
            DecisionLine(
                answer=answer,
                step_title=step.title or answer.step_key,
                choice_text=choice.text,
                words=presenters.decision_words(_recorded(answer, step)),
                feedback=choice.feedback,
                explanation=step.explanation,
            )
        )
    return AttemptDetail(person=person, attempt=attempt, decisions=decisions)
