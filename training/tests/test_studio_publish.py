"""Publishing from the studio: the change note, refusing a draft with problems, the version
history, earlier attempts keeping their version, and major revisions that ask certificate
holders to refresh."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditAction, AuditEvent
from portal.tests.factories import UserFactory
from training import engine, services
from training.models import Assignment, AssignmentRule, Certificate, ModuleVersion
from training.tests.factories import best_choice
from training.tests.studio_data import (
    completed_attempt,
    module_details,
    saved_choices,
    step_details,
    studio_draft,
    text_of,
)

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def draft(indicators, carol):
    return studio_draft(by=carol)


@pytest.fixture
def published(draft, carol):
    """The draft published as version 1."""
    services.version_publish(module=draft.module, by=carol, change_note="First version.")
    return draft


@pytest.fixture
def author(verified_client, carol):
    return verified_client(carol)


def _publish_url(module) -> str:
    return reverse("training:studio-publish", args=[module.pk])


def _retitle(step, title: str) -> None:
    services.step_update(
        by=step.scenario.module.created_by,
        step=step,
        **step_details(step, title=title),
        choices=saved_choices(step),
    )


def _date_fields(day: date) -> dict[str, str]:
    return {
        "refresh_due_on_0": str(day.day),
        "refresh_due_on_1": str(day.month),
        "refresh_due_on_2": str(day.year),
    }


def _major(day: date, note: str = "The referral threshold changed.") -> dict[str, str]:
    return {"change_note": note, "is_major": "on", **_date_fields(day)}


# --- Publishing a version -------------------------------------------------------------------


def test_it_asks_for_a_change_note(author, draft):
    response = author.post(_publish_url(draft.module), {"change_note": "  "})

    assert response.status_code == 400
    assert "Say what changed in this version" in text_of(response)
    assert not draft.module.versions.exists()


def test_it_publishes_the_draft_as_version_1_with_its_note(author, draft, carol):
    response = author.post(_publish_url(draft.module), {"change_note": "First version."})

    version = draft.module.versions.get()
    draft.module.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:studio-module", args=[draft.module.pk])
    assert version.number == 1
    assert version.change_note == "First version."
    assert version.published_by == carol
    assert not version.is_major
    assert version.snapshot["title"] == "Sam's new friends"
    assert not draft.module.has_unpublished_changes


def test_it_publishes_edits_as_the_next_version_and_leaves_the_last_as_it_was(author, published):
    _retitle(published.decision, "What now?")

    response = author.post(_publish_url(published.module), {"change_note": "Clearer question."})

    assert response.status_code == 302
    v1, v2 = published.module.versions.order_by("number")
    assert v2.number == 2
    assert v2.snapshot["scenarios"][0]["steps"][1]["title"] == "What now?"
    assert v1.snapshot["scenarios"][0]["steps"][1]["title"] == "What do you do?"


def test_it_refuses_to_publish_a_draft_with_problems(author, draft):
    services.step_update(
        by=draft.author, step=draft.intro, **step_details(draft.intro, next_step=None), choices=[]
    )

    response = author.post(_publish_url(draft.module), {"change_note": "First version."})

    page = text_of(response)
    assert response.status_code != 302
    assert "before publishing" in page
    assert "is a narrative step with no next step" in page
    assert not draft.module.versions.exists()


def test_it_lists_the_problems_instead_of_the_form(author, draft):
    services.step_update(
        by=draft.author, step=draft.intro, **step_details(draft.intro, next_step=None), choices=[]
    )

    response = author.get(_publish_url(draft.module))

    assert 'name="change_note"' not in response.content.decode()
    assert "is a narrative step with no next step" in text_of(response)


def test_it_records_the_publication_in_the_audit_log(author, draft, carol):
    author.post(_publish_url(draft.module), {"change_note": "First version."})

    event = AuditEvent.objects.get(action=AuditAction.MODULE_PUBLISHED)
    assert event.actor == carol
    assert event.authority == carol.authority
    assert event.detail["version"] == 1


# --- The version history --------------------------------------------------------------------


def test_it_lists_each_version_with_its_date_author_and_note(author, draft, carol, dave):
    with time_machine.travel(datetime(2026, 3, 2, 9, 30, tzinfo=LONDON), tick=False):
        services.version_publish(module=draft.module, by=carol, change_note="First version.")
    _retitle(draft.decision, "What now?")
    with time_machine.travel(datetime(2026, 7, 14, 16, 5, tzinfo=LONDON), tick=False):
        services.version_publish(module=draft.module, by=dave, change_note="A second ending.")

    page = text_of(author.get(reverse("training:studio-module", args=[draft.module.pk])))

    assert "2 14 Jul 2026, 16:05 Dave Morgan A second ending." in page
    assert "1 2 Mar 2026, 09:30 Carol Singh First version." in page
    assert page.index("A second ending.") < page.index("First version.")


def test_it_summarises_what_changed_in_each_version(author, published, carol):
    later = services.step_create(
        by=published.author, scenario=published.scenario, kind="end", title="Later"
    )
    choices = saved_choices(published.decision)
    choices[2]["next_step"] = later
    services.step_update(
        by=published.author,
        step=published.decision,
        **step_details(published.decision, title="What now?"),
        choices=choices,
    )
    services.version_publish(module=published.module, by=carol, change_note="Tidy.")

    page = text_of(author.get(reverse("training:studio-module", args=[published.module.pk])))

    assert "Tidy. 1 step added (later), 1 step edited (what-do-you-do), 1 choice edited" in page
    assert (
        "First version. 3 steps added (meet-sam, what-do-you-do, what-happened), "
        "3 choices added" in page
    )


# --- Earlier attempts keep their version ----------------------------------------------------


@pytest.fixture
def second_edition(published, carol):
    """Publishes version 2, with a new module title and a reworded question, when called."""

    def publish_v2() -> ModuleVersion:
        services.module_update(
            by=carol,
            module=published.module,
            **{**module_details(published.module), "title": "Sam, second edition"},
        )
        _retitle(published.decision, "A reworded question")
        return services.version_publish(module=published.module, by=carol, change_note="v2")

    return publish_v2


def test_it_lets_an_attempt_on_version_1_carry_on_in_version_1(
    verified_client, alice, published, second_edition
):
    v1 = published.module.versions.get()
    attempt = completed_attempt(alice, v1, until=published.decision.key)
    second_edition()
    learner = verified_client(alice)

    page = text_of(learner.get(reverse("training:attempt-play", args=[attempt.pk])))

    assert "What do you do?" in page
    assert "A reworded question" not in page
    answer = learner.post(
        reverse("training:attempt-answer", args=[attempt.pk]),
        {"step_key": published.decision.key, "position": 0, "choice": 1},
    )
    assert answer.status_code == 302
    attempt.refresh_from_db()
    assert attempt.version == v1
    assert attempt.current_step_key == published.end.key


def test_it_summarises_a_finished_version_1_attempt_from_version_1(
    verified_client, alice, published, second_edition
):
    attempt = completed_attempt(alice, published.module.versions.get())
    second_edition()

    response = verified_client(alice).get(reverse("training:attempt-summary", args=[attempt.pk]))

    page = text_of(response)
    assert response.status_code == 200
    assert "What do you do?" in page
    assert "A reworded question" not in page


def test_it_shows_learners_the_latest_version_in_my_training(
    verified_client, alice, published, second_edition
):
    second_edition()

    page = text_of(verified_client(alice).get(reverse("training:catalogue")))

    assert "Sam, second edition" in page
    assert "Sam's new friends" not in page


def test_it_starts_new_attempts_on_the_latest_version(
    verified_client, alice, published, second_edition
):
    v2 = second_edition()

    verified_client(alice).post(reverse("training:attempt-start", args=[published.module.key]))

    assert alice.attempts.get().version == v2


# --- Major revisions ------------------------------------------------------------------------


@pytest.fixture
def holder(alice, published):
    """Alice passed version 1 and holds its certificate."""
    return completed_attempt(alice, published.module.versions.get()).certificate


def test_it_asks_for_the_refresh_date_of_a_major_revision(author, published, holder):
    response = author.post(
        _publish_url(published.module), {"change_note": "New guidance.", "is_major": "on"}
    )

    assert response.status_code == 400
    assert "Enter the date holders must refresh by" in text_of(response)
    assert published.module.versions.count() == 1


def test_it_refuses_a_refresh_date_in_the_past(author, published, holder):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = author.post(_publish_url(published.module), _major(yesterday))

    assert response.status_code == 400
    assert "Give the date holders must refresh by, today or later" in text_of(response)
    assert published.module.versions.count() == 1
    holder.refresh_from_db()
    assert holder.refresh_needed_for is None


def test_it_marks_certificates_on_earlier_versions_as_needing_refresh(author, published, holder):
    due = timezone.localdate() + timedelta(days=30)

    response = author.post(_publish_url(published.module), _major(due))

    v2 = published.module.versions.get(number=2)
    holder.refresh_from_db()
    assert response.status_code == 302
    assert v2.is_major
    assert v2.refresh_due_on == due
    assert holder.refresh_needed_for == v2


def test_it_accepts_today_as_the_refresh_date(author, published, holder):
    response = author.post(_publish_url(published.module), _major(timezone.localdate()))

    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.refresh_needed_for is not None


def test_it_leaves_certificates_alone_in_a_minor_revision(author, published, holder):
    response = author.post(
        _publish_url(published.module),
        {"change_note": "Typo.", **_date_fields(timezone.localdate() + timedelta(days=9))},
    )

    v2 = published.module.versions.get(number=2)
    holder.refresh_from_db()
    assert response.status_code == 302
    assert not v2.is_major
    assert v2.refresh_due_on is None
    assert holder.refresh_needed_for is None
    assert not Assignment.objects.exists()


def test_it_shows_certified_refresh_needed_in_my_training(
    verified_client, alice, carol, published, holder
):
    services.version_publish(
        module=published.module,
        by=carol,
        change_note="New guidance.",
        is_major=True,
        refresh_due_on=timezone.localdate() + timedelta(days=30),
    )

    response = verified_client(alice).get(reverse("training:catalogue"))

    (entry,) = response.context["entries"]
    assert entry.status == "Certified, refresh needed"
    assert "Refresh needed" in text_of(response)


def test_it_warns_on_the_certificate_page_that_it_needs_refreshing(
    verified_client, alice, carol, published, holder
):
    services.version_publish(
        module=published.module,
        by=carol,
        change_note="New guidance.",
        is_major=True,
        refresh_due_on=timezone.localdate() + timedelta(days=30),
    )

    response = verified_client(alice).get(
        reverse("training:certificate-detail", args=[holder.code])
    )

    assert "The guidance in this module changed after this certificate was issued" in text_of(
        response
    )


def test_it_gives_each_active_holder_a_refresher_due_on_the_date_set(
    author, alice, authority, team, published, holder
):
    v1 = published.module.versions.get()
    colleague = completed_attempt(UserFactory(authority=authority, team=team), v1).user
    completed_attempt(alice, v1)  # a second certificate: still one refresher for alice
    leaver = completed_attempt(UserFactory(authority=authority, team=team), v1).user
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    due = timezone.localdate() + timedelta(days=30)

    author.post(_publish_url(published.module), _major(due))

    assignments = Assignment.objects.select_related("rule").order_by("user_id")
    assert [(a.user, a.module, a.due_on) for a in assignments] == [
        (alice, published.module, due),
        (colleague, published.module, due),
    ]
    assert {a.rule.reason for a in assignments} == {"Guidance changed in version 2"}
    assert {a.rule.target for a in assignments} == {AssignmentRule.Target.PERSON}


def test_it_does_not_flag_expired_certificates(author, published, holder):
    Certificate.objects.filter(pk=holder.pk).update(expires_at=timezone.now() - timedelta(days=1))

    author.post(_publish_url(published.module), _major(timezone.localdate()))

    holder.refresh_from_db()
    assert holder.refresh_needed_for is None
    assert not Assignment.objects.exists()


def test_it_completes_the_refresher_when_the_holder_passes_the_new_version(
    verified_client, alice, carol, published, holder
):
    v2 = services.version_publish(
        module=published.module,
        by=carol,
        change_note="New guidance.",
        is_major=True,
        refresh_due_on=timezone.localdate() + timedelta(days=30),
    )

    certificate = completed_attempt(alice, v2).certificate

    refresher = Assignment.objects.get(user=alice)
    assert refresher.completed_by == certificate
    (entry,) = verified_client(alice).get(reverse("training:catalogue")).context["entries"]
    assert entry.status == "Certified"


def test_it_tells_the_author_how_many_people_hold_a_current_certificate(author, published, holder):
    response = author.get(_publish_url(published.module))

    assert "1 person holds a current certificate for this module." in text_of(response)


def test_it_flags_a_pass_on_version_1_finished_after_the_major_revision(
    bob, carol, dave, published
):
    """Bob began version 1 before the guidance changed: his pass needs refreshing too, and
    does not complete his assignment."""
    v1 = published.module.versions.get()
    rule = services.rule_create(
        actor=dave,
        module=published.module,
        target=AssignmentRule.Target.PERSON,
        target_user=bob,
        due_in_days=10,
    )
    under_way = services.attempt_start(user=bob, version=v1)
    v2 = services.version_publish(
        module=published.module,
        by=carol,
        change_note="New guidance.",
        is_major=True,
        refresh_due_on=timezone.localdate() + timedelta(days=30),
    )

    finished = _walk_to_a_pass(under_way)

    assert finished.passed
    assert finished.certificate.refresh_needed_for == v2
    assert rule.assignments.get(user=bob).completed_at is None


def _walk_to_a_pass(attempt):
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=3)
    steps = engine.steps_by_key(attempt.version.snapshot)
    attempt.refresh_from_db()
    while attempt.current_step_key:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            best = best_choice(step)
            services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=best,
            )
        else:
            services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key=step["key"])
        attempt.refresh_from_db()
    return services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)
