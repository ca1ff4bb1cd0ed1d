"""The learner's pages: queries per page, the back button, resuming, who may see what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import current_code
from portal.tests.factories import TOTPDeviceFactory
from training import engine, services
from training.models import Answer, Attempt, Certificate, Module
from training.tests.factories import INDICATORS, small_module

MAX_QUERIES = 8
INDICATOR_KEYS = [item["key"] for item in INDICATORS["indicators"]]


def big_module(scenarios: int = 3, steps: int = 30, narratives: int = 9) -> dict[str, Any]:
    """A long module in the library format: each scenario is a chain of narratives and
    decisions (every choice moves on to the next step) ending in one end step."""
    data = small_module(key="big-module", title="The long road", scenarios=[])
    for s in range(scenarios):
        keys = [f"s{s}-{i}" for i in range(steps)]
        chain: list[dict[str, Any]] = []
        for i, key in enumerate(keys[:-1]):
            step: dict[str, Any] = {
                "key": key,
                "title": f"Scenario {s + 1}, step {i + 1}",
                "body": "Something **happens**.",
                "indicators": [INDICATOR_KEYS[i % len(INDICATOR_KEYS)]],
            }
            if i % 3 == 0 and i // 3 < narratives:
                step.update(kind="narrative", next=keys[i + 1])
            else:
                step.update(
                    kind="decision",
                    bands={"safeguarding": ["family_help"] * 2, "prevent": ["none"] * 2},
                    explanation="Early help fits.",
                    choices=[
                        {
                            "text": text,
                            "safeguarding": safeguarding,
                            "prevent": "none",
                            "feedback": "Because.",
                            "next": keys[i + 1],
                        }
                        for text, safeguarding in [
                            ("Ask the DSL", "universal"),
                            ("Early help", "family_help"),
                            ("Social care", "child_protection"),
                        ]
                    ],
                )
            chain.append(step)
        chain.append({"key": keys[-1], "kind": "end", "title": "The end", "body": "Done."})
        data["scenarios"].append({"key": f"s{s}", "title": f"Scenario {s + 1}", "steps": chain})
    return data


def _walk(attempt: Attempt, choice_index: int | list[int] = 1, until: str = "") -> Attempt:
    """Play through services until the attempt reaches `until` (or the end), choosing
    `choice_index` at every decision, or the next index of a list at each."""
    choices = list(choice_index) if isinstance(choice_index, list) else None
    if attempt.confidence_before is None:
        services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=2)
    attempt.refresh_from_db()
    steps = engine.steps_by_key(attempt.version.snapshot)
    while attempt.current_step_key and attempt.current_step_key != until:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=choices.pop(0) if choices is not None else choice_index,
            )
        else:
            services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key=step["key"])
        attempt.refresh_from_db()
    return attempt


# --- At most 8 queries a page, whatever the module's size ---------------------------------


@pytest.fixture
def big(indicators):
    module, _ = services.module_load_from_json(data=big_module())
    version = module.versions.get()
    assert engine.decision_count(version.snapshot) == 60
    return version


@pytest.fixture
def finished(alice, big):
    """Alice passed the big module once, with 60 answers and a certificate."""
    attempt = _walk(services.attempt_start(user=alice, version=big))
    attempt = services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)
    assert attempt.passed
    return attempt


@pytest.fixture
def playing(alice, big, finished):
    """Alice's second go, stopped at a narrative step halfway through scenario 2."""
    return _walk(services.attempt_start(user=alice, version=big), until="s1-15")


@pytest.fixture
def learner(verified_client, alice):
    return verified_client(alice)


def test_it_builds_a_big_module(big):
    steps = engine.steps_by_key(big.snapshot)
    assert len(big.snapshot["scenarios"]) == 3
    assert len(steps) == 90
    assert sum(1 for step in steps.values() if step["kind"] == engine.NARRATIVE) == 27


@pytest.mark.parametrize(
    "page",
    [
        "catalogue",
        "module-detail",
        "narrative step",
        "decision step",
        "feedback",
        "summary",
        "certificate",
    ],
)
def test_it_shows_a_learner_page_of_a_big_module_in_at_most_8_queries(
    learner, module, finished, playing, page, django_assert_max_num_queries
):
    if page == "decision step":
        playing = _walk(playing, until="s1-16")
    urls = {
        "catalogue": reverse("training:catalogue"),
        "module-detail": reverse("training:module-detail", args=["big-module"]),
        "narrative step": reverse("training:attempt-play", args=[playing.pk]),
        "decision step": reverse("training:attempt-play", args=[playing.pk]),
        "feedback": reverse("training:attempt-feedback", args=[finished.pk, 45]),
        "summary": reverse("training:attempt-summary", args=[finished.pk]),
        "certificate": reverse(
            "training:certificate-detail", args=[Certificate.objects.get().code]
        ),
    }
    expected = {
        "catalogue": "The long road",
        "module-detail": "Resume where you left off",
        "narrative step": "Scenario 2, step 16",
        "decision step": "Scenario 2, step 17",
        "feedback": "Feedback: ",
        "summary": "120 of 120 points",
        "certificate": "threshold-certificate",
    }

    with django_assert_max_num_queries(MAX_QUERIES):
        response = learner.get(urls[page])

    assert response.status_code == 200
    assert expected[page] in response.content.decode()


# --- The back button and resubmitted forms ------------------------------------------------


@pytest.fixture
def small_attempt(alice, version):
    """Alice at d2 of the small module, having answered d1 with "Nothing"."""
    attempt = services.attempt_start(user=alice, version=version)
    return _walk(attempt, choice_index=0, until="d2")


def _answer(client, attempt, step_key, position, choice):
    return client.post(
        reverse("training:attempt-answer", args=[attempt.pk]),
        {"step_key": step_key, "position": position, "choice": choice},
    )


def test_it_shows_an_old_feedback_page_with_that_answer(learner, small_attempt):
    _answer(learner, small_attempt, "d2", 1, 2)

    response = learner.get(reverse("training:attempt-feedback", args=[small_attempt.pk, 0]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Feedback: First worry" in page
    assert 'What you chose</h2>\n    <p class="govuk-body"><strong>Nothing</strong></p>' in page
    assert "No safeguarding action<br>" in page and "No Prevent action<br>" in page


def test_it_sends_a_post_of_an_old_step_to_the_current_step(learner, small_attempt):
    response = _answer(learner, small_attempt, "d1", 0, 1)

    assert response.status_code == 302
    assert response["Location"] == reverse("training:attempt-play", args=[small_attempt.pk])
    page = learner.get(response["Location"]).content.decode()
    assert "already answered" in page
    assert "Second worry" in page


def test_it_keeps_the_first_answer_when_an_old_step_is_posted_again(learner, small_attempt):
    _answer(learner, small_attempt, "d1", 0, 1)

    answers = list(
        Answer.objects.filter(attempt=small_attempt).values_list("step_key", "choice_index")
    )
    assert answers == [("d1", 0)]
    small_attempt.refresh_from_db()
    assert (small_attempt.current_step_key, small_attempt.answer_count) == ("d2", 1)


def test_it_sends_an_old_step_posted_without_a_choice_to_the_current_step(learner, small_attempt):
    response = learner.post(
        reverse("training:attempt-answer", args=[small_attempt.pk]),
        {"step_key": "d1", "position": 0},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("training:attempt-play", args=[small_attempt.pk])


def test_it_records_a_refreshed_answer_post_once(learner, small_attempt):
    first = _answer(learner, small_attempt, "d2", 1, 2)
    again = _answer(learner, small_attempt, "d2", 1, 2)

    assert first["Location"] == reverse("training:attempt-feedback", args=[small_attempt.pk, 1])
    assert again["Location"] == reverse("training:attempt-play", args=[small_attempt.pk])
    assert Answer.objects.filter(attempt=small_attempt).count() == 2
    small_attempt.refresh_from_db()
    assert (small_attempt.current_step_key, small_attempt.answer_count) == ("end-b", 2)


def test_it_moves_on_once_when_a_continue_post_is_refreshed(learner, small_attempt):
    _answer(learner, small_attempt, "d2", 1, 2)
    url = reverse("training:attempt-continue", args=[small_attempt.pk])

    learner.post(url, {"step_key": "end-b"})
    again = learner.post(url, {"step_key": "end-b"}, follow=True)

    small_attempt.refresh_from_db()
    assert small_attempt.current_step_key == "p2-d1"
    assert "already answered" in again.content.decode()


def test_it_finishes_once_when_the_last_confidence_post_is_refreshed(learner, small_attempt):
    _answer(learner, small_attempt, "d2", 1, 2)
    attempt = _walk(small_attempt, choice_index=0)
    url = reverse("training:attempt-confidence", args=[attempt.pk])

    learner.post(url, {"confidence": 4})
    completed_at = Attempt.objects.get(pk=attempt.pk).completed_at
    learner.post(url, {"confidence": 1})

    attempt.refresh_from_db()
    assert (attempt.completed_at, attempt.confidence_after) == (completed_at, 4)


# --- Resuming on another device -----------------------------------------------------------


def _second_device(user) -> Client:
    """A new browser: its own session, signed in with password and second factor."""
    device = TOTPDeviceFactory(user=user)
    other = Client()
    other.force_login(user)
    response = other.post(
        reverse("portal:second-factor-verify"), {"code": current_code(device), "next": "/"}
    )
    assert response.status_code == 302
    return other


def test_it_resumes_an_attempt_on_another_device(learner, alice, module):
    learner.post(reverse("training:attempt-start", args=[module.key]))
    attempt = Attempt.objects.get()
    learner.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 3})
    learner.post(reverse("training:attempt-continue", args=[attempt.pk]), {"step_key": "intro"})
    phone = _second_device(alice)
    assert phone.session.session_key != learner.session.session_key

    overview = phone.get(reverse("training:module-detail", args=[module.key])).content.decode()

    play = reverse("training:attempt-play", args=[attempt.pk])
    assert f'href="{play}" data-module="govuk-button">Resume where you left off</a>' in overview
    step = phone.get(play).content.decode()
    assert "First worry" in step
    assert 'name="position" value="0"' in step


def test_it_resumes_rather_than_starting_twice(learner, module):
    learner.post(reverse("training:attempt-start", args=[module.key]))

    again = learner.post(reverse("training:attempt-start", args=[module.key]))

    attempt = Attempt.objects.get()
    assert again["Location"] == reverse("training:attempt-play", args=[attempt.pk])


# --- Who may see what ---------------------------------------------------------------------


@pytest.fixture
def certified(alice, version):
    attempt = _walk(services.attempt_start(user=alice, version=version), [1, 2, 0])
    attempt = services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)
    assert attempt.passed
    return attempt


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("training:attempt-play", lambda attempt: [attempt.pk]),
        ("training:attempt-feedback", lambda attempt: [attempt.pk, 0]),
        ("training:attempt-summary", lambda attempt: [attempt.pk]),
        ("training:certificate-detail", lambda attempt: [attempt.certificate.code]),
    ],
)
def test_it_hides_alices_pages_from_charlie(verified_client, charlie, certified, name, args):
    response = verified_client(charlie).get(reverse(name, args=args(certified)))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("training:attempt-answer", {"step_key": "d1", "position": 0, "choice": 0}),
        ("training:attempt-continue", {"step_key": "intro"}),
        ("training:attempt-confidence", {"confidence": 5}),
    ],
)
def test_it_refuses_charlies_posts_to_alices_attempt(
    verified_client, charlie, alice, version, name, data
):
    attempt = services.attempt_start(user=alice, version=version)

    response = verified_client(charlie).post(reverse(name, args=[attempt.pk]), data)

    assert response.status_code == 404
    attempt.refresh_from_db()
    assert (attempt.current_step_key, attempt.confidence_before) == ("intro", None)


def _authority_module(authority, visibility: str, key: str = "weald-only") -> Module:
    module, _ = services.module_load_from_json(
        data=small_module(key=key, title=f"Module {key}"), authority=authority
    )
    Module.objects.filter(pk=module.pk).update(visibility=visibility)
    return module


def test_it_hides_another_authoritys_own_module(learner, indicators, other_authority):
    hidden = _authority_module(other_authority, Module.Visibility.AUTHORITY)

    detail = learner.get(reverse("training:module-detail", args=[hidden.key]))
    catalogue = learner.get(reverse("training:catalogue")).content.decode()

    assert detail.status_code == 404
    assert "Module weald-only" not in catalogue
    start = learner.post(reverse("training:attempt-start", args=[hidden.key]))
    assert start.status_code == 404


def test_it_shows_a_module_another_authority_shares(learner, indicators, other_authority):
    shared = _authority_module(other_authority, Module.Visibility.SHARED)

    detail = learner.get(reverse("training:module-detail", args=[shared.key]))
    catalogue = learner.get(reverse("training:catalogue")).content.decode()

    assert detail.status_code == 200
    assert "Module weald-only" in catalogue


def test_it_shows_a_module_to_its_own_authority(verified_client, charlie, indicators):
    own = _authority_module(charlie.authority, Module.Visibility.AUTHORITY)

    response = verified_client(charlie).get(reverse("training:module-detail", args=[own.key]))

    assert response.status_code == 200


def test_it_hides_a_module_that_was_never_published(learner, module):
    draft = Module.objects.create(
        key="draft-only",
        title="Nothing published yet",
        summary=".",
        confidence_topic="drafts",
        learning_outcomes="Wait",
    )

    detail = learner.get(reverse("training:module-detail", args=[draft.key]))
    catalogue = learner.get(reverse("training:catalogue")).content.decode()

    assert detail.status_code == 404
    assert "Nothing published yet" not in catalogue
    assert "Jo&#x27;s bedroom door" in catalogue


# --- Certificates -------------------------------------------------------------------------


def test_it_shows_the_owner_a_printable_certificate(learner, certified):
    code = certified.certificate.code

    response = learner.get(reverse("training:certificate-detail", args=[code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="threshold-certificate"' in page
    assert f"http://testserver/certificates/verify/{code}" in page


def test_it_verifies_a_certificate_for_anyone_with_the_code(client, certified):
    code = certified.certificate.code

    response = client.get(f"/certificates/verify/{code}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alice Okafor" in page
    assert "Jo&#x27;s bedroom door" in page
    certificate = certified.certificate
    assert f"{timezone.localtime(certificate.issued_at):%-d %B %Y}" in page
    assert f"{timezone.localtime(certificate.expires_at):%-d %B %Y}" in page


def test_it_shows_no_more_than_name_module_and_dates_on_verification(client, certified):
    response = client.get(f"/certificates/verify/{certified.certificate.code}")

    page = response.content.decode()
    assert "alice@northbridge.example" not in page
    assert "Northbridge" not in page
    assert "Early Help North" not in page
    assert f"{certified.percent}%" not in page
    assert "points" not in page


def test_it_says_a_current_certificate_is_current(client, certified):
    page = client.get(f"/certificates/verify/{certified.certificate.code}").content.decode()

    assert "genuine and current" in page


def test_it_says_an_expired_certificate_has_expired(client, certified):
    expires_at = certified.certificate.expires_at

    with time_machine.travel(expires_at + timedelta(days=1)):
        page = client.get(f"/certificates/verify/{certified.certificate.code}").content.decode()

    assert "genuine but has expired" in page
    assert "genuine and current" not in page


def test_it_verifies_a_code_typed_in_lower_case(client, certified):
    code = certified.certificate.code.lower()

    assert client.get(f"/certificates/verify/{code}").status_code == 200


def test_it_says_an_unknown_code_is_not_found(client, certified):
    assert client.get("/certificates/verify/AAAA-BBBB-CCCC").status_code == 404
