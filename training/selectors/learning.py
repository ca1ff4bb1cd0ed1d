"""Reads for the learner's pages, scoped through training.access, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.models import User
from training import access, engine, presenters, responses, snapshots
from training.models import Answer, Attempt, Certificate, Module, ModuleVersion

# My training's tag for each status: its colour and its (shorter) words.
STATUS_TAGS = {
    "Certified": ("govuk-tag--green", "Certified"),
    "Certified, refresh needed": ("govuk-tag--orange", "Refresh needed"),
    "In progress": ("govuk-tag--light-blue", "In progress"),
    "Not passed yet": ("govuk-tag--yellow", "Not passed yet"),
    "Not started": ("govuk-tag--grey", "Not started"),
}


@dataclass
class CatalogueEntry:
    """A module as the learner sees it in "My training": latest version and their progress.
    `attempts` and `certificate` are fetched for the module's own page only; My training
    needs just the flags."""

    module: Module
    version: ModuleVersion
    attempts: list[Attempt] = field(default_factory=list)
    certificate: Certificate | None = None
    attempted: bool = False
    under_way: bool = False
    certified: bool = False
    refresh_needed: bool = False

    @property
    def snapshot(self) -> dict[str, Any]:
        return self.version.snapshot

    @property
    def card(self) -> dict[str, Any]:
        """What My training shows of the module (snapshots.CARD_FIELDS)."""
        return self.version.card

    @property
    def indicator_names(self) -> list[str]:
        return [item.name for item in self.version.document.indicator_catalogue.values()]

    @property
    def in_progress(self) -> Attempt | None:
        return next((a for a in self.attempts if not a.is_complete), None)

    @property
    def status(self) -> str:
        if self.certified and self.refresh_needed:
            return "Certified, refresh needed"
        if self.certified:
            return "Certified"
        if self.under_way:
            return "In progress"
        if self.attempted:
            return "Not passed yet"
        return "Not started"

    @property
    def status_tag(self) -> tuple[str, str]:
        """(class, words) of the status's tag."""
        return STATUS_TAGS[self.status]


def _latest_versions(modules: QuerySet[Module]) -> QuerySet[ModuleVersion]:
    latest = (
        ModuleVersion.objects.filter(module=OuterRef("module")).order_by("-number").values("pk")[:1]
    )
    return (
        ModuleVersion.objects.filter(module__in=modules, pk=Subquery(latest))
        .select_related("module")
        # My training needs only their cards (snapshots.cards_fill) and the modules' keys.
        .only("module__key", "published_at")
        .order_by("module__title")
    )


CATALOGUE_SEARCH_AFTER = 10  # My training offers a search box once it lists more modules


def catalogue_matching(entries: list[CatalogueEntry], query: str) -> list[CatalogueEntry]:
    """The entries whose title or summary holds every word of the query, any case."""
    words = query.casefold().split()
    return [
        entry
        for entry in entries
        if all(
            word in f"{entry.card['title']} {entry.card['summary']}".casefold() for word in words
        )
    ]


def catalogue_for_user(*, user: User) -> list[CatalogueEntry]:
    """Published modules the person may take, with their progress and current certificates,
    for My training: each version's card (not its whole snapshot), and of their attempts (a
    keen learner has hundreds) only what each module's status needs, as plain values.

    Two queries however many modules and attempts, the cards from the cache.
    """
    versions = list(_latest_versions(Module.objects.for_user(user)))
    snapshots.cards_fill(versions)
    entries = {v.module_id: CatalogueEntry(module=v.module, version=v) for v in versions}
    now = timezone.now()
    rows = (
        access.scope_attempts(Attempt.objects.all(), user)
        .filter(version__module_id__in=entries)
        .order_by("certificate__issued_at", "certificate__pk")
        .values_list(
            "version__module_id",
            "completed_at",
            "certificate__expires_at",
            "certificate__refresh_needed_for_id",
        )
    )
    for module_id, completed_at, expires_at, refresh_needed_for_id in rows:
        entry = entries[module_id]
        entry.attempted = True
        entry.under_way |= completed_at is None
        if expires_at is not None and expires_at > now:  # the latest issued comes last
            entry.certified, entry.refresh_needed = True, refresh_needed_for_id is not None
    return list(entries.values())


def catalogue_entry_for_user(*, user: User, key: str) -> CatalogueEntry:
    """One module's latest version and the person's progress, in two queries."""
    version = (
        ModuleVersion.objects.filter(module__in=Module.objects.for_user(user), module__key=key)
        .select_related("module")
        .order_by("-number")
        .first()
    )
    if version is None:  # missing, out of scope or never published: all the same to a learner
        raise Http404
    attempts = list(_own_attempts(user).filter(version__module_id=version.module_id))
    certificate = _current_certificate(attempts)
    return CatalogueEntry(
        module=version.module,
        version=version,
        attempts=attempts,
        certificate=certificate,
        attempted=bool(attempts),
        under_way=any(not attempt.is_complete for attempt in attempts),
        certified=certificate is not None,
        refresh_needed=certificate is not None and certificate.refresh_needed_for_id is not None,
    )


def _own_attempts(user: User) -> QuerySet[Attempt]:
    """Without each attempt's copy of the module snapshot: a keen learner has hundreds of
    attempts, and the module page reads the snapshot of its latest version."""
    return (
        access.scope_attempts(Attempt.objects.all(), user)
        .select_related("version", "certificate")
        .defer("version__snapshot", "version__changes")
    )


def _current_certificate(attempts: list[Attempt]) -> Certificate | None:
    """The latest unexpired certificate among attempts fetched with their certificates."""
    now = timezone.now()
    current = [
        certificate
        for attempt in attempts
        if (certificate := getattr(attempt, "certificate", None)) is not None
        and certificate.expires_at > now
    ]
    return max(current, key=lambda certificate: certificate.issued_at, default=None)


def current_certificates_for_user(*, user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user, expires_at__gt=timezone.now()).select_related(
        "version"
    )


def attempt_get_for_user(*, user: User, pk: int) -> Attempt:
    attempt = get_object_or_404(
        access.scope_attempts(Attempt.objects.all(), user).select_related(
            "version__module", "certificate"
        ),
        pk=pk,
    )
    if attempt.user_id == user.pk:  # the viewer's own (scope_attempts): not read again
        attempt.user = user
    return attempt


def certificate_get_for_user(*, user: User, code: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.filter(user_id=user.pk).select_related("version", "user"),
        code=code,
    )


def certificate_code_normalise(text: str) -> str:
    """A code as stored (ABCD-EFGH-JK23) from however it was typed: any case, with or without
    spaces or dashes. Text that cannot be a code comes back cleaned but unchanged in length."""
    letters = "".join(character for character in text.upper() if character.isalnum())
    if len(letters) != 12:
        return letters
    return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"


def certificate_verify(*, code: str) -> Certificate | None:
    """The certificate with this code, however it was typed; None when there is none."""
    return (
        Certificate.objects.select_related("version", "user")
        .filter(code=certificate_code_normalise(code))
        .first()
    )


def attempt_choices_made(*, attempt: Attempt) -> list[int]:
    """The choice picked at each decision answered so far, in order (the player replays them
    to say which step the learner is on)."""
    return list(
        Answer.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("choice_index", flat=True)
    )


def answer_get(*, attempt: Attempt, position: int) -> Answer:
    return get_object_or_404(Answer.objects.filter(attempt=attempt), position=position)


def attempt_result(*, attempt: Attempt, answers: list[Answer] | None = None) -> engine.Result:
    """Score from the recorded answers against the attempt's own version (an old version read
    through the mapping to the two routes). Points are the answers' recorded ones: an
    answer given on the old single scale keeps what it earned then."""
    document = attempt.version.document
    answers = answers if answers is not None else list(attempt.answers.all())
    decisions = [document.decision_for(answer.step_key, answer.choice_index) for answer in answers]
    result = engine.score(decisions, document.protective_indicators)
    return dataclasses.replace(result, points=sum(answer.points for answer in answers))


@dataclass(frozen=True)
class AttemptSummary:
    result: engine.Result
    pass_mark: int
    decisions: list[dict[str, Any]]
    indicators_spotted: list[str]
    indicators_missed: list[str]
    certificate: Certificate | None

    @property
    def critical_misses(self) -> list[dict[str, Any]]:
        """The decisions that were critical misses, in the order they were made."""
        return [row for row in self.decisions if row["words"].critical_miss]

    @property
    def route_lines(self) -> list[tuple[str, str]]:
        """Both tendencies: ("Safeguarding route", "1 under-reaction, no over-reactions")."""

        def count(number: int, what: str) -> str:
            return f"{number or 'no'} {what}{'' if number == 1 else 's'}"

        return [
            (
                f"{responses.ROUTE_NAMES[route]} route",
                f"{count(self.result.under_reactions[route], 'under-reaction')}, "
                f"{count(self.result.over_reactions[route], 'over-reaction')}",
            )
            for route in responses.ROUTES
        ]


def attempt_summary(*, attempt: Attempt) -> AttemptSummary:
    """Everything the summary page shows, replayed against the attempt's own version."""
    document = attempt.version.document
    answers = list(attempt.answers.all())
    result = attempt_result(attempt=attempt, answers=answers)
    decisions = []
    for answer in answers:
        words = presenters.decision_words(
            document.decision_for(answer.step_key, answer.choice_index)
        )
        decisions.append(
            {
                "answer": answer,
                "title": document.steps[answer.step_key].title,
                "choice": document.steps[answer.step_key].choices[answer.choice_index].text,
                "chosen_label": words.chosen_label,
                "band_label": words.band_label,
                "words": words,
                "old_scale": answer.recorded_on_old_scale,
            }
        )
    return AttemptSummary(
        result=result,
        pass_mark=document.pass_mark,
        decisions=decisions,
        indicators_spotted=document.indicator_names(result.indicators_spotted),
        indicators_missed=document.indicator_names(result.indicators_missed),
        # The attempt usually comes with its certificate (attempt_get_for_user); else one query.
        certificate=getattr(attempt, "certificate", None),
    )
