"""`seed_scale`: a large, consistent benchmark dataset, here at a tiny size on SQLite."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from bench.management.commands.seed_scale import Command as SeedScale
from bench.scale_seed.cases import spread
from bench.scale_seed.modules import LIBRARY_MODULES
from bench.scale_seed.people import team_sizes
from casenotes.models import Case, Comment, ConsensusVote
from portal.models import Authority, Role, Team, User
from portal.tests.factories import UserFactory
from training import engine, selectors, services
from training.models import Answer, Assignment, Attempt, Certificate, Module, ModuleProgress

LIBRARY_FILES = len(list(LIBRARY_MODULES.glob("*.json")))
TINY = {
    "authorities": 3,
    "staff": 60,
    "modules": LIBRARY_FILES + 2,  # the whole library and two authority copies
    "attempts": 300,
    "cases": 20,
    "comments": 150,
    "team_size": 12,
}


def seed(**options):
    """The command as bench.settings installs it (the portal's settings do not)."""
    out = StringIO()
    call_command(SeedScale(), stdout=out, **{**TINY, **options})
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Authority, Team, User, Module, Assignment, Attempt, Answer, Certificate, Case,
            Comment, ConsensusVote,
        )
    }  # fmt: skip


@pytest.fixture(autouse=True)
def _debug_on(settings):
    """Like load_demo, the seed is for DEBUG only; pytest-django turns DEBUG off."""
    settings.DEBUG = True


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One dataset for the checks that only read it (seeding takes seconds), inside a
    transaction rolled back after the last test here; each test still gets its own savepoint
    from the `db` fixture, so what a test writes goes too."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def test_it_creates_the_requested_numbers(db, seeded):
    found = counts()

    assert (found["Authority"], found["User"], found["Module"]) == (3, 60, LIBRARY_FILES + 2)
    assert (found["Attempt"], found["Case"], found["Comment"]) == (300, 20, 150)


def test_it_makes_one_team_of_the_team_size_led_by_a_supervisor(db, seeded):
    team = Team.objects.annotate(size=Count("members")).get(
        authority__name="Scale Authority 01", size=12
    )

    roles = list(team.members.values_list("role", flat=True))
    assert roles.count(Role.SUPERVISOR) == 1
    assert "12 people" in seeded


def test_it_keeps_a_smaller_team_when_the_staff_do_not_allow_the_size():
    assert team_sizes(random.Random(1), 30, 200) == [30]


def test_it_gives_everyone_several_assignments(db, seeded):
    per_person = Assignment.objects.values("user").annotate(n=Count("id"))

    assert min(row["n"] for row in per_person) >= 3
    assert per_person.count() == 60


def test_it_scores_each_attempt_from_its_own_answers(db, seeded):
    for attempt in Attempt.objects.select_related("version").prefetch_related("answers"):
        answers = list(attempt.answers.all())
        assert attempt.answer_count == len(answers)
        sg = [answer.safeguarding_distance for answer in answers]
        pv = [answer.prevent_distance for answer in answers]
        assert attempt.within_bands_count == sum(
            1
            for a in answers
            if (a.safeguarding_distance, a.prevent_distance, a.error) == (0, 0, "")
        )
        assert (attempt.safeguarding_under_count, attempt.safeguarding_over_count) == (
            sum(d < 0 for d in sg),
            sum(d > 0 for d in sg),
        )
        assert (attempt.prevent_under_count, attempt.prevent_over_count) == (
            sum(d < 0 for d in pv),
            sum(d > 0 for d in pv),
        )
        assert attempt.critical_miss_count == sum(a.critical_miss for a in answers)
        if attempt.is_complete:
            result = selectors.attempt_result(attempt=attempt, answers=answers)
            assert (attempt.points, attempt.max_points) == (result.points, result.max_points)
            assert attempt.percent == result.percent
            assert attempt.passed == result.passed(attempt.version.snapshot["pass_mark"])


def test_it_leaves_unfinished_attempts_waiting_at_a_decision(db, seeded):
    unfinished = Attempt.objects.filter(completed_at__isnull=True).select_related("version")

    assert unfinished.exists()
    for attempt in unfinished:
        step = engine.steps_by_key(attempt.version.snapshot)[attempt.current_step_key]
        assert step["kind"] == engine.DECISION
        assert (attempt.points, attempt.percent, attempt.passed) == (0, None, False)


def test_it_issues_a_certificate_for_each_passed_attempt_and_no_other(db, seeded):
    certified = set(Certificate.objects.values_list("attempt_id", flat=True))
    passed = set(Attempt.objects.filter(passed=True).values_list("pk", flat=True))

    assert certified == passed
    assert passed


def test_it_completes_assignments_with_the_persons_certificate_for_that_module(db, seeded):
    completed = Assignment.objects.filter(completed_by__isnull=False).select_related(
        "completed_by__version"
    )

    assert completed.exists()
    for assignment in completed:
        assert assignment.completed_by.user_id == assignment.user_id
        assert assignment.completed_by.version.module_id == assignment.module_id
        assert assignment.completed_at is not None


def test_it_builds_the_progress_read_model_of_what_it_wrote(db, seeded):
    seeded_rows = set(ModuleProgress.objects.values_list("user_id", "module_id", "decisions"))
    assert len(seeded_rows) >= Assignment.objects.values("user_id", "module_id").distinct().count()

    services.progress_rebuild()

    assert set(ModuleProgress.objects.values_list("user_id", "module_id", "decisions")) == (
        seeded_rows
    )


def test_it_gives_the_benchmark_case_100_comments_and_50_votes(db, seeded):
    case = Case.objects.annotate(comment_count=Count("comments", distinct=True)).get(
        comment_count=100
    )

    assert case.votes.count() == 50
    assert (case.visibility, case.sharing) == ("all", "approved")
    assert f"/cases/{case.pk}/ (100 comments, 50 votes" in seeded


def test_it_has_comments_and_votes_only_from_people_who_can_see_the_case(db, seeded):
    for comment in Comment.objects.select_related("author", "case"):
        assert Case.objects.for_user(comment.author).filter(pk=comment.case_id).exists()
    for vote in ConsensusVote.objects.select_related("voter"):
        assert Case.objects.for_user(vote.voter).filter(pk=vote.case_id).exists()


def test_it_replaces_its_own_data_when_run_again(db, seeded):
    first = counts()

    output = seed()

    assert counts() == first
    assert "Removed" in output


def test_it_leaves_other_authorities_data_alone(db):
    someone = UserFactory(authority=Authority.objects.create(name="Northbridge", region="X"))
    seed()

    seed()

    assert User.objects.filter(pk=someone.pk).exists()


def test_it_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed()


def test_it_spreads_a_total_exactly_under_the_cap():
    counts_ = spread(1000, 30, random.Random(2), cap=60)

    assert sum(counts_) == 1000
    assert max(counts_) <= 60
