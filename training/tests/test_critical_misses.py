"""Two routes in the services: what an answer records, a critical miss failing an attempt
whatever its score, a retake, and a supervisor's debrief of the miss."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditAction, AuditEvent, Role
from portal.tests.factories import UserFactory
from training import selectors, services
from training.models import Certificate, CriticalMissDebrief, ModuleProgress
from training.tests.factories import safety_critical_module, small_module_v1
from training.tests.studio_data import text_of

SAFE, MISS = 0, 1  # s20's choices: 999, or advice by phone (under-reaction and wrong channel)


@pytest.fixture
def threat(indicators):
    module, _ = services.module_load_from_json(data=safety_critical_module())
    return module.versions.get()


def _walk(user, version, last_choice: int, *, finish: bool = True):
    """Every decision inside its bands, then `last_choice` at the safety-critical s20."""
    attempt = services.attempt_start(user=user, version=version)
    services.attempt_rate_confidence(user=user, attempt=attempt, confidence=3)
    for position in range(20):
        key = f"s{position + 1}"
        choice = last_choice if key == "s20" else 0
        services.answer_record(
            user=user, attempt=attempt, step_key=key, position=position, choice_index=choice
        )
    services.attempt_continue(user=user, attempt=attempt, from_step_key="end")
    attempt.refresh_from_db()
    if finish:
        attempt = services.attempt_finish(user=user, attempt=attempt, confidence=4)
    return attempt


def test_it_records_both_routes_actions_error_and_the_critical_miss(alice, threat):
    attempt = _walk(alice, threat, MISS, finish=False)

    answer = attempt.answers.get(step_key="s20")

    assert (answer.safeguarding, answer.prevent) == ("universal", "advice")
    assert (answer.safeguarding_distance, answer.prevent_distance) == (-3, -2)
    assert (answer.actions, answer.error) == (["consult_dsl"], "wrong_channel")
    assert (answer.critical_miss, answer.points) == (True, 0)
    assert attempt.critical_miss_count == 1
    assert (attempt.safeguarding_under_count, attempt.prevent_under_count) == (1, 1)


def test_it_fails_an_attempt_with_a_critical_miss_at_95_percent(alice, threat):
    attempt = _walk(alice, threat, MISS)

    assert (attempt.percent, attempt.passed) == (95, False)
    assert not Certificate.objects.filter(attempt=attempt).exists()
    progress = ModuleProgress.objects.get(user=alice, module=threat.module)
    assert (progress.latest_passed, progress.latest_critical_misses) == (False, 1)


def test_it_passes_a_retake_without_the_miss(alice, threat):
    _walk(alice, threat, MISS)

    retake = _walk(alice, threat, SAFE)

    assert (retake.percent, retake.passed, retake.critical_miss_count) == (100, True, 0)
    assert Certificate.objects.filter(attempt=retake).exists()
    progress = ModuleProgress.objects.get(user=alice, module=threat.module)
    assert (progress.latest_critical_misses, progress.critical_miss_count) == (0, 1)


def test_it_shows_the_critical_miss_on_the_summary(alice, threat):
    attempt = _walk(alice, threat, MISS)

    summary = selectors.attempt_summary(attempt=attempt)

    assert summary.result.critical_misses == ("s20",)
    last = summary.decisions[-1]
    assert last["words"].critical_miss and last["words"].error_label == "Wrong channel"
    assert last["band_label"] == "Safeguarding: Immediate protection; Prevent: 999 emergency"


def test_it_says_in_the_feedback_what_was_chosen_on_each_route_and_names_the_error(
    verified_client, alice, threat
):
    attempt = _walk(alice, threat, MISS, finish=False)

    response = verified_client(alice).get(
        reverse("training:attempt-feedback", args=[attempt.pk, 19])
    )

    page = text_of(response)
    assert "Critical miss. This decision is safety-critical: a practice error here fails" in page
    assert (
        "Safeguarding route Universal support An under-reaction: 3 steps below the accepted band"
    ) in page
    assert "Prevent route Prevent advice An under-reaction: 2 steps below the accepted band" in page
    assert "Actions Consult the DSL" in page
    assert "Practice error Wrong channel A route that cannot act in time" in page
    assert "The accepted response Safeguarding route Immediate protection Prevent route 999" in page
    assert "Why A dated threat with a weapon is a 999 call." in page


def test_it_fails_the_summary_on_a_critical_miss_whatever_the_score_and_offers_a_retake(
    verified_client, alice, threat
):
    attempt = _walk(alice, threat, MISS)

    response = verified_client(alice).get(reverse("training:attempt-summary", args=[attempt.pk]))

    page = text_of(response)
    assert "You have not passed this time You scored 95%. The pass mark is 80%." in page
    assert "You made 1 critical miss. A critical miss fails the module whatever the score" in page
    assert (
        "A dated threat : you chose Universal support · Prevent advice, a practice error (wrong "
        "channel). The accepted response was Safeguarding: Immediate protection; Prevent: 999 "
        "emergency."
    ) in page
    assert "You can retake the module." in page and "Retake the module" in page
    assert "Safeguarding route 1 under-reaction, no over-reactions" in page
    assert "Prevent route 1 under-reaction, no over-reactions" in page
    assert "Verification code" not in page


def test_it_loads_a_library_file_on_the_old_scale_through_the_mapping(indicators):
    module, _ = services.module_load_from_json(data=small_module_v1())

    snapshot = module.versions.get().snapshot
    o2 = snapshot["scenarios"][0]["steps"][1]
    assert snapshot["format"] == "threshold-module/3"
    assert o2["bands"] == {"safeguarding": ["universal", "universal"], "prevent": ["referral"] * 2}
    assert [(c["safeguarding"], c["prevent"]) for c in o2["choices"]] == [
        ("universal", "none"),
        ("universal", "referral"),
    ]
    assert o2["safety_critical"] is False


# --- Debriefs ---------------------------------------------------------------------------------


@pytest.fixture
def miss(alice, threat):
    return _walk(alice, threat, MISS).answers.get(step_key="s20")


def test_it_records_a_supervisors_debrief_and_audits_it(bob, miss):
    debrief = services.debrief_record(
        supervisor=bob, answer=miss, held_on=timezone.localdate(), note="  Talked it through. "
    )

    assert (debrief.answer, debrief.supervisor, debrief.note) == (miss, bob, "Talked it through.")
    event = AuditEvent.objects.get(action=AuditAction.CRITICAL_MISS_DEBRIEFED)
    assert (event.actor, event.subject, event.detail["step"]) == (bob, miss.attempt.user, "s20")


def test_it_lets_the_authority_admin_debrief_too(dave, miss):
    services.debrief_record(supervisor=dave, answer=miss, held_on=timezone.localdate(), note="Ok")

    assert CriticalMissDebrief.objects.get().supervisor == dave


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"note": "   "}, "note"),
        ({"note": "x" * 501}, "note"),
        ({"held_on": timezone.localdate() + timedelta(days=2)}, "held_on"),
        ({"held_on": date(2000, 1, 1)}, "held_on"),
    ],
    ids=["empty note", "long note", "future date", "before the miss"],
)
def test_it_refuses_a_debrief_with_bad_input(bob, miss, changes, field):
    data = {"held_on": timezone.localdate(), "note": "Talked it through.", **changes}

    with pytest.raises(ValidationError) as refused:
        services.debrief_record(supervisor=bob, answer=miss, **data)

    assert field in refused.value.message_dict
    assert not CriticalMissDebrief.objects.exists()


def test_it_debriefs_a_miss_once(bob, miss):
    services.debrief_record(supervisor=bob, answer=miss, held_on=timezone.localdate(), note="1")

    with pytest.raises(ValidationError):
        services.debrief_record(supervisor=bob, answer=miss, held_on=timezone.localdate(), note="2")

    assert CriticalMissDebrief.objects.get().note == "1"


def test_it_refuses_a_debrief_of_an_answer_that_was_no_miss(bob, alice, threat):
    answer = _walk(alice, threat, SAFE).answers.get(step_key="s20")

    with pytest.raises(ValidationError):
        services.debrief_record(
            supervisor=bob, answer=answer, held_on=timezone.localdate(), note=""
        )


@pytest.fixture
def other_supervisor(other_authority, other_team):
    return UserFactory(role=Role.SUPERVISOR, authority=other_authority, team=other_team)


def test_it_refuses_a_debrief_by_someone_outside_the_persons_team(
    other_supervisor, alice, carol, miss
):
    for outsider in (other_supervisor, alice, carol):
        with pytest.raises(PermissionDenied):
            services.debrief_record(
                supervisor=outsider, answer=miss, held_on=timezone.localdate(), note="No"
            )
        with pytest.raises(Http404):
            selectors.critical_miss_get_for_user(user=outsider, pk=alice.pk, answer_pk=miss.pk)


def test_it_answers_404_to_another_authoritys_supervisor_on_the_debrief_page(
    verified_client, other_supervisor, alice, miss
):
    client = verified_client(other_supervisor)
    url = reverse("training:critical-miss-debrief", args=[alice.pk, miss.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "x"}).status_code == 404
    assert not CriticalMissDebrief.objects.exists()


def test_it_records_a_debrief_from_the_page_and_shows_it_on_the_record_and_csv(
    verified_client, bob, alice, miss
):
    client = verified_client(bob)
    url = reverse("training:critical-miss-debrief", args=[alice.pk, miss.pk])
    today = timezone.localdate()
    record_url = reverse("training:person-record", args=[alice.pk])

    assert url in client.get(record_url).content.decode()
    response = client.post(
        url,
        {"held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
         "note": "Why 999."},
    )  # fmt: skip

    assert response.status_code == 302
    page = client.get(record_url).content.decode()
    assert "A dated threat" in page and "Why 999." in page
    csv = client.get(reverse("training:person-record-csv", args=[alice.pk])).content.decode()
    assert "Critical miss,A dated threat" in csv and "Why 999." in csv


def test_it_shows_the_debrief_forms_problems_on_the_page(verified_client, bob, alice, miss):
    client = verified_client(bob)
    url = reverse("training:critical-miss-debrief", args=[alice.pk, miss.pk])

    response = client.post(url, {"note": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the date of the debrief" in page and "Say what you talked about" in page


@time_machine.travel("2027-03-10 09:00 +0000", tick=False)
def test_it_lists_critical_misses_on_the_team_report_rows(bob, alice, threat):
    _walk(alice, threat, MISS)

    report = selectors.team_report_for_user(user=bob, filters=selectors.ReportFilters())
    row = next(row for row in report.rows_for(report.people) if row.person.pk == alice.pk)

    assert row.critical_misses == 1
    assert row.safeguarding_text == "1 under, 0 over"
    assert row.prevent_text == "1 under, 0 over"


@time_machine.travel("2027-03-10 09:00 +0000", tick=False)
def test_it_names_each_critical_miss_and_when_on_the_team_page_and_csv(
    verified_client, bob, alice, threat
):
    attempt = _walk(alice, threat, MISS)
    client = verified_client(bob)

    page = client.get(reverse("training:team-progress")).content.decode()

    attempt_url = reverse("training:person-attempt", args=[alice.pk, attempt.pk])
    note = "A dated threat (A dated threat), 10 Mar 2027"  # the decision (the module)
    assert f'<a class="govuk-link" href="{attempt_url}">{note}</a>' in page
    assert "(not debriefed yet)" in page
    assert "Safeguarding:</strong> chooses less than needed about 1 time in 20" in page
    csv = client.get(reverse("training:team-people-csv")).content.decode()
    assert note in csv


def test_it_shows_a_debriefed_miss_as_debriefed_on_the_team_page(verified_client, bob, miss):
    services.debrief_record(
        supervisor=bob, answer=miss, held_on=timezone.localdate(), note="Why 999."
    )

    page = verified_client(bob).get(reverse("training:team-progress")).content.decode()

    assert "A dated threat (" in page
    assert "(not debriefed yet)" not in page


def test_it_adopts_a_version_published_on_the_old_scale_through_the_mapping(
    indicators, other_authority, carol
):
    old = small_module_v1(visibility="shared")
    source, _ = services.module_load_from_json(data=old, authority=other_authority)
    # As a version published before the two routes came in: its JSON on the single scale.
    source.versions.update(snapshot={**old, "version": 1})

    copy = services.module_adopt(source=source, by=carol)

    o2 = copy.scenarios.get().steps.get(key="o2")
    assert (o2.safeguarding_band_low, o2.prevent_band_high) == ("universal", "referral")
    assert [(c.safeguarding, c.prevent) for c in o2.choices.all()] == [
        ("universal", "none"),
        ("universal", "referral"),
    ]
    assert copy.min_decisions == 4


def test_it_leaves_the_miss_notes_out_of_rows_asked_for_without_them(bob, alice, threat):
    _walk(alice, threat, MISS)
    report = selectors.team_report_for_user(user=bob, filters=selectors.ReportFilters())

    rows = report.rows_for(report.people, miss_notes=False)
    row = next(row for row in rows if row.person.pk == alice.pk)
    assert row.critical_misses == 1 and row.miss_notes == []  # counted, not named

    assert report.rows_for(report.people) == rows  # the same rows, now with their notes
    assert [note.decision_title for note in row.miss_notes] == ["A dated threat"]


def test_it_reads_no_answers_for_the_matrix_csv(verified_client, bob, alice, threat):
    _walk(alice, threat, MISS)
    client = verified_client(bob)
    url = reverse("training:team-matrix-csv")
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "training_answer" in q["sql"]]
    people_csv = client.get(reverse("training:team-people-csv")).content.decode()
    assert "A dated threat (A dated threat)" in people_csv  # the people CSV still names it
